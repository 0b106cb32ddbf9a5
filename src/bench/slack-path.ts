/**
 * Bench section 4: the Slack path, as deployed. Two replicas of `sgwhy serve` (each its own
 * process, answering in its worker thread) share one Redis and answer from a generated snapshot;
 * this process sends Slack's requests (signed /sgwhy, C at a time spread over both replicas) and
 * the Web API stand-in runs in a process of its own (src/bench/slack-api-process.ts). Measured per request: the HTTP 200 ack, the "Investigating…" message
 * after the ack, and the verdict (chat.update) from the request's start.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { generate, SIZES } from './generate.js';
import { epochNow, startRemoteSlackApi } from './slack-api-process.js';
import { postSigned, slashCommandBody } from './slack-harness.js';
import { startServe, writeSnapshotFolder } from './serve-process.js';
import { round, summarize } from './stats.js';

export interface SlackPathResult {
  requests: number;
  concurrency: number;
  replicas: number;
  snapshot: string;
  ackMs: { p50: number; p99: number; max: number };
  investigatingAfterAckMs: { p50: number; p99: number; max: number };
  verdictMs: { p50: number; p99: number; max: number };
  non200: number;
}

export async function benchSlackPath(requests: number, concurrency: number, size = 'large', replicas = 2): Promise<SlackPathResult> {
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
  const acks: number[] = [];
  const inv: number[] = [];
  const verdicts: number[] = [];
  let non200 = 0;
  try {
    const reps = await Promise.all(Array.from({ length: replicas }, () => startServe(['--snapshot', dir], env)));
    procs.push(...reps.map((r) => r.proc));
    const urls = reps.map((r) => `http://127.0.0.1:${r.port}/slack/events`);
    const one = async (i: number) => {
      const channel = `CBENCH${i}`;
      const a = addr[Math.abs(i * 7919) % addr.length]!;
      const b = addr[Math.abs(i * 104729 + 13) % addr.length]!;
      const start = epochNow();
      const investigating = api.waitFor('chat.postMessage', channel);
      const verdict = api.waitFor('chat.update', channel);
      const r = await postSigned(urls[Math.abs(i) % urls.length]!, secret, slashCommandBody(`why can't ${a} reach ${b}:443`, channel, 'U1', { triggerId: `t${i}` }), 'application/x-www-form-urlencoded');
      if (r.status !== 200) non200++;
      const [p, v] = await Promise.all([investigating, verdict]);
      return { ack: r.ms, inv: p.t - (start + r.ms), verdict: v.t - start };
    };
    for (let i = 0; i < 50; i++) await one(-1 - i); // warm-up, not measured
    let next = 0;
    const worker = async () => {
      while (next < requests) {
        const t = await one(next++);
        acks.push(t.ack);
        inv.push(t.inv);
        verdicts.push(t.verdict);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
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
  const s = (xs: number[]) => {
    const x = summarize(xs);
    return { p50: round(x.p50, 1), p99: round(x.p99, 1), max: round(x.max, 1) };
  };
  return { requests, concurrency, replicas, snapshot: size, non200, ackMs: s(acks), investigatingAfterAckMs: s(inv), verdictMs: s(verdicts) };
}
