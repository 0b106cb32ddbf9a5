/**
 * The bot on live accounts (moto_server standing in for AWS): two replicas sharing Redis answer
 * ten concurrent questions about the same outage with one collection; Re-check collects again;
 * flow-log evidence follows the verdict in the thread; a channel outside the account's
 * configuration is refused without revealing anything about the address.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockActionsBody, postToApp, slashCommandBody, startFakeSlackApi, type FakeSlackApi } from '../../src/bench/slack-harness.js';
import { builderFor, DEFAULT_ACCOUNT, twoTier } from '../../src/bench/moto-topology.js';
import { jsonLog } from '../../src/slack/logger.js';
import { startBot, type BotHandle } from '../../src/slack/server.js';
import { startMoto, useMotoEnv, type Moto } from '../support/moto.js';
import { BOT, REDIS_URL, SECRET, settings, teardown, testPrefix } from './support.js';

const FORM = 'application/x-www-form-urlencoded';
const prefix = testPrefix();
let moto: Moto;
let api: FakeSlackApi;
let dir: string;
const bots: BotHandle[] = [];
const logs: Array<Record<string, unknown>> = [];
const url = (i: number) => `http://127.0.0.1:${bots[i]!.port}/slack/events`;
const texts = (b: unknown) => JSON.stringify(b ?? []);

beforeAll(async () => {
  moto = await startMoto();
  useMotoEnv(moto.endpoint);
  await twoTier(await builderFor(), '10.0.0.0/16', { instances: true });
  dir = mkdtempSync(join(tmpdir(), 'sgwhy-bot-live-'));
  const config = join(dir, 'sgwhy.yaml');
  writeFileSync(config, `version: 1\naccounts:\n  - id: "${DEFAULT_ACCOUNT}"\n    name: prod\n    regions: [us-east-1]\n    slackChannels: [${Array.from({ length: 10 }, (_, i) => `C0LIVE00${i}`).join(', ')}]\n`);
  api = await startFakeSlackApi({ botToken: BOT });
  const s = settings({ slackApiUrl: api.url, redisUrl: REDIS_URL, redisPrefix: prefix, configPath: config, snapshotDir: undefined });
  for (let i = 0; i < 2; i++) bots.push(await startBot(s, { log: jsonLog({ write: (l) => logs.push(JSON.parse(l)) }) }));
}, 60_000);
afterAll(() => teardown({ bots, api, moto, prefix, dir }));

describe('live accounts through Slack', () => {
  it('ten people asking about the same outage on two replicas cause one collection', async () => {
    const ports = [443, 5432, 22, 443, 8080, 443, 3306, 443, 6379, 443];
    await Promise.all(ports.map((p, i) => postToApp(url(i % 2), {
      secret: SECRET, contentType: FORM, body: slashCommandBody(`why can't 10.0.2.100 reach 10.0.1.50:${p}`, `C0LIVE00${i}`, `U${i}`, { channelName: 'incidents' }),
    })));
    const answers = await Promise.all(ports.map((_, i) => api.waitFor((c) => c.method === 'chat.update' && c.body.channel === `C0LIVE00${i}` && c.ok, 30_000)));
    expect(texts(answers[0]!.body.blocks)).toContain('REACHABLE');
    expect(texts(answers[1]!.body.blocks)).toContain('BLOCKED');
    expect(texts(answers[0]!.body.blocks)).toContain('AWS calls');
    expect(logs.filter((l) => l.event === 'collected')).toHaveLength(1);
    await expect.poll(() => logs.filter((l) => l.event === 'answered').length, { timeout: 10_000 }).toBe(10);
    expect(logs.filter((l) => l.event === 'answered' && l.cacheHit === true).length).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it('adds flow-log evidence in the thread after the verdict', async () => {
    const root = api.calls.find((c) => c.method === 'chat.postMessage' && c.body.channel === 'C0LIVE000')!.response.ts as string;
    const fl = await api.waitFor((c) => c.method === 'chat.update' && c.body.channel === 'C0LIVE000' && texts(c.body.blocks).includes('Flow logs, last'), 30_000);
    const note = api.calls.find((c) => c.method === 'chat.postMessage' && c.body.channel === 'C0LIVE000' && texts(c.body.blocks).includes('Reading VPC Flow Logs'))!;
    expect(note.body.thread_ts).toBe(root);
    expect(fl.body.ts).toBe(note.response.ts);
  }, 40_000);

  it('Re-check collects fresh data rather than reading the cache', async () => {
    const ts = api.calls.find((c) => c.method === 'chat.postMessage' && c.body.channel === 'C0LIVE001')!.response.ts as string;
    const before = logs.filter((l) => l.event === 'collected').length;
    await postToApp(url(1), { secret: SECRET, contentType: FORM, body: blockActionsBody({ actionId: 'sgwhy_recheck', value: 'recheck', channel: 'C0LIVE001', messageTs: ts, userId: 'U1' }) });
    await api.waitFor((c) => c.method === 'chat.update' && c.body.channel === 'C0LIVE001' && texts(c.body.blocks).includes('Re-checked at'), 30_000);
    expect(logs.filter((l) => l.event === 'collected')).toHaveLength(before + 1);
  }, 40_000);

  it('refuses a channel the configuration does not allow, the same way whether or not the address exists', async () => {
    const calls = logs.filter((l) => l.event === 'collected').length;
    for (const [i, q] of [['1', '10.0.2.100 -> 10.0.1.50:443'], ['2', '10.0.2.100 -> 10.9.9.9:443']] as const) {
      await postToApp(url(0), { secret: SECRET, contentType: FORM, body: slashCommandBody(q, `C0RANDOM0${i}`, 'U1', { channelName: 'random' }) });
    }
    const r1 = await api.waitFor((c) => c.method === 'chat.update' && c.body.channel === 'C0RANDOM01', 20_000);
    const r2 = await api.waitFor((c) => c.method === 'chat.update' && c.body.channel === 'C0RANDOM02', 20_000);
    const strip = (s: string) => s.replace(/request r[0-9a-f]+/g, '');
    expect(texts(r1.body.blocks)).toContain('may not query any configured AWS account');
    expect(strip(texts(r1.body.blocks))).toBe(strip(texts(r2.body.blocks)));
    expect(texts(r1.body.blocks)).not.toContain(DEFAULT_ACCOUNT);
    expect(logs.filter((l) => l.event === 'collected')).toHaveLength(calls);
  }, 30_000);
});
