/**
 * Renders a structured EC2 API call (operation + SDK v3 input) as the equivalent AWS CLI
 * command. One function per operation sgwhy proposes; every value is shell-quoted (a step
 * reference "${NAME}" becomes "$NAME", the variable an earlier step of the same fix set).
 */
import { SgwhyError } from '../errors/errors.js';
import { kebabOperation } from '../model/aws-names.js';
import { shellArgument as q, shellQuote, stepReference } from './shell.js';

type Input = Record<string, unknown>;

const s = (v: unknown) => q(String(v));

function portRange(pr: unknown): string {
  const p = pr as { From: number; To: number };
  return `From=${p.From},To=${p.To}`;
}

function naclEntryArgs(i: Input): string[] {
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
}

function routeArgs(i: Input): string[] {
  const a = ['--route-table-id', s(i.RouteTableId)];
  if (i.DestinationCidrBlock) a.push('--destination-cidr-block', s(i.DestinationCidrBlock));
  if (i.DestinationIpv6CidrBlock) a.push('--destination-ipv6-cidr-block', s(i.DestinationIpv6CidrBlock));
  if (i.DestinationPrefixListId) a.push('--destination-prefix-list-id', s(i.DestinationPrefixListId));
  for (const [k, flag] of [['VpcPeeringConnectionId', '--vpc-peering-connection-id'], ['TransitGatewayId', '--transit-gateway-id'],
    ['GatewayId', '--gateway-id'], ['NatGatewayId', '--nat-gateway-id'], ['NetworkInterfaceId', '--network-interface-id'],
    ['EgressOnlyInternetGatewayId', '--egress-only-internet-gateway-id']] as const) {
    if (i[k]) a.push(flag, s(i[k]));
  }
  return a;
}

const tgwRouteArgs = (i: Input): string[] => ['--transit-gateway-route-table-id', s(i.TransitGatewayRouteTableId), '--destination-cidr-block', s(i.DestinationCidrBlock),
  '--transit-gateway-attachment-id', s(i.TransitGatewayAttachmentId)];

const RENDER: Record<string, (i: Input) => string[]> = {
  AuthorizeSecurityGroupIngress: (i) => ['--group-id', s(i.GroupId), '--ip-permissions', q(JSON.stringify(i.IpPermissions))],
  AuthorizeSecurityGroupEgress: (i) => ['--group-id', s(i.GroupId), '--ip-permissions', q(JSON.stringify(i.IpPermissions))],
  RevokeSecurityGroupIngress: (i) => ['--group-id', s(i.GroupId), '--ip-permissions', q(JSON.stringify(i.IpPermissions))],
  RevokeSecurityGroupEgress: (i) => ['--group-id', s(i.GroupId), '--ip-permissions', q(JSON.stringify(i.IpPermissions))],
  CreateSecurityGroup: (i) => ['--group-name', s(i.GroupName), '--description', s(i.Description), '--vpc-id', s(i.VpcId)],
  ModifyNetworkInterfaceAttribute: (i) => ['--network-interface-id', s(i.NetworkInterfaceId), '--groups', ...(i.Groups as string[]).map(s)],
  CreateNetworkAclEntry: naclEntryArgs,
  ReplaceNetworkAclEntry: naclEntryArgs,
  CreateRoute: routeArgs,
  ReplaceRoute: routeArgs,
  CreateTransitGatewayRoute: tgwRouteArgs,
  ReplaceTransitGatewayRoute: tgwRouteArgs,
  CreateVpcPeeringConnection: (i) => {
    const a = ['--vpc-id', s(i.VpcId), '--peer-vpc-id', s(i.PeerVpcId)];
    if (i.PeerOwnerId) a.push('--peer-owner-id', s(i.PeerOwnerId));
    if (i.PeerRegion) a.push('--peer-region', s(i.PeerRegion));
    return a;
  },
  CreateInternetGateway: () => [],
  AttachInternetGateway: (i) => ['--internet-gateway-id', s(i.InternetGatewayId), '--vpc-id', s(i.VpcId)],
  AcceptVpcPeeringConnection: (i) => ['--vpc-peering-connection-id', s(i.VpcPeeringConnectionId)],
  EnableTransitGatewayRouteTablePropagation: (i) => ['--transit-gateway-route-table-id', s(i.TransitGatewayRouteTableId), '--transit-gateway-attachment-id', s(i.TransitGatewayAttachmentId)],
  EnableVgwRoutePropagation: (i) => ['--route-table-id', s(i.RouteTableId), '--gateway-id', s(i.GatewayId)],
  ModifyTransitGatewayVpcAttachment: (i) => ['--transit-gateway-attachment-id', s(i.TransitGatewayAttachmentId), '--add-subnet-ids', ...(i.AddSubnetIds as string[]).map(s)],
};

/** The response field a step's output names, as --query takes it. */
const FIELD = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/;

/** The operations toCli can render. */
export const CLI_OPERATIONS: readonly string[] = Object.freeze(Object.keys(RENDER));

/**
 * The CLI command for one call. With `output`, the command sets the shell variable NAME to the
 * response field (NAME=$(aws … --query Field --output text)) that later steps use as "$NAME".
 */
export function toCli(operation: string, input: Input, region?: string, output?: { name: string; field: string }): string {
  const render = Object.hasOwn(RENDER, operation) ? RENDER[operation] : undefined;
  if (!render) throw new SgwhyError('BAD_USAGE', `no CLI rendering for ${operation}`);
  const args = ['aws', 'ec2', kebabOperation(operation), ...render(input)];
  if (region) args.push('--region', q(region));
  if (!output) return args.join(' ');
  if (stepReference(`\${${output.name}}`) !== output.name || !FIELD.test(output.field)) throw new SgwhyError('BAD_USAGE', `bad step output ${output.name}=${output.field}`);
  args.push('--query', shellQuote(output.field), '--output', 'text');
  return `${output.name}=$(${args.join(' ')})`;
}
