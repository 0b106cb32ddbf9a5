import { describe, expect, it } from 'vitest';
import { commandFor, inverseOf, touchedBy } from './inverse.js';
import type { RawDoc } from '../model/raw.js';

const before: RawDoc[] = [{
  file: 'x',
  data: {
    NetworkInterfaces: [{ NetworkInterfaceId: 'eni-1', Groups: [{ GroupId: 'sg-a' }, { GroupId: 'sg-b' }] }],
    RouteTables: [{ RouteTableId: 'rtb-1', Routes: [{ DestinationCidrBlock: '10.1.0.0/16', GatewayId: 'igw-1', State: 'active' }, { DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local' }] }],
    NetworkAcls: [{ NetworkAclId: 'acl-1', Entries: [{ RuleNumber: 90, Egress: false, Protocol: '6', RuleAction: 'deny', CidrBlock: '10.0.0.0/8', PortRange: { From: 22, To: 22 } }] }],
    TransitGatewayStaticRoutes: [{ TransitGatewayRouteTableId: 'tgw-rtb-1', Routes: [
      { DestinationCidrBlock: '10.1.0.0/16', State: 'active', TransitGatewayAttachments: [{ TransitGatewayAttachmentId: 'tgw-attach-old' }] },
      { DestinationCidrBlock: '10.2.0.0/16', State: 'blackhole' }] }],
    TransitGatewayVpcAttachments: [{ TransitGatewayAttachmentId: 'tgw-attach-1', SubnetIds: ['subnet-1'] }],
  },
}];

describe('inverseOf', () => {
  it('revokes exactly the permissions an authorize added', () => {
    const perms = [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, UserIdGroupPairs: [{ GroupId: 'sg-src', Description: 'd' }] }];
    const inv = inverseOf({ operation: 'AuthorizeSecurityGroupEgress', input: { GroupId: 'sg-1', IpPermissions: perms } }, []);
    expect(inv).toEqual({ ok: true, calls: [{ operation: 'RevokeSecurityGroupEgress', input: { GroupId: 'sg-1', IpPermissions: perms } }] });
  });

  it('deletes created entries and routes; restores replaced ones and previous groups from the data before', () => {
    expect(inverseOf({ operation: 'CreateNetworkAclEntry', input: { NetworkAclId: 'acl-1', RuleNumber: 80, Egress: true, Protocol: '6' } }, [])).toEqual(
      { ok: true, calls: [{ operation: 'DeleteNetworkAclEntry', input: { NetworkAclId: 'acl-1', RuleNumber: 80, Egress: true } }] });
    expect(inverseOf({ operation: 'ReplaceNetworkAclEntry', input: { NetworkAclId: 'acl-1', RuleNumber: 90, Egress: false, Protocol: '6', RuleAction: 'allow', CidrBlock: '10.0.0.5/32', PortRange: { From: 22, To: 22 } } }, before)).toEqual(
      { ok: true, calls: [{ operation: 'ReplaceNetworkAclEntry', input: { NetworkAclId: 'acl-1', RuleNumber: 90, Egress: false, Protocol: '6', RuleAction: 'deny', CidrBlock: '10.0.0.0/8', PortRange: { From: 22, To: 22 } } }] });
    expect(inverseOf({ operation: 'CreateRoute', input: { RouteTableId: 'rtb-1', DestinationCidrBlock: '10.9.0.0/16', VpcPeeringConnectionId: 'pcx-1' } }, [])).toEqual(
      { ok: true, calls: [{ operation: 'DeleteRoute', input: { RouteTableId: 'rtb-1', DestinationCidrBlock: '10.9.0.0/16' } }] });
    expect(inverseOf({ operation: 'ReplaceRoute', input: { RouteTableId: 'rtb-1', DestinationCidrBlock: '10.1.0.0/16', VpcPeeringConnectionId: 'pcx-1' } }, before)).toEqual(
      { ok: true, calls: [{ operation: 'ReplaceRoute', input: { RouteTableId: 'rtb-1', DestinationCidrBlock: '10.1.0.0/16', GatewayId: 'igw-1' } }] });
    expect(inverseOf({ operation: 'ModifyNetworkInterfaceAttribute', input: { NetworkInterfaceId: 'eni-1', Groups: ['sg-a', 'sg-b', 'sg-c'] } }, before)).toEqual(
      { ok: true, calls: [{ operation: 'ModifyNetworkInterfaceAttribute', input: { NetworkInterfaceId: 'eni-1', Groups: ['sg-a', 'sg-b'] } }] });
    expect(inverseOf({ operation: 'CreateTransitGatewayRoute', input: { TransitGatewayRouteTableId: 'tgw-rtb-1', DestinationCidrBlock: '10.3.0.0/16', TransitGatewayAttachmentId: 'a' } }, [])).toMatchObject(
      { ok: true, calls: [{ operation: 'DeleteTransitGatewayRoute', input: { TransitGatewayRouteTableId: 'tgw-rtb-1', DestinationCidrBlock: '10.3.0.0/16' } }] });
    expect(inverseOf({ operation: 'ReplaceTransitGatewayRoute', input: { TransitGatewayRouteTableId: 'tgw-rtb-1', DestinationCidrBlock: '10.1.0.0/16', TransitGatewayAttachmentId: 'n' } }, before)).toMatchObject(
      { ok: true, calls: [{ input: { TransitGatewayAttachmentId: 'tgw-attach-old' } }] });
    expect(inverseOf({ operation: 'ReplaceTransitGatewayRoute', input: { TransitGatewayRouteTableId: 'tgw-rtb-1', DestinationCidrBlock: '10.2.0.0/16', TransitGatewayAttachmentId: 'n' } }, before)).toMatchObject(
      { ok: true, calls: [{ input: { Blackhole: true } }] });
    expect(inverseOf({ operation: 'ModifyTransitGatewayVpcAttachment', input: { TransitGatewayAttachmentId: 'tgw-attach-1', AddSubnetIds: ['subnet-1', 'subnet-2'] } }, before)).toEqual(
      { ok: true, calls: [{ operation: 'ModifyTransitGatewayVpcAttachment', input: { TransitGatewayAttachmentId: 'tgw-attach-1', RemoveSubnetIds: ['subnet-2'] } }] });
    expect(inverseOf({ operation: 'CreateSecurityGroup', input: { GroupName: 'x' } }, [], { GroupId: 'sg-new' })).toMatchObject({ ok: true, calls: [{ operation: 'DeleteSecurityGroup', input: { GroupId: 'sg-new' } }] });
  });

  it('refuses to guess: unknown previous values, peering acceptance, unknown operations, the local route', () => {
    expect(inverseOf({ operation: 'ReplaceRoute', input: { RouteTableId: 'rtb-1', DestinationCidrBlock: '10.7.0.0/16', GatewayId: 'igw-1' } }, before).ok).toBe(false);
    expect(inverseOf({ operation: 'ReplaceRoute', input: { RouteTableId: 'rtb-1', DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'igw-1' } }, before)).toMatchObject({ ok: false, reason: expect.stringContaining('local') });
    expect(inverseOf({ operation: 'ModifyNetworkInterfaceAttribute', input: { NetworkInterfaceId: 'eni-9', Groups: ['sg-a'] } }, before).ok).toBe(false);
    expect(inverseOf({ operation: 'AcceptVpcPeeringConnection', input: { VpcPeeringConnectionId: 'pcx-1' } }, before)).toMatchObject({ ok: false, reason: expect.stringContaining('deleting') });
    expect(inverseOf({ operation: 'TerminateInstances', input: {} }, before).ok).toBe(false);
  });
});

describe('commandFor', () => {
  it('renders inverse-only operations, quoted', () => {
    expect(commandFor({ operation: 'DeleteNetworkAclEntry', input: { NetworkAclId: 'acl-1', RuleNumber: 80, Egress: false } }, 'eu-west-1'))
      .toBe('aws ec2 delete-network-acl-entry --network-acl-id acl-1 --ingress --rule-number 80 --region eu-west-1');
    expect(commandFor({ operation: 'RevokeSecurityGroupIngress', input: { GroupId: 'sg-1', IpPermissions: [{ IpProtocol: 'tcp', IpRanges: [{ CidrIp: '1.2.3.4/32', Description: "it's; rm -rf /" }] }] } }))
      .toBe(`aws ec2 revoke-security-group-ingress --group-id sg-1 --ip-permissions '[{"IpProtocol":"tcp","IpRanges":[{"CidrIp":"1.2.3.4/32","Description":"it'\\''s; rm -rf /"}]}]'`);
    expect(commandFor({ operation: 'ReplaceTransitGatewayRoute', input: { TransitGatewayRouteTableId: 'tgw-rtb-1', DestinationCidrBlock: '10.2.0.0/16', Blackhole: true } }))
      .toBe('aws ec2 replace-transit-gateway-route --transit-gateway-route-table-id tgw-rtb-1 --destination-cidr-block 10.2.0.0/16 --blackhole');
    expect(commandFor({ operation: 'ModifyTransitGatewayVpcAttachment', input: { TransitGatewayAttachmentId: 'a', RemoveSubnetIds: ['subnet-2'] } }))
      .toBe('aws ec2 modify-transit-gateway-vpc-attachment --transit-gateway-attachment-id a --remove-subnet-ids subnet-2');
    expect(commandFor({ operation: 'DeleteRoute', input: { RouteTableId: 'rtb-1', DestinationIpv6CidrBlock: '2001:db8::/64' } }))
      .toBe('aws ec2 delete-route --route-table-id rtb-1 --destination-ipv6-cidr-block 2001:db8::/64');
    expect(() => commandFor({ operation: 'DeleteVpc', input: {} })).toThrow();
  });

  it('touchedBy names the object each call changes', () => {
    expect(touchedBy({ operation: 'CreateRoute', input: { RouteTableId: 'rtb-1' } })).toEqual([{ key: 'RouteTables', idField: 'RouteTableId', id: 'rtb-1' }]);
    expect(touchedBy({ operation: 'Nope', input: {} })).toEqual([]);
  });
});
