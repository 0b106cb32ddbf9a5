/**
 * What the bot remembers about a Slack thread: the question, the answer, the fixes it proposed
 * and their status. Keyed by channel and thread, kept for days (configurable), shared by every
 * replica through the key-value store, so a follow-up or a button click on another replica, or
 * after a restart, finds it. Values read back are untrusted: a value that does not have the
 * expected shape is treated as absent (and reported), never half-used.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Answer } from '../answer/types.js';
import type { Question } from '../question/types.js';
import type { Kv } from '../store/kv.js';

export type FixStatus = 'proposed' | 'approval-not-enabled';

export interface ThreadState {
  v: 1;
  channel: string;
  /** The thread's root message ts. */
  threadTs: string;
  /** The bot's answer message (updated in place by Re-check). */
  messageTs: string;
  teamId?: string;
  /** Who asked (Slack user id). */
  requester: string;
  question: Question;
  answer: Answer;
  /** Where the data came from, as shown to users: "snapshot examples/incident", "live, collected 12:03:04 UTC". */
  dataNote: string;
  fixes: Array<{ id: string; status: FixStatus }>;
  requestId: string;
  updatedAt: number;
}

export const threadKey = (channel: string, threadTs: string) => `thread:${channel}:${threadTs}`;

const isStr = (x: unknown): x is string => typeof x === 'string' && x.length > 0 && x.length < 10_000;

/** Structural check of a value read back from the store. */
export function isThreadState(x: unknown): x is ThreadState {
  if (typeof x !== 'object' || x === null) return false;
  const s = x as Record<string, unknown>;
  const q = s.question as Record<string, unknown> | undefined;
  const a = s.answer as Record<string, unknown> | undefined;
  return s.v === 1 && isStr(s.channel) && isStr(s.threadTs) && isStr(s.messageTs) && isStr(s.requester) && isStr(s.requestId)
    && typeof s.dataNote === 'string' && typeof s.updatedAt === 'number' && Array.isArray(s.fixes)
    && typeof q === 'object' && q !== null && typeof q.source === 'object' && typeof q.destination === 'object' && typeof q.protocol === 'string'
    && typeof a === 'object' && a !== null && typeof a.verdict === 'string' && Array.isArray(a.hops) && Array.isArray(a.blockers) && Array.isArray(a.fixes);
}

export class ThreadStore {
  constructor(private readonly kv: Kv, private readonly ttlMs: number, private readonly onCorrupt: (key: string, why: string) => void = () => {}) {}

  async get(channel: string, threadTs: string): Promise<ThreadState | null> {
    const key = threadKey(channel, threadTs);
    const buf = await this.kv.getBuffer(key);
    if (!buf) return null;
    let value: unknown;
    try {
      value = JSON.parse(gunzipSync(buf).toString('utf8'));
    } catch (e) {
      this.onCorrupt(key, `not gzip JSON: ${(e as Error).message}`);
      return null;
    }
    if (!isThreadState(value) || value.channel !== channel || value.threadTs !== threadTs) {
      this.onCorrupt(key, 'not a thread state for this thread');
      return null;
    }
    return value;
  }

  async put(state: ThreadState): Promise<void> {
    await this.kv.set(threadKey(state.channel, state.threadTs), gzipSync(JSON.stringify(state)), this.ttlMs);
  }
}
