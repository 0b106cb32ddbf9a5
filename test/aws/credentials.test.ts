import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AwsSession } from '../../src/aws/clients.js';
import { CredentialBroker, roleSessionName, type RoleTarget } from '../../src/aws/credentials.js';
import { locateEndpoints } from '../../src/aws/locate.js';
import type { Target } from '../../src/aws/target.js';
import { isSgwhyError, type SgwhyError } from '../../src/errors/errors.js';
import { startMoto, useMotoEnv, type Moto } from '../support/moto.js';
import { commandLog, failOperation, serviceError } from './_plugins.js';
import { builderFor, DEFAULT_ACCOUNT, twoTier } from '../../src/bench/moto-topology.js';

let moto: Moto;
const PROD = '333333333333';
const prod: RoleTarget = {
  accountId: PROD,
  accountName: 'prod',
  region: 'us-east-1',
  roleArn: `arn:aws:iam::${PROD}:role/sgwhy-readonly`,
  externalId: 'ext-123',
};
const here: Target = { accountId: DEFAULT_ACCOUNT, accountName: 'main', region: 'us-east-1' };

beforeAll(async () => {
  moto = await startMoto();
  useMotoEnv(moto.endpoint);
});
afterAll(async () => moto?.stop());
beforeEach(async () => moto.reset());

describe('roleSessionName', () => {
  it('carries the asker within AWS limits', () => {
    expect(roleSessionName('alice@example.com')).toBe('sgwhy.alice@example.com');
    expect(roleSessionName('U024BE7LH')).toBe('sgwhy.U024BE7LH');
    expect(roleSessionName('Zoë Müller <zoe> (on-call)')).toBe('sgwhy.Zoe-Muller-zoe-on-call');
    expect(roleSessionName('')).toBe('sgwhy');
    expect(roleSessionName('!!!')).toBe('sgwhy');
    const long = roleSessionName('x'.repeat(200));
    expect(long.length).toBe(64);
    for (const s of ['a b/c:d', 'ünï', '日本語', 'x'.repeat(100), '--x--']) expect(roleSessionName(s)).toMatch(/^[\w+=,.@-]{2,64}$/);
  });
});

describe('AssumeRole', () => {
  it('assumes the role per account with ExternalId and a session name carrying the asker', async () => {
    const b = await builderFor(PROD);
    const t = await twoTier(b);
    b.destroy();
    const log = commandLog();
    const session = new AwsSession({ plugins: [log.plugin] });
    const clients = session.forQuestion({ asker: 'alice@example.com' });
    const r = await locateEndpoints(clients, [prod], [{ kind: 'ip', value: '10.0.1.50' }]);
    // The role's credentials reach the account's resources (moto keys resources by the role's account).
    expect(r.outcomes[0]?.status === 'found' && r.outcomes[0].candidate).toMatchObject({ accountId: PROD, vpcId: t.vpc });
    const assume = log.calls.filter((c) => c.operation === 'AssumeRole');
    expect(assume).toHaveLength(1);
    expect(assume[0]?.input).toMatchObject({ RoleArn: prod.roleArn, RoleSessionName: 'sgwhy.alice@example.com', ExternalId: 'ext-123', DurationSeconds: 3600 });
    expect(clients.recorder.stats().byOperation).toMatchObject({ AssumeRole: 1, DescribeNetworkInterfaces: 1 });
    // the first call in an account waits for AssumeRole: two sequential round trips; cached afterwards
    expect(clients.recorder.stats().roundTrips).toBe(2);
    const again = session.forQuestion({ asker: 'alice@example.com' });
    await locateEndpoints(again, [prod], [{ kind: 'ip', value: '10.0.1.50' }]);
    expect(again.recorder.stats()).toMatchObject({ roundTrips: 1, byOperation: { DescribeNetworkInterfaces: 1 } });

    // CloudTrail would show the asker: the assumed-role ARN ends with the session name.
    const creds = await session.broker.credentials(prod, 'alice@example.com');
    const who = await new STSClient({ region: 'us-east-1', credentials: creds }).send(new GetCallerIdentityCommand({}));
    expect(who.Arn).toBe(`arn:aws:sts::${PROD}:assumed-role/sgwhy-readonly/sgwhy.alice@example.com`);
    session.destroy();
  });

  it('caches credentials per asker until shortly before expiry, then refreshes transparently', async () => {
    const log = commandLog();
    let now = Date.now();
    const session = new AwsSession({ plugins: [log.plugin], now: () => now, sessionDurationSeconds: 3600 });
    const assumeCount = () => log.calls.filter((c) => c.operation === 'AssumeRole').length;
    // concurrent first use: one AssumeRole
    await Promise.all([1, 2, 3].map(() => session.broker.credentials(prod, 'bob')));
    expect(assumeCount()).toBe(1);
    // three questions by the same asker: still one
    for (let i = 0; i < 3; i++) await locateEndpoints(session.forQuestion({ asker: 'bob' }), [prod], [{ kind: 'ip', value: '10.0.0.1' }]);
    expect(assumeCount()).toBe(1);
    // another asker gets their own session (CloudTrail must name them)
    await session.broker.credentials(prod, 'carol');
    expect(assumeCount()).toBe(2);
    // moto issues credentials that expire in 12 h; move the clock to 4 min before expiry: refreshed
    const exp = (await session.broker.credentials(prod, 'bob')).expiration.getTime();
    now = exp - 6 * 60_000;
    await session.broker.credentials(prod, 'bob');
    expect(assumeCount()).toBe(2);
    now = exp - 4 * 60_000;
    await session.broker.credentials(prod, 'bob');
    expect(assumeCount()).toBe(3);
    session.destroy();
  });

  it('AssumeRole denied (wrong ExternalId / missing trust): a clear error naming account and role', async () => {
    const deny = failOperation('AssumeRole', () =>
      serviceError('AccessDenied', `User: arn:aws:iam::${DEFAULT_ACCOUNT}:user/sgwhy is not authorized to perform: sts:AssumeRole on resource: ${prod.roleArn}`, 403),
    );
    const session = new AwsSession({ plugins: [deny.plugin] });
    const err = (await locateEndpoints(session.forQuestion({ asker: 'dave' }), [prod], [{ kind: 'ip', value: '10.0.1.50' }]).catch((e: unknown) => e)) as SgwhyError;
    expect(isSgwhyError(err)).toBe(true);
    expect(err.code).toBe('AWS_ASSUME_ROLE_FAILED');
    expect(err.message).toContain(prod.roleArn);
    expect(err.message).toContain(`prod (${PROD})`);
    expect(err.message).toContain('AccessDenied');
    expect(err.hints.join('\n')).toMatch(/ExternalId/);
    expect(err.hints.join('\n')).toMatch(/trust policy/);
    expect(deny.attempts()).toBe(1); // AccessDenied is not retried
    session.destroy();
  });

  it('one account failing AssumeRole does not hide an endpoint found in another: it becomes a gap', async () => {
    const b = await builderFor();
    await twoTier(b);
    b.destroy();
    const deny = failOperation('AssumeRole', () => serviceError('AccessDenied', 'not authorized to perform sts:AssumeRole', 403));
    const session = new AwsSession({ plugins: [deny.plugin] });
    const r = await locateEndpoints(session.forQuestion({ asker: 'erin' }), [here, prod], [{ kind: 'ip', value: '10.0.1.50' }]);
    expect(r.outcomes[0]).toMatchObject({ status: 'found', candidate: { accountId: DEFAULT_ACCOUNT } });
    expect(r.gaps).toEqual([expect.objectContaining({ reason: 'assume-role-failed', permission: 'sts:AssumeRole', accountId: PROD })]);
    expect(r.gaps[0]?.message).toContain(prod.roleArn);
    session.destroy();
  });

  it('the broker drops failed attempts from the cache (the next question retries)', async () => {
    let fail = true;
    const flaky = {
      applyToStack(stack: { add: (...a: unknown[]) => void }) {
        stack.add(
          (next: (a: unknown) => Promise<unknown>) => async (a: unknown) => {
            if (fail) throw serviceError('AccessDenied', 'denied', 403);
            return next(a);
          },
          { step: 'deserialize', name: 'flaky', priority: 'low' },
        );
      },
    };
    const session = new AwsSession({ plugins: [flaky] });
    const broker: CredentialBroker = session.broker;
    await expect(broker.credentials(prod, 'f')).rejects.toMatchObject({ code: 'AWS_ASSUME_ROLE_FAILED' });
    fail = false;
    await expect(broker.credentials(prod, 'f')).resolves.toMatchObject({ accessKeyId: expect.any(String) });
    session.destroy();
  });
});
