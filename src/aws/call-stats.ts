/**
 * Counts the AWS API calls made for one question and measures their sequential depth.
 *
 * "Round trips" is the length of the longest chain of calls in which each call started only after
 * the previous one had finished (or ran inside it, like the AssumeRole a first call triggers) —
 * i.e. the number of sequential waits the question cost, whatever the code structure. Calls fired
 * together (Promise.all) count once; each further page of a paginated call, or a call that needed
 * the previous one's result, adds one. Events are ordered by a sequence counter rather than the
 * clock, so equal timestamps cannot blur the order.
 */
import type { AwsService } from './operations.js';

export interface CallRecord {
  service: AwsService;
  operation: string;
  accountId: string;
  region: string;
  startSeq: number;
  endSeq?: number;
  startMs: number;
  endMs?: number;
  /** HTTP attempts the SDK made (retries included). */
  attempts?: number;
  /** Error code when the call failed after retries. */
  error?: string;
  /** A credentials call (AssumeRole) made while the calls that need it are in flight. */
  credentials?: boolean;
}

export interface CallStats {
  /** Logical API calls (each page counts as one call). */
  calls: number;
  /** HTTP attempts including the SDK's retries. */
  attempts: number;
  /** Calls that failed after retries. */
  errors: number;
  byOperation: Record<string, number>;
  /** Longest chain of strictly sequential calls. */
  roundTrips: number;
  /** From the first call's start to the last call's end. */
  elapsedMs: number;
}

export class CallRecorder {
  private seq = 0;
  private readonly list: CallRecord[] = [];

  constructor(private readonly now: () => number = () => performance.now()) {}

  start(service: AwsService, operation: string, scope: { accountId: string; region: string }, opts: { credentials?: boolean } = {}): CallRecord {
    const rec: CallRecord = { service, operation, accountId: scope.accountId, region: scope.region, startSeq: ++this.seq, startMs: this.now(), ...(opts.credentials ? { credentials: true } : {}) };
    this.list.push(rec);
    return rec;
  }

  end(rec: CallRecord, outcome: { attempts?: number; error?: string } = {}): void {
    rec.endSeq = ++this.seq;
    rec.endMs = this.now();
    if (outcome.attempts !== undefined) rec.attempts = outcome.attempts;
    if (outcome.error !== undefined) rec.error = outcome.error;
  }

  get records(): readonly CallRecord[] {
    return this.list;
  }

  /** Operation names in call order (with duplicates). */
  operations(): string[] {
    return this.list.map((r) => r.operation);
  }

  stats(): CallStats {
    return computeStats(this.list);
  }
}

/**
 * Sequential depth of a set of calls. Pure. A call's depth is one round trip plus the deepest of
 * (a) the calls that ended before it started (it may have waited for them) and (b) the credential
 * calls made while it was in flight (the AssumeRole its signature waited for). Calls that merely
 * overlap are parallel and add nothing.
 */
export function roundTripDepth(records: readonly Pick<CallRecord, 'startSeq' | 'endSeq' | 'credentials'>[]): number {
  const done = records
    .filter((r): r is { startSeq: number; endSeq: number; credentials?: boolean } => r.endSeq !== undefined)
    .sort((a, b) => a.endSeq - b.endSeq);
  const depth: number[] = [];
  let best = 0;
  done.forEach((r, i) => {
    let before = 0;
    for (let j = 0; j < i; j++) {
      const p = done[j] as { startSeq: number; endSeq: number; credentials?: boolean };
      const waitedFor = p.endSeq < r.startSeq || (p.credentials === true && p.startSeq > r.startSeq);
      if (waitedFor) before = Math.max(before, depth[j] as number);
    }
    depth[i] = before + 1;
    best = Math.max(best, before + 1);
  });
  return best;
}

export function computeStats(records: readonly CallRecord[]): CallStats {
  const byOperation: Record<string, number> = {};
  let attempts = 0;
  let errors = 0;
  let first = Infinity;
  let last = -Infinity;
  for (const r of records) {
    byOperation[r.operation] = (byOperation[r.operation] ?? 0) + 1;
    attempts += r.attempts ?? 1;
    if (r.error) errors++;
    first = Math.min(first, r.startMs);
    last = Math.max(last, r.endMs ?? r.startMs);
  }
  return {
    calls: records.length,
    attempts,
    errors,
    byOperation,
    roundTrips: roundTripDepth(records),
    elapsedMs: records.length === 0 ? 0 : Math.round(last - first),
  };
}

/** "14 AWS API calls (15 attempts) in 3 round trips, 412 ms: DescribeSecurityGroups×2, …" */
export function formatCallStats(s: CallStats): string {
  const ops = Object.entries(s.byOperation)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([op, n]) => (n > 1 ? `${op}×${n}` : op))
    .join(', ');
  const att = s.attempts !== s.calls ? ` (${s.attempts} attempts)` : '';
  const err = s.errors > 0 ? `, ${s.errors} failed` : '';
  return `${s.calls} AWS API call${s.calls === 1 ? '' : 's'}${att} in ${s.roundTrips} round trip${s.roundTrips === 1 ? '' : 's'}, ${s.elapsedMs} ms${err}${ops ? `: ${ops}` : ''}`;
}
