/**
 * The proposal store (memory and Redis: same semantics, atomic compare-and-set, exactly one winner
 * of concurrent transitions across two connections) and the authorisation policy.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorise, CachedGroupMembers, type AccountApprovalPolicy } from '../../src/approval/policy.js';
import { MemoryApprovalStore, RedisApprovalStore, type ApprovalStore } from '../../src/approval/store.js';
import type { StoredFix } from '../../src/approval/types.js';

const prefix = `sgwhy-test-store-${randomBytes(4).toString('hex')}:`;
let r1: Redis;
let r2: Redis;
let clock = 1_000_000;

beforeAll(async () => {
  r1 = new Redis('redis://127.0.0.1:6379', { lazyConnect: true });
  r2 = new Redis('redis://127.0.0.1:6379', { lazyConnect: true });
  await r1.connect();
  await r2.connect();
});
afterAll(async () => {
  const keys = await r1.keys(`${prefix}*`);
  if (keys.length) await r1.del(...keys);
  r1.disconnect();
  r2.disconnect();
});

function fix(id: string): StoredFix {
  return {
    id, label: 'F1', version: 1, state: 'proposed', createdAt: clock, expiresAt: clock + 1000, requester: { userId: 'U1', teamId: 'T1' },
    question: { text: 'q', source: { kind: 'ip', value: '10.0.0.1' }, destination: { kind: 'ip', value: '10.0.0.2' }, protocol: 'tcp', port: 443 },
    title: 't', notes: [], blockerId: 'B1', accountId: '111122223333', region: 'us-east-1',
    steps: [{ operation: 'AuthorizeSecurityGroupIngress', input: { GroupId: 'sg-1', IpPermissions: [] }, cli: 'aws ec2 …' }],
    plannedOn: {}, iac: [], terraform: '', approvals: [], revertApprovals: [],
  };
}

const stores: Array<[string, () => ApprovalStore, () => ApprovalStore]> = [
  ['memory', () => shared, () => shared],
  ['redis', () => new RedisApprovalStore(r1, prefix), () => new RedisApprovalStore(r2, prefix)],
];
const shared = new MemoryApprovalStore(() => clock);

describe.each(stores)('%s approval store', (name, a, b) => {
  it('creates once, reads back, and compare-and-sets on the version only', async () => {
    const id = `${name}-1-${randomBytes(4).toString('hex')}`;
    const s = a();
    expect(await s.create(fix(id), 60)).toBe(true);
    expect(await s.create(fix(id), 60)).toBe(false);
    expect(await s.get(id)).toMatchObject({ id, state: 'proposed', version: 1 });
    expect(await s.compareAndSet({ ...fix(id), version: 2, state: 'rejected' }, 1)).toBe(true);
    expect(await s.compareAndSet({ ...fix(id), version: 2, state: 'approved' }, 1)).toBe(false);
    expect(await s.get(id)).toMatchObject({ state: 'rejected', version: 2 });
    expect(await s.get('missing')).toBeNull();
    expect(await s.compareAndSet({ ...fix('missing'), version: 2 }, 1)).toBe(false);
  });

  it('exactly one of twenty concurrent transitions wins, across two instances', async () => {
    const id = `${name}-2-${randomBytes(4).toString('hex')}`;
    await a().create(fix(id), 60);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      (i % 2 ? a() : b()).compareAndSet({ ...fix(id), version: 2, state: 'executing', approvals: [{ by: { userId: `U${i}`, teamId: 'T1' }, at: i }] }, 1)));
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results.indexOf(true);
    expect((await b().get(id))!.approvals[0]!.by.userId).toBe(`U${winner}`);
  });
});

it('the Redis record expires with its retention', async () => {
  const s = new RedisApprovalStore(r1, prefix);
  const id = `ttl-${randomBytes(4).toString('hex')}`;
  await s.create(fix(id), 100);
  const ttl = await r1.ttl(s.key(id));
  expect(ttl).toBeGreaterThan(90);
  await s.compareAndSet({ ...fix(id), version: 2 }, 1);
  expect(await r1.ttl(s.key(id))).toBeGreaterThan(90); // updates keep the TTL
});

describe('authorisation policy', () => {
  const policy = (over: Partial<AccountApprovalPolicy> = {}) =>
    new Map([['111122223333', { accountId: '111122223333', approvers: { users: ['UALICE'], userGroups: ['SNETOPS'] }, twoPersonRule: false, ...over }]]);
  const target = { steps: [{ operation: 'X', input: {}, cli: '' }], accountId: '111122223333', requester: { userId: 'UASKER', teamId: 'T1' }, label: 'F1' };
  let calls = 0;
  const groups = new CachedGroupMembers(async (g) => {
    calls++;
    return g === 'SNETOPS' ? ['UBOB'] : [];
  }, () => clock, 60_000);
  const run = (userId: string, over: Partial<AccountApprovalPolicy> = {}, action: 'approve' | 'reject' | 'revert' = 'approve', teamId = 'T1') =>
    authorise({ actor: { userId, teamId }, fix: target, action, workspaceTeamId: 'T1', policies: policy(over), groups });

  it('allows listed users and members of listed groups; caches group lookups', async () => {
    await expect(run('UALICE')).resolves.toEqual({ required: 1 });
    await expect(run('UBOB')).resolves.toEqual({ required: 1 });
    await expect(run('UBOB')).resolves.toEqual({ required: 1 });
    expect(calls).toBe(1);
    clock += 61_000;
    await run('UBOB');
    expect(calls).toBe(2);
  });

  it('refuses others, other teams, accounts without a policy, and empty approver lists', async () => {
    await expect(run('UMALLORY')).rejects.toMatchObject({ code: 'NOT_AUTHORISED' });
    await expect(run('UALICE', {}, 'approve', 'T2')).rejects.toMatchObject({ code: 'NOT_AUTHORISED' });
    await expect(run('UALICE', { approvers: { users: [], userGroups: [] } })).rejects.toMatchObject({ code: 'NOT_AUTHORISED' });
    await expect(authorise({ actor: { userId: 'UALICE', teamId: 'T1' }, fix: { ...target, accountId: '999999999999' }, action: 'approve', workspaceTeamId: 'T1', policies: policy() }))
      .rejects.toMatchObject({ code: 'NOT_AUTHORISED', message: expect.stringContaining('999999999999') });
  });

  it('two-person rule: two approvals, never the requester; the requester may withdraw (reject) their own fix', async () => {
    await expect(run('UALICE', { twoPersonRule: true })).resolves.toEqual({ required: 2 });
    await expect(run('UASKER', { twoPersonRule: true, approvers: { users: ['UASKER'], userGroups: [] } })).rejects.toMatchObject({ code: 'NOT_AUTHORISED' });
    await expect(run('UASKER', { twoPersonRule: true }, 'reject')).resolves.toEqual({ required: 1 });
    await expect(run('UALICE', { twoPersonRule: true }, 'revert')).resolves.toEqual({ required: 2 });
  });
});
