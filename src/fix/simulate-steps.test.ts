/** Whole fixes in the simulator: created objects, step references, and the CLI that chains them. */
import { describe, expect, it } from 'vitest';
import type { RawDoc } from '../model/raw.js';
import { toCli } from './cli.js';
import { shellArgument } from './shell.js';
import { applyFixSteps } from './simulate-steps.js';

const docs = (): RawDoc[] => [{
  file: 'x.json', accountId: '111122223333', region: 'eu-west-1',
  data: {
    Vpcs: [{ VpcId: 'vpc-a', CidrBlock: '10.0.0.0/16', OwnerId: '111122223333', CidrBlockAssociationSet: [{ CidrBlock: '10.0.0.0/16', CidrBlockState: { State: 'associated' } }] },
      { VpcId: 'vpc-b', CidrBlock: '10.1.0.0/16', OwnerId: '111122223333' }],
    SecurityGroups: [{ GroupId: 'sg-old', GroupName: 'old', VpcId: 'vpc-a', IpPermissions: [], IpPermissionsEgress: [] }],
    NetworkInterfaces: [{ NetworkInterfaceId: 'eni-1', Groups: [{ GroupId: 'sg-old', GroupName: 'old' }] }],
    RouteTables: [{ RouteTableId: 'rtb-1', VpcId: 'vpc-a', Routes: [{ DestinationCidrBlock: '10.1.0.0/16', VpcPeeringConnectionId: 'pcx-gone', State: 'blackhole' }] }],
    VpcPeeringConnections: [],
  },
}];

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('applyFixSteps', () => {
  it('creates a group, passes its id to the next steps, and attaches it keeping the old one', () => {
    const out = applyFixSteps(docs(), [
      { operation: 'CreateSecurityGroup', input: { GroupName: 'n', Description: 'd', VpcId: 'vpc-a' }, output: { name: 'NEW_GROUP_ID', field: 'GroupId' } },
      { operation: 'RevokeSecurityGroupEgress', input: { GroupId: '${NEW_GROUP_ID}', IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] } },
      { operation: 'AuthorizeSecurityGroupIngress', input: { GroupId: '${NEW_GROUP_ID}', IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.2.100/32' }] }] } },
      { operation: 'ModifyNetworkInterfaceAttribute', input: { NetworkInterfaceId: 'eni-1', Groups: ['sg-old', '${NEW_GROUP_ID}'] } },
    ]);
    const groups = out[0]!.data.SecurityGroups as Obj[];
    const created = groups.find((g) => g.GroupName === 'n')!;
    expect(created.GroupId).toMatch(/^sg-[0-9a-f]{17}$/);
    expect(created.IpPermissionsEgress).toEqual([]);
    expect(created.IpPermissions[0].IpRanges[0].CidrIp).toBe('10.0.2.100/32');
    expect((out[0]!.data.NetworkInterfaces as Obj[])[0]!.Groups.map((g: Obj) => g.GroupId)).toEqual(['sg-old', created.GroupId]);
    // the input documents are untouched
    expect((docs()[0]!.data.SecurityGroups as Obj[]).length).toBe(1);
  });

  it('creates and accepts a peering, and re-points a route at it', () => {
    const out = applyFixSteps(docs(), [
      { operation: 'CreateVpcPeeringConnection', input: { VpcId: 'vpc-a', PeerVpcId: 'vpc-b' }, output: { name: 'P', field: 'VpcPeeringConnection.VpcPeeringConnectionId' } },
      { operation: 'AcceptVpcPeeringConnection', input: { VpcPeeringConnectionId: '${P}' } },
      { operation: 'ReplaceRoute', input: { RouteTableId: 'rtb-1', DestinationCidrBlock: '10.1.0.0/16', VpcPeeringConnectionId: '${P}' } },
    ]);
    const pcx = (out[0]!.data.VpcPeeringConnections as Obj[])[0]!;
    expect(pcx.Status.Code).toBe('active');
    expect(pcx.RequesterVpcInfo.CidrBlockSet).toEqual([{ CidrBlock: '10.0.0.0/16' }]);
    expect(pcx.AccepterVpcInfo.CidrBlock).toBe('10.1.0.0/16');
    const route = (out[0]!.data.RouteTables as Obj[])[0]!.Routes[0];
    expect(route).toMatchObject({ VpcPeeringConnectionId: pcx.VpcPeeringConnectionId, State: 'active' });
  });

  it('refuses a reference no earlier step sets, and a second group of the same name', () => {
    expect(() => applyFixSteps(docs(), [{ operation: 'AcceptVpcPeeringConnection', input: { VpcPeeringConnectionId: '${NOPE}' } }])).toThrow(/no earlier step/);
    expect(() => applyFixSteps(docs(), [{ operation: 'CreateSecurityGroup', input: { GroupName: 'old', Description: 'd', VpcId: 'vpc-a' } }])).toThrow(/InvalidGroup.Duplicate/);
  });
});

describe('CLI of a step', () => {
  it('sets a variable from the response and uses it double-quoted; anything else is single-quoted', () => {
    expect(toCli('CreateSecurityGroup', { GroupName: 'n', Description: "it's", VpcId: 'vpc-a' }, 'eu-west-1', { name: 'NEW_GROUP_ID', field: 'GroupId' }))
      .toBe(`NEW_GROUP_ID=$(aws ec2 create-security-group --group-name n --description 'it'\\''s' --vpc-id vpc-a --region eu-west-1 --query GroupId --output text)`);
    expect(toCli('AcceptVpcPeeringConnection', { VpcPeeringConnectionId: '${NEW_PEERING_ID}' })).toBe('aws ec2 accept-vpc-peering-connection --vpc-peering-connection-id "$NEW_PEERING_ID"');
    // only an exact, upper-case reference is one: the rest is data and is quoted
    expect(shellArgument('${x}')).toBe(`'\${x}'`);
    expect(shellArgument('${A}; rm -rf /')).toBe(`'\${A}; rm -rf /'`);
    expect(shellArgument('$(id)')).toBe(`'$(id)'`);
    expect(() => toCli('CreateSecurityGroup', { GroupName: 'n', Description: 'd', VpcId: 'v' }, undefined, { name: 'x; id', field: 'GroupId' })).toThrow();
  });
});

describe('routes next to propagated ones', () => {
  it('creates a static route beside a route propagated from a VGW for the same prefix, and replaces only the static one', () => {
    const d: RawDoc[] = [{ file: 'r.json', data: { RouteTables: [{ RouteTableId: 'rtb-1', VpcId: 'vpc-a', Routes: [
      { DestinationCidrBlock: '192.168.0.0/16', GatewayId: 'vgw-1', Origin: 'EnableVgwRoutePropagation', State: 'active' }] }] } }];
    const out = applyFixSteps(d, [{ operation: 'CreateRoute', input: { RouteTableId: 'rtb-1', DestinationCidrBlock: '192.168.0.0/16', TransitGatewayId: 'tgw-1' } }]);
    const routes = (out[0]!.data.RouteTables as Obj[])[0]!.Routes as Obj[];
    expect(routes.map((r) => `${r.Origin}:${r.GatewayId ?? r.TransitGatewayId}`)).toEqual(['EnableVgwRoutePropagation:vgw-1', 'CreateRoute:tgw-1']);
    expect(() => applyFixSteps(d, [{ operation: 'ReplaceRoute', input: { RouteTableId: 'rtb-1', DestinationCidrBlock: '192.168.0.0/16', TransitGatewayId: 'tgw-1' } }])).toThrow(/use CreateRoute/);
  });
});

describe('internet gateway', () => {
  it('creates one, attaches it (State available, as AWS lists it), and refuses a second for the same VPC', () => {
    const steps = [
      { operation: 'CreateInternetGateway', input: {}, output: { name: 'NEW_IGW_ID', field: 'InternetGateway.InternetGatewayId' } },
      { operation: 'AttachInternetGateway', input: { InternetGatewayId: '${NEW_IGW_ID}', VpcId: 'vpc-a' } },
    ];
    const out = applyFixSteps(docs(), steps);
    const igws = out.flatMap((d) => (d.data.InternetGateways as Obj[] | undefined) ?? []);
    expect(igws).toHaveLength(1);
    expect(igws[0]!.InternetGatewayId).toMatch(/^igw-[0-9a-f]{17}$/);
    expect(igws[0]!.Attachments).toEqual([{ State: 'available', VpcId: 'vpc-a' }]);
    expect(() => applyFixSteps(out, steps)).toThrow(/already has an internet gateway/);
  });
});
