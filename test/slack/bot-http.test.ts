/**
 * The bot end to end over real HTTP: correctly signed Slack requests against the real Bolt
 * receiver, the Web API pointed at the local fake Slack (which enforces Block Kit limits), real
 * Redis (this test's own key prefix), two replicas sharing it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appMentionEvent, blockActionsBody, eventBody, imMessageEvent, newEventId, postToApp, slashCommandBody, startFakeSlackApi, type FakeSlackApi,
} from '../../src/bench/slack-harness.js';
import { startBot, type BotHandle } from '../../src/slack/server.js';
import { jsonLog } from '../../src/slack/logger.js';
import { BOT, REDIS_URL, SECRET, dropPrefix, keysWith, settings, testPrefix } from './support.js';

const FORM = 'application/x-www-form-urlencoded';
const JSONT = 'application/json';
const prefix = testPrefix();
let api: FakeSlackApi;
let a: BotHandle;
let b: BotHandle;
const logs: Array<Record<string, unknown>> = [];
const urlOf = (h: BotHandle) => `http://127.0.0.1:${h.port}/slack/events`;
const log = () => jsonLog({ level: 'info', write: (l) => logs.push(JSON.parse(l) as Record<string, unknown>), secrets: [SECRET, BOT] });

beforeAll(async () => {
  api = await startFakeSlackApi({ botToken: BOT });
  const s = settings({ slackApiUrl: api.url, redisUrl: REDIS_URL, redisPrefix: prefix });
  a = await startBot(s, { log: log() });
  b = await startBot(s, { log: log() });
});
afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await api?.stop();
  await dropPrefix(REDIS_URL, prefix);
});

const texts = (blocks: unknown) => JSON.stringify(blocks ?? []);
/** The bot's final answer message in a channel (after "Investigating…" was replaced). */
async function answerIn(channel: string, pred: (text: string) => boolean = () => true, timeout = 10_000) {
  const upd = await api.waitFor((c) => c.method === 'chat.update' && c.body.channel === channel && pred(texts(c.body.blocks)), timeout);
  return upd;
}

describe('slash command', () => {
  it('acks at once, posts "Investigating…", replaces it with the verdict and remembers the thread in Redis', async () => {
    const r = await postToApp(urlOf(a), { secret: SECRET, contentType: FORM, body: slashCommandBody("why can't 10.0.2.100 reach 10.0.1.50:443", 'C-INC', 'U1', { triggerId: 't-1' }) });
    expect(r.status).toBe(200);
    const first = await api.waitFor((c) => c.method === 'chat.postMessage' && c.body.channel === 'C-INC');
    expect(texts(first.body.blocks)).toContain('Investigating 10.0.2.100 → 10.0.1.50 tcp/443');
    expect(first.body.thread_ts).toBeUndefined();
    const upd = await answerIn('C-INC');
    expect(upd.ok).toBe(true);
    expect(upd.body.ts).toBe(first.response.ts);
    const blocks = texts(upd.body.blocks);
    expect(blocks).toContain('BLOCKED');
    expect(blocks).toContain('sgwhy_recheck');
    expect(blocks).toContain('sgwhy_approve:F1');
    const keys = await keysWith(REDIS_URL, prefix);
    expect(keys).toContain(`${prefix}thread:C-INC:${first.response.ts}`);
    const answered = logs.find((l) => l.event === 'answered' && l.channel === 'C-INC');
    expect(answered).toMatchObject({ verdict: 'blocked', user: 'U1', team: 'T1', requestId: expect.stringMatching(/^r[0-9a-f]{10}$/) });
    expect(JSON.stringify(logs)).not.toContain(SECRET);
    expect(JSON.stringify(logs)).not.toContain(BOT);
  });

  it('answers help privately, and a bad question with examples written with the user\'s own addresses', async () => {
    await postToApp(urlOf(a), { secret: SECRET, contentType: FORM, body: slashCommandBody('help', 'C-HELP', 'U2') });
    const help = await api.waitFor((c) => c.method === 'chat.postEphemeral' && c.body.channel === 'C-HELP');
    expect(texts(help.body.blocks)).toContain('/sgwhy why can');
    await postToApp(urlOf(a), { secret: SECRET, contentType: FORM, body: slashCommandBody('why cant 10.0.9.1 reach 10.0.9.2', 'C-BAD', 'U2') });
    const bad = await api.waitFor((c) => c.method === 'chat.postEphemeral' && c.body.channel === 'C-BAD');
    expect(texts(bad.body.blocks)).toContain('Which port');
    expect(texts(bad.body.blocks)).toContain('10.0.9.1');
    expect(texts(bad.body.blocks)).toMatch(/request r[0-9a-f]{10}/);
    expect(api.calls.some((c) => c.method === 'chat.postMessage' && c.body.channel === 'C-BAD')).toBe(false);
  });

  it('refuses forged and stale signatures with 401 and processes nothing', async () => {
    const before = api.calls.length;
    for (const signature of ['forged', 'stale', 'none'] as const) {
      const r = await postToApp(urlOf(a), { secret: SECRET, contentType: FORM, signature, body: slashCommandBody('10.0.2.100 -> 10.0.1.50:443', 'C-FORGED') });
      expect(r.status).toBe(401);
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(api.calls.slice(before).filter((c) => c.body.channel === 'C-FORGED')).toHaveLength(0);
  });

  it('tells the user how to invite the bot when it is not in the channel', async () => {
    api.failNext('chat.postMessage', 'not_in_channel');
    const responseUrl = api.responseUrl({ channel: 'C-NOTIN', user: 'U3' });
    await postToApp(urlOf(a), { secret: SECRET, contentType: FORM, body: slashCommandBody('10.0.2.100 -> 10.0.1.50:443', 'C-NOTIN', 'U3', { responseUrl }) });
    const reply = await api.waitFor((c) => c.method === 'response_url');
    expect(texts(reply.body.blocks)).toContain('/invite @sgwhy');
  });

  it('rides out a 429 from the Web API: retried after Retry-After, nothing lost', async () => {
    api.rateLimitNext('chat.update', 1, 1);
    await postToApp(urlOf(a), { secret: SECRET, contentType: FORM, body: slashCommandBody('10.0.2.100 -> 10.0.1.50:443', 'C-429', 'U4') });
    const limited = await api.waitFor((c) => c.method === 'chat.update' && c.body.channel === 'C-429' && c.status === 429);
    const ok = await api.waitFor((c) => c.method === 'chat.update' && c.body.channel === 'C-429' && c.ok, 15_000);
    expect(ok.at - limited.at).toBeGreaterThanOrEqual(900);
    expect(texts(ok.body.blocks)).toContain('BLOCKED');
  }, 20_000);
});

describe('mentions, retries, threads and two replicas', () => {
  it('answers a mention in its thread once, even when Slack redelivers it to the other replica', async () => {
    const eventId = newEventId();
    const ts = '1700000100.000100';
    const body = eventBody(appMentionEvent({ channel: 'C-MEN', user: 'U5', text: '<@UBOT> why cant 10.0.2.100 reach 10.0.1.50 on 443', ts }), { eventId });
    const r1 = await postToApp(urlOf(a), { secret: SECRET, contentType: JSONT, body });
    const r2 = await postToApp(urlOf(b), { secret: SECRET, contentType: JSONT, body, retry: { num: 1, reason: 'http_timeout' } });
    expect([r1.status, r2.status]).toEqual([200, 200]);
    await answerIn('C-MEN');
    await new Promise((r) => setTimeout(r, 500));
    const posts = api.calls.filter((c) => c.method === 'chat.postMessage' && c.body.channel === 'C-MEN');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body.thread_ts).toBe(ts);
    expect(logs.some((l) => l.event === 'duplicate_delivery')).toBe(true);
  });

  it('takes a follow-up in the thread on the other replica: "what about 22?" keeps the endpoints', async () => {
    const root = '1700000100.000100';
    const body = eventBody(appMentionEvent({ channel: 'C-MEN', user: 'U6', text: '<@UBOT> what about 22?', ts: '1700000100.000900', threadTs: root }), { eventId: newEventId() });
    await postToApp(urlOf(b), { secret: SECRET, contentType: JSONT, body });
    const inv = await api.waitFor((c) => c.method === 'chat.postMessage' && c.body.channel === 'C-MEN' && texts(c.body.blocks).includes('tcp/22'));
    expect(inv.body.thread_ts).toBe(root);
    const upd = await answerIn('C-MEN', (t) => t.includes('10.0.1.50 tcp/22'));
    expect(upd.body.ts).toBe(inv.response.ts);
  });

  it('says what it can do when a thread reply is not understood', async () => {
    const root = '1700000100.000100';
    const body = eventBody(appMentionEvent({ channel: 'C-MEN', user: 'U6', text: '<@UBOT> thanks a lot', ts: '1700000100.001000', threadTs: root }), { eventId: newEventId() });
    await postToApp(urlOf(a), { secret: SECRET, contentType: JSONT, body });
    const reply = await api.waitFor((c) => c.method === 'chat.postMessage' && c.body.channel === 'C-MEN' && texts(c.body.blocks).includes("didn't understand"));
    expect(texts(reply.body.blocks)).toContain('what about 5432?');
  });

  it('answers a direct message in the conversation', async () => {
    const body = eventBody(imMessageEvent({ channel: 'D-DM', user: 'U7', text: 'ssh from 10.0.2.100 to 10.0.1.50', ts: '1700000200.000100' }), { eventId: newEventId() });
    await postToApp(urlOf(a), { secret: SECRET, contentType: JSONT, body });
    const upd = await answerIn('D-DM');
    expect(texts(upd.body.blocks)).toContain('tcp/22');
    const inv = api.calls.find((c) => c.method === 'chat.postMessage' && c.body.channel === 'D-DM');
    expect(inv!.body.thread_ts).toBeUndefined();
  });
});

describe('buttons', () => {
  async function answered(channel: string) {
    await postToApp(urlOf(a), { secret: SECRET, contentType: FORM, body: slashCommandBody('10.0.2.100 -> 10.0.1.50:443', channel, 'U8') });
    const upd = await answerIn(channel);
    return upd.body.ts as string;
  }
  const click = (h: BotHandle, channel: string, ts: string, actionId: string, value?: string, user = 'U9') =>
    postToApp(urlOf(h), { secret: SECRET, contentType: FORM, body: blockActionsBody({ actionId, channel, messageTs: ts, userId: user, ...(value !== undefined ? { value } : {}) }) });

  it('Full trace posts the long form in the thread (from the other replica)', async () => {
    const ts = await answered('C-BTN1');
    expect((await click(b, 'C-BTN1', ts, 'sgwhy_trace', 'trace')).status).toBe(200);
    const trace = await api.waitFor((c) => c.method === 'chat.postMessage' && c.body.channel === 'C-BTN1' && c.body.thread_ts === ts);
    expect(texts(trace.body.blocks)).toContain('Full trace');
  });

  it('Re-check replaces the answer with fresh data; a double click re-checks once', async () => {
    const ts = await answered('C-BTN2');
    await Promise.all([click(a, 'C-BTN2', ts, 'sgwhy_recheck', 'recheck'), click(b, 'C-BTN2', ts, 'sgwhy_recheck', 'recheck')]);
    const note = await api.waitFor((c) => c.method === 'chat.update' && c.body.channel === 'C-BTN2' && texts(c.body.blocks).includes('Re-checked at'));
    expect(texts(note.body.blocks)).toContain('still BLOCKED');
    await new Promise((r) => setTimeout(r, 300));
    const rechecks = api.calls.filter((c) => c.method === 'chat.postMessage' && c.body.channel === 'C-BTN2' && texts(c.body.blocks).includes('Re-checking'));
    expect(rechecks).toHaveLength(1);
    expect(api.ephemerals.some((e) => e.channel === 'C-BTN2' && e.text.includes('Already re-checking'))).toBe(true);
  });

  it('Approve records nothing and says so; a forged fix id is refused; a message it does not know gets a clear answer', async () => {
    const ts = await answered('C-BTN3');
    await click(a, 'C-BTN3', ts, 'sgwhy_approve:F1', 'F1');
    const eph = await api.waitFor((c) => c.method === 'chat.postEphemeral' && c.body.channel === 'C-BTN3');
    expect(texts(eph.body.blocks)).toContain('nothing was recorded or changed');
    expect(texts(eph.body.blocks)).toContain('aws ec2');
    await click(a, 'C-BTN3', ts, 'sgwhy_approve:F1', 'F9; rm -rf /');
    await api.waitFor((c) => c.method === 'chat.postEphemeral' && c.body.channel === 'C-BTN3' && texts(c.body.blocks).includes('does not match a fix'));
    await click(a, 'C-BTN3', '1600000000.000001', 'sgwhy_trace', 'trace');
    await api.waitFor((c) => c.method === 'chat.postEphemeral' && c.body.channel === 'C-BTN3' && texts(c.body.blocks).includes('no longer have this answer'));
  });

  it('Flow logs in snapshot mode explains that they need live accounts', async () => {
    const ts = await answered('C-BTN4');
    await click(a, 'C-BTN4', ts, 'sgwhy_flow_logs', 'flow-logs');
    const eph = await api.waitFor((c) => c.method === 'chat.postEphemeral' && c.body.channel === 'C-BTN4');
    expect(texts(eph.body.blocks)).toContain('live AWS');
  });
});

describe('health', () => {
  it('GET /healthz is alive and /readyz reports Redis and the data source', async () => {
    const h = await fetch(`http://127.0.0.1:${a.port}/healthz`);
    expect(h.status).toBe(200);
    const r = await fetch(`http://127.0.0.1:${a.port}/readyz`);
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ status: 'ready', redis: 'redis', source: 'snapshot incident' });
  });

  it('checked the bot token once per replica at start-up, never on the path that acks', () => {
    expect(api.calls.filter((c) => c.method === 'auth.test')).toHaveLength(2);
    expect(a.identity).toMatchObject({ botUserId: 'UBOT', botId: 'BBOT', teamId: 'T1' });
  });
});
