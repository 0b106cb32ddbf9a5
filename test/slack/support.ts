/** Shared by the bot's end-to-end tests: settings, a Redis key prefix of their own, a private redis-server. */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { BotSettings } from '../../src/slack/settings.js';

export const SECRET = 'testsigningsecret0123456789abcdef';
export const BOT = 'xoxb-test-bot-token';
export const INCIDENT = join(import.meta.dirname, '..', '..', 'examples', 'incident');
export const REDIS_URL = 'redis://127.0.0.1:6379';

export const testPrefix = () => `sgwhy-test-${randomBytes(4).toString('hex')}:`;

export function settings(over: Partial<BotSettings>): BotSettings {
  return {
    mode: 'http', botToken: BOT, signingSecret: SECRET, port: 0, redisPrefix: testPrefix(), snapshotDir: INCIDENT,
    cacheTtlMs: 60_000, threadTtlMs: 86_400_000, shutdownGraceMs: 5000, logLevel: 'warn', worker: false, ...over,
  };
}

/** Deletes this test's keys (and only them). */
export async function dropPrefix(url: string, prefix: string): Promise<void> {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await r.connect();
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length) await r.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } catch {
    /* Redis gone: nothing to clean */
  } finally {
    r.disconnect();
  }
}

export async function keysWith(url: string, prefix: string): Promise<string[]> {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await r.connect();
  try {
    return await r.keys(`${prefix}*`);
  } finally {
    r.disconnect();
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

/** A redis-server of the test's own (so stopping it touches nobody else). */
export interface PrivateRedis {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function privateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let proc: ChildProcess | undefined;
  const url = `redis://127.0.0.1:${port}`;
  const start = async () => {
    proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const deadline = Date.now() + 5000;
    for (;;) {
      const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      r.on('error', () => {});
      try {
        await r.connect();
        await r.ping();
        r.disconnect();
        return;
      } catch {
        r.disconnect();
        if (Date.now() > deadline) throw new Error('redis-server did not start');
        await new Promise((res) => setTimeout(res, 50));
      }
    }
  };
  await start();
  return {
    url,
    start,
    async stop() {
      const p = proc;
      if (!p || p.exitCode !== null) return;
      await new Promise<void>((res) => {
        p.once('exit', () => res());
        p.kill('SIGKILL');
      });
    },
  };
}

/** Stops what a test file started, in order, and deletes its Redis keys and temporary folder. */
export async function teardown(t: { bots?: Array<{ stop(): Promise<void> }>; api?: { stop(): Promise<void> }; moto?: { stop(): Promise<void> }; prefix?: string; dir?: string }): Promise<void> {
  for (const b of t.bots ?? []) await b.stop();
  await t.api?.stop();
  await t.moto?.stop();
  if (t.prefix) await dropPrefix(REDIS_URL, t.prefix);
  if (t.dir) rmSync(t.dir, { recursive: true, force: true });
}
