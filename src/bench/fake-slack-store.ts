/**
 * What the fake Slack keeps: messages per channel (with their threads, updates and deletions),
 * ephemeral messages, uploaded files and opened views, and the `ts` clock.
 *
 * Slack's `ts` is "<unix seconds>.<6 digits>", unique per channel and increasing; here it is a
 * microsecond clock that never repeats or goes back, so it is unique across channels too.
 */

export interface StoredFile {
  id: string;
  filename: string;
  /** Declared by files.getUploadURLExternal. */
  length: number;
  title?: string;
  /** What was POSTed to the upload URL (undefined until then). */
  content?: Buffer;
  completed: boolean;
}

export interface StoredMessage {
  channel: string;
  ts: string;
  /** Set on replies (and on a parent once it has replies, as Slack does). */
  thread_ts?: string;
  text: string;
  blocks?: unknown[];
  /** Posting user: the bot user for messages the app posted, the author for seeded ones. */
  user: string;
  bot_id?: string;
  files?: Array<{ id: string; title?: string; name: string }>;
  /** Set by chat.update: the ts of the edit. */
  edited?: { user: string; ts: string };
  /** How many times chat.update changed it. */
  updates: number;
  reply_count?: number;
}

export interface StoredEphemeral {
  channel: string;
  user: string;
  message_ts: string;
  thread_ts?: string;
  text: string;
  blocks?: unknown[];
}

export class SlackStore {
  private lastMicros = 0;
  private seq = 0;
  private readonly byChannel = new Map<string, StoredMessage[]>();
  readonly ephemerals: StoredEphemeral[] = [];
  readonly files = new Map<string, StoredFile>();
  readonly views: Array<Record<string, unknown>> = [];

  /** A new ts, strictly greater than every ts handed out before. */
  nextTs(): string {
    const now = Math.floor((performance.timeOrigin + performance.now()) * 1000);
    this.lastMicros = Math.max(now, this.lastMicros + 1);
    return `${Math.floor(this.lastMicros / 1e6)}.${String(this.lastMicros % 1e6).padStart(6, '0')}`;
  }

  /** A Slack-looking id with a prefix (F for files, V for views). */
  nextId(prefix: string): string {
    this.seq += 1;
    return `${prefix}0FAKE${String(this.seq).padStart(5, '0')}`;
  }

  post(m: Omit<StoredMessage, 'ts' | 'updates'> & { ts?: string }): StoredMessage {
    const msg: StoredMessage = { ...m, ts: m.ts ?? this.nextTs(), updates: 0 };
    const list = this.byChannel.get(m.channel) ?? [];
    list.push(msg);
    list.sort((a, b) => compareTs(a.ts, b.ts));
    this.byChannel.set(m.channel, list);
    if (msg.thread_ts && msg.thread_ts !== msg.ts) {
      const parent = this.find(m.channel, msg.thread_ts);
      if (parent) {
        parent.thread_ts = parent.ts;
        parent.reply_count = (parent.reply_count ?? 0) + 1;
      }
    }
    return msg;
  }

  find(channel: string, ts: string): StoredMessage | undefined {
    return this.byChannel.get(channel)?.find((m) => m.ts === ts);
  }

  delete(channel: string, ts: string): boolean {
    const list = this.byChannel.get(channel);
    const i = list?.findIndex((m) => m.ts === ts) ?? -1;
    if (!list || i < 0) return false;
    const [gone] = list.splice(i, 1);
    if (gone?.thread_ts && gone.thread_ts !== gone.ts) {
      const parent = this.find(channel, gone.thread_ts);
      if (parent?.reply_count) parent.reply_count -= 1;
    }
    return true;
  }

  /**
   * The channel's current messages, oldest first. With `threadTs`: the thread's parent (when it is
   * known) and its replies; without: the top-level messages (thread replies are not in the channel
   * unless broadcast, as in Slack's conversations.history).
   */
  messages(channel: string, threadTs?: string): StoredMessage[] {
    const list = this.byChannel.get(channel) ?? [];
    if (threadTs !== undefined) return list.filter((m) => m.ts === threadTs || m.thread_ts === threadTs);
    return list.filter((m) => m.thread_ts === undefined || m.thread_ts === m.ts);
  }

  channels(): string[] {
    return [...this.byChannel.keys()];
  }
}

/** Order of two Slack timestamps (numeric, not lexical: "9.1" < "10.1"). */
export function compareTs(a: string, b: string): number {
  const [as, af = ''] = a.split('.');
  const [bs, bf = ''] = b.split('.');
  const d = Number(as) - Number(bs);
  return d !== 0 ? Math.sign(d) : Math.sign(Number(af.padEnd(6, '0')) - Number(bf.padEnd(6, '0')));
}

export const TS_PATTERN = /^\d{1,12}\.\d{1,6}$/;
