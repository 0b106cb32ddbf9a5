/**
 * Runs the bot's use cases away from the path that acks Slack. The listeners only ack and
 * dispatch a Job (plain data); a Runner answers it:
 * - InlineRunner: in this thread, behind the acks; the heavy step of each job (answering and
 *   rendering) one per event-loop turn, after the light ones;
 * - WorkerRunner: in a worker thread holding the engine, the stores and the Web API client, so
 *   answering and posting never delay an ack (the main thread only verifies, acks and forwards).
 * Both track jobs in flight so SIGTERM can finish them (bounded) before exit.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { handleAction, type ActionInput } from '../bot/actions.js';
import { handleMessage, type MessageInput } from '../bot/conversation.js';
import type { BotDeps, EventLog } from '../bot/deps.js';
import { errorFields } from '../bot/errors.js';
import type { BotSettings } from './settings.js';
import { TurnQueue } from './turn-queue.js';
import type { BotIdentity, Wired } from './wiring.js';

export type Job = { kind: 'message'; input: MessageInput } | { kind: 'action'; input: ActionInput };
export type Readiness = Awaited<ReturnType<Wired['ready']>>;

export interface Runner {
  dispatch(job: Job): void;
  ready(): Promise<Readiness>;
  /** Waits for jobs in flight, at most `timeoutMs`; returns how many did not finish. */
  drain(timeoutMs: number): Promise<number>;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class InlineRunner implements Runner {
  private running = 0;
  /** The CPU-heavy steps of all jobs, one per event-loop turn (BotDeps.turn). */
  private readonly work = new TurnQueue((e) => this.log('job_failed', errorFields(e)));
  private readonly deps: BotDeps;

  constructor(private readonly wired: Wired, private readonly log: EventLog) {
    this.deps = { ...wired.deps, turn: () => this.work.turn() };
  }

  /**
   * Starts the job after the current callback (the ack goes out first). Its light steps (dedupe,
   * "Investigating…") run as their replies come; its heavy steps wait for their turn, so under
   * load "Investigating…" is not queued behind other questions' answers.
   */
  dispatch(job: Job): void {
    this.running++;
    setImmediate(() => {
      const run = job.kind === 'message' ? handleMessage(this.deps, job.input) : handleAction(this.deps, job.input);
      run.catch((e: unknown) => this.log('job_failed', { requestId: job.input.requestId, ...errorFields(e) })).finally(() => {
        this.running--;
      });
    });
  }

  get inFlight() {
    return this.running;
  }

  ready() {
    return this.wired.ready();
  }

  async drain(timeoutMs: number): Promise<number> {
    const until = Date.now() + timeoutMs;
    while (this.running > 0 && Date.now() < until) await sleep(20);
    return this.running;
  }

  close() {
    return this.wired.close();
  }
}

/** The compiled worker entry (present in the build; absent when running TypeScript sources). */
export const WORKER_ENTRY = new URL('./worker-main.js', import.meta.url);
export const workerAvailable = () => WORKER_ENTRY.protocol === 'file:' && existsSync(fileURLToPath(WORKER_ENTRY));

type FromWorker =
  | { type: 'started' }
  | { type: 'start-failed'; message: string; code?: string; hints?: string[] }
  | { type: 'done' }
  | { type: 'ready'; id: number; readiness: Readiness }
  | { type: 'drained'; id: number; unfinished: number }
  | { type: 'closed' };

export class WorkerRunner implements Runner {
  private seq = 0;
  private readonly waiting = new Map<number, (m: FromWorker) => void>();
  private closedResolve: (() => void) | undefined;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (m: FromWorker) => {
      if ((m.type === 'ready' || m.type === 'drained') && this.waiting.has(m.id)) {
        this.waiting.get(m.id)!(m);
        this.waiting.delete(m.id);
      } else if (m.type === 'closed') this.closedResolve?.();
    });
  }

  private closing = false;

  /**
   * Starts the worker and waits until it has loaded its data and connected its stores. `onCrash`
   * runs if the worker stops on its own later (nothing would answer: the process should exit so
   * that it is restarted, rather than keep acking questions nobody answers).
   */
  static async start(settings: BotSettings, identity: BotIdentity, log: EventLog, onCrash: (code: number) => void = () => {}): Promise<WorkerRunner> {
    const worker = new Worker(WORKER_ENTRY, { workerData: { settings, identity } });
    const first = await new Promise<FromWorker>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the answering worker exited (${code}) while starting`)));
    });
    if (first.type === 'start-failed') {
      await worker.terminate();
      const { SgwhyError } = await import('../errors/errors.js');
      throw new SgwhyError((first.code as never) ?? 'CONFIG_INVALID', first.message, { hints: first.hints ?? [] });
    }
    worker.on('error', (e) => log('worker_failed', errorFields(e)));
    worker.removeAllListeners('exit');
    const runner = new WorkerRunner(worker);
    worker.on('exit', (code) => {
      if (runner.closing) return;
      log('worker_exited', { code });
      onCrash(code);
    });
    return runner;
  }

  dispatch(job: Job): void {
    this.worker.postMessage({ type: 'job', job });
  }

  private ask<T extends FromWorker>(msg: Record<string, unknown>, timeoutMs: number, fallback: T): Promise<T> {
    const id = ++this.seq;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        resolve(fallback);
      }, timeoutMs);
      this.waiting.set(id, (m) => {
        clearTimeout(timer);
        resolve(m as T);
      });
      this.worker.postMessage({ ...msg, id });
    });
  }

  async ready(): Promise<Readiness> {
    const r = await this.ask({ type: 'ready' }, 5000, { type: 'ready', id: 0, readiness: { ok: false, redis: 'degraded', source: 'worker', detail: 'the answering worker did not answer' } } as const);
    return r.readiness;
  }

  async drain(timeoutMs: number): Promise<number> {
    const r = await this.ask({ type: 'drain', timeoutMs }, timeoutMs + 2000, { type: 'drained', id: 0, unfinished: -1 } as const);
    return r.unfinished;
  }

  async close(): Promise<void> {
    this.closing = true;
    const closed = new Promise<void>((r) => (this.closedResolve = r));
    this.worker.postMessage({ type: 'close' });
    await Promise.race([closed, sleep(5000)]);
    await this.worker.terminate();
  }
}
