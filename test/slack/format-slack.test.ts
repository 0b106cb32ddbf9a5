/** `sgwhy ask … --format slack` prints the message the bot posts (less its footer), pasteable into Block Kit Builder. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postToApp, slashCommandBody, startFakeSlackApi, type FakeSlackApi } from '../../src/bench/slack-harness.js';
import { main } from '../../src/cli/main.js';
import { startBot, type BotHandle } from '../../src/slack/server.js';
import { BOT, INCIDENT, SECRET, settings } from './support.js';

let api: FakeSlackApi;
let bot: BotHandle;
beforeAll(async () => {
  api = await startFakeSlackApi({ botToken: BOT });
  bot = await startBot(settings({ slackApiUrl: api.url }));
});
afterAll(async () => {
  await bot?.stop();
  await api?.stop();
});

describe('sgwhy ask --format slack', () => {
  it('prints exactly the blocks the bot posts, footer aside', async () => {
    const q = "why can't 10.0.2.100 reach 10.0.1.50:443";
    let out = '';
    const code = await main(['ask', q, '--snapshot', INCIDENT, '--format', 'slack'], { out: (s) => (out += s), err: () => {}, color: false });
    expect(code).toBe(1);
    const preview = JSON.parse(out) as { text: string; blocks: Array<{ type: string }> };
    await postToApp(`http://127.0.0.1:${bot.port}/slack/events`, { secret: SECRET, contentType: 'application/x-www-form-urlencoded', body: slashCommandBody(q, 'C-PREVIEW', 'U1') });
    const posted = await api.waitFor((c) => c.method === 'chat.update' && c.body.channel === 'C-PREVIEW' && c.ok);
    const blocks = posted.body.blocks as Array<{ type: string }>;
    expect(blocks.at(-1)!.type).toBe('context'); // the footer: data source and request id
    expect(blocks.slice(0, -1)).toEqual(preview.blocks);
    expect(posted.body.text).toBe(preview.text);
  });
});
