import { describe, expect, it } from 'vitest';
import type { Answer } from '../../src/answer/types.js';
import { makeGap, withGaps } from '../../src/aws/gaps.js';
import { batchWants, emptyKnown, FILTER_VALUES_MAX, plannedWants, relevantRouteTables, routesToward, type Want } from '../../src/aws/targeted-plan.js';

const A = { accountId: '111111111111', region: 'us-east-1' };
const B = { accountId: '222222222222', region: 'us-east-1' };
const configured = new Set(['111111111111/us-east-1', '222222222222/us-east-1']);
const kinds = (ws: Want[], kind: Want['kind']) => ws.filter((w) => w.kind === kind).map((w) => `${w.accountId}:${w.id}`);

describe('targeted plan', () => {
  it('wave 2 from the endpoint interfaces', () => {
    const k = emptyKnown({ source: '10.0.2.100', destination: '10.0.1.50' });
    k.endpointEnis.push({ NetworkInterfaceId: 'eni-s', SubnetId: 'subnet-a', VpcId: 'vpc-1', Groups: [{ GroupId: 'sg-web' }], Attachment: { InstanceId: 'i-1' }, scope: A, role: 'source' });
    const w = plannedWants(k, configured);
    expect(w.map((x) => x.kind).sort()).toEqual(
      ['Instances', 'NetworkAclsForVpcs', 'RouteTablesForVpcs', 'SecurityGroups', 'Subnets', 'TgwAttachmentsForVpcs', 'Vpcs'].sort(),
    );
  });

  it('follows the endpoint groups’ references (cross-account to the owner), not the referenced groups’ rules', () => {
    const k = emptyKnown();
    k.endpointEnis.push({ NetworkInterfaceId: 'eni-d', Groups: [{ GroupId: 'sg-db' }], scope: A, role: 'destination' });
    k.securityGroups.push(
      {
        GroupId: 'sg-db',
        scope: A,
        IpPermissions: [
          { UserIdGroupPairs: [{ GroupId: 'sg-web' }, { GroupId: 'sg-peer', UserId: B.accountId }, { GroupId: 'sg-far', UserId: '999999999999' }], PrefixListIds: [{ PrefixListId: 'pl-1' }] },
        ],
      },
      { GroupId: 'sg-web', scope: A, IpPermissions: [{ UserIdGroupPairs: [{ GroupId: 'sg-unrelated' }] }] },
    );
    const w = plannedWants(k, configured);
    expect(kinds(w, 'SecurityGroupMembers').sort()).toEqual([`${A.accountId}:sg-web`, `${B.accountId}:sg-peer`].sort());
    expect(kinds(w, 'PrefixListEntries')).toEqual([`${A.accountId}:pl-1`]);
    expect(w.some((x) => x.id === 'sg-unrelated' || x.id === 'sg-far')).toBe(false);
  });

  it('route tables: explicit association else main; longest prefix match toward the peer', () => {
    const tables = [
      { RouteTableId: 'rtb-main', VpcId: 'vpc-1', Associations: [{ Main: true }], scope: A },
      { RouteTableId: 'rtb-app', VpcId: 'vpc-1', Associations: [{ SubnetId: 'subnet-app' }], scope: A },
      { RouteTableId: 'rtb-other', VpcId: 'vpc-1', Associations: [{ SubnetId: 'subnet-x' }], scope: A },
    ];
    const r = relevantRouteTables(tables, [
      { scope: A, subnetId: 'subnet-app', vpcId: 'vpc-1', peer: '10.1.1.1' },
      { scope: A, subnetId: 'subnet-db', vpcId: 'vpc-1', peer: '10.0.2.1' },
    ]);
    expect(r.map((x) => x.table.RouteTableId)).toEqual(['rtb-app', 'rtb-main']);
    const routes = [
      { DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local' },
      { DestinationCidrBlock: '10.1.0.0/16', VpcPeeringConnectionId: 'pcx-1' },
      { DestinationCidrBlock: '10.1.1.0/24', State: 'blackhole' as const, NatGatewayId: 'nat-gone' },
      { DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-1' },
      { DestinationPrefixListId: 'pl-s3', GatewayId: 'vpce-1' },
    ];
    expect(routesToward(routes, '10.1.1.9').map((x) => x.NatGatewayId ?? x.GatewayId)).toEqual(['nat-gone', 'vpce-1']);
    expect(routesToward(routes, '10.1.9.9').map((x) => x.VpcPeeringConnectionId ?? x.GatewayId)).toEqual(['pcx-1', 'vpce-1']);
    expect(routesToward(routes, '8.8.8.8').map((x) => x.GatewayId)).toEqual(['igw-1', 'vpce-1']);
    expect(routesToward(routes, undefined)).toHaveLength(5);
  });

  it('TGW: only when routed; route table and routes in the TGW owner account', () => {
    const k = emptyKnown({ source: '10.0.2.100', destination: '10.30.1.5' });
    k.endpointEnis.push({ NetworkInterfaceId: 'eni-s', SubnetId: 'subnet-a', VpcId: 'vpc-1', scope: A, role: 'source' });
    k.routeTables.push({ RouteTableId: 'rtb-a', VpcId: 'vpc-1', Associations: [{ SubnetId: 'subnet-a' }], Routes: [{ DestinationCidrBlock: '10.30.0.0/16', TransitGatewayId: 'tgw-1' }], scope: A });
    k.tgwAttachments.push(
      { TransitGatewayAttachmentId: 'tgw-attach-1', TransitGatewayId: 'tgw-1', TransitGatewayOwnerId: B.accountId, ResourceType: 'vpc', ResourceId: 'vpc-1', scope: A },
      { TransitGatewayAttachmentId: 'tgw-attach-2', TransitGatewayId: 'tgw-unrouted', ResourceType: 'vpc', ResourceId: 'vpc-1', Association: { TransitGatewayRouteTableId: 'tgw-rtb-x', State: 'associated' }, scope: A },
    );
    const w = plannedWants(k, configured);
    // shared TGW: the spoke cannot see the association; ask the owner
    expect(kinds(w, 'TgwAttachmentsForVpcs')).toEqual([`${A.accountId}:vpc-1`, `${B.accountId}:vpc-1`]);
    expect(kinds(w, 'TransitGateways').sort()).toEqual([`${A.accountId}:tgw-1`, `${B.accountId}:tgw-1`].sort());
    expect(w.some((x) => x.id === 'tgw-rtb-x' || x.id === 'tgw-unrouted')).toBe(false);
    k.tgwAttachments.push({ TransitGatewayAttachmentId: 'tgw-attach-1', TransitGatewayId: 'tgw-1', TransitGatewayOwnerId: B.accountId, ResourceType: 'vpc', ResourceId: 'vpc-1', Association: { TransitGatewayRouteTableId: 'tgw-rtb-1', State: 'associated' }, scope: B });
    const w2 = plannedWants(k, configured);
    expect(kinds(w2, 'TgwRoutes')).toEqual([`${B.accountId}:tgw-rtb-1`]);
  });

  it('batches by kind and scope, never twice, at most 200 filter values per call', () => {
    const requested = new Set<string>();
    const many: Want[] = Array.from({ length: 450 }, (_, i) => ({ kind: 'SecurityGroups', ...A, id: `sg-${i}` }));
    const b1 = batchWants([...many, { kind: 'Subnets', ...B, id: 'subnet-1' }], requested);
    expect(b1.map((b) => [b.kind, b.accountId, b.ids.length])).toEqual([
      ['SecurityGroups', A.accountId, FILTER_VALUES_MAX],
      ['SecurityGroups', A.accountId, FILTER_VALUES_MAX],
      ['SecurityGroups', A.accountId, 50],
      ['Subnets', B.accountId, 1],
    ]);
    expect(batchWants(many, requested)).toEqual([]);
  });
});

describe('gaps in the answer', () => {
  const base = { verdict: 'blocked', unknowns: [], warnings: [], summary: 's' } as unknown as Answer;
  const gap = makeGap('DescribeNetworkAcls', A, 'access-denied', 'UnauthorizedOperation', 'denied');

  it('adds warnings always, unknowns naming the permission unless reachable', () => {
    const a = withGaps(base, [gap, { ...gap }]);
    expect(a.warnings).toEqual(['DescribeNetworkAcls in 111111111111 us-east-1: access denied (UnauthorizedOperation); grant ec2:DescribeNetworkAcls']);
    expect(a.unknowns).toEqual([expect.objectContaining({ layer: 'network-acl', code: 'MISSING_DATA', missing: 'ec2:DescribeNetworkAcls' })]);
    const r = withGaps({ ...base, verdict: 'reachable' }, [gap]);
    expect(r.unknowns).toEqual([]);
    expect(r.verdict).toBe('reachable');
    expect(r.warnings).toHaveLength(1);
    expect(withGaps(base, [])).toBe(base);
  });
});

describe('targeted plan: virtual private gateways', () => {
  it('a route to a VGW, or a table that takes its routes, fetches the gateway and its VPN connections; nothing otherwise', () => {
    const k = emptyKnown({ source: '10.0.2.100', destination: '192.168.10.5' });
    k.endpointEnis.push({ NetworkInterfaceId: 'eni-s', SubnetId: 'subnet-a', VpcId: 'vpc-1', Groups: [], scope: A, role: 'source' });
    const table = (extra: Record<string, unknown>) => ({ RouteTableId: 'rtb-1', VpcId: 'vpc-1', scope: A, Associations: [{ SubnetId: 'subnet-a' }], Routes: [{ DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local' }], ...extra });
    k.routeTables.push(table({}));
    expect(kinds(plannedWants(k, configured), 'VpnGateways')).toEqual([]);
    k.routeTables[0] = table({ Routes: [{ DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local' }, { DestinationCidrBlock: '192.168.0.0/16', GatewayId: 'vgw-1' }] });
    expect(kinds(plannedWants(k, configured), 'VpnConnectionsForVgws')).toEqual([`${A.accountId}:vgw-1`]);
    k.routeTables[0] = table({ PropagatingVgws: [{ GatewayId: 'vgw-2' }] });
    const w = plannedWants(k, configured);
    expect(kinds(w, 'VpnGateways')).toEqual([`${A.accountId}:vgw-2`]);
    expect(kinds(w, 'VpnConnectionsForVgws')).toEqual([`${A.accountId}:vgw-2`]);
  });
});
