import { CreateNetworkInterfaceCommand } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AwsSession } from '../../src/aws/clients.js';
import { locateEndpoints } from '../../src/aws/locate.js';
import { resolveTargets } from '../../src/aws/targets.js';
import { parseConfigText } from '../../src/config/load.js';
import { implicitConfig } from '../../src/config/validate.js';
import type { Target } from '../../src/aws/target.js';
import { isSgwhyError, type SgwhyError } from '../../src/errors/errors.js';
import { startMoto, useMotoEnv, type Moto } from '../support/moto.js';
import { builderFor, DEFAULT_ACCOUNT, twoTier } from '../../src/bench/moto-topology.js';

let moto: Moto;
let session: AwsSession;
const OTHER = '222222222222';
const here: Target = { accountId: DEFAULT_ACCOUNT, accountName: 'main', region: 'us-east-1' };
const other: Target = { accountId: OTHER, accountName: 'other', region: 'us-east-1', roleArn: `arn:aws:iam::${OTHER}:role/sgwhy-readonly` };

beforeAll(async () => {
  moto = await startMoto();
  useMotoEnv(moto.endpoint);
  session = new AwsSession();
});
afterAll(async () => {
  session?.destroy();
  await moto?.stop();
});
beforeEach(async () => moto.reset());

const ip = (value: string) => ({ kind: 'ip' as const, value });

describe('targets', () => {
  it('no config: one account from the default chain (GetCallerIdentity) and the SDK default region', async () => {
    const clients = session.forQuestion({ asker: 't' });
    expect(await resolveTargets(clients, implicitConfig().accounts)).toEqual([{ accountId: DEFAULT_ACCOUNT, accountName: DEFAULT_ACCOUNT, region: 'us-east-1' }]);
    expect(clients.recorder.operations()).toEqual(['GetCallerIdentity']);
  });

  it('configured accounts: one target per region, no calls', async () => {
    const c = parseConfigText(`accounts:\n  - {id: "${OTHER}", name: other, roleArn: "arn:aws:iam::${OTHER}:role/r", externalId: xx, regions: [us-east-1, eu-west-1]}\n`, 'inline');
    const clients = session.forQuestion({ asker: 't' });
    expect(await resolveTargets(clients, c.accounts)).toEqual([
      { accountId: OTHER, accountName: 'other', region: 'us-east-1', roleArn: `arn:aws:iam::${OTHER}:role/r`, externalId: 'xx' },
      { accountId: OTHER, accountName: 'other', region: 'eu-west-1', roleArn: `arn:aws:iam::${OTHER}:role/r`, externalId: 'xx' },
    ]);
    expect(clients.recorder.stats().calls).toBe(0);
  });
});

describe('locate', () => {
  it('finds both endpoints by IP in one round trip, one call per account/region', async () => {
    const b = await builderFor();
    const t = await twoTier(b);
    const clients = session.forQuestion({ asker: 'test' });
    const r = await locateEndpoints(clients, [here], [ip('10.0.2.100'), ip('10.0.1.50')]);
    expect(r.outcomes.map((o) => o.status)).toEqual(['found', 'found']);
    const [s, d] = r.outcomes;
    expect(s?.status === 'found' && s.candidate.interfaces.map((i) => i.networkInterfaceId)).toEqual([t.src]);
    expect(d?.status === 'found' && d.candidate).toMatchObject({ accountId: DEFAULT_ACCOUNT, vpcId: t.vpc, interfaces: [{ subnetId: t.dbSubnet, name: 'db-1', securityGroupIds: [t.dbSg] }] });
    expect(clients.recorder.stats()).toMatchObject({ calls: 1, roundTrips: 1, byOperation: { DescribeNetworkInterfaces: 1 } });
    expect(r.docs).toHaveLength(1);
    expect(r.docs[0]).toMatchObject({ file: 'live:DescribeNetworkInterfaces', accountId: DEFAULT_ACCOUNT, region: 'us-east-1' });
    b.destroy();
  });

  it('finds an instance (i-) and an interface (eni-) by id', async () => {
    const b = await builderFor();
    const t = await twoTier(b);
    const inst = await b.instance(t.appSubnet, '10.0.2.200', [t.webSg], 'batch');
    const clients = session.forQuestion({ asker: 'test' });
    const r = await locateEndpoints(clients, [here], [{ kind: 'instance', value: inst }, { kind: 'eni', value: t.dst }]);
    const [s, d] = r.outcomes;
    expect(s?.status).toBe('found');
    expect(s?.status === 'found' && s.candidate.interfaces[0]).toMatchObject({ instanceId: inst, privateIp: '10.0.2.200', matchedBy: 'instance' });
    expect(d?.status === 'found' && d.candidate.interfaces[0]).toMatchObject({ networkInterfaceId: t.dst, matchedBy: 'eni' });
    expect(clients.recorder.stats().roundTrips).toBe(1);
    b.destroy();
  });

  it('finds endpoints by Name tag: an instance (all its interfaces) and a tagged interface; two of a name are ambiguous', async () => {
    const b = await builderFor();
    const t = await twoTier(b); // bare interfaces tagged web-1, db-1, web-2
    const inst = await b.instance(t.appSubnet, '10.0.2.200', [t.webSg], 'Batch-7');
    const clients = session.forQuestion({ asker: 'test' });
    const r = await locateEndpoints(clients, [here], [{ kind: 'name', value: 'Batch-7' }, { kind: 'name', value: 'db-1' }]);
    const [s, d] = r.outcomes;
    expect(s?.status === 'found' && s.candidate.interfaces[0]).toMatchObject({ instanceId: inst, privateIp: '10.0.2.200', matchedBy: 'name' });
    expect(d?.status === 'found' && d.candidate.interfaces[0]).toMatchObject({ networkInterfaceId: t.dst, matchedBy: 'name' });
    expect(clients.recorder.stats().roundTrips).toBe(1);
    await b.instance(t.appSubnet, '10.0.2.201', [t.webSg], 'Batch-7');
    const err = (await locateEndpoints(session.forQuestion({ asker: 't' }), [here], [{ kind: 'name', value: 'Batch-7' }]).catch((e: unknown) => e)) as SgwhyError;
    expect(err.code).toBe('AMBIGUOUS_ENDPOINT');
    b.destroy();
  });

  it('finds a load balancer\'s node interfaces by their description, from alb/NAME', async () => {
    const b = await builderFor();
    const t = await twoTier(b);
    const ec2 = b.ec2;
    const node = async (subnet: string, ip: string, description: string) =>
      (await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnet, PrivateIpAddress: ip, Groups: [t.webSg], Description: description }))).NetworkInterface!.NetworkInterfaceId!;
    const a = await node(t.appSubnet, '10.0.2.30', 'ELB app/Orders/50dc6c495c0c9188');
    const c = await node(t.dbSubnet, '10.0.1.30', 'ELB app/Orders/50dc6c495c0c9188');
    await node(t.dbSubnet, '10.0.1.31', 'ELB app/orders-v2/60dc6c495c0c9188');
    const r = await locateEndpoints(session.forQuestion({ asker: 'test' }), [here], [{ kind: 'load-balancer', value: 'alb/Orders' }]);
    const o = r.outcomes[0];
    expect(o?.status === 'found' && o.candidate.interfaces.map((i) => i.networkInterfaceId).sort()).toEqual([a, c].sort());
    expect(o?.status === 'found' && o.candidate.interfaces[0]?.matchedBy).toBe('load-balancer');
    b.destroy();
  });

  it('reports an address nobody owns as not-found (the caller says unknown)', async () => {
    const b = await builderFor();
    await twoTier(b);
    const r = await locateEndpoints(session.forQuestion({ asker: 't' }), [here], [ip('10.0.9.9')]);
    expect(r.outcomes[0]).toMatchObject({ status: 'not-found', incomplete: false, searched: [{ accountId: DEFAULT_ACCOUNT, region: 'us-east-1' }] });
    b.destroy();
  });

  it('refuses to pick between two VPCs with overlapping CIDRs, listing both', async () => {
    const b = await builderFor();
    const a = await twoTier(b);
    const c = await twoTier(b); // same CIDR, same addresses, another VPC
    const err = await locateEndpoints(session.forQuestion({ asker: 't' }), [here], [ip('10.0.2.100'), ip('10.0.9.9')]).catch((e: unknown) => e);
    expect(isSgwhyError(err)).toBe(true);
    const e = err as SgwhyError;
    expect(e.code).toBe('AMBIGUOUS_ENDPOINT');
    expect(e.message).toContain(a.src);
    expect(e.message).toContain(c.src);
    expect(e.message).toContain(a.vpc);
    expect(e.message).toContain(c.vpc);
    expect(e.hints.join(' ')).toMatch(/interface or instance id/);
    const details = e.details as { endpoints: Array<{ input: string; candidates: Array<{ vpcId: string }> }> };
    expect(details.endpoints[0]?.input).toBe('10.0.2.100');
    expect(details.endpoints[0]?.candidates.map((x) => x.vpcId).sort()).toEqual([a.vpc, c.vpc].sort());

    // The user picks one: narrowing to a VPC resolves it.
    const r = await locateEndpoints(session.forQuestion({ asker: 't' }), [here], [ip('10.0.2.100')], { within: [{ vpcId: c.vpc }] });
    expect(r.outcomes[0]?.status === 'found' && r.outcomes[0].candidate.interfaces[0]?.networkInterfaceId).toBe(c.src);
    b.destroy();
  });

  it('searches every configured account concurrently and flags the same IP in two accounts', async () => {
    const b1 = await builderFor();
    const b2 = await builderFor(OTHER);
    const a = await twoTier(b1);
    const o = await twoTier(b2);
    const clients = session.forQuestion({ asker: 'alice@example.com' });
    const err = (await locateEndpoints(clients, [here, other], [ip('10.0.1.50')]).catch((e: unknown) => e)) as SgwhyError;
    expect(err.code).toBe('AMBIGUOUS_ENDPOINT');
    expect(err.message).toContain(`account other ${OTHER}`);
    expect(err.message).toContain(DEFAULT_ACCOUNT);
    expect(err.message).toContain(a.dst);
    expect(err.message).toContain(o.dst);
    // both accounts were searched in the same wave (AssumeRole first for the other one)
    expect(clients.recorder.stats().byOperation).toMatchObject({ DescribeNetworkInterfaces: 2, AssumeRole: 1 });

    const r = await locateEndpoints(session.forQuestion({ asker: 'x' }), [here, other], [ip('10.0.1.50')], { within: [{ accountId: OTHER }] });
    expect(r.outcomes[0]?.status === 'found' && r.outcomes[0].candidate).toMatchObject({ accountId: OTHER, accountName: 'other', vpcId: o.vpc });
    b1.destroy();
    b2.destroy();
  });
});
