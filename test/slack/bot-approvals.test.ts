/**
 * Approve, apply, prove, revert through Slack: signed button clicks against two replicas sharing
 * Redis, the fake Slack Web API, moto_server as the account (read-only role and a separate
 * execution role, both assumed through moto's STS). The buttons carry only opaque ids.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeSecurityGroupsCommand } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockActionsBody, postToApp, slashCommandBody, startFakeSlackApi, type FakeSlackApi } from '../../src/bench/slack-harness.js';
import { startBot, type BotHandle } from '../../src/slack/server.js';
import { ACCOUNT, QUESTION, buildTopology, setupClient, type Topology } from '../execute/support.js';
import { startMoto, useMotoEnv, type Moto } from '../support/moto.js';
import { BOT, REDIS_URL, SECRET, settings, teardown, testPrefix } from './support.js';

const FORM = 'application/x-www-form-urlencoded';
const CHANNEL = 'C0APPROVE1';
const APPROVER = 'U0APPROVER';
const prefix = testPrefix();
let moto: Moto;
let api: FakeSlackApi;
let dir: string;
let topo: Topology;
const bots: BotHandle[] = [];
const url = (i: number) => `http://127.0.0.1:${bots[i % bots.length]!.port}/slack/events`;
const texts = (b: unknown) => JSON.stringify(b ?? []);

interface Btn { action_id: string; value?: string }
const buttonsOf = (blocks: unknown): Btn[] => (blocks as Array<{ type: string; elements?: Btn[] }>).filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []);
const click = (i: number, messageTs: string, actionId: string, value: string, user: string, teamId = 'T1') =>
  postToApp(url(i), { secret: SECRET, contentType: FORM, body: blockActionsBody({ actionId, value, channel: CHANNEL, messageTs, userId: user, teamId }) });
const ingress443 = async () => {
  const g = (await setupClient().send(new DescribeSecurityGroupsCommand({ GroupIds: [topo.dstSg] }))).SecurityGroups![0]!;
  return (g.IpPermissions ?? []).filter((p) => p.FromPort === 443).length;
};

beforeAll(async () => {
  moto = await startMoto();
  useMotoEnv(moto.endpoint);
  topo = await buildTopology(setupClient());
  dir = mkdtempSync(join(tmpdir(), 'sgwhy-bot-approvals-'));
  const config = join(dir, 'sgwhy.yaml');
  writeFileSync(config, [
    'version: 1', 'accounts:', `  - id: "${ACCOUNT}"`, '    name: prod', '    regions: [us-east-1]', `    slackChannels: [${CHANNEL}]`,
    `    roleArn: arn:aws:iam::${ACCOUNT}:role/sgwhy-readonly`, `    executionRoleArn: arn:aws:iam::${ACCOUNT}:role/sgwhy-execution`,
    `    approvers: { users: [${APPROVER}] }`, '',
  ].join('\n'));
  api = await startFakeSlackApi({ botToken: BOT });
  const s = settings({ slackApiUrl: api.url, redisUrl: REDIS_URL, redisPrefix: prefix, configPath: config, snapshotDir: undefined });
  for (let i = 0; i < 2; i++) bots.push(await startBot(s));
}, 120_000);
afterAll(() => teardown({ bots, api, moto, prefix, dir }));

describe('approvals through Slack', () => {
  let ts = '';
  let fixId = '';

  it('proposes the fix with an opaque id, a confirm dialog, the simulation and the Terraform equivalent', async () => {
    await postToApp(url(0), { secret: SECRET, contentType: FORM, body: slashCommandBody(QUESTION, CHANNEL, 'U0REQUESTER') });
    const upd = await api.waitFor((c) => c.method === 'chat.update' && c.body.channel === CHANNEL && c.ok, 30_000);
    ts = upd.body.ts as string;
    const all = texts(upd.body.blocks);
    expect(all).toContain('BLOCKED');
    expect(all).toContain('Simulated on the collected data: After F1: reachable');
    expect(all).toContain('aws_vpc_security_group_ingress_rule');
    const approve = buttonsOf(upd.body.blocks).find((b) => b.action_id === 'sgwhy_approve:F1')!;
    expect(approve.value).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
    expect(approve.value).not.toContain('sg-');
    expect(JSON.stringify(approve)).toContain(ACCOUNT); // the confirm dialog names the account
    expect(buttonsOf(upd.body.blocks).some((b) => b.action_id === 'sgwhy_reject:F1')).toBe(true);
    fixId = approve.value!;
    expect(await ingress443()).toBe(0);
  }, 40_000);

  it('refuses an unauthorised user and a user from another workspace, changing nothing', async () => {
    await click(0, ts, 'sgwhy_approve:F1', fixId, 'U0SOMEONE');
    await api.waitFor((c) => c.method === 'chat.postEphemeral' && c.body.user === 'U0SOMEONE' && c.body.channel === CHANNEL);
    await click(1, ts, 'sgwhy_approve:F1', fixId, APPROVER, 'T0OTHERORG');
    await api.waitFor((c) => c.method === 'chat.postEphemeral' && c.body.user === APPROVER && c.body.channel === CHANNEL);
    await click(0, ts, 'sgwhy_approve:F1', 'forged-id-0123456789', APPROVER);
    await api.waitFor((c) => c.method === 'chat.postEphemeral' && texts(c.body.blocks).includes('does not match a fix'));
    expect(await ingress443()).toBe(0);
  });

  it('twenty concurrent approvals on two replicas apply the fix once; the re-check in the thread says reachable', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => click(i, ts, 'sgwhy_approve:F1', fixId, APPROVER)));
    const applied = await api.waitFor((c) => c.method === 'chat.postMessage' && c.body.channel === CHANNEL && texts(c.body.blocks).includes('applied by'), 30_000);
    expect(applied.body.thread_ts).toBe(ts);
    expect(texts(applied.body.blocks)).toContain('REACHABLE');
    await new Promise((r) => setTimeout(r, 500));
    expect(api.calls.filter((c) => c.method === 'chat.postMessage' && texts(c.body.blocks).includes('applied by'))).toHaveLength(1);
    expect(await ingress443()).toBe(1);
    // The answer now shows who decided, and only a Revert button for F1.
    const msg = api.messages(CHANNEL).find((m) => m.ts === ts)!;
    expect(texts(msg.blocks)).toContain(`<@${APPROVER}>`);
    const ids = buttonsOf(msg.blocks).map((b) => b.action_id);
    expect(ids).toContain('sgwhy_revert:F1');
    expect(ids).not.toContain('sgwhy_approve:F1');
  }, 60_000);

  it('Revert undoes it and re-checks: blocked again, the old rules back', async () => {
    await click(1, ts, 'sgwhy_revert:F1', fixId, APPROVER);
    const reverted = await api.waitFor((c) => c.method === 'chat.postMessage' && c.body.channel === CHANNEL && texts(c.body.blocks).includes('reverted by'), 30_000);
    expect(texts(reverted.body.blocks)).toContain('BLOCKED');
    expect(await ingress443()).toBe(0);
  }, 40_000);
});

describe('approvals under the two-person rule, expiry and stale plans', () => {
  const bots2: BotHandle[] = [];
  const CH = 'C0APPROVE2';
  const SECOND = 'U0SECOND';
  // bots2[0]: two-person rule; bots2[1]: the same, with fixes that expire after 1.8 s.
  const url2 = (i = 0) => `http://127.0.0.1:${bots2[i]!.port}/slack/events`;
  const click2 = (messageTs: string, actionId: string, value: string, user: string, i = 0) =>
    postToApp(url2(i), { secret: SECRET, contentType: FORM, body: blockActionsBody({ actionId, value, channel: CH, messageTs, userId: user, teamId: 'T1' }) });
  const ask2 = async (user: string, i = 0) => {
    const before = api.calls.length;
    await postToApp(url2(i), { secret: SECRET, contentType: FORM, body: slashCommandBody(QUESTION, CH, user) });
    // This question's own "Investigating…" message, then its replacement by the answer.
    const inv = await api.waitFor((c) => api.calls.indexOf(c) >= before && c.method === 'chat.postMessage' && c.body.channel === CH && texts(c.body.blocks).includes('Investigating'), 30_000);
    const upd = await api.waitFor((c) => c.method === 'chat.update' && c.body.ts === inv.response.ts && c.ok, 30_000);
    return { ts: upd.body.ts as string, id: buttonsOf(upd.body.blocks).find((b) => b.action_id === 'sgwhy_approve:F1')!.value! };
  };

  beforeAll(async () => {
    for (const [name, extra] of [['two-person.yaml', []], ['expiring.yaml', ['approvals:', '  expiryHours: 0.0005']]] as const) {
      const config = join(dir, name);
      writeFileSync(config, [
        'version: 1', 'accounts:', `  - id: "${ACCOUNT}"`, '    name: prod', '    regions: [us-east-1]', `    slackChannels: [${CH}]`,
        `    executionRoleArn: arn:aws:iam::${ACCOUNT}:role/sgwhy-execution`, `    approvers: { users: [${APPROVER}, ${SECOND}] }`, '    twoPersonRule: true', ...extra, '',
      ].join('\n'));
      bots2.push(await startBot(settings({ slackApiUrl: api.url, redisUrl: REDIS_URL, redisPrefix: prefix, configPath: config, snapshotDir: undefined })));
    }
  }, 30_000);
  afterAll(async () => {
    for (const b of bots2) await b.stop();
  });

  it('refuses the requester approving their own fix, and a fix past its expiry', async () => {
    const own = await ask2(APPROVER);
    await click2(own.ts, 'sgwhy_approve:F1', own.id, APPROVER);
    const self = await api.waitFor((c) => c.method === 'chat.postEphemeral' && c.body.channel === CH && c.body.user === APPROVER);
    expect(texts(self.body.blocks)).toMatch(/someone else must approve/);
    const old = await ask2('U0REQUESTER', 1);
    await new Promise((r) => setTimeout(r, 2000)); // the fix expires (expiryHours 0.0005 = 1.8 s)
    await click2(old.ts, 'sgwhy_approve:F1', old.id, SECOND, 1);
    await api.waitFor((c) => c.method === 'chat.postEphemeral' && c.body.channel === CH && c.body.user === SECOND && texts(c.body.blocks).includes('expired'));
    expect(await ingress443()).toBe(0);
  }, 40_000);

  it('does not apply a fix made stale by a change since it was proposed', async () => {
    const f = await ask2('U0REQUESTER');
    await click2(f.ts, 'sgwhy_approve:F1', f.id, APPROVER);
    await api.waitFor((c) => c.method === 'chat.postMessage' && c.body.channel === CH && texts(c.body.blocks).includes('1 of 2'));
    // The answer itself says how many approvals the fix has and needs (two under the two-person rule).
    await expect.poll(() => texts(api.messages(CH).find((m) => m.ts === f.ts)?.blocks)).toContain('1 of 2 approvals');
    // Someone changes the destination's interface groups by hand before the second approval.
    const { ModifyNetworkInterfaceAttributeCommand } = await import('@aws-sdk/client-ec2');
    await setupClient().send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: topo.dstEni, Groups: [topo.dstSg, topo.otherSg] }));
    await click2(f.ts, 'sgwhy_approve:F1', f.id, SECOND);
    const stale = await api.waitFor((c) => c.method === 'chat.postMessage' && c.body.channel === CH && /stale|changed/i.test(texts(c.body.blocks)) && c.body.thread_ts === f.ts, 30_000);
    expect(texts(stale.body.blocks)).toContain('<@U0SECOND>');
    expect(await ingress443()).toBe(0);
    await setupClient().send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: topo.dstEni, Groups: [topo.dstSg] }));
  }, 60_000);
});
