/**
 * Bench section 4: the Slack path, as deployed. Two replicas of `sgwhy serve` (each its own
 * process, answering in its worker thread) share one Redis and answer from a generated snapshot;
 * this process sends Slack's requests (signed /sgwhy, spread over both replicas) and the Web API
 * stand-in runs in a process of its own (src/bench/slack-api-process.ts). Measured per request:
 * the HTTP 200 ack, the "Investigating…" message after the ack, and the verdict (chat.update)
 * from the request's start. Two shapes of load, after a warm-up:
 * - sustained: C requests always in flight (each slot sends its next when its verdict is
 *   posted), which keeps the machine saturated: the latency is mostly waiting for a core;
 * - bursts: C requests sent at once (an incident channel all asking), the next burst once every
 *   verdict of the last is posted and a pause has passed.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { generate, SIZES } from './generate.js';
import { epochNow, startRemoteSlackApi } from './slack-api-process.js';
import { postSigned, slashCommandBody } from './slack-harness.js';
import { startServe, writeSnapshotFolder } from './serve-process.js';
import { round, summarize } from './stats.js';

type Summary = { p50: number; p99: number; max: number };

export interface Measured {
  requests: number;
  ackMs: Summary;
  investigatingAfterAckMs: Summary;
  verdictMs: Summary;
  non200: number;
  /** The measured phase's length. */
  wallMs: number;
  /** CPU time per measured request, by process (Linux /proc; absent elsewhere). */
  cpuMsPerRequest?: { replicas: number; loadGenerator: number; webApiStandIn: number };
}

export interface SlackPathResult {
  concurrency: number;
  replicas: number;
  snapshot: string;
  /** Requests sent before measuring (V8 compiles the hot path during the first thousands). */
  warmup: number;
  sustained: Measured;
  bursts: Measured & { bursts: number; pauseMs: number };
}

export interface SlackPathOptions {
  /** Requests measured in each shape. */
  requests: number;
  concurrency: number;
  size?: string;
  replicas?: number;
  warmup?: number;
  burstPauseMs?: number;
}

/** Cumulative user + system CPU of a process in ms (Linux), or undefined. */
function procCpuMs(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return undefined;
  }
}

/** Runs `n` requests, `concurrency` in flight: each in-flight slot sends its next request when its last is done. */
async function runLoad<T>(n: number, concurrency: number, one: (i: number) => Promise<T>, record: (t: T) => void): Promise<void> {
  let next = 0;
  const slot = async () => {
    while (next < n) record(await one(next++));
  };
  await Promise.all(Array.from({ length: concurrency }, slot));
}

/** Runs `n` requests in bursts of `size` sent at once; the next burst when the last is answered and `pauseMs` has passed. */
async function runBursts<T>(n: number, size: number, pauseMs: number, one: (i: number) => Promise<T>, record: (t: T) => void): Promise<number> {
  let bursts = 0;
  for (let first = 0; first < n; first += size) {
    const ids = Array.from({ length: Math.min(size, n - first) }, (_, k) => first + k);
    for (const t of await Promise.all(ids.map(one))) record(t);
    bursts++;
    await new Promise((r) => setTimeout(r, pauseMs));
  }
  return bursts;
}

const summary = (xs: number[]): Summary => {
  const x = summarize(xs);
  return { p50: round(x.p50, 1), p99: round(x.p99, 1), max: round(x.max, 1) };
};

export async function benchSlackPath(o: SlackPathOptions): Promise<SlackPathResult> {
  const { requests, concurrency, size = 'large', replicas = 2, warmup = 3000, burstPauseMs = 250 } = o;
  const secret = `bench${randomBytes(12).toString('hex')}`;
  const prefix = `sgwhy-bench-${randomBytes(4).toString('hex')}:`;
  const dir = mkdtempSync(join(tmpdir(), 'sgwhy-bench-slack-'));
  const g = generate(SIZES[size]!);
  writeSnapshotFolder(dir, g.docs);
  const addr = g.addresses.map((a) => a[0]);
  const api = await startRemoteSlackApi();
  const env = {
    ...process.env, SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: secret, SLACK_API_URL: api.url,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', SGWHY_REDIS_PREFIX: prefix, SGWHY_LOG_LEVEL: 'error', SGWHY_WORKER: '1',
  };
  const procs: ChildProcess[] = [];
  try {
    const reps = await Promise.all(Array.from({ length: replicas }, () => startServe(['--snapshot', dir], env)));
    procs.push(...reps.map((r) => r.proc));
    const urls = reps.map((r) => `http://127.0.0.1:${r.port}/slack/events`);
    let non200 = 0;
    type Times = { ack: number; inv: number; verdict: number };
    const one = async (i: number): Promise<Times> => {
      const channel = `CBENCH${i}`;
      const a = addr[Math.abs(i * 7919) % addr.length]!;
      const b = addr[Math.abs(i * 104729 + 13) % addr.length]!;
      const investigating = api.waitFor('chat.postMessage', channel);
      const verdict = api.waitFor('chat.update', channel);
      const r = await postSigned(urls[Math.abs(i) % urls.length]!, secret, slashCommandBody(`why can't ${a} reach ${b}:443`, channel, 'U1', { triggerId: `t${i}` }), 'application/x-www-form-urlencoded');
      if (r.status !== 200) non200++;
      const [p, v] = await Promise.all([investigating, verdict]);
      // From the moment the request was written (as Slack would have sent it).
      return { ack: r.ms, inv: p.t - (r.sentAt + r.ms), verdict: v.t - r.sentAt };
    };
    const cpuNow = () => {
      const reps = procs.map((p) => procCpuMs(p.pid));
      const own = process.cpuUsage();
      return { reps: reps.every((x) => x !== undefined) ? reps.reduce((a, b) => a! + b!, 0)! : undefined, api: procCpuMs(api.pid), own: (own.user + own.system) / 1000 };
    };
    /** Measures one shape of load: `drive` sends the requests (ids from `base`) and records each. */
    const measure = async (base: number, drive: (send: (i: number) => Promise<Times>, record: (t: Times) => void) => Promise<unknown>): Promise<Measured> => {
      const acks: number[] = [];
      const inv: number[] = [];
      const verdicts: number[] = [];
      non200 = 0;
      const c0 = cpuNow();
      const t0 = epochNow();
      await drive((i) => one(base + i), (t) => {
        acks.push(t.ack);
        inv.push(t.inv);
        verdicts.push(t.verdict);
      });
      const wallMs = round(epochNow() - t0, 0);
      const c1 = cpuNow();
      const cpu = c0.reps !== undefined && c1.reps !== undefined && c0.api !== undefined && c1.api !== undefined
        ? { replicas: round((c1.reps - c0.reps) / requests, 2), loadGenerator: round((c1.own - c0.own) / requests, 2), webApiStandIn: round((c1.api - c0.api) / requests, 2) }
        : undefined;
      return { requests, ackMs: summary(acks), investigatingAfterAckMs: summary(inv), verdictMs: summary(verdicts), non200, wallMs, ...(cpu ? { cpuMsPerRequest: cpu } : {}) };
    };
    // Warm-up, not measured: the sustained load, long enough for V8 to finish compiling the hot path
    // (after 50 requests it was still compiling a fifth of the time, and the measure showed that).
    await runLoad(warmup, concurrency, (i) => one(-1 - i), () => {});
    const sustained = await measure(0, (f, rec) => runLoad(requests, concurrency, f, rec));
    let bursts = 0;
    const burst = await measure(10_000_000, async (f, rec) => { bursts = await runBursts(requests, concurrency, burstPauseMs, f, rec); });
    return { concurrency, replicas, snapshot: size, warmup, sustained, bursts: { ...burst, bursts, pauseMs: burstPauseMs } };
  } finally {
    await Promise.all(procs.map((p) => new Promise<void>((res) => {
      if (p.exitCode !== null) return res();
      p.once('exit', () => res());
      p.kill('SIGTERM');
    })));
    await api.stop();
    rmSync(dir, { recursive: true, force: true });
    const r = new Redis(env.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await r.connect().then(async () => {
      const keys = await r.keys(`${prefix}*`);
      if (keys.length) await r.del(...keys);
    }).catch(() => {}).finally(() => r.disconnect());
  }
}
