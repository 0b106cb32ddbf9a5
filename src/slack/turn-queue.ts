/**
 * Runs CPU-heavy steps one per event-loop turn, in order. Node drains every queued setImmediate
 * callback in one check phase, so deferring each step with setImmediate alone still makes a
 * request that arrives mid-burst wait behind all of them; chaining one step per turn lets the
 * poll phase between them accept and ack new requests and carry the light steps of other jobs
 * (their Redis replies, "Investigating…"): Slack wants its ack within 3 s, users want theirs at once.
 */
export class TurnQueue {
  private readonly jobs: Array<() => Promise<unknown>> = [];
  private scheduled = false;

  constructor(private readonly onError: (e: unknown) => void) {}

  push(job: () => Promise<unknown>): void {
    this.jobs.push(job);
    this.schedule();
  }

  /** Resolves in this caller's turn (the rest of the caller runs then, before the next job's turn). */
  turn(): Promise<void> {
    return new Promise<void>((resolve) => this.push(async () => resolve()));
  }

  get pending(): number {
    return this.jobs.length;
  }

  private schedule(): void {
    if (this.scheduled || this.jobs.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const job = this.jobs.shift();
      if (job) job().catch(this.onError);
      this.schedule();
    });
  }
}
