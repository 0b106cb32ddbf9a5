import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsSession } from '../../src/aws/clients.js';
import { collectForQuestion } from '../../src/aws/collect-question.js';
import { describeGap, gapsToUnknowns } from '../../src/aws/gaps.js';
import type { Target } from '../../src/aws/target.js';
import { startMoto, useMotoEnv, type Moto } from '../support/moto.js';
import { failOperation, serviceError } from './_plugins.js';
import { builderFor, DEFAULT_ACCOUNT, twoTier } from '../../src/bench/moto-topology.js';

let moto: Moto;
const here: Target = { accountId: DEFAULT_ACCOUNT, accountName: 'main', region: 'us-east-1' };
const question = { source: { kind: 'ip' as const, value: '10.0.2.100' }, destination: { kind: 'ip' as const, value: '10.0.1.50' } };

beforeAll(async () => {
  moto = await startMoto();
  useMotoEnv(moto.endpoint);
  await moto.reset();
  const b = await builderFor();
  await twoTier(b);
  b.destroy();
});
afterAll(async () => moto?.stop());

const has = (docs: Array<{ data: Record<string, unknown> }>, key: string): boolean => docs.some((d) => Array.isArray(d.data[key]));

describe('faults', () => {
  it('AccessDenied on one API: the collection completes and names the missing permission', async () => {
    const deny = failOperation('DescribeNetworkAcls', () =>
      serviceError('UnauthorizedOperation', 'You are not authorized to perform this operation. User: arn:aws:sts::123456789012:assumed-role/sgwhy-readonly/x', 403),
    );
    const session = new AwsSession({ plugins: [deny.plugin] });
    const r = await collectForQuestion(session.forQuestion({ asker: 't' }), [here], question);
    expect(r.gaps).toEqual([
      expect.objectContaining({
        operation: 'DescribeNetworkAcls',
        permission: 'ec2:DescribeNetworkAcls',
        accountId: DEFAULT_ACCOUNT,
        region: 'us-east-1',
        reason: 'access-denied',
        errorCode: 'UnauthorizedOperation',
        layers: ['network-acl'],
      }),
    ]);
    expect(deny.attempts()).toBe(1); // not retried
    expect(has(r.docs, 'NetworkAcls')).toBe(false);
    for (const key of ['SecurityGroups', 'RouteTables', 'Subnets', 'NetworkInterfaces']) expect(has(r.docs, key), key).toBe(true);
    expect(describeGap(r.gaps[0]!)).toMatch(/DescribeNetworkAcls in 123456789012 us-east-1: access denied \(UnauthorizedOperation\); grant ec2:DescribeNetworkAcls/);
    expect(gapsToUnknowns(r.gaps)).toEqual([expect.objectContaining({ layer: 'network-acl', code: 'MISSING_DATA', missing: 'ec2:DescribeNetworkAcls' })]);
    session.destroy();
  });

  it('AccessDenied while locating: not found, marked incomplete, with the gap', async () => {
    const deny = failOperation('DescribeNetworkInterfaces', () => serviceError('UnauthorizedOperation', 'not authorized', 403));
    const session = new AwsSession({ plugins: [deny.plugin] });
    const r = await collectForQuestion(session.forQuestion({ asker: 't' }), [here], question);
    expect(r.endpoints.source).toMatchObject({ status: 'not-found', incomplete: true });
    expect(r.gaps.map((g) => g.permission)).toEqual(['ec2:DescribeNetworkInterfaces']);
    session.destroy();
  });

  it('throttling: the SDK retries with backoff and the call succeeds', async () => {
    const throttle = failOperation('DescribeRouteTables', () => serviceError('RequestLimitExceeded', 'Request limit exceeded.', 503), 2);
    const session = new AwsSession({ plugins: [throttle.plugin], maxAttempts: 3 });
    const clients = session.forQuestion({ asker: 't' });
    const r = await collectForQuestion(clients, [here], question);
    expect(r.gaps).toEqual([]);
    expect(throttle.attempts()).toBeGreaterThanOrEqual(3); // 2 throttled + 1 success (per call)
    expect(r.stats.attempts).toBeGreaterThan(r.stats.calls);
    expect(has(r.docs, 'RouteTables')).toBe(true);
    session.destroy();
  });

  it('throttling past the retry budget: a clear partial result', async () => {
    const throttle = failOperation('DescribeSecurityGroups', () => serviceError('ThrottlingException', 'Rate exceeded', 400));
    const session = new AwsSession({ plugins: [throttle.plugin], maxAttempts: 3 });
    const r = await collectForQuestion(session.forQuestion({ asker: 't' }), [here], question);
    expect(throttle.attempts()).toBe(3); // bounded
    expect(r.gaps).toEqual([expect.objectContaining({ operation: 'DescribeSecurityGroups', reason: 'throttled', errorCode: 'ThrottlingException', layers: ['security-group'] })]);
    expect(describeGap(r.gaps[0]!)).toMatch(/throttled \(retries exhausted\).*try again/);
    expect(has(r.docs, 'SecurityGroups')).toBe(false);
    expect(has(r.docs, 'NetworkAcls')).toBe(true);
    session.destroy();
  });

  it('timeouts: bounded attempts, then a gap; AWS_ENDPOINT_URL_EC2 is honoured', async () => {
    // An endpoint that accepts connections and never answers.
    const sockets: Socket[] = [];
    const hang: Server = createServer((s) => sockets.push(s));
    await new Promise<void>((res) => hang.listen(0, '127.0.0.1', res));
    const port = (hang.address() as { port: number }).port;
    process.env['AWS_ENDPOINT_URL_EC2'] = `http://127.0.0.1:${port}`;
    try {
      const session = new AwsSession({ requestTimeoutMs: 300, maxAttempts: 2 });
      const clients = session.forQuestion({ asker: 't' });
      const started = Date.now();
      const r = await collectForQuestion(clients, [here], question);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(r.gaps).toEqual([expect.objectContaining({ operation: 'DescribeNetworkInterfaces', reason: 'timeout' })]);
      expect(clients.recorder.records[0]?.attempts).toBe(2);
      expect(r.endpoints.source).toMatchObject({ status: 'not-found', incomplete: true });
      session.destroy();
    } finally {
      delete process.env['AWS_ENDPOINT_URL_EC2'];
      for (const s of sockets) s.destroy();
      await new Promise((res) => hang.close(res));
    }
  });
});
