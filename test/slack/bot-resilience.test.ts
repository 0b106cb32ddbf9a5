/**
 * The bot when things go wrong: Redis stops mid-test (answers keep coming, readiness says
 * degraded, it recovers when Redis returns), SIGTERM with answers in flight, bad settings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appMentionEvent, eventBody, newEventId, postToApp, slashCommandBody, startFakeSlackApi, type FakeSlackApi } from '../../src/bench/slack-harness.js';
import { main } from '../../src/cli/main.js';
import { jsonLog } from '../../src/slack/logger.js';
import { startBot, type BotHandle } from '../../src/slack/server.js';
import { readBotSettings } from '../../src/slack/settings.js';
import { BOT, SECRET, privateRedis, settings, type PrivateRedis } from './support.js';

const FORM = 'application/x-www-form-urlencoded';
let api: FakeSlackApi;
beforeAll(async () => {
  api = await startFakeSlackApi({ botToken: BOT });
});
afterAll(async () => {
  await api?.stop();
});

const texts = (b: unknown) => JSON.stringify(b ?? []);

describe('Redis stops mid-test', () => {
  let redis: PrivateRedis;
  let bot: BotHandle;
  const logs: Array<Record<string, unknown>> = [];
  beforeAll(async () => {
    redis = await privateRedis();
    bot = await startBot(settings({ slackApiUrl: api.url, redisUrl: redis.url }), { log: jsonLog({ write: (l) => logs.push(JSON.parse(l)) }) });
  });
  afterAll(async () => {
    await bot?.stop();
    await redis?.stop();
  });

  it('keeps answering without Redis, reports readiness as degraded, and recovers when Redis returns', async () => {
    const url = `http://127.0.0.1:${bot.port}`;
    const ask = async (channel: string) => {
      await postToApp(`${url}/slack/events`, { secret: SECRET, contentType: FORM, body: slashCommandBody('10.0.2.100 -> 10.0.1.50:443', channel, 'U1') });
      return api.waitFor((c) => c.method === 'chat.update' && c.body.channel === channel && c.ok);
    };
    expect(texts((await ask('C-R1')).body.blocks)).toContain('BLOCKED');
    expect(await (await fetch(`${url}/readyz`)).json()).toMatchObject({ status: 'ready', redis: 'redis' });

    await redis.stop();
    expect(texts((await ask('C-R2')).body.blocks)).toContain('BLOCKED');
    const degraded = await fetch(`${url}/readyz`);
    expect(degraded.status).toBe(200);
    expect(await degraded.json()).toMatchObject({ status: 'degraded', redis: 'degraded' });
    expect(logs.some((l) => l.event === 'redis_degraded')).toBe(true);
    // A follow-up still finds its thread (kept in memory while Redis is away).
    const first = api.calls.find((c) => c.method === 'chat.postMessage' && c.body.channel === 'C-R2')!;
    await postToApp(`${url}/slack/events`, { secret: SECRET, contentType: 'application/json', body: eventBody(appMentionEvent({ channel: 'C-R2', user: 'U1', text: '<@UBOT> what about 22', ts: '1700000300.000200', threadTs: first.response.ts as string }), { eventId: newEventId() }) });
    await api.waitFor((c) => c.method === 'chat.update' && c.body.channel === 'C-R2' && texts(c.body.blocks).includes('tcp/22'));

    await redis.start();
    await expect.poll(async () => (await (await fetch(`${url}/readyz`)).json()).redis, { timeout: 8000, interval: 200 }).toBe('redis');
    expect(texts((await ask('C-R3')).body.blocks)).toContain('BLOCKED');
    expect(logs.some((l) => l.event === 'redis_recovered')).toBe(true);
  }, 30_000);
});

describe('SIGTERM', () => {
  it('stops taking work, finishes the answers in flight, then stops', async () => {
    const bot = await startBot(settings({ slackApiUrl: api.url }));
    api.setLatency('chat.update', 400);
    try {
      const url = `http://127.0.0.1:${bot.port}`;
      await postToApp(`${url}/slack/events`, { secret: SECRET, contentType: FORM, body: slashCommandBody('10.0.2.100 -> 10.0.1.50:443', 'C-TERM', 'U1') });
      await api.waitFor((c) => c.method === 'chat.postMessage' && c.body.channel === 'C-TERM');
      const stopping = bot.stop();
      await stopping;
      // The verdict that was in flight was still delivered before the bot stopped.
      expect(api.calls.some((c) => c.method === 'chat.update' && c.body.channel === 'C-TERM' && c.ok)).toBe(true);
      await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    } finally {
      api.setLatency('chat.update', 0);
      await bot.stop();
    }
  });
});

describe('settings', () => {
  it('names every missing or invalid variable in one message, never echoing secrets', () => {
    let err: unknown;
    try {
      readBotSettings({ SLACK_BOT_TOKEN: 'xoxp-user-token-secret', PORT: 'eighty', REDIS_URL: 'localhost:6379', SGWHY_LOG_LEVEL: 'loud' });
    } catch (e) {
      err = e;
    }
    const e = err as { code: string; message: string; hints: string[] };
    expect(e.code).toBe('CONFIG_INVALID');
    const all = [e.message, ...e.hints].join('\n');
    for (const v of ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'PORT', 'REDIS_URL', 'SGWHY_LOG_LEVEL']) expect(all).toContain(v);
    expect(all).not.toContain('xoxp-user-token-secret');
    expect(readBotSettings({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1-A' })).toMatchObject({ mode: 'socket', port: 3000, cacheTtlMs: 60_000 });
  });

  it('sgwhy serve exits 64 with that message', async () => {
    const err: string[] = [];
    const saved = { ...process.env };
    for (const k of ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN']) delete process.env[k];
    try {
      const code = await main(['serve', '--snapshot', 'examples/incident'], { out: () => {}, err: (s) => err.push(s), color: false });
      expect(code).toBe(64);
      expect(err.join('')).toMatch(/SLACK_BOT_TOKEN is missing[\s\S]*SLACK_SIGNING_SECRET is missing/);
    } finally {
      process.env = saved;
    }
  });
});

describe('a refused bot token', () => {
  it('stops start-up with a clear message', async () => {
    const strict = await startFakeSlackApi({ botToken: 'xoxb-the-right-one' });
    try {
      await expect(startBot(settings({ slackApiUrl: strict.url }))).rejects.toThrow(/Slack refused SLACK_BOT_TOKEN \(auth.test: invalid_auth\)/);
    } finally {
      await strict.stop();
    }
  });
});
