/** sgwhy audit: lists the trail from Redis (REDIS_URL), filters by time and account, exports JSON Lines. */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisAuditLog, type AuditEvent } from '../../src/audit/audit-log.js';
import { parseSince, runAudit } from '../../src/cli/audit.js';
import { main } from '../../src/cli/main.js';

const prefix = `sgwhy-test-cli-audit-${randomBytes(4).toString('hex')}:`;
let redis: Redis;
const t0 = Date.UTC(2026, 11, 1, 9);

const ev = (type: AuditEvent['type'], at: number, accountId: string, userId = 'U0ALICE'): AuditEvent => ({
  type, at, fixId: `id-${at}`, fixLabel: 'F1', accountId, region: 'eu-west-1', channel: 'C0INC', actor: { userId, teamId: 'T0' },
  calls: [{ operation: 'CreateNetworkAclEntry', input: { NetworkAclId: 'acl-1' }, command: 'aws ec2 create-network-acl-entry --network-acl-id acl-1 …' }],
});

beforeAll(async () => {
  redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true });
  await redis.connect();
  const log = new RedisAuditLog(redis, prefix);
  await log.append(ev('proposed', t0, '111122223333'));
  await log.append(ev('approved', t0 + 3_600_000, '111122223333'));
  await log.append(ev('executed', t0 + 7_200_000, '444455556666', 'U0\u001b[31mEVIL'));
});
afterAll(async () => {
  await redis.del(`${prefix}audit`);
  redis.disconnect();
});

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s) }, out, err };
}

const env = { REDIS_URL: 'redis://127.0.0.1:6379', SGWHY_REDIS_PREFIX: prefix };

describe('sgwhy audit', () => {
  it('exports JSON Lines, filtered by account and time', async () => {
    const a = io();
    expect(await runAudit(['--format', 'jsonl', '--account', '111122223333'], a.io, { env })).toBe(0);
    const lines = a.out.join('').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.type)).toEqual(['proposed', 'approved']);
    expect(lines[0]).toMatchObject({ actor: { userId: 'U0ALICE' }, calls: [{ operation: 'CreateNetworkAclEntry' }] });
    const b = io();
    await runAudit(['--format', 'json', '--since', new Date(t0 + 3_600_000).toISOString()], b.io, { env });
    expect(JSON.parse(b.out.join('')).map((e: AuditEvent) => e.type)).toEqual(['approved', 'executed']);
    const c = io();
    await runAudit(['--since', '1h'], c.io, { env, now: () => t0 + 7_200_000 });
    expect(c.out.join('')).toMatch(/approved[\s\S]*executed/);
  });

  it('prints text with terminal escapes from stored data neutralised', async () => {
    const a = io();
    await runAudit([], a.io, { env });
    const text = a.out.join('');
    expect(text).toContain('aws ec2 create-network-acl-entry');
    expect(text).not.toContain('\u001b');
    expect(text).toContain('\\u001b[31mEVIL');
  });

  it('is reachable from the command line, with usage errors as exit 64', async () => {
    const a = io();
    expect(await main(['audit', '--format', 'yaml'], a.io)).toBe(64);
    expect(await main(['audit', '--account', 'prod'], io().io)).toBe(64);
    expect(await main(['audit', '--since', 'yesterday'], io().io)).toBe(64);
  });

  it('parses durations and times', () => {
    expect(parseSince('24h', t0)).toBe(t0 - 86_400_000);
    expect(parseSince('30m', t0)).toBe(t0 - 1_800_000);
    expect(parseSince('2026-12-01T09:00:00Z', 0)).toBe(t0);
    expect(() => parseSince('soon', t0)).toThrow(/duration/);
  });
});
