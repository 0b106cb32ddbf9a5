/**
 * Bench section 4: the Slack path. The app over HTTP on loopback, a local stand-in for the Slack
 * Web API; signed /sgwhy requests, C at a time; time to the HTTP 200 ack and to the first
 * chat.postMessage of each request.
 */
import { spawn } from 'node:child_process';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { PerformanceObserver, constants } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import { buildModel } from '../model/build.js';
import { snapshotAnswerer } from '../slack/answerer.js';
import { createSlackApp } from '../slack/app.js';
import { generate, SIZES } from './generate.js';
import { postSigned, slashCommandBody, startFakeSlackApi } from './slack-harness.js';
import { round, summarize } from './stats.js';

export interface SlackPathResult {
  requests: number;
  concurrency: number;
  snapshot: string;
  ackMs: { p50: number; p99: number; max: number };
  firstMessageMs: { p50: number; p99: number; max: number };
  non200: number;
}

/** Child process: the Slack app alone, answering from a generated snapshot. Prints its port. */
export async function serveSlackApp(size: string, slackApiUrl: string, secret: string): Promise<void> {
  const g = generate(SIZES[size]!);
  const app = createSlackApp({ signingSecret: secret, botToken: 'xoxb-bench', answer: snapshotAnswerer(buildModel(g.docs)), slackApiUrl });
  const server = (await app.start(0)) as Server;
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port, addresses: g.addresses.map((a) => a[0]) })}\n`);
  // GC pauses while serving, reported on exit (they explain the latency tail).
  const pauses: Array<{ kind: number; ms: number }> = [];
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) pauses.push({ kind: (e as unknown as { detail?: { kind?: number } }).detail?.kind ?? 0, ms: e.duration });
  });
  obs.observe({ entryTypes: ['gc'] });
  process.on('SIGTERM', () => void app.stop().then(() => {
    const major = pauses.filter((p) => p.kind === constants.NODE_PERFORMANCE_GC_MAJOR);
    const minor = pauses.filter((p) => p.kind !== constants.NODE_PERFORMANCE_GC_MAJOR);
    const max = (xs: typeof pauses) => Math.round(Math.max(0, ...xs.map((x) => x.ms)));
    process.stderr.write(`slack app GC while serving: ${major.length} major (max ${max(major)} ms), ${minor.length} other (max ${max(minor)} ms)\n`);
    process.exit(0);
  }));
}

export async function benchSlackPath(requests: number, concurrency: number, size = 'large'): Promise<SlackPathResult> {
  const secret = 'bench-signing-secret';
  const api = await startFakeSlackApi();
  // The app runs in its own process, as in production; this process plays Slack (load and Web API).
  const child = spawn(process.execPath, [...(process.env.SGWHY_BENCH_NODE_FLAGS ? process.env.SGWHY_BENCH_NODE_FLAGS.split(' ') : []), ...(process.env.SGWHY_BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.SGWHY_BENCH_PROFILE_DIR}`] : []), fileURLToPath(new URL('./run.js', import.meta.url)), '--slack-server', size, api.url, secret], { stdio: ['ignore', 'pipe', 'inherit'] });
  const acks: number[] = [];
  const firsts: number[] = [];
  let non200 = 0;
  try {
    const ready = await new Promise<{ port: number; addresses: string[] }>((resolve, reject) => {
      let buf = '';
      child.stdout!.on('data', (c: Buffer) => {
        buf += c.toString();
        const nl = buf.indexOf('\n');
        if (nl >= 0) resolve(JSON.parse(buf.slice(0, nl)));
      });
      child.once('exit', (code) => reject(new Error(`Slack app exited with ${code}`)));
    });
    const url = `http://127.0.0.1:${ready.port}/slack/events`;
    const addr = ready.addresses;
    const one = async (i: number) => {
      const channel = `CBENCH${i}`;
      const a = addr[(i * 7919) % addr.length]!;
      const b = addr[(i * 104729 + 13) % addr.length]!;
      const start = performance.now();
      const posted = api.waitFor((c) => c.method === 'chat.postMessage' && c.body.channel === channel, 30_000);
      const r = await postSigned(url, secret, slashCommandBody(`why can't ${a} reach ${b}:443`, channel), 'application/x-www-form-urlencoded');
      if (r.status !== 200) non200++;
      const call = await posted;
      return { ack: r.ms, first: call.at - start };
    };
    for (let i = 0; i < 50; i++) await one(-1 - i); // warm-up, not measured
    let next = 0;
    const worker = async () => {
      while (next < requests) {
        const t = await one(next++);
        acks.push(t.ack);
        firsts.push(t.first);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    child.kill('SIGTERM');
    await api.stop();
  }
  const ack = summarize(acks);
  const first = summarize(firsts);
  return {
    requests, concurrency, snapshot: size, non200,
    ackMs: { p50: round(ack.p50, 1), p99: round(ack.p99, 1), max: round(ack.max, 1) },
    firstMessageMs: { p50: round(first.p50, 1), p99: round(first.p99, 1), max: round(first.max, 1) },
  };
}
