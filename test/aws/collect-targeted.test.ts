import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AwsSession } from '../../src/aws/clients.js';
import { collectForQuestion } from '../../src/aws/collect-question.js';
import { READ_ONLY_PREFIXES } from '../../src/aws/operations.js';
import type { Target } from '../../src/aws/target.js';
import type { RawDoc } from '../../src/model/raw.js';
import { startMoto, useMotoEnv, type Moto } from '../support/moto.js';
import { commandLog } from './_plugins.js';
import { builderFor, DEFAULT_ACCOUNT, tcp, twoTier, type TwoTier } from '../../src/bench/moto-topology.js';

let moto: Moto;
const here: Target = { accountId: DEFAULT_ACCOUNT, accountName: 'main', region: 'us-east-1' };
const log = commandLog();
let session: AwsSession;

beforeAll(async () => {
  moto = await startMoto();
  useMotoEnv(moto.endpoint);
  session = new AwsSession({ plugins: [log.plugin] });
});
afterAll(async () => {
  session?.destroy();
  await moto?.stop();
});
beforeEach(async () => moto.reset());

const question = {
  source: { kind: 'ip' as const, value: '10.0.2.100' },
  destination: { kind: 'ip' as const, value: '10.0.1.50' },
};

const ids = (docs: RawDoc[], key: string, idField: string): string[] =>
  docs.flatMap((d) => ((d.data[key] as Array<Record<string, unknown>> | undefined) ?? []).map((o) => String(o[idField]))).sort();

async function collect(): Promise<Awaited<ReturnType<typeof collectForQuestion>>> {
  return collectForQuestion(session.forQuestion({ asker: 'test' }), [here], question);
}

describe('targeted collection', () => {
  let t: TwoTier;

  it('fetches exactly the objects on the path', async () => {
    const b = await builderFor();
    t = await twoTier(b);
    const r = await collect();
    expect(r.gaps).toEqual([]);
    expect(r.endpoints.source).toMatchObject({ status: 'found' });
    expect(ids(r.docs, 'SecurityGroups', 'GroupId')).toEqual([t.webSg, t.dbSg].sort());
    // the ENIs that carry the referenced group (web): the source and its peer
    expect(ids(r.docs, 'NetworkInterfaces', 'NetworkInterfaceId')).toEqual([t.src, t.dst, t.webPeer].sort());
    expect(ids(r.docs, 'Subnets', 'SubnetId')).toEqual([t.appSubnet, t.dbSubnet].sort());
    expect(ids(r.docs, 'Vpcs', 'VpcId')).toEqual([t.vpc]);
    expect(ids(r.docs, 'NetworkAcls', 'NetworkAclId')).toHaveLength(1); // the default NACL, associated with both subnets
    const rtbs = ids(r.docs, 'RouteTables', 'RouteTableId');
    expect(rtbs).toContain(t.appRtb);
    expect(rtbs).toHaveLength(2); // app subnet's table + the VPC's main table (db subnet)
    expect(ids(r.docs, 'PrefixLists', 'PrefixListId')).toEqual([t.officeList]);
    const entries = r.docs.find((d) => d.file === 'live:GetManagedPrefixListEntries')?.data;
    expect(entries).toEqual({ ManagedPrefixListEntries: [{ PrefixListId: t.officeList, Entries: [{ Cidr: '192.168.10.0/24' }] }] });
    // the app subnet's default route goes to the IGW, but 10.0.1.50 matches the local route: no IGW read
    expect(ids(r.docs, 'InternetGateways', 'InternetGatewayId')).toEqual([]);
    for (const d of r.docs) expect(d).toMatchObject({ accountId: DEFAULT_ACCOUNT, region: 'us-east-1' });
    // one doc per operation, JSON-plain (no Date objects, no $metadata)
    expect(new Set(r.docs.map((d) => d.file)).size).toBe(r.docs.length);
    expect(JSON.parse(JSON.stringify(r.docs))).toEqual(r.docs);
    b.destroy();
  });

  it('makes a bounded number of calls in three round trips, whatever else the account holds', async () => {
    const b = await builderFor();
    t = await twoTier(b);
    const before = await collect();
    // 50 unrelated groups and interfaces, some in the same VPC and subnets
    const junkVpc = await b.vpc('172.16.0.0/16');
    const junkSubnet = await b.subnet(junkVpc, '172.16.1.0/24');
    for (let i = 0; i < 50; i++) {
      const sg = await b.sg(i % 2 ? junkVpc : t.vpc, `junk-${i}`, { ingress: [tcp(1000 + i, { cidr: '10.9.0.0/16' })] });
      await b.eni(i % 2 ? junkSubnet : t.dbSubnet, i % 2 ? `172.16.1.${10 + i}` : `10.0.1.${100 + i}`, [sg]);
    }
    const after = await collect();
    expect(after.stats.calls).toBe(before.stats.calls);
    expect(after.stats.byOperation).toEqual(before.stats.byOperation);
    expect(after.stats.roundTrips).toBe(3);
    expect(after.stats.calls).toBe(10);
    expect(ids(after.docs, 'SecurityGroups', 'GroupId')).toEqual([t.webSg, t.dbSg].sort());
    expect(after.stats.byOperation).toEqual({
      DescribeNetworkInterfaces: 2, // locate (both IPs in one call) + the ENIs carrying sg web (referenced by sg db)
      DescribeSecurityGroups: 1, // the endpoints' groups (the referenced group web is one of them: not fetched twice)
      DescribeSubnets: 1,
      DescribeVpcs: 1,
      DescribeNetworkAcls: 1, // per VPC
      DescribeRouteTables: 1, // per VPC (subnet tables + main table)
      DescribeTransitGatewayAttachments: 1,
      DescribeManagedPrefixLists: 1,
      GetManagedPrefixListEntries: 1,
    });
    b.destroy();
  });

  it('an address outside AWS: follows the route toward it (IGW), one endpoint only', async () => {
    const b = await builderFor();
    t = await twoTier(b);
    const r = await collectForQuestion(session.forQuestion({ asker: 't' }), [here], { source: question.source, destination: { kind: 'ip', value: '8.8.8.8' } });
    expect(r.endpoints.destination).toMatchObject({ status: 'not-found' });
    // moto does not implement the association.public-ip filter (HTTP 500 after the SDK's retries):
    // that lookup becomes a gap and the outcome is marked incomplete, as an AWS outage would be
    expect(r.gaps.map((g) => [g.operation, g.reason])).toEqual([['DescribeNetworkInterfaces', 'error']]);
    expect(ids(r.docs, 'InternetGateways', 'InternetGatewayId')).toEqual([t.igw]);
    expect(ids(r.docs, 'Subnets', 'SubnetId')).toEqual([t.appSubnet]);
    // locate: one call for both private addresses, one for 8.8.8.8 as a public (Elastic/auto-assigned) address
    expect(r.stats.byOperation['DescribeNetworkInterfaces']).toBe(2);
    b.destroy();
  });

  it('follows a peering route: both VPCs, the peering connection, still three round trips', async () => {
    const b = await builderFor();
    const a = await twoTier(b);
    const peerVpc = await b.vpc('10.1.0.0/16', 'peer');
    const peerSubnet = await b.subnet(peerVpc, '10.1.1.0/24');
    const peerSg = await b.sg(peerVpc, 'api', { ingress: [tcp(443, { cidr: '10.0.2.0/24' })] });
    const peerEni = await b.eni(peerSubnet, '10.1.1.50', [peerSg], 'api-1');
    const pcx = await b.peering(a.vpc, peerVpc);
    await b.route(a.appRtb, '10.1.0.0/16', { VpcPeeringConnectionId: pcx });
    const peerRtb = await b.routeTable(peerVpc, peerSubnet);
    await b.route(peerRtb, '10.0.0.0/16', { VpcPeeringConnectionId: pcx });
    const r = await collectForQuestion(session.forQuestion({ asker: 't' }), [here], { source: question.source, destination: { kind: 'ip', value: '10.1.1.50' } });
    expect(r.gaps).toEqual([]);
    expect(ids(r.docs, 'VpcPeeringConnections', 'VpcPeeringConnectionId')).toEqual([pcx]);
    expect(ids(r.docs, 'Vpcs', 'VpcId')).toEqual([a.vpc, peerVpc].sort());
    expect(ids(r.docs, 'RouteTables', 'RouteTableId')).toEqual(expect.arrayContaining([a.appRtb, peerRtb]));
    expect(ids(r.docs, 'NetworkInterfaces', 'NetworkInterfaceId')).toEqual(expect.arrayContaining([a.src, peerEni]));
    expect(r.stats.roundTrips).toBe(3);
    b.destroy();
  });

  it('follows a transit gateway route: attachment, TGW route table and its routes', async () => {
    const b = await builderFor();
    const a = await twoTier(b);
    const spokeVpc = await b.vpc('10.30.0.0/16', 'spoke');
    const spokeSubnet = await b.subnet(spokeVpc, '10.30.1.0/24');
    const spokeSg = await b.sg(spokeVpc, 'svc', { ingress: [tcp(443, { cidr: '10.0.0.0/8' })] });
    await b.eni(spokeSubnet, '10.30.1.50', [spokeSg], 'svc-1');
    const g = await b.tgw([
      { vpcId: a.vpc, subnetId: a.appSubnet, cidr: '10.0.0.0/16' },
      { vpcId: spokeVpc, subnetId: spokeSubnet, cidr: '10.30.0.0/16' },
    ]);
    await b.route(a.appRtb, '10.30.0.0/16', { TransitGatewayId: g.tgw });
    const spokeRtb = await b.routeTable(spokeVpc, spokeSubnet);
    await b.route(spokeRtb, '10.0.0.0/16', { TransitGatewayId: g.tgw });
    const r = await collectForQuestion(session.forQuestion({ asker: 't' }), [here], { source: question.source, destination: { kind: 'ip', value: '10.30.1.50' } });
    expect(r.gaps).toEqual([]);
    expect(ids(r.docs, 'TransitGateways', 'TransitGatewayId')).toEqual([g.tgw]);
    expect(ids(r.docs, 'TransitGatewayAttachments', 'TransitGatewayAttachmentId')).toEqual([...g.attachments].sort());
    expect(ids(r.docs, 'TransitGatewayVpcAttachments', 'TransitGatewayAttachmentId')).toEqual([...g.attachments].sort());
    expect(ids(r.docs, 'TransitGatewayRouteTables', 'TransitGatewayRouteTableId')).toEqual([g.rtb]);
    const routes = r.docs.find((d) => d.file === 'live:SearchTransitGatewayRoutes')?.data['TransitGatewayStaticRoutes'] as Array<{ TransitGatewayRouteTableId: string; Routes: unknown[] }>;
    expect(routes).toHaveLength(1); // the associated table only, not the TGW's default table
    expect(routes[0]).toMatchObject({ TransitGatewayRouteTableId: g.rtb });
    expect(routes[0]?.Routes).toHaveLength(2);
    expect(r.stats.roundTrips).toBe(3);
    b.destroy();
  });

  it('never calls a mutating API', async () => {
    const b = await builderFor();
    t = await twoTier(b);
    log.calls.length = 0;
    await collect();
    expect(log.calls.length).toBeGreaterThan(5);
    for (const c of log.calls) {
      expect([...READ_ONLY_PREFIXES, 'Start', 'AssumeRole'].some((p) => c.operation.startsWith(p)), c.operation).toBe(true);
    }
    b.destroy();
  });
});
