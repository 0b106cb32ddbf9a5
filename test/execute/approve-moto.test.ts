/**
 * Approve, apply, prove, revert — end to end without Slack: moto_server (own port) for AWS,
 * real Redis (own key prefix) for the proposal store and the audit stream, the real engine and
 * collector. The use cases are exactly what the Slack listeners call.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AwsSession } from '../../src/aws/clients.js';
import { RedisAuditLog } from '../../src/audit/audit-log.js';
import { ApprovalService } from '../../src/approval/service.js';
import { CachedGroupMembers, type AccountApprovalPolicy } from '../../src/approval/policy.js';
import { RedisApprovalStore } from '../../src/approval/store.js';
import { approvalServiceFromConfig } from '../../src/approval/wiring.js';
import { parseConfigText } from '../../src/config/load.js';
import type { Actor } from '../../src/approval/types.js';
import { ask } from '../../src/engine/ask.js';
import { SdkEc2Writer } from '../../src/execute/writer.js';
import { buildModel } from '../../src/model/build.js';
import { parseQuestion } from '../../src/question/parse.js';
import { AuthorizeSecurityGroupIngressCommand, ModifyNetworkInterfaceAttributeCommand, RevokeSecurityGroupIngressCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { startMoto, useMotoEnv, type Moto } from '../support/moto.js';
import { ACCOUNT, blockEgress, buildTopology, collector, eniGroups, groupRules, QUESTION, setupClient, type Topology } from './support.js';

const TEAM = 'T0WORKSPACE';
const requester: Actor = { userId: 'U0ASKER', teamId: TEAM };
const alice: Actor = { userId: 'U0ALICE', teamId: TEAM };
const bob: Actor = { userId: 'U0BOB', teamId: TEAM };
const mallory: Actor = { userId: 'U0MALLORY', teamId: TEAM };
const outsider: Actor = { userId: 'U0ALICE', teamId: 'T0OTHERORG' };

let moto: Moto;
let redis: Redis;
let redis2: Redis;
let session: AwsSession;
let ec2: EC2Client;
let topo: Topology;
const saved = { ...process.env };
const prefix = `sgwhy-test-approval-${randomBytes(4).toString('hex')}:`;
let clock = Date.UTC(2026, 11, 1, 12);
const now = () => clock;

beforeAll(async () => {
  moto = await startMoto();
  useMotoEnv(moto.endpoint);
  redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
  redis2 = new Redis('redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  await redis2.connect();
  session = new AwsSession();
  ec2 = setupClient();
}, 30_000);

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  redis2.disconnect();
  session.destroy();
  ec2.destroy();
  await moto.stop();
  process.env = saved;
});

beforeEach(async () => {
  await moto.reset();
  topo = await buildTopology(ec2);
});

let writers: SdkEc2Writer[] = [];
afterEach(() => {
  for (const w of writers) w.destroy();
  writers = [];
});

function policy(over: Partial<AccountApprovalPolicy> = {}): Map<string, AccountApprovalPolicy> {
  return new Map([[ACCOUNT, {
    accountId: ACCOUNT, approvers: { users: ['U0ALICE'], userGroups: ['S0NETOPS'] }, twoPersonRule: false,
    executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/sgwhy-execution`, ...over,
  }]]);
}

function service(opts: { policies?: Map<string, AccountApprovalPolicy>; client?: Redis; execute?: boolean } = {}): ApprovalService {
  const writer = new SdkEc2Writer(session, { asker: 'approver' });
  writers.push(writer);
  return new ApprovalService({
    store: new RedisApprovalStore(opts.client ?? redis, prefix),
    audit: new RedisAuditLog(opts.client ?? redis, prefix),
    policies: opts.policies ?? policy(),
    groups: new CachedGroupMembers(async (g) => (g === 'S0NETOPS' ? ['U0BOB'] : []), now),
    workspaceTeamId: TEAM,
    now,
    collect: collector(session),
    ...(opts.execute === false ? {} : { writer }),
    recheck: { timeoutMs: 3_000, intervalMs: 200 },
  });
}

async function proposeNow(svc: ApprovalService) {
  const question = parseQuestion(QUESTION);
  const docs = await collector(session)(question);
  const answer = ask(buildModel(docs), question);
  expect(answer.verdict).toBe('blocked');
  const out = await svc.propose({ answer, docs, question, requester, channel: 'C0INCIDENT', thread: '1700000000.000100' });
  return { ...out, answer, docs };
}

async function auditTypes(svc: ApprovalService, fixId: string): Promise<string[]> {
  return (await svc.deps.audit.list()).filter((e) => e.fixId === fixId).map((e) => e.type);
}

describe('approve → apply → prove → revert (moto + Redis)', () => {
  it('applies the fix for an authorised user, re-checks reachable, reverts to the old rules and re-checks blocked', async () => {
    const svc = service();
    const before = await groupRules(ec2, topo.dstSg);
    const { proposals, simulation } = await proposeNow(svc);
    expect(simulation.text).toBe('After F1: reachable.');
    expect(proposals).toHaveLength(1);
    const p = proposals[0]!;
    expect(p.execution).toBe('automatic');
    expect(p.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(p.commands[0]).toContain(`aws ec2 authorize-security-group-ingress --group-id ${topo.dstSg}`);
    expect(p.terraform).toContain('resource "aws_vpc_security_group_ingress_rule"');

    const out = await svc.approve({ id: p.id, actor: alice });
    expect(out.status).toBe('applied');
    const fix = out.fix;
    expect(fix.state).toBe('applied');
    expect(fix.execution!.verification).toMatchObject({ verdict: 'reachable', blockerCleared: true });
    expect(fix.execution!.inverse![0]!.operation).toBe('RevokeSecurityGroupIngress');
    expect(await groupRules(ec2, topo.dstSg)).not.toEqual(before);

    // a second click after the decision changes nothing
    await expect(svc.approve({ id: p.id, actor: bob })).rejects.toMatchObject({ code: 'ALREADY_DECIDED' });

    const rev = await svc.revert({ id: p.id, actor: bob });
    expect(rev.status).toBe('reverted');
    expect(rev.fix.revert!.verification).toMatchObject({ verdict: 'blocked' });
    expect(await groupRules(ec2, topo.dstSg)).toEqual(before);
    await expect(svc.revert({ id: p.id, actor: alice })).rejects.toMatchObject({ code: 'ALREADY_DECIDED' });

    expect(await auditTypes(svc, p.id)).toEqual(['proposed', 'approved', 'executed', 'verified', 'approved', 'reverted', 'verified']);
    const events = (await svc.deps.audit.list()).filter((e) => e.fixId === p.id);
    const executed = events.find((e) => e.type === 'executed')!;
    expect(executed).toMatchObject({ actor: alice, channel: 'C0INCIDENT', accountId: ACCOUNT, region: 'us-east-1' });
    expect(executed.calls![0]!.command).toContain('authorize-security-group-ingress');
    expect(executed.calls![0]!.input).toMatchObject({ GroupId: topo.dstSg });
  }, 40_000);

  it('with the two-person rule: the requester may not approve, one approval waits, a second distinct approver applies', async () => {
    const svc = service({ policies: policy({ twoPersonRule: true, approvers: { users: ['U0ALICE', 'U0ASKER'], userGroups: ['S0NETOPS'] } }) });
    const { proposals } = await proposeNow(svc);
    const id = proposals[0]!.id;
    expect(proposals[0]!.approvalsRequired).toBe(2);
    await expect(svc.approve({ id, actor: requester })).rejects.toMatchObject({ code: 'NOT_AUTHORISED', message: expect.stringContaining('two-person') });
    const first = await svc.approve({ id, actor: alice });
    expect(first.status).toBe('awaiting-approval');
    await expect(svc.approve({ id, actor: alice })).rejects.toMatchObject({ code: 'ALREADY_DECIDED' });
    const rules = await groupRules(ec2, topo.dstSg);
    const second = await svc.approve({ id, actor: bob }); // bob is an approver through the user group
    expect(second.status).toBe('applied');
    expect(await groupRules(ec2, topo.dstSg)).not.toEqual(rules);
  }, 40_000);

  it('refuses an unauthorised user, a user from another team and an expired fix, changing nothing', async () => {
    const svc = service();
    const { proposals } = await proposeNow(svc);
    const id = proposals[0]!.id;
    const rules = await groupRules(ec2, topo.dstSg);
    await expect(svc.approve({ id, actor: mallory })).rejects.toMatchObject({ code: 'NOT_AUTHORISED' });
    await expect(svc.approve({ id, actor: outsider })).rejects.toMatchObject({ code: 'NOT_AUTHORISED', message: expect.stringContaining('another organisation') });
    await expect(svc.approve({ id: 'no-such-fix', actor: alice })).rejects.toMatchObject({ code: 'FIX_NOT_FOUND' });
    clock += 24 * 3600_000 + 1;
    try {
      await expect(svc.approve({ id, actor: alice })).rejects.toMatchObject({ code: 'FIX_EXPIRED' });
    } finally {
      clock -= 24 * 3600_000 + 1;
    }
    expect((await svc.get(id)).state).toBe('proposed');
    expect(await groupRules(ec2, topo.dstSg)).toEqual(rules);
    expect(await auditTypes(svc, id)).toEqual(['proposed', 'refused', 'refused', 'refused']); // unauthorised, other team, expired
  }, 40_000);

  it('refuses an operation outside the allow-list smuggled into the stored data', async () => {
    const svc = service();
    const { proposals } = await proposeNow(svc);
    const id = proposals[0]!.id;
    const store = new RedisApprovalStore(redis, prefix);
    for (const tamper of [
      (s: Record<string, unknown>) => ({ ...s, operation: 'DeleteVpc', input: { VpcId: topo.vpcId } }),
      (s: Record<string, unknown>) => ({ ...s, operation: 'ModifyNetworkInterfaceAttribute', input: { NetworkInterfaceId: topo.dstEni, SourceDestCheck: { Value: false } } }),
      (s: Record<string, unknown>) => ({ ...s, service: 'iam', operation: 'AuthorizeSecurityGroupIngress' }),
    ]) {
      const cur = (await store.get(id))!;
      const original = cur.steps[0]!;
      expect(await store.compareAndSet({ ...cur, version: cur.version + 1, steps: [tamper(original as never) as never] }, cur.version)).toBe(true);
      await expect(svc.approve({ id, actor: alice })).rejects.toMatchObject({ code: 'EXECUTION_REFUSED' });
      const again = (await store.get(id))!;
      expect(again.state).toBe('proposed');
      await store.compareAndSet({ ...again, version: again.version + 1, steps: [original] }, again.version);
    }
    expect(await eniGroups(ec2, topo.dstEni)).toEqual([topo.dstSg]);
  }, 40_000);

  it('refuses a stale fix: the configuration changed in AWS between propose and approve', async () => {
    const svc = service();
    const { proposals, answer } = await proposeNow(svc);
    const id = proposals[0]!.id;
    // Someone adds exactly that rule by hand meanwhile: the path is now reachable, nothing to do.
    const perm = (answer.fixes[0]!.input as { IpPermissions: unknown[] }).IpPermissions;
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: topo.dstSg, IpPermissions: perm as never }));
    const rules = await groupRules(ec2, topo.dstSg);
    await expect(svc.approve({ id, actor: alice })).rejects.toMatchObject({ code: 'FIX_STALE', message: expect.stringContaining('already reachable') });
    expect((await svc.get(id)).state).toBe('stale');
    expect(await groupRules(ec2, topo.dstSg)).toEqual(rules);

    // The interface gained a group meanwhile: the engine now changes that group instead, so the stored plan is stale.
    const second = await proposeNowAfterReset(svc);
    await ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: topo.dstEni, Groups: [topo.dstSg, topo.otherSg] }));
    const err = await svc.approve({ id: second, actor: alice }).catch((e) => e);
    expect(err).toMatchObject({ code: 'FIX_STALE', message: expect.stringContaining(`${topo.dstEni} changed`) });
    expect(err.details.replanned).toMatchObject({ operation: 'AuthorizeSecurityGroupIngress', input: { GroupId: topo.otherSg } });
    expect(await groupRules(ec2, topo.dstSg)).toEqual(await groupRulesAfterBuild(topo.dstSg));

    // An unrelated change to the group (another port) re-plans the same change: applied.
    const third = await proposeNowAfterReset(svc);
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: topo.dstSg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '10.9.9.9/32' }] }] }));
    expect((await svc.approve({ id: third, actor: alice })).status).toBe('applied');
  }, 40_000);

  it('refuses a revert made stale by a hand change (the rule was already removed), and a revert needs two approvers under the two-person rule', async () => {
    const svc = service({ policies: policy({ twoPersonRule: true }) });
    const { proposals, answer } = await proposeNow(svc);
    const id = proposals[0]!.id;
    await svc.approve({ id, actor: alice });
    expect((await svc.approve({ id, actor: bob })).status).toBe('applied');
    expect((await svc.revert({ id, actor: alice })).status).toBe('awaiting-approval');
    const perm = (answer.fixes[0]!.input as { IpPermissions: unknown[] }).IpPermissions;
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: topo.dstSg, IpPermissions: perm as never }));
    await expect(svc.revert({ id, actor: bob })).rejects.toMatchObject({ code: 'FIX_STALE', message: expect.stringContaining('changed since F1 was applied') });
    expect((await svc.get(id)).state).toBe('applied');
  }, 40_000);

  it('a fix whose re-check still says blocked is reported as such; "approve all" applies the rest and re-checks once', async () => {
    await blockEgress(ec2, topo.srcSg);
    const svc = service();
    const { proposals, simulation } = await proposeNow(svc);
    expect(proposals.map((p) => p.label)).toEqual(['F1', 'F2']);
    expect(simulation.text).toBe('After F1 and F2: reachable.');
    const ingress = proposals.find((p) => p.commands[0]!.includes('ingress'))!;
    const one = await svc.approve({ id: ingress.id, actor: alice });
    expect(one.status === 'applied' && one.fix.execution!.verification).toMatchObject({ verdict: 'blocked', blockerCleared: true, blockers: [`security-group ${topo.srcSg}`] });
    const rest = await svc.approveAll({ ids: proposals.filter((p) => p !== ingress).map((p) => p.id), actor: alice });
    expect(rest).toHaveLength(1);
    expect(rest[0]!.outcome!.fix.execution!.verification).toMatchObject({ verdict: 'reachable' });
  }, 40_000);

  it('wired from the account configuration (Redis, policies, execution role, live re-collection) it applies and reverts', async () => {
    const config = parseConfigText(`accounts:
  - id: "${ACCOUNT}"
    regions: [us-east-1]
    executionRoleArn: arn:aws:iam::${ACCOUNT}:role/sgwhy-execution
    approvers: { userGroups: [S0NETOPS] }
approvals: { expiryHours: 2 }
`, 'test');
    const { service: svc, close } = approvalServiceFromConfig({ config, redis, prefix, session, workspaceTeamId: TEAM, now,
      userGroupMembers: async (g) => (g === 'S0NETOPS' ? ['U0BOB'] : []) });
    try {
      expect(svc.expirySeconds).toBe(7200);
      const { proposals } = await proposeNow(svc);
      expect(proposals[0]!.execution).toBe('automatic');
      await expect(svc.approve({ id: proposals[0]!.id, actor: alice })).rejects.toMatchObject({ code: 'NOT_AUTHORISED' });
      const out = await svc.approve({ id: proposals[0]!.id, actor: bob });
      expect(out.status === 'applied' && out.fix.execution!.verification!.verdict).toBe('reachable');
      expect((await svc.revert({ id: proposals[0]!.id, actor: bob })).fix.revert!.verification!.verdict).toBe('blocked');
    } finally {
      close();
    }
  }, 40_000);

  it('twenty concurrent approvals through two store instances apply the fix once', async () => {
    const a = service();
    const b = service({ client: redis2 });
    const { proposals } = await proposeNow(a);
    const id = proposals[0]!.id;
    const clicks = Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).approve({ id, actor: i % 3 ? alice : bob }).then((o) => o.status, (e) => e.code as string));
    const results = await Promise.all(clicks);
    expect(results.filter((r) => r === 'applied')).toHaveLength(1);
    expect(results.filter((r) => r === 'ALREADY_DECIDED')).toHaveLength(19);
    const g = (await groupRules(ec2, topo.dstSg)) as { ingress: Array<{ FromPort?: number }> };
    expect(g.ingress.filter((p) => p.FromPort === 443)).toHaveLength(1);
    expect((await auditTypes(a, id)).filter((t) => t === 'executed')).toHaveLength(1);
  }, 40_000);

  it('without an execution role, approval records the decision and hands over the final command', async () => {
    const svc = service({ policies: policy({ executionRoleArn: undefined as never }) });
    const { proposals } = await proposeNow(svc);
    expect(proposals[0]!.execution).toBe('manual');
    const rules = await groupRules(ec2, topo.dstSg);
    const out = await svc.approve({ id: proposals[0]!.id, actor: alice });
    expect(out).toMatchObject({ status: 'approved-manual', commands: [expect.stringContaining('aws ec2 authorize-security-group-ingress')] });
    expect(await groupRules(ec2, topo.dstSg)).toEqual(rules);
    expect(await auditTypes(svc, proposals[0]!.id)).toEqual(['proposed', 'approved']);
    await expect(svc.revert({ id: proposals[0]!.id, actor: alice })).rejects.toMatchObject({ code: 'EXECUTION_REFUSED' });
  }, 40_000);
});

/** dst-sg as buildTopology leaves it: no inbound rule, the default outbound rule. */
async function groupRulesAfterBuild(_sg: string): Promise<unknown> {
  return { ingress: [], egress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] }] };
}

async function proposeNowAfterReset(svc: ApprovalService): Promise<string> {
  await moto.reset();
  topo = await buildTopology(ec2);
  return (await proposeNow(svc)).proposals[0]!.id;
}
