/**
 * Renders a structured EC2 API call (operation + SDK v3 input) as the equivalent AWS CLI
 * command. One function per operation sgwhy proposes; every value is shell-quoted.
 */
import { SgwhyError } from '../errors/errors.js';
import { kebabOperation } from '../model/aws-names.js';
import { shellQuote as q } from './shell.js';

type Input = Record<string, unknown>;

const s = (v: unknown) => q(String(v));

function portRange(pr: unknown): string {
  const p = pr as { From: number; To: number };
  return `From=${p.From},To=${p.To}`;
}

const RENDER: Record<string, (i: Input) => string[]> = {
  AuthorizeSecurityGroupIngress: (i) => ['--group-id', s(i.GroupId), '--ip-permissions', q(JSON.stringify(i.IpPermissions))],
  AuthorizeSecurityGroupEgress: (i) => ['--group-id', s(i.GroupId), '--ip-permissions', q(JSON.stringify(i.IpPermissions))],
  ModifyNetworkInterfaceAttribute: (i) => ['--network-interface-id', s(i.NetworkInterfaceId), '--groups', ...(i.Groups as string[]).map(s)],
  CreateNetworkAclEntry: (i) => {
    const a = ['--network-acl-id', s(i.NetworkAclId), i.Egress ? '--egress' : '--ingress', '--rule-number', s(i.RuleNumber), '--protocol', s(i.Protocol)];
    if (i.PortRange) a.push('--port-range', portRange(i.PortRange));
    if (i.IcmpTypeCode) {
      const t = i.IcmpTypeCode as { Type: number; Code: number };
      a.push('--icmp-type-code', `Type=${t.Type},Code=${t.Code}`);
    }
    if (i.CidrBlock) a.push('--cidr-block', s(i.CidrBlock));
    if (i.Ipv6CidrBlock) a.push('--ipv6-cidr-block', s(i.Ipv6CidrBlock));
    a.push('--rule-action', s(i.RuleAction));
    return a;
  },
  CreateRoute: routeArgs,
  ReplaceRoute: routeArgs,
  CreateTransitGatewayRoute: (i) => ['--transit-gateway-route-table-id', s(i.TransitGatewayRouteTableId), '--destination-cidr-block', s(i.DestinationCidrBlock),
    '--transit-gateway-attachment-id', s(i.TransitGatewayAttachmentId)],
  ReplaceTransitGatewayRoute: (i) => ['--transit-gateway-route-table-id', s(i.TransitGatewayRouteTableId), '--destination-cidr-block', s(i.DestinationCidrBlock),
    '--transit-gateway-attachment-id', s(i.TransitGatewayAttachmentId)],
  AcceptVpcPeeringConnection: (i) => ['--vpc-peering-connection-id', s(i.VpcPeeringConnectionId)],
  ModifyTransitGatewayVpcAttachment: (i) => ['--transit-gateway-attachment-id', s(i.TransitGatewayAttachmentId), '--add-subnet-ids', ...(i.AddSubnetIds as string[]).map(s)],
};

function routeArgs(i: Input): string[] {
  const a = ['--route-table-id', s(i.RouteTableId)];
  if (i.DestinationCidrBlock) a.push('--destination-cidr-block', s(i.DestinationCidrBlock));
  if (i.DestinationIpv6CidrBlock) a.push('--destination-ipv6-cidr-block', s(i.DestinationIpv6CidrBlock));
  if (i.DestinationPrefixListId) a.push('--destination-prefix-list-id', s(i.DestinationPrefixListId));
  for (const [k, flag] of [['VpcPeeringConnectionId', '--vpc-peering-connection-id'], ['TransitGatewayId', '--transit-gateway-id'],
    ['GatewayId', '--gateway-id'], ['NatGatewayId', '--nat-gateway-id'], ['NetworkInterfaceId', '--network-interface-id']] as const) {
    if (i[k]) a.push(flag, s(i[k]));
  }
  return a;
}

export function toCli(operation: string, input: Input, region?: string): string {
  const render = RENDER[operation];
  if (!render) throw new SgwhyError('BAD_USAGE', `no CLI rendering for ${operation}`);
  const args = ['aws', 'ec2', kebabOperation(operation), ...render(input)];
  if (region) args.push('--region', q(region));
  return args.join(' ');
}
