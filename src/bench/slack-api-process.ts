/**
 * The Web API stand-in in a process of its own, for the Slack-path benchmark: Slack's Web API is
 * not in the process that sends Slack's requests, so the load generator's event loop should not
 * be the one answering chat.postMessage. Prints its URL, then one JSON line per successful
 * chat.postMessage / chat.update: {"m", "ch", "t"} with t in epoch milliseconds (same clock as the
 * load generator: performance.timeOrigin + performance.now()).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startFakeSlackApi } from './slack-harness.js';

export interface ApiEvent { m: string; ch: string; t: number }

export interface RemoteSlackApi {
  url: string;
  pid: number | undefined;
  /** Resolves with the first event matching, past or future. */
  waitFor(method: string, channel: string, timeoutMs?: number): Promise<ApiEvent>;
  stop(): Promise<void>;
}

export const epochNow = () => performance.timeOrigin + performance.now();

async function serve(): Promise<void> {
  const api = await startFakeSlackApi();
  process.stdout.write(`${JSON.stringify({ url: api.url })}\n`);
  let seen = 0;
  const flush = () => {
    const out: string[] = [];
    for (; seen < api.calls.length; seen++) {
      const c = api.calls[seen]!;
      if ((c.method === 'chat.postMessage' || c.method === 'chat.update') && c.ok) {
        out.push(JSON.stringify({ m: c.method, ch: String(c.body.channel), t: performance.timeOrigin + c.at }));
      }
    }
    if (out.length) process.stdout.write(`${out.join('\n')}\n`);
  };
  const timer = setInterval(flush, 2);
  process.once('SIGTERM', () => {
    clearInterval(timer);
    void api.stop().then(() => process.exit(0));
  });
}

export async function startRemoteSlackApi(): Promise<RemoteSlackApi> {
  const proc: ChildProcess = spawn(process.execPath, [fileURLToPath(import.meta.url), '--serve'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const events = new Map<string, ApiEvent>();
  const waiters = new Map<string, Array<(e: ApiEvent) => void>>();
  const lines = createInterface({ input: proc.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    lines.once('line', (l) => resolve((JSON.parse(l) as { url: string }).url));
    proc.once('exit', (code) => reject(new Error(`the Web API stand-in exited with ${code}`)));
  });
  lines.on('line', (l) => {
    const e = JSON.parse(l) as ApiEvent;
    const key = `${e.m} ${e.ch}`;
    if (events.has(key)) return;
    events.set(key, e);
    for (const w of waiters.get(key) ?? []) w(e);
    waiters.delete(key);
  });
  return {
    url,
    pid: proc.pid,
    waitFor(method, channel, timeoutMs = 30_000) {
      const key = `${method} ${channel}`;
      const hit = events.get(key);
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${key} within ${timeoutMs} ms`)), timeoutMs);
        waiters.set(key, [...(waiters.get(key) ?? []), (e) => {
          clearTimeout(timer);
          resolve(e);
        }]);
      });
    },
    stop: () => new Promise<void>((resolve) => {
      if (proc.exitCode !== null) return resolve();
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
    }),
  };
}

if (process.argv[2] === '--serve' && process.argv[1] === fileURLToPath(import.meta.url)) await serve();
