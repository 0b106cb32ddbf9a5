/**
 * Bench section 5: the Slack path on live data. `sgwhy serve` (its own process, worker thread)
 * answers from moto_server through a local proxy that holds every AWS request for a fixed time
 * (the distance to AWS), and this process plays Slack. Measured from the signed request to the
 * verdict in chat.update: cold (every question collects: cache TTL 0) and from cached data (the
 * same endpoints asked again within the TTL: ten people asking about one outage).
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMoto, motoEnv, useMotoEnv } from './moto.js';
import { builderFor, DEFAULT_ACCOUNT, twoTier } from './moto-topology.js';
import { postSigned, slashCommandBody, startFakeSlackApi } from './slack-harness.js';
import { startServe } from './serve-process.js';
import { round, summarize } from './stats.js';

export interface SlackLiveResult {
  latencyMs: number;
  questions: number;
  coldVerdictMs: { p50: number; p99: number };
  cachedVerdictMs: { p50: number; p99: number };
}

/** A forward proxy to `target` that waits `ms` before passing each request on. Loopback only. */
async function latencyProxy(target: string, ms: number): Promise<Server> {
  const t = new URL(target);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => setTimeout(() => {
      const up = request({ host: t.hostname, port: t.port, method: req.method, path: req.url, headers: { ...req.headers, host: t.host } }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      up.on('error', () => res.writeHead(502).end());
      up.end(Buffer.concat(chunks));
    }, ms));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return server;
}

export async function benchSlackLive(latencyMs: number, questions = 10): Promise<SlackLiveResult> {
  const moto = await startMoto();
  const saved = { ...process.env };
  const dir = mkdtempSync(join(tmpdir(), 'sgwhy-bench-live-'));
  const api = await startFakeSlackApi();
  let proxy: Server | undefined;
  const procs: ChildProcess[] = [];
  try {
    useMotoEnv(moto.endpoint);
    await twoTier(await builderFor(), '10.0.0.0/16', { instances: true });
    proxy = await latencyProxy(moto.endpoint, latencyMs);
    const config = join(dir, 'sgwhy.yaml');
    writeFileSync(config, `version: 1\naccounts:\n  - id: "${DEFAULT_ACCOUNT}"\n    name: bench\n    regions: [us-east-1]\n    slackChannels: ["*"]\n`);
    const secret = `bench${randomBytes(12).toString('hex')}`;
    const base: NodeJS.ProcessEnv = {
      ...motoEnv(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}`), SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: secret,
      SLACK_API_URL: api.url, SGWHY_CONFIG: config, SGWHY_LOG_LEVEL: 'error', SGWHY_WORKER: '1',
    };
    delete base.REDIS_URL;
    delete base.SGWHY_SNAPSHOT;
    const run = async (ttl: string, tag: string): Promise<number[]> => {
      const bot = await startServe([], { ...base, SGWHY_CACHE_TTL_SECONDS: ttl });
      procs.push(bot.proc);
      const url = `http://127.0.0.1:${bot.port}/slack/events`;
      const times: number[] = [];
      for (let i = -1; i < questions; i++) {
        const channel = `C${tag}${i + 1}`;
        const verdict = api.waitFor((c) => c.method === 'chat.update' && c.body.channel === channel && c.ok, 30_000);
        const s = performance.now();
        await postSigned(url, secret, slashCommandBody(`why can't 10.0.2.100 reach 10.0.1.50:${i % 2 ? 443 : 5432}`, channel, 'U1'), 'application/x-www-form-urlencoded');
        const v = await verdict;
        if (i >= 0) times.push(v.at - s); // the first question warms the process up (and fills the cache)
      }
      bot.proc.kill('SIGTERM');
      return times;
    };
    const cold = summarize(await run('0', 'COLD'));
    const cached = summarize(await run('60', 'WARM'));
    return {
      latencyMs, questions,
      coldVerdictMs: { p50: round(cold.p50, 0), p99: round(cold.p99, 0) },
      cachedVerdictMs: { p50: round(cached.p50, 0), p99: round(cached.p99, 0) },
    };
  } finally {
    for (const p of procs) if (p.exitCode === null) p.kill('SIGKILL');
    proxy?.close();
    await api.stop();
    process.env = saved;
    await moto.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
