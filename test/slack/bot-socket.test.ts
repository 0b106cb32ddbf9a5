/**
 * Socket Mode, the way most teams try a bot first: no public URL. A local WebSocket server
 * stands in for Slack's; the bot connects through apps.connections.open at SLACK_API_URL,
 * acks envelopes, answers through the Web API fake, and serves its health routes on PORT.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appMentionEvent, blockActionsPayload, eventCallback, slashCommandPayload } from '../../src/bench/fake-slack-requests.js';
import { startFakeSlack } from '../../src/bench/fake-slack-socket.js';
import { startBot, type BotHandle } from '../../src/slack/server.js';
import { BOT, freePort, settings } from './support.js';

let fake: Awaited<ReturnType<typeof startFakeSlack>>;
let bot: BotHandle;
let healthPort: number;

beforeAll(async () => {
  fake = await startFakeSlack({ botToken: BOT, appToken: 'xapp-1-test' });
  healthPort = await freePort();
  bot = await startBot(settings({ mode: 'socket', appToken: 'xapp-1-test', signingSecret: undefined, slackApiUrl: fake.api.url, port: healthPort }));
});
afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
});

const texts = (b: unknown) => JSON.stringify(b ?? []);

describe('Socket Mode', () => {
  it('acks a slash command envelope at once and answers in the channel', async () => {
    expect(fake.socket.connections()).toBe(1);
    const ack = await fake.socket.send('slash_commands', slashCommandPayload("why can't 10.0.2.100 reach 10.0.1.50:443", 'C-SOCK', 'U1'));
    expect(ack.ms).toBeLessThan(1000);
    const upd = await fake.api.waitFor((c) => c.method === 'chat.update' && c.body.channel === 'C-SOCK' && c.ok);
    expect(texts(upd.body.blocks)).toContain('BLOCKED');
  });

  it('answers a mention in its thread and a button click on the answer', async () => {
    await fake.socket.send('events_api', eventCallback(appMentionEvent({ channel: 'C-SOCK2', user: 'U2', text: '<@UBOT> ssh from 10.0.2.100 to 10.0.1.50', ts: '1700000400.000100' })));
    const upd = await fake.api.waitFor((c) => c.method === 'chat.update' && c.body.channel === 'C-SOCK2' && c.ok);
    await fake.socket.send('interactive', blockActionsPayload({ actionId: 'sgwhy_trace', value: 'trace', channel: 'C-SOCK2', messageTs: upd.body.ts as string, threadTs: '1700000400.000100', userId: 'U2' }));
    const trace = await fake.api.waitFor((c) => c.method === 'chat.postMessage' && c.body.channel === 'C-SOCK2' && texts(c.body.blocks).includes('Full trace'));
    expect(trace.body.thread_ts).toBe('1700000400.000100');
  });

  it('serves /healthz and /readyz on the health port', async () => {
    expect(bot.port).toBe(healthPort);
    expect((await fetch(`http://127.0.0.1:${healthPort}/healthz`)).status).toBe(200);
    expect(await (await fetch(`http://127.0.0.1:${healthPort}/readyz`)).json()).toMatchObject({ status: 'ready', redis: 'memory' });
  });
});
