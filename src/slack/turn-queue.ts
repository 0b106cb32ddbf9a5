/**
 * Runs answering jobs one per event-loop turn, after the acks. Node drains every queued
 * setImmediate callback in one check phase, so deferring each job with setImmediate alone
 * still makes a request that arrives mid-burst wait behind all of them; chaining one job per
 * turn lets the poll phase accept and ack new requests between jobs (Slack wants its ack
 * within 3 s, users want theirs at once).
 */
export class TurnQueue {
  private readonly jobs: Array<() => Promise<unknown>> = [];
  private scheduled = false;

  constructor(private readonly onError: (e: unknown) => void) {}

  push(job: () => Promise<unknown>): void {
    this.jobs.push(job);
    this.schedule();
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
