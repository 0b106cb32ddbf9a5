import { describe, expect, it } from 'vitest';
import { hclString, iacFromTags, iacManaged, terraformFor } from './terraform.js';

describe('terraformFor', () => {
  it('one aws_vpc_security_group_ingress_rule per peer, with group references across accounts', () => {
    const hcl = terraformFor([{ operation: 'AuthorizeSecurityGroupIngress', input: { GroupId: 'sg-1', IpPermissions: [
      { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.2.100/32', Description: 'sgwhy' }], UserIdGroupPairs: [{ GroupId: 'sg-2', UserId: '111122223333' }] },
    ] } }], 'sgwhy_F1');
    expect(hcl).toBe([
      'resource "aws_vpc_security_group_ingress_rule" "sgwhy_f1_1" {',
      '  security_group_id = "sg-1"',
      '  ip_protocol       = "tcp"',
      '  from_port         = 443',
      '  to_port           = 443',
      '  cidr_ipv4         = "10.0.2.100/32"',
      '  description       = "sgwhy"',
      '}',
      '',
      'resource "aws_vpc_security_group_ingress_rule" "sgwhy_f1_2" {',
      '  security_group_id            = "sg-1"',
      '  ip_protocol                  = "tcp"',
      '  from_port                    = 443',
      '  to_port                      = 443',
      '  referenced_security_group_id = "111122223333/sg-2"',
      '}',
    ].join('\n'));
  });

  it('egress rules (all protocols: no ports), NACL rules, routes, interface attachments, TGW routes, peering', () => {
    const egress = terraformFor([{ operation: 'AuthorizeSecurityGroupEgress', input: { GroupId: 'sg-1', IpPermissions: [{ IpProtocol: '-1', Ipv6Ranges: [{ CidrIpv6: '2001:db8::1/128' }] }] } }], 'e');
    expect(egress).toContain('resource "aws_vpc_security_group_egress_rule" "e_1"');
    expect(egress).toContain('ip_protocol       = "-1"');
    expect(egress).not.toContain('from_port');
    expect(egress).toContain('cidr_ipv6         = "2001:db8::1/128"');
    const nacl = terraformFor([{ operation: 'CreateNetworkAclEntry', input: { NetworkAclId: 'acl-1', RuleNumber: 90, Protocol: '6', RuleAction: 'allow', Egress: true, CidrBlock: '10.0.2.100/32', PortRange: { From: 1024, To: 65535 } } }], 'n');
    expect(nacl).toMatch(/resource "aws_network_acl_rule" "n" \{[\s\S]*rule_number +\= 90[\s\S]*egress +\= true[\s\S]*protocol +\= "6"[\s\S]*from_port +\= 1024[\s\S]*to_port +\= 65535/);
    expect(terraformFor([{ operation: 'CreateRoute', input: { RouteTableId: 'rtb-1', DestinationCidrBlock: '10.1.0.0/16', VpcPeeringConnectionId: 'pcx-1' } }], 'r'))
      .toMatch(/resource "aws_route" "r" \{[\s\S]*vpc_peering_connection_id += "pcx-1"/);
    expect(terraformFor([{ operation: 'ReplaceRoute', input: { RouteTableId: 'rtb-1', DestinationCidrBlock: '10.1.0.0/16', TransitGatewayId: 'tgw-1' } }], 'r')).toMatch(/^# Replaces/);
    const attach = terraformFor([{ operation: 'ModifyNetworkInterfaceAttribute', input: { NetworkInterfaceId: 'eni-1', Groups: ['sg-a', 'sg-new'] } }], 'a',
      [{ file: 'x', data: { NetworkInterfaces: [{ NetworkInterfaceId: 'eni-1', Groups: [{ GroupId: 'sg-a' }] }] } }]);
    expect(attach).toContain('resource "aws_network_interface_sg_attachment" "a_1"');
    expect(attach).toContain('security_group_id    = "sg-new"');
    expect(attach).not.toContain('"sg-a"');
    expect(terraformFor([{ operation: 'CreateTransitGatewayRoute', input: { TransitGatewayRouteTableId: 'tgw-rtb-1', DestinationCidrBlock: '10.1.0.0/16', TransitGatewayAttachmentId: 'tgw-attach-1' } }], 't'))
      .toContain('resource "aws_ec2_transit_gateway_route" "t"');
    expect(terraformFor([{ operation: 'AcceptVpcPeeringConnection', input: { VpcPeeringConnectionId: 'pcx-1' } }], 'p')).toContain('resource "aws_vpc_peering_connection_accepter" "p"');
    expect(terraformFor([{ operation: 'ModifyTransitGatewayVpcAttachment', input: { TransitGatewayAttachmentId: 'tgw-attach-1', AddSubnetIds: ['subnet-1'] } }], 'm')).toContain('subnet_ids');
  });

  it('no value from AWS data can inject HCL', () => {
    expect(hclString('${file("/etc/passwd")}')).toBe('"$${file(\\"/etc/passwd\\")}"');
    expect(hclString('%{ if true }x%{ endif }')).toBe('"%%{ if true }x%%{ endif }"');
    const hcl = terraformFor([{ operation: 'AuthorizeSecurityGroupIngress', input: { GroupId: 'sg-1"\n}\nresource "x" "y" {', IpPermissions: [{ IpProtocol: 'tcp', FromPort: 1, ToPort: 1, IpRanges: [{ CidrIp: '1.1.1.1/32', Description: '${x}\n' }] }] } }], 'bad name!');
    expect(hcl.split('\n').filter((l) => l.startsWith('resource'))).toHaveLength(1);
    expect(hcl).toContain('"bad_name_1"');
  });
});

describe('IaC markers', () => {
  it('CloudFormation stack tags, Terraform marker tags, managed-by values; nothing for plain tags', () => {
    expect(iacFromTags('sg-1', [{ Key: 'aws:cloudformation:stack-name', Value: 'net' }, { Key: 'aws:cloudformation:logical-id', Value: 'Sg' }]))
      .toEqual({ resourceId: 'sg-1', tool: 'cloudformation', evidence: 'aws:cloudformation:stack-name=net', stack: 'net' });
    expect(iacFromTags('sg-1', [{ Key: 'aws:cloudformation:stack-id', Value: 'arn:…' }])).toMatchObject({ tool: 'cloudformation' });
    expect(iacFromTags('sg-1', [{ Key: 'Terraform', Value: 'true' }])).toMatchObject({ tool: 'terraform', evidence: 'Terraform=true' });
    expect(iacFromTags('sg-1', [{ Key: 'terraform:workspace', Value: 'prod' }])).toMatchObject({ tool: 'terraform' });
    expect(iacFromTags('sg-1', [{ Key: 'ManagedBy', Value: 'Terraform' }])).toMatchObject({ tool: 'terraform' });
    expect(iacFromTags('sg-1', [{ Key: 'managed-by', Value: 'opentofu' }])).toMatchObject({ tool: 'terraform' });
    expect(iacFromTags('sg-1', [{ Key: 'pulumi:project', Value: 'x' }])).toMatchObject({ tool: 'pulumi' });
    expect(iacFromTags('sg-1', [{ Key: 'Name', Value: 'terraform-lovers' }, { Key: 'team', Value: 'net' }])).toBeNull();
    expect(iacFromTags('sg-1', undefined)).toBeNull();
  });

  it('looks at the objects the fix changes, in the data (Tags or TagSet)', () => {
    const docs = [{ file: 'x', data: {
      SecurityGroups: [{ GroupId: 'sg-1', Tags: [{ Key: 'aws:cloudformation:stack-name', Value: 'app' }] }],
      NetworkInterfaces: [{ NetworkInterfaceId: 'eni-1', TagSet: [{ Key: 'terraform', Value: 'true' }] }],
    } }];
    expect(iacManaged([
      { operation: 'AuthorizeSecurityGroupIngress', input: { GroupId: 'sg-1' } },
      { operation: 'ModifyNetworkInterfaceAttribute', input: { NetworkInterfaceId: 'eni-1', Groups: [] } },
      { operation: 'CreateRoute', input: { RouteTableId: 'rtb-9' } },
    ], docs).map((m) => [m.resourceId, m.tool])).toEqual([['sg-1', 'cloudformation'], ['eni-1', 'terraform']]);
  });
});
