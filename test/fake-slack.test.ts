/**
 * The fake Slack itself: each Block Kit limit rejects exactly past Slack's boundary and accepts at
 * it (through the real @slack/web-api WebClient), messages and threads as Slack keeps them, 429 and
 * retries, uploads, Socket Mode with a real Bolt App, and the signed requests against Bolt's HTTP receiver.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { App, LogLevel, SocketModeReceiver, webApi } from '@slack/bolt';
import { WebSocket } from 'ws';
import {
  appMentionEvent, blockActionsBody, blockActionsPayload, eventBody, eventCallback, FORM, imMessageEvent, JSON_TYPE, postToApp,
  slashCommandBody, slashCommandPayload, SLACK_RATE_LIMITS, startFakeSlackApi, threadReplyEvent, urlVerificationBody, type FakeSlackApi,
} from '../src/bench/slack-harness.js';
import { startFakeSlack, startFakeSocketMode, type FakeSocketMode } from '../src/bench/fake-slack-socket.js';

const BOT = 'xoxb-fake-bot-token';
/** The WebClient logs Slack's [ERROR] messages; the refusals here are the point, so keep them quiet. */
const quiet = { debug() {}, info() {}, warn() {}, error() {}, setLevel() {}, getLevel: () => LogLevel.ERROR, setName() {} };
let api: FakeSlackApi;
let client: InstanceType<typeof webApi.WebClient>;

beforeAll(async () => {
  api = await startFakeSlackApi({ botToken: BOT, usergroups: { S1: ['U1', 'U2'] } });
  client = new webApi.WebClient(BOT, { slackApiUrl: api.url, logger: quiet, retryConfig: { retries: 3, factor: 1, minTimeout: 10, maxTimeout: 20 } });
});
afterAll(async () => api?.stop());

const x = (n: number) => 'x'.repeat(n);
const plain = (text: string) => ({ type: 'plain_text', text });
const button = (i: number, o: Record<string, unknown> = {}) => ({ type: 'button', text: plain('Go'), action_id: `a${i}`, ...o });
const confirm = (o: Record<string, string> = {}) => ({ title: plain(o.title ?? 'Sure?'), text: plain(o.text ?? 'Really?'), confirm: plain(o.confirm ?? 'Yes'), deny: plain(o.deny ?? 'No') });
const actions = (...elements: unknown[]) => [{ type: 'actions', elements }];

/** Slack's error for `blocks`, or 'ok'. */
async function post(blocks: unknown, text?: string): Promise<string> {
  try {
    await client.chat.postMessage({ channel: 'C-LIMITS', blocks: blocks as never, ...(text !== undefined ? { text } : {}) });
    return 'ok';
  } catch (e) {
    const data = (e as { data?: { error: string; response_metadata?: { messages?: string[] } } }).data;
    return [data?.error, ...(data?.response_metadata?.messages ?? [])].join(' ');
  }
}

// [limit, blocks at the limit, blocks one past it, Slack's message for the latter]
const LIMITS: Array<[string, (n: number) => unknown, number, string]> = [
  ['blocks per message', (n) => Array.from({ length: n }, () => ({ type: 'divider' })), 50, 'no more than 50 items allowed [json-pointer:/blocks]'],
  ['section text', (n) => [{ type: 'section', text: { type: 'mrkdwn', text: x(n) } }], 3000, 'must be less than 3001 characters [json-pointer:/blocks/0/text/text]'],
  ['section fields', (n) => [{ type: 'section', fields: Array.from({ length: n }, () => plain('f')) }], 10, 'no more than 10 items allowed [json-pointer:/blocks/0/fields]'],
  ['section field text', (n) => [{ type: 'section', fields: [{ type: 'mrkdwn', text: x(n) }] }], 2000, 'must be less than 2001 characters [json-pointer:/blocks/0/fields/0/text]'],
  ['header text', (n) => [{ type: 'header', text: plain(x(n)) }], 150, 'must be less than 151 characters [json-pointer:/blocks/0/text/text]'],
  ['context elements', (n) => [{ type: 'context', elements: Array.from({ length: n }, () => ({ type: 'mrkdwn', text: 'c' })) }], 10, 'no more than 10 items allowed [json-pointer:/blocks/0/elements]'],
  ['actions elements', (n) => actions(...Array.from({ length: n }, (_, i) => button(i))), 25, 'no more than 25 items allowed [json-pointer:/blocks/0/elements]'],
  ['button text', (n) => actions(button(0, { text: plain(x(n)) })), 75, 'must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]'],
  ['button value', (n) => actions(button(0, { value: x(n) })), 2000, 'must be less than 2001 characters [json-pointer:/blocks/0/elements/0/value]'],
  ['action_id', (n) => actions(button(0, { action_id: x(n) })), 255, 'must be less than 256 characters [json-pointer:/blocks/0/elements/0/action_id]'],
  ['block_id', (n) => [{ type: 'divider', block_id: x(n) }], 255, 'must be less than 256 characters [json-pointer:/blocks/0/block_id]'],
  ['confirm title', (n) => actions(button(0, { confirm: confirm({ title: x(n) }) })), 100, 'must be less than 101 characters [json-pointer:/blocks/0/elements/0/confirm/title/text]'],
  ['confirm text', (n) => actions(button(0, { confirm: confirm({ text: x(n) }) })), 300, 'must be less than 301 characters [json-pointer:/blocks/0/elements/0/confirm/text/text]'],
  ['confirm button', (n) => actions(button(0, { confirm: confirm({ confirm: x(n) }) })), 30, 'must be less than 31 characters [json-pointer:/blocks/0/elements/0/confirm/confirm/text]'],
  ['deny button', (n) => actions(button(0, { confirm: confirm({ deny: x(n) }) })), 30, 'must be less than 31 characters [json-pointer:/blocks/0/elements/0/confirm/deny/text]'],
  ['accessory button text', (n) => [{ type: 'section', text: plain('t'), accessory: button(0, { text: plain(x(n)) }) }], 75, 'must be less than 76 characters [json-pointer:/blocks/0/accessory/text/text]'],
];

describe('fake Slack Web API: Block Kit limits at the boundary', () => {
  for (const [name, make, limit, message] of LIMITS) {
    it(`${name}: ${limit} accepted, ${limit + 1} refused`, async () => {
      expect(await post(make(limit))).toBe('ok');
      expect(await post(make(limit + 1))).toBe(`invalid_blocks [ERROR] ${message}`);
    });
  }

  it('refuses duplicate action_id and block_id within a message, unknown types and missing fields', async () => {
    expect(await post(actions(button(1), button(1)))).toBe('invalid_blocks [ERROR] `action_id` "a1" already exists [json-pointer:/blocks/0/elements/1/action_id]');
    expect(await post([{ type: 'divider', block_id: 'b' }, { type: 'divider', block_id: 'b' }])).toBe('invalid_blocks [ERROR] `block_id` "b" already exists [json-pointer:/blocks/1/block_id]');
    expect(await post([{ type: 'sectionz' }])).toBe('invalid_blocks [ERROR] unsupported type: sectionz [json-pointer:/blocks/0/type]');
    expect(await post([{ type: 'section' }])).toBe('invalid_blocks [ERROR] must define either `text` or `fields` [json-pointer:/blocks/0/type]');
    expect(await post([{ type: 'header' }])).toBe('invalid_blocks [ERROR] missing required field: text [json-pointer:/blocks/0]');
    expect(await post([{ type: 'section', text: { type: 'mrkdwn', text: '' } }])).toBe('invalid_blocks [ERROR] must be more than 0 characters [json-pointer:/blocks/0/text/text]');
    expect(await post([{ type: 'header', text: { type: 'mrkdwn', text: 'h' } }])).toMatch(/^invalid_blocks \[ERROR\] .*\[json-pointer:\/blocks\/0\/text\/type\]$/);
    expect(await post(actions(button(0, { confirm: { title: plain('t') } })))).toMatch(/missing required field: text \[json-pointer:\/blocks\/0\/elements\/0\/confirm\]/);
    // the same action_id in two different messages is fine
    expect(await post(actions(button(7)))).toBe('ok');
    expect(await post(actions(button(7)))).toBe('ok');
  });

  it('text: 40,000 characters accepted, 40,001 msg_too_long; neither text nor blocks no_text; blocks not JSON invalid_blocks_format', async () => {
    expect(await post(undefined, x(40_000))).toBe('ok');
    expect(await post(undefined, x(40_001))).toBe('msg_too_long');
    expect(await post(undefined)).toBe('no_text');
    const r = await fetch(`${api.url}chat.postMessage`, { method: 'POST', headers: { authorization: `Bearer ${BOT}`, 'content-type': FORM }, body: 'channel=C1&blocks=%5Bnot%20json' });
    expect(await r.json()).toEqual({ ok: false, error: 'invalid_blocks_format' });
  });
});

describe('fake Slack Web API: methods', () => {
  it('keeps messages per channel and thread: increasing ts, chat.update replaces, chat.delete removes', async () => {
    const parent = await client.chat.postMessage({ channel: 'C-T', text: 'Investigating…' });
    const reply = await client.chat.postMessage({ channel: 'C-T', thread_ts: parent.ts!, text: 'evidence pending' });
    const other = await client.chat.postMessage({ channel: 'C-OTHER', text: 'elsewhere' });
    expect(Number(reply.ts)).toBeGreaterThan(Number(parent.ts));
    expect(new Set([parent.ts, reply.ts, other.ts]).size).toBe(3);
    await client.chat.update({ channel: 'C-T', ts: parent.ts!, text: 'BLOCKED', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*BLOCKED*' } }] });
    await client.chat.update({ channel: 'C-T', ts: reply.ts!, text: 'flow logs: REJECT' });
    const thread = api.messages('C-T', parent.ts!);
    expect(thread.map((m) => [m.text, m.updates])).toEqual([['BLOCKED', 1], ['flow logs: REJECT', 1]]);
    expect(thread[0]!.blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: '*BLOCKED*' } }]);
    expect(thread[0]!.reply_count).toBe(1);
    expect(api.messages('C-T').map((m) => m.ts)).toEqual([parent.ts]); // replies are not top level
    // blocks omitted keep the old ones, [] removes them
    await client.chat.update({ channel: 'C-T', ts: parent.ts!, text: 'still BLOCKED' });
    expect(api.messages('C-T', parent.ts!)[0]!.blocks).toHaveLength(1);
    await client.chat.update({ channel: 'C-T', ts: parent.ts!, text: 'plain', blocks: [] });
    expect(api.messages('C-T', parent.ts!)[0]!.blocks).toBeUndefined();
    await client.chat.delete({ channel: 'C-T', ts: reply.ts! });
    expect(api.messages('C-T', parent.ts!).map((m) => m.ts)).toEqual([parent.ts]);
  });

  it('chat.update/chat.delete: a ts that is not in that channel is message_not_found; not ours, cant_update_message', async () => {
    const m = await client.chat.postMessage({ channel: 'C-A', text: 'a' });
    await expect(client.chat.update({ channel: 'C-B', ts: m.ts!, text: 'b' })).rejects.toMatchObject({ data: { error: 'message_not_found' } });
    await expect(client.chat.update({ channel: 'C-A', ts: '1.000001', text: 'b' })).rejects.toMatchObject({ data: { error: 'message_not_found' } });
    await expect(client.chat.delete({ channel: 'C-B', ts: m.ts! })).rejects.toMatchObject({ data: { error: 'message_not_found' } });
    const user = api.seedMessage('C-A', { text: '@sgwhy why…', user: 'U123', ts: '1700000000.000100' });
    await expect(client.chat.update({ channel: 'C-A', ts: user.ts, text: 'x' })).rejects.toMatchObject({ data: { error: 'cant_update_message' } });
    await expect(client.chat.update({ channel: 'C-A', ts: m.ts!, blocks: [{ type: 'nope' }] as never, text: 't' })).rejects.toMatchObject({ data: { error: 'invalid_blocks' } });
    expect(api.messages('C-A').map((x) => x.text)).toEqual(['@sgwhy why…', 'a']);
  });

  it('auth: the bot token from the header or the body; wrong token invalid_auth, none not_authed', async () => {
    const call = async (headers: Record<string, string>, body: string) => (await fetch(`${api.url}auth.test`, { method: 'POST', headers: { 'content-type': FORM, ...headers }, body })).json();
    expect(await call({}, '')).toMatchObject({ ok: false, error: 'not_authed' });
    expect(await call({ authorization: 'Bearer xoxb-wrong' }, '')).toMatchObject({ ok: false, error: 'invalid_auth' });
    expect(await call({}, `token=${BOT}`)).toMatchObject({ ok: true, user_id: 'UBOT', team_id: 'T1', bot_id: 'BBOT' });
    const json = await fetch(`${api.url}chat.postMessage`, { method: 'POST', headers: { 'content-type': JSON_TYPE, authorization: `Bearer ${BOT}` }, body: JSON.stringify({ channel: 'C-JSON', text: 'hi', blocks: [{ type: 'divider' }] }) });
    expect(await json.json()).toMatchObject({ ok: true, channel: 'C-JSON' });
    expect(api.calls.at(-1)).toMatchObject({ method: 'chat.postMessage', token: BOT, ok: true, body: { blocks: [{ type: 'divider' }] } });
  });

  it('429 with Retry-After on demand: the WebClient waits, retries, and the message is posted once', async () => {
    api.rateLimitNext('chat.postMessage', 2, 1);
    const start = performance.now();
    const r = await client.chat.postMessage({ channel: 'C-429', text: 'after the storm' });
    expect(performance.now() - start).toBeGreaterThanOrEqual(1900);
    const tries = api.calls.filter((c) => c.body.channel === 'C-429');
    expect(tries.map((c) => c.status)).toEqual([429, 429, 200]);
    expect(tries[0]!.response).toEqual({ ok: false, error: 'ratelimited' });
    expect(api.messages('C-429').map((m) => m.ts)).toEqual([r.ts]);
    api.failNext('chat.postMessage', 'channel_not_found');
    await expect(client.chat.postMessage({ channel: 'C-429', text: 'x' })).rejects.toMatchObject({ data: { error: 'channel_not_found' } });
    await expect(client.chat.postMessage({ channel: 'C-429', text: 'y' })).resolves.toMatchObject({ ok: true });
  });

  it("enforced rate limits: chat.postMessage one per second per channel, then Retry-After; other channels unaffected", async () => {
    const limited = await startFakeSlackApi({ rateLimits: { 'chat.postMessage': SLACK_RATE_LIMITS['chat.postMessage']! } });
    const raw = (channel: string) => fetch(`${limited.url}chat.postMessage`, { method: 'POST', headers: { 'content-type': FORM }, body: `channel=${channel}&text=hi` });
    try {
      expect((await raw('C1')).status).toBe(200);
      const second = await raw('C1');
      expect([second.status, second.headers.get('retry-after'), await second.json()]).toEqual([429, '1', { ok: false, error: 'ratelimited' }]);
      expect((await raw('C2')).status).toBe(200);
      await new Promise((r) => setTimeout(r, 1050));
      expect((await raw('C1')).status).toBe(200);
      expect(limited.messages('C1')).toHaveLength(2);
      limited.setRateLimits({});
      expect((await raw('C1')).status).toBe(200);
    } finally {
      await limited.stop();
    }
  });

  it('files.uploadV2: upload URL, bytes, completion shared in the thread', async () => {
    const parent = await client.chat.postMessage({ channel: 'C-F', text: 'answer' });
    const content = `full trace\n${'hop → hop\n'.repeat(500)}`;
    const r = await client.filesUploadV2({ channel_id: 'C-F', thread_ts: parent.ts!, content, filename: 'trace.txt', title: 'Full trace', initial_comment: 'The full trace' });
    expect(r.ok).toBe(true);
    const [file] = [...api.files.values()].filter((f) => f.title === 'Full trace');
    expect(file!.content!.toString('utf8')).toBe(content);
    expect(file!.length).toBe(Buffer.byteLength(content));
    const reply = api.messages('C-F', parent.ts!)[1]!;
    expect(reply).toMatchObject({ text: 'The full trace', files: [{ id: file!.id, title: 'Full trace', name: 'trace.txt' }] });
    await expect(client.files.completeUploadExternal({ files: [{ id: 'F404' }] })).rejects.toMatchObject({ data: { error: 'file_not_found' } });
    await expect(client.files.getUploadURLExternal({ filename: 'empty.txt', length: 0 })).rejects.toMatchObject({ data: { error: 'missing_argument' } });
  });

  it('response_url: ephemeral by default, in_channel in the thread, replace/delete the clicked message, 5 uses', async () => {
    const respond = async (u: string, body: unknown) => {
      const r = await fetch(u, { method: 'POST', headers: { 'content-type': JSON_TYPE }, body: JSON.stringify(body) });
      return [r.status, ((await r.json()) as { error?: string }).error ?? 'ok'];
    };
    const u = api.responseUrl({ channel: 'C-R', user: 'U5' });
    expect(await respond(u, { text: 'only you' })).toEqual([200, 'ok']);
    expect(api.ephemerals.at(-1)).toMatchObject({ channel: 'C-R', user: 'U5', text: 'only you' });
    expect(await respond(u, { text: 'everyone', response_type: 'in_channel' })).toEqual([200, 'ok']);
    expect(api.messages('C-R').map((m) => m.text)).toEqual(['everyone']);
    expect(await respond(u, { blocks: [{ type: 'header', text: plain(x(151)) }] })).toEqual([400, 'invalid_blocks']);
    expect(await respond(u, {})).toEqual([400, 'no_text']);
    for (const n of ['third', 'fourth', 'fifth']) expect(await respond(u, { text: n })).toEqual([200, 'ok']);
    expect(await respond(u, { text: 'sixth' })).toEqual([404, 'used_url']);
    const clicked = await client.chat.postMessage({ channel: 'C-R', text: 'Approve?' });
    const v = api.responseUrl({ channel: 'C-R', user: 'U5', messageTs: clicked.ts! });
    expect(await respond(v, { replace_original: true, text: 'Approved by <@U5>' })).toEqual([200, 'ok']);
    expect(api.messages('C-R').at(-1)).toMatchObject({ ts: clicked.ts, text: 'Approved by <@U5>', updates: 1 });
    expect(await respond(v, { delete_original: true })).toEqual([200, 'ok']);
    expect(api.messages('C-R').map((m) => m.text)).toEqual(['everyone']);
    expect(api.calls.filter((c) => c.method === 'response_url').map((c) => c.status)).toEqual([200, 200, 400, 400, 200, 200, 200, 404, 200, 200]);
  });

  it('a channel the bot is not in refuses with not_in_channel; an archived one with is_archived', async () => {
    const strict = await startFakeSlackApi({ channels: { COUT: { name: 'ops', is_member: false }, COLD: { is_archived: true }, CIN: {} } });
    const c = new webApi.WebClient('xoxb-any', { slackApiUrl: strict.url, logger: quiet, retryConfig: { retries: 0 } });
    try {
      await expect(c.chat.postMessage({ channel: 'COUT', text: 'x' })).rejects.toMatchObject({ data: { error: 'not_in_channel' } });
      await expect(c.chat.postMessage({ channel: 'COLD', text: 'x' })).rejects.toMatchObject({ data: { error: 'is_archived' } });
      await expect(c.chat.postMessage({ channel: 'CNONE', text: 'x' })).rejects.toMatchObject({ data: { error: 'channel_not_found' } });
      await expect(c.chat.postMessage({ channel: 'CIN', text: 'x' })).resolves.toMatchObject({ ok: true });
      expect((await c.conversations.info({ channel: 'COUT' })).channel).toMatchObject({ name: 'ops', is_member: false });
    } finally {
      await strict.stop();
    }
  });

  it('users.info, conversations.info, usergroups.users.list, chat.postEphemeral, views.open', async () => {
    expect((await client.users.info({ user: 'U123' })).user).toMatchObject({ id: 'U123', team_id: 'T1' });
    await expect(client.users.info({ user: 'nobody' })).rejects.toMatchObject({ data: { error: 'user_not_found' } });
    expect((await client.conversations.info({ channel: 'D123' })).channel).toMatchObject({ id: 'D123', is_im: true });
    expect((await client.usergroups.users.list({ usergroup: 'S1' })).users).toEqual(['U1', 'U2']);
    await expect(client.usergroups.users.list({ usergroup: 'S9' })).rejects.toMatchObject({ data: { error: 'no_such_subteam' } });
    const e = await client.chat.postEphemeral({ channel: 'C-E', user: 'U123', text: 'only you' });
    expect(api.ephemerals.at(-1)).toMatchObject({ channel: 'C-E', user: 'U123', message_ts: e.message_ts, text: 'only you' });
    expect(api.messages('C-E')).toEqual([]);
    const view = { type: 'modal' as const, title: plain(x(24)) as never, blocks: [{ type: 'section', text: plain('s') }] as never };
    expect((await client.views.open({ trigger_id: 't1', view })).view).toMatchObject({ type: 'modal' });
    await expect(client.views.open({ trigger_id: 't1', view: { ...view, title: plain(x(25)) as never } })).rejects.toMatchObject({
      data: { error: 'invalid_arguments', response_metadata: { messages: ['[ERROR] must be less than 25 characters [json-pointer:/view/title/text]'] } },
    });
  });
});

describe('fake Slack Socket Mode with a real Bolt App', () => {
  let socket: FakeSocketMode;
  let sapi: FakeSlackApi;
  const apps: App[] = [];
  beforeAll(async () => {
    socket = await startFakeSocketMode();
    sapi = await startFakeSlackApi({ botToken: BOT, appToken: 'xapp-1-fake', socketUrl: () => socket.connectionUrl() });
  });
  afterEach(async () => {
    for (const a of apps.splice(0)) await a.stop();
  });
  afterAll(async () => {
    await socket?.stop();
    await sapi?.stop();
  });

  const listen = (app: App) => {
    app.command('/sgwhy', async ({ command, ack, client: c }) => {
      await ack();
      await c.chat.postMessage({ channel: command.channel_id, text: `answer to ${command.text}` });
    });
    app.event('app_mention', async ({ event, client: c }) => {
      await c.chat.postMessage({ channel: event.channel, thread_ts: event.ts, text: 'in thread' });
    });
    app.action('recheck', async ({ ack, body, client: c }) => {
      await ack();
      const b = body as { channel?: { id: string }; container: { thread_ts?: string }; actions: Array<{ value?: string }> };
      await c.chat.postMessage({ channel: b.channel!.id, thread_ts: b.container.thread_ts, text: `re-check ${b.actions[0]!.value}` });
    });
    apps.push(app);
    return app;
  };

  it('connects through apps.connections.open, acks a slash command envelope, posts through the Web API fake', async () => {
    const app = listen(new App({ socketMode: true, appToken: 'xapp-1-fake', token: BOT, tokenVerificationEnabled: false, logLevel: LogLevel.ERROR, clientOptions: { slackApiUrl: sapi.url } }));
    await app.start();
    expect(socket.connections()).toBe(1);
    expect(sapi.calls.find((c) => c.method === 'apps.connections.open')).toMatchObject({ ok: true, token: 'xapp-1-fake' });
    const ack = await socket.send('slash_commands', slashCommandPayload('10.0.2.100 -> 10.0.1.50:443', 'C-SOCK'));
    expect(ack.envelope_id).toMatch(/-/);
    expect(ack.ms).toBeLessThan(3000);
    expect((await sapi.waitFor((c) => c.method === 'chat.postMessage' && c.body.channel === 'C-SOCK')).body.text).toBe('answer to 10.0.2.100 -> 10.0.1.50:443');

    await socket.send('events_api', eventCallback(appMentionEvent({ channel: 'C-SOCK2', text: '<@UBOT> why', ts: '1700000001.000200' })), { retryAttempt: 1, retryReason: 'timeout' });
    expect((await sapi.waitFor((c) => c.method === 'chat.postMessage' && c.body.channel === 'C-SOCK2')).body.thread_ts).toBe('1700000001.000200');

    await socket.send('interactive', blockActionsPayload({ actionId: 'recheck', value: 'q-42', channel: 'C-SOCK3', messageTs: '1700000002.000300', threadTs: '1700000002.000100' }));
    expect((await sapi.waitFor((c) => c.method === 'chat.postMessage' && c.body.channel === 'C-SOCK3')).body).toMatchObject({ text: 're-check q-42', thread_ts: '1700000002.000100' });
  });

  it('a disconnect message makes the client reconnect with a fresh URL; a used URL is refused', async () => {
    const receiver = new SocketModeReceiver({ appToken: 'xapp-1-fake', clientPingTimeout: 400, logLevel: LogLevel.ERROR, installerOptions: { clientOptions: { slackApiUrl: sapi.url } } });
    const app = listen(new App({ receiver, token: BOT, tokenVerificationEnabled: false, logLevel: LogLevel.ERROR, clientOptions: { slackApiUrl: sapi.url } }));
    await app.start();
    const before = socket.stats().accepted;
    socket.requestReconnect('refresh_requested');
    await expect.poll(() => socket.stats().accepted, { timeout: 5000 }).toBe(before + 1);
    await socket.waitForConnections(1);
    await socket.send('slash_commands', slashCommandPayload('after reconnect', 'C-RECON'));
    await sapi.waitFor((c) => c.method === 'chat.postMessage' && c.body.channel === 'C-RECON');

    const url = socket.connectionUrl();
    const first = new WebSocket(url);
    await new Promise((r) => first.once('message', r));
    const second = new WebSocket(url);
    await expect(new Promise((_r, reject) => second.once('error', reject))).rejects.toThrow(/401/);
    first.close();
  });

  it('startFakeSlack wires both: two Bolt apps share the envelopes round robin, like two replicas', async () => {
    const both = await startFakeSlack({ appToken: 'xapp-1-both' });
    try {
      const replica = () => listen(new App({ socketMode: true, appToken: 'xapp-1-both', token: BOT, tokenVerificationEnabled: false, logLevel: LogLevel.ERROR, clientOptions: { slackApiUrl: both.api.url } }));
      const [a, b] = [replica(), replica()];
      await a.start();
      await b.start();
      expect(both.socket.connections()).toBe(2);
      for (const ch of ['C-R1', 'C-R2', 'C-R3', 'C-R4']) await both.socket.send('slash_commands', slashCommandPayload('q', ch));
      await expect.poll(() => both.api.calls.filter((c) => c.method === 'chat.postMessage').length).toBe(4);
      await a.stop();
      await b.stop();
      apps.splice(0);
      await expect.poll(() => both.socket.connections()).toBe(0);
    } finally {
      await both.stop();
    }
  });

  it('an envelope nobody acks times out', async () => {
    const raw = new WebSocket(socket.connectionUrl());
    await new Promise((r) => raw.once('message', r));
    await expect(socket.send('events_api', eventCallback(appMentionEvent({ channel: 'C', text: 'x', ts: '1.000001' })), { timeoutMs: 100, connection: 0 })).rejects.toThrow(/no ack/);
    raw.close();
  });
});

describe('signed requests against Bolt HTTP receiver', () => {
  const SECRET = 'fake-signing-secret';
  let app: App;
  let url: string;
  const seen: Array<Record<string, unknown>> = [];
  beforeAll(async () => {
    app = new App({ signingSecret: SECRET, token: BOT, tokenVerificationEnabled: false, logLevel: LogLevel.ERROR, clientOptions: { slackApiUrl: api.url } });
    app.event('app_mention', async ({ event, context }) => void seen.push({ kind: 'mention', ts: event.ts, retryNum: context.retryNum, retryReason: context.retryReason }));
    app.message(async ({ message }) => void seen.push({ kind: 'message', ...(message as unknown as Record<string, unknown>) }));
    app.action('recheck', async ({ ack, body }) => {
      await ack();
      seen.push({ kind: 'action', body });
    });
    app.command('/sgwhy', async ({ ack, respond }) => {
      await ack();
      await respond({ response_type: 'in_channel', text: 'answered through response_url' });
    });
    const server = (await app.start(0)) as Server;
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });
  afterAll(async () => app?.stop());

  it('url_verification answers the challenge; forged, stale and unsigned requests get 401', async () => {
    const v = await postToApp(url, { secret: SECRET, body: urlVerificationBody('abc123'), contentType: JSON_TYPE });
    expect([v.status, JSON.parse(v.text)]).toEqual([200, { challenge: 'abc123' }]);
    const body = slashCommandBody('why', 'C-EVIL');
    for (const signature of ['forged', 'stale', 'none'] as const) expect((await postToApp(url, { secret: SECRET, body, contentType: FORM, signature })).status).toBe(401);
  });

  it("a slash command's respond() lands through the fake's response_url", async () => {
    const responseUrl = api.responseUrl({ channel: 'C-RESP', user: 'U123' });
    expect((await postToApp(url, { secret: SECRET, body: slashCommandBody('why', 'C-RESP', 'U123', { responseUrl }), contentType: FORM })).status).toBe(200);
    await expect.poll(() => api.messages('C-RESP').map((m) => m.text)).toEqual(['answered through response_url']);
  });

  it('events with retry headers, DMs, thread replies and button clicks reach the listeners as Slack shapes them', async () => {
    const mention = eventBody(appMentionEvent({ channel: 'C-H', text: '<@UBOT> why', ts: '1700000003.000100' }), { eventId: 'EvRETRY1' });
    expect((await postToApp(url, { secret: SECRET, body: mention, contentType: JSON_TYPE, retry: { num: 1, reason: 'http_timeout' } })).status).toBe(200);
    await expect.poll(() => seen.find((s) => s.kind === 'mention')).toMatchObject({ ts: '1700000003.000100', retryNum: 1, retryReason: 'http_timeout' });
    await postToApp(url, { secret: SECRET, body: eventBody(imMessageEvent({ channel: 'D-H', text: 'hello', ts: '1700000004.000100' })), contentType: JSON_TYPE });
    await expect.poll(() => seen.find((s) => s.kind === 'message' && s.channel === 'D-H')).toMatchObject({ channel_type: 'im', text: 'hello' });
    await postToApp(url, { secret: SECRET, body: eventBody(threadReplyEvent({ channel: 'C-H', text: 'what about 5432?', ts: '1700000005.000200', threadTs: '1700000005.000100' })), contentType: JSON_TYPE });
    await expect.poll(() => seen.find((s) => s.kind === 'message' && s.thread_ts === '1700000005.000100')).toMatchObject({ text: 'what about 5432?' });
    const click = blockActionsBody({ actionId: 'recheck', value: 'q-7', userId: 'U9', channel: 'C-H', messageTs: '1700000006.000200', threadTs: '1700000006.000100' });
    expect((await postToApp(url, { secret: SECRET, body: click, contentType: FORM })).status).toBe(200);
    await expect.poll(() => seen.find((s) => s.kind === 'action')).toMatchObject({
      body: { user: { id: 'U9', team_id: 'T1' }, team: { id: 'T1' }, channel: { id: 'C-H' }, message: { ts: '1700000006.000200' }, container: { thread_ts: '1700000006.000100' }, actions: [{ action_id: 'recheck', value: 'q-7' }] },
    });
  });
});
