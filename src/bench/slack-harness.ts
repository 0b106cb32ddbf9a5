/**
 * A local stand-in for the Slack Web API (records chat.postMessage calls) and signed request
 * helpers, for the Slack app's tests and the benchmark. Only loopback traffic.
 */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  method: string;
  body: Record<string, unknown>;
  at: number;
}

export interface FakeSlackApi {
  url: string;
  calls: RecordedCall[];
  waitFor(pred: (c: RecordedCall) => boolean, timeoutMs?: number): Promise<RecordedCall>;
  stop(): Promise<void>;
}

export async function startFakeSlackApi(): Promise<FakeSlackApi> {
  const calls: RecordedCall[] = [];
  const waiters: Array<{ pred: (c: RecordedCall) => boolean; resolve: (c: RecordedCall) => void }> = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const method = (req.url ?? '').replace(/^\/+(api\/)?/, '').split('?')[0] ?? '';
      let body: Record<string, unknown> = {};
      try {
        body = req.headers['content-type']?.includes('json') ? JSON.parse(raw) : Object.fromEntries(new URLSearchParams(raw));
        for (const k of ['blocks']) if (typeof body[k] === 'string') body[k] = JSON.parse(body[k] as string);
      } catch {
        /* keep raw */
      }
      const call = { method, body, at: performance.now() };
      calls.push(call);
      for (let i = waiters.length - 1; i >= 0; i--) {
        if (waiters[i]!.pred(call)) {
          waiters[i]!.resolve(call);
          waiters.splice(i, 1);
        }
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ ok: true, channel: body.channel, ts: `${Date.now() / 1000}`, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1' }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/`,
    calls,
    waitFor: (pred, timeoutMs = 10_000) => {
      const hit = calls.find(pred);
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve, reject) => {
        const w = { pred, resolve };
        waiters.push(w);
        setTimeout(() => reject(new Error('no matching Slack API call')), timeoutMs).unref();
      });
    },
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Headers Slack sends: v0 HMAC-SHA256 of "v0:<timestamp>:<body>" with the signing secret. */
export function slackSignature(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  const sig = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': sig };
}

export function slashCommandBody(text: string, channel: string, user = 'U123'): string {
  return new URLSearchParams({
    token: 'legacy', team_id: 'T1', team_domain: 'acme', channel_id: channel, channel_name: 'incident', user_id: user, user_name: 'alice',
    command: '/sgwhy', text, api_app_id: 'A1', response_url: 'http://127.0.0.1:9/unused', trigger_id: 't1',
  }).toString();
}

export async function postSigned(url: string, secret: string, body: string, contentType: string, sign = true): Promise<{ status: number; ms: number }> {
  const s = performance.now();
  const r = await fetch(url, { method: 'POST', body, headers: { 'content-type': contentType, ...(sign ? slackSignature(secret, body) : {}) } });
  await r.text();
  return { status: r.status, ms: performance.now() - s };
}
