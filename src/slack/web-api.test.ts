import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { slackErrorCode } from '../bot/poster.js';
import { SlackApiError, SlackHttpError, SlackWebApi } from './web-api.js';

interface Seen { url: string; headers: IncomingMessage['headers']; body: string }
type Handler = (seen: Seen, n: number, res: ServerResponse) => void;

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => {
    s.closeAllConnections();
    s.close(() => r());
  })));
});

async function serve(handler: Handler): Promise<{ base: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const s = { url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      seen.push(s);
      handler(s, seen.length, res);
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`, seen };
}

const reply = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
};

describe('SlackWebApi (the Web API calls on the answering path)', () => {
  it('POSTs JSON with the bot token as a Bearer header to base + method, and returns Slack\'s answer', async () => {
    const { base, seen } = await serve((_s, _n, res) => reply(res, 200, { ok: true, ts: '1.2' }));
    const api = new SlackWebApi('xoxb-secret', { baseUrl: base });
    const r = await api.call('chat.postMessage', { channel: 'C1', text: 'hi', blocks: [{ type: 'section' }] });
    expect(r.ts).toBe('1.2');
    expect(seen[0]!.url).toBe('/api/chat.postMessage');
    expect(seen[0]!.headers.authorization).toBe('Bearer xoxb-secret');
    expect(seen[0]!.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(seen[0]!.body)).toEqual({ channel: 'C1', text: 'hi', blocks: [{ type: 'section' }] });
    api.close();
  });

  it('ok:false is a SlackApiError carrying Slack\'s code where slackErrorCode reads it; the token is in no message', async () => {
    const { base } = await serve((_s, _n, res) => reply(res, 200, { ok: false, error: 'not_in_channel' }));
    const api = new SlackWebApi('xoxb-secret', { baseUrl: base });
    const e = await api.call('chat.postMessage', { channel: 'C1', text: 'x' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SlackApiError);
    expect(slackErrorCode(e)).toBe('not_in_channel');
    expect(String((e as Error).message)).not.toContain('xoxb');
    api.close();
  });

  it('429: waits Retry-After seconds and tries again; nothing is dropped', async () => {
    const { base, seen } = await serve((_s, n, res) => (n <= 2 ? reply(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': '3' }) : reply(res, 200, { ok: true, ts: '9.9' })));
    const waits: number[] = [];
    const api = new SlackWebApi('t', { baseUrl: base, sleep: async (ms) => { waits.push(ms); } });
    expect((await api.call('chat.update', { channel: 'C', ts: '1' })).ts).toBe('9.9');
    expect(waits).toEqual([3000, 3000]);
    expect(seen).toHaveLength(3);
    api.close();
  });

  it('429 without a usable Retry-After, or one longer than allowed, or too many times: an error, not a hang', async () => {
    const none = await serve((_s, _n, res) => reply(res, 429, { ok: false }));
    const api1 = new SlackWebApi('t', { baseUrl: none.base, sleep: async () => {} });
    await expect(api1.call('chat.update', {})).rejects.toBeInstanceOf(SlackHttpError);
    const long = await serve((_s, _n, res) => reply(res, 429, { ok: false }, { 'retry-after': '3600' }));
    const api2 = new SlackWebApi('t', { baseUrl: long.base, sleep: async () => {} });
    await expect(api2.call('chat.update', {})).rejects.toThrow(/Retry-After/);
    const always = await serve((_s, _n, res) => reply(res, 429, { ok: false }, { 'retry-after': '1' }));
    const api3 = new SlackWebApi('t', { baseUrl: always.base, sleep: async () => {}, rateLimitRetries: 2 });
    await expect(api3.call('chat.update', {})).rejects.toThrow(/still rate limited/);
    expect(always.seen).toHaveLength(3);
    for (const a of [api1, api2, api3]) a.close();
  });

  it('a 5xx is tried again (bounded); an answer that is not JSON, or a redirect, is an error', async () => {
    const flaky = await serve((_s, n, res) => (n === 1 ? reply(res, 503, 'busy') : reply(res, 200, { ok: true })));
    const api = new SlackWebApi('t', { baseUrl: flaky.base, sleep: async () => {} });
    expect((await api.call('chat.update', {})).ok).toBe(true);
    expect(flaky.seen).toHaveLength(2);
    const html = await serve((_s, _n, res) => reply(res, 200, '<html>'));
    const api2 = new SlackWebApi('t', { baseUrl: html.base });
    await expect(api2.call('chat.update', {})).rejects.toThrow(/not JSON/);
    const moved = await serve((_s, _n, res) => reply(res, 302, '', { location: 'http://127.0.0.1:1/' }));
    const api3 = new SlackWebApi('t', { baseUrl: moved.base, sleep: async () => {} });
    await expect(api3.call('chat.update', {})).rejects.toThrow(/HTTP 302/);
    expect(moved.seen).toHaveLength(1);
    for (const a of [api, api2, api3]) a.close();
  });

  it('a refused connection is tried again, bounded; a timeout is not (the message may have been posted)', async () => {
    const waits: number[] = [];
    const dead = new SlackWebApi('t', { baseUrl: 'http://127.0.0.1:9/api/', sleep: async (ms) => { waits.push(ms); }, failureRetries: 2 });
    await expect(dead.call('chat.postMessage', {})).rejects.toThrow(/ECONNREFUSED/);
    expect(waits).toHaveLength(2);
    const slow = await serve(() => { /* never answers */ });
    const api = new SlackWebApi('t', { baseUrl: slow.base, timeoutMs: 100, sleep: async () => {} });
    await expect(api.call('chat.postMessage', {})).rejects.toThrow(/no answer within 100 ms/);
    expect(slow.seen).toHaveLength(1);
    dead.close();
    api.close();
  });

  it('refuses method names that are not Slack\'s shape (no path tricks) and bases that are not http(s)', async () => {
    const api = new SlackWebApi('t', { baseUrl: 'http://127.0.0.1:9/api/' });
    await expect(api.call('../admin', {})).rejects.toThrow(/not a Web API method/);
    expect(() => new SlackWebApi('t', { baseUrl: 'file:///etc/' })).toThrow(/http/);
    api.close();
  });

  it('postJson sends no token (a response_url is not the Web API)', async () => {
    const { base, seen } = await serve((_s, _n, res) => reply(res, 200, 'ok'));
    const api = new SlackWebApi('xoxb-secret', { baseUrl: base });
    await api.postJson(new URL(`${base}../respond/1`), { text: 'x' });
    expect(seen[0]!.headers.authorization).toBeUndefined();
    expect(JSON.parse(seen[0]!.body)).toEqual({ text: 'x' });
    api.close();
  });
});
