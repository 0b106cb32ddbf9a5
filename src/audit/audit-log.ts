/**
 * The audit trail: an append-only record of every proposal, decision, execution, verification and
 * revert — who, when, team, channel, account, region, the exact command and structured call, and
 * the result. Redis: one stream (XADD, never trimmed, never edited); in memory for tests and the
 * CLI without Redis. Events come back oldest first.
 */
import type { Redis } from 'ioredis';

export type AuditEventType = 'proposed' | 'approved' | 'rejected' | 'refused' | 'executed' | 'failed' | 'verified' | 'reverted';

export interface AuditActor {
  userId: string;
  teamId?: string;
  name?: string;
}

export interface AuditCall {
  operation: string;
  input: Record<string, unknown>;
  accountId?: string;
  region?: string;
  /** The exact AWS CLI command. */
  command: string;
}

export interface AuditEvent {
  type: AuditEventType;
  /** ms since epoch, from the caller's clock. */
  at: number;
  /** The opaque fix id (what the buttons carry) and its label in the answer (F1). */
  fixId: string;
  fixLabel?: string;
  actor?: AuditActor;
  channel?: string;
  thread?: string;
  accountId?: string;
  region?: string;
  question?: string;
  calls?: AuditCall[];
  /** What happened: the verdict after, AWS's error code, the reason for a refusal, … */
  result?: Record<string, unknown>;
}

/** An event as stored, with the stream id (Redis: "<ms>-<seq>"). */
export interface StoredAuditEvent extends AuditEvent {
  id: string;
}

export interface AuditQuery {
  /** Only events at or after this time (ms since epoch). */
  sinceMs?: number;
  /** Only events of this account id. */
  accountId?: string;
  /** At most this many (the oldest first). Default 10,000. */
  limit?: number;
}

export interface AuditLog {
  append(event: AuditEvent): Promise<string>;
  list(query?: AuditQuery): Promise<StoredAuditEvent[]>;
}

function keep(e: StoredAuditEvent, q: AuditQuery): boolean {
  return (q.sinceMs === undefined || e.at >= q.sinceMs) && (q.accountId === undefined || e.accountId === q.accountId);
}

export class MemoryAuditLog implements AuditLog {
  private readonly events: StoredAuditEvent[] = [];
  private seq = 0;

  async append(event: AuditEvent): Promise<string> {
    const id = `${event.at}-${this.seq++}`;
    this.events.push({ ...structuredClone(event), id });
    return id;
  }

  async list(query: AuditQuery = {}): Promise<StoredAuditEvent[]> {
    return this.events.filter((e) => keep(e, query)).slice(0, query.limit ?? 10_000).map((e) => structuredClone(e));
  }
}

/** Redis stream `<prefix>audit`; each entry holds one field "event" with the JSON. */
export class RedisAuditLog implements AuditLog {
  readonly key: string;

  constructor(private readonly redis: Pick<Redis, 'xadd' | 'xrange'>, prefix = 'sgwhy:') {
    this.key = `${prefix}audit`;
  }

  async append(event: AuditEvent): Promise<string> {
    const id = await this.redis.xadd(this.key, '*', 'event', JSON.stringify(event));
    return String(id);
  }

  async list(query: AuditQuery = {}): Promise<StoredAuditEvent[]> {
    const limit = query.limit ?? 10_000;
    const out: StoredAuditEvent[] = [];
    // The stream id starts with the server's time; events carry the caller's. Read from a minute
    // before `since` (clock skew) and filter on the event's own time.
    let start = query.sinceMs !== undefined ? String(Math.max(0, query.sinceMs - 60_000)) : '-';
    for (;;) {
      const page = await this.redis.xrange(this.key, start, '+', 'COUNT', 500);
      for (const [id, fields] of page) {
        const i = fields.indexOf('event');
        if (i < 0 || i + 1 >= fields.length) continue;
        let e: AuditEvent;
        try {
          e = JSON.parse(fields[i + 1]!) as AuditEvent;
        } catch {
          continue;
        }
        const stored = { ...e, id };
        if (keep(stored, query)) out.push(stored);
        if (out.length >= limit) return out;
      }
      if (page.length < 500) return out;
      start = `(${page[page.length - 1]![0]}`;
    }
  }
}
