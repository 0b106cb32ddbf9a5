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

/** One question asked in the thread and the bot's answer message for it. */
export interface Turn {
  /** The bot's answer message (Re-check updates it in place; its buttons find this turn). */
  messageTs: string;
  question: Question;
  answer: Answer;
  /** Where the data came from, as shown to users. */
  dataNote: string;
  /** The answer's fixes; `proposalId` is the opaque id the approval store keeps it under. */
  fixes: Array<{ id: string; proposalId?: string }>;
  requestId: string;
  /** Who asked (Slack user id). */
  askedBy: string;
  at: number;
}

export interface ThreadState {
  v: 1;
  channel: string;
  /** The thread's root message ts. */
  threadTs: string;
  teamId?: string;
  /** Who started the thread. */
  requester: string;
  /** Latest last; at most MAX_TURNS. */
  turns: Turn[];
  updatedAt: number;
}

export const MAX_TURNS = 5;
/** A stored thread larger than this is treated as corrupt. */
const MAX_STATE_BYTES = 32 * 1024 * 1024;

/** The turn a button on `messageTs` belongs to, else the latest. */
export const turnFor = (s: ThreadState, messageTs?: string): Turn | undefined =>
  (messageTs ? s.turns.find((t) => t.messageTs === messageTs) : undefined) ?? s.turns[s.turns.length - 1];

export const latestTurn = (s: ThreadState): Turn | undefined => s.turns[s.turns.length - 1];

/** Adds or replaces (same message) a turn, keeping the last MAX_TURNS. */
export function withTurn(s: ThreadState, t: Turn, now: number): ThreadState {
  const turns = [...s.turns.filter((x) => x.messageTs !== t.messageTs), t].slice(-MAX_TURNS);
  return { ...s, turns, updatedAt: now };
}

export const threadKey = (channel: string, threadTs: string) => `thread:${channel}:${threadTs}`;

const isStr = (x: unknown): x is string => typeof x === 'string' && x.length > 0 && x.length < 10_000;

function isTurn(x: unknown): x is Turn {
  if (typeof x !== 'object' || x === null) return false;
  const t = x as Record<string, unknown>;
  const q = t.question as Record<string, unknown> | undefined;
  const a = t.answer as Record<string, unknown> | undefined;
  return isStr(t.messageTs) && isStr(t.requestId) && isStr(t.askedBy) && typeof t.dataNote === 'string' && typeof t.at === 'number' && Array.isArray(t.fixes)
    && typeof q === 'object' && q !== null && typeof q.source === 'object' && typeof q.destination === 'object' && typeof q.protocol === 'string'
    && typeof a === 'object' && a !== null && typeof a.verdict === 'string' && Array.isArray(a.hops) && Array.isArray(a.blockers) && Array.isArray(a.fixes);
}

/** Structural check of a value read back from the store. */
export function isThreadState(x: unknown): x is ThreadState {
  if (typeof x !== 'object' || x === null) return false;
  const s = x as Record<string, unknown>;
  return s.v === 1 && isStr(s.channel) && isStr(s.threadTs) && isStr(s.requester) && typeof s.updatedAt === 'number'
    && Array.isArray(s.turns) && s.turns.length <= MAX_TURNS && s.turns.every(isTurn);
}

export class ThreadStore {
  constructor(private readonly kv: Kv, private readonly ttlMs: number, private readonly onCorrupt: (key: string, why: string) => void = () => {}) {}

  async get(channel: string, threadTs: string): Promise<ThreadState | null> {
    const key = threadKey(channel, threadTs);
    const buf = await this.kv.getBuffer(key);
    if (!buf) return null;
    let value: unknown;
    try {
      value = JSON.parse(gunzipSync(buf, { maxOutputLength: MAX_STATE_BYTES }).toString('utf8'));
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
    // Level 1: half the CPU of the default for a few hundred bytes more (it is written once per answer, on the busy thread).
    await this.kv.set(threadKey(state.channel, state.threadTs), gzipSync(JSON.stringify(state), { level: 1 }), this.ttlMs);
  }
}
