/** The audit log: append-only, oldest first, filters by time and account; Redis and memory alike. */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryAuditLog, RedisAuditLog, type AuditEvent, type AuditLog } from '../../src/audit/audit-log.js';

const prefix = `sgwhy-test-audit-${randomBytes(4).toString('hex')}:`;
let redis: Redis;
beforeAll(async () => {
  redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true });
  await redis.connect();
});
afterAll(async () => {
  await redis.del(`${prefix}audit`);
  redis.disconnect();
});

const ev = (type: AuditEvent['type'], at: number, accountId: string): AuditEvent => ({
  type, at, fixId: 'abc', fixLabel: 'F1', accountId, region: 'us-east-1', actor: { userId: 'U1', teamId: 'T1' }, channel: 'C1',
  calls: [{ operation: 'AuthorizeSecurityGroupIngress', input: { GroupId: 'sg-1' }, command: "aws ec2 authorize-security-group-ingress --group-id sg-1", accountId, region: 'us-east-1' }],
  result: { ok: true },
});

describe.each([
  ['memory', () => new MemoryAuditLog() as AuditLog],
  ['redis', () => new RedisAuditLog(redis, prefix) as AuditLog],
])('%s audit log', (_name, make) => {
  it('returns every event in order with its fields, filtered by time and account', async () => {
    const log = make();
    const t0 = Date.now();
    for (let i = 0; i < 600; i++) await log.append(ev(i % 2 ? 'approved' : 'proposed', t0 + i, i % 3 ? '111122223333' : '444455556666'));
    const all = await log.list();
    expect(all.length).toBeGreaterThanOrEqual(600);
    const mine = all.slice(-600);
    expect(mine.map((e) => e.at)).toEqual(Array.from({ length: 600 }, (_, i) => t0 + i));
    expect(mine[0]).toMatchObject({ type: 'proposed', actor: { userId: 'U1' }, calls: [{ command: expect.stringContaining('authorize') }], result: { ok: true } });
    expect(typeof mine[0]!.id).toBe('string');
    const since = await log.list({ sinceMs: t0 + 500 });
    expect(since.map((e) => e.at)).toEqual(Array.from({ length: 100 }, (_, i) => t0 + 500 + i));
    const acct = await log.list({ sinceMs: t0, accountId: '444455556666' });
    expect(acct).toHaveLength(200);
    expect(await log.list({ sinceMs: t0, limit: 3 })).toHaveLength(3);
  });
});

it('the Redis log is a stream nobody edits: entries are only added', async () => {
  expect(await redis.type(`${prefix}audit`)).toBe('stream');
});
