/**
 * Every AWS API operation sgwhy may call — the single list the code uses. The client middleware
 * refuses any command not listed here (so a mutating call cannot slip in), and a test proves the
 * shipped IAM policy (deploy/iam/sgwhy-readonly-policy.json) allows each `readonly-role` operation
 * and nothing that is not a read.
 */
import type { Layer } from '../answer/types.js';

export type AwsService = 'ec2' | 'elbv2' | 'logs' | 'sts';

export interface OperationSpec {
  service: AwsService;
  /** API operation name, as in the SDK command class without "Command". */
  name: string;
  /** The IAM action that authorises it. */
  iamAction: string;
  /**
   * Who needs the permission: the read-only role in each account, or the principal sgwhy runs as
   * (AssumeRole is granted by the caller's own policy + the role's trust policy; GetCallerIdentity needs none).
   */
  grantedTo: 'readonly-role' | 'caller';
  /** Answer layers that become `unknown` when this call is denied. */
  layers: readonly Layer[];
  purpose: string;
}

export const OPERATIONS = [
  { service: 'ec2', name: 'DescribeNetworkInterfaces', iamAction: 'ec2:DescribeNetworkInterfaces', grantedTo: 'readonly-role', layers: ['network-interface', 'security-group'], purpose: 'locate endpoints; ENIs carrying referenced groups' },
  { service: 'ec2', name: 'DescribeInstances', iamAction: 'ec2:DescribeInstances', grantedTo: 'readonly-role', layers: [], purpose: 'locate i- endpoints (their ENIs are found either way); instance names and state' },
  { service: 'ec2', name: 'DescribeSecurityGroups', iamAction: 'ec2:DescribeSecurityGroups', grantedTo: 'readonly-role', layers: ['security-group'], purpose: 'groups on the ENIs and groups their rules reference' },
  { service: 'ec2', name: 'DescribeSubnets', iamAction: 'ec2:DescribeSubnets', grantedTo: 'readonly-role', layers: ['network-acl', 'route-table'], purpose: 'subnets of the endpoints (and NAT gateways)' },
  { service: 'ec2', name: 'DescribeVpcs', iamAction: 'ec2:DescribeVpcs', grantedTo: 'readonly-role', layers: ['route-table'], purpose: 'VPC CIDRs (local routes)' },
  { service: 'ec2', name: 'DescribeNetworkAcls', iamAction: 'ec2:DescribeNetworkAcls', grantedTo: 'readonly-role', layers: ['network-acl'], purpose: 'NACLs associated with the subnets' },
  { service: 'ec2', name: 'DescribeRouteTables', iamAction: 'ec2:DescribeRouteTables', grantedTo: 'readonly-role', layers: ['route-table'], purpose: 'subnet and main route tables' },
  { service: 'ec2', name: 'DescribeInternetGateways', iamAction: 'ec2:DescribeInternetGateways', grantedTo: 'readonly-role', layers: ['gateway'], purpose: 'internet gateways on the route' },
  { service: 'ec2', name: 'DescribeNatGateways', iamAction: 'ec2:DescribeNatGateways', grantedTo: 'readonly-role', layers: ['gateway'], purpose: 'NAT gateways on the route' },
  { service: 'ec2', name: 'DescribeVpcPeeringConnections', iamAction: 'ec2:DescribeVpcPeeringConnections', grantedTo: 'readonly-role', layers: ['gateway'], purpose: 'peering connections on the route' },
  { service: 'ec2', name: 'DescribeVpcEndpoints', iamAction: 'ec2:DescribeVpcEndpoints', grantedTo: 'readonly-role', layers: ['gateway'], purpose: 'gateway endpoints on the route' },
  { service: 'ec2', name: 'DescribeManagedPrefixLists', iamAction: 'ec2:DescribeManagedPrefixLists', grantedTo: 'readonly-role', layers: ['security-group', 'route-table'], purpose: 'prefix lists referenced by rules and routes' },
  { service: 'ec2', name: 'GetManagedPrefixListEntries', iamAction: 'ec2:GetManagedPrefixListEntries', grantedTo: 'readonly-role', layers: ['security-group', 'route-table'], purpose: 'prefix list CIDRs' },
  { service: 'ec2', name: 'DescribeTransitGateways', iamAction: 'ec2:DescribeTransitGateways', grantedTo: 'readonly-role', layers: ['gateway'], purpose: 'transit gateways on the route' },
  { service: 'ec2', name: 'DescribeTransitGatewayAttachments', iamAction: 'ec2:DescribeTransitGatewayAttachments', grantedTo: 'readonly-role', layers: ['gateway'], purpose: 'TGW attachments of the VPCs and their route-table association' },
  { service: 'ec2', name: 'DescribeTransitGatewayVpcAttachments', iamAction: 'ec2:DescribeTransitGatewayVpcAttachments', grantedTo: 'readonly-role', layers: ['gateway'], purpose: 'TGW VPC attachment subnets' },
  { service: 'ec2', name: 'DescribeTransitGatewayRouteTables', iamAction: 'ec2:DescribeTransitGatewayRouteTables', grantedTo: 'readonly-role', layers: ['route-table'], purpose: 'TGW route tables' },
  { service: 'ec2', name: 'SearchTransitGatewayRoutes', iamAction: 'ec2:SearchTransitGatewayRoutes', grantedTo: 'readonly-role', layers: ['route-table'], purpose: 'TGW routes (static and propagated)' },
  { service: 'ec2', name: 'GetTransitGatewayRouteTablePropagations', iamAction: 'ec2:GetTransitGatewayRouteTablePropagations', grantedTo: 'readonly-role', layers: ['route-table'], purpose: 'attachments propagating into each TGW route table (VPC routes derived from them; BGP-learned ones named)' },
  { service: 'ec2', name: 'DescribeTransitGatewayPeeringAttachments', iamAction: 'ec2:DescribeTransitGatewayPeeringAttachments', grantedTo: 'readonly-role', layers: ['gateway'], purpose: 'TGW peering attachments (both gateways)' },
  { service: 'ec2', name: 'DescribeVpnGateways', iamAction: 'ec2:DescribeVpnGateways', grantedTo: 'readonly-role', layers: ['gateway'], purpose: 'virtual private gateways and their VPC attachments' },
  { service: 'ec2', name: 'DescribeVpnConnections', iamAction: 'ec2:DescribeVpnConnections', grantedTo: 'readonly-role', layers: ['gateway', 'route-table'], purpose: 'VPN connections: static routes, tunnel state, static or BGP routing' },
  { service: 'elbv2', name: 'DescribeLoadBalancers', iamAction: 'elasticloadbalancing:DescribeLoadBalancers', grantedTo: 'readonly-role', layers: ['network-interface', 'security-group'], purpose: 'load balancers as endpoints (alb/NAME, ARN, DNS name): zones, groups, scheme' },
  { service: 'ec2', name: 'DescribeFlowLogs', iamAction: 'ec2:DescribeFlowLogs', grantedTo: 'readonly-role', layers: [], purpose: 'flow logs covering the ENIs, subnets, VPCs' },
  { service: 'logs', name: 'FilterLogEvents', iamAction: 'logs:FilterLogEvents', grantedTo: 'readonly-role', layers: [], purpose: 'flow-log records of the 5-tuple' },
  { service: 'sts', name: 'AssumeRole', iamAction: 'sts:AssumeRole', grantedTo: 'caller', layers: [], purpose: 'assume the read-only role per account' },
  { service: 'sts', name: 'GetCallerIdentity', iamAction: 'sts:GetCallerIdentity', grantedTo: 'caller', layers: [], purpose: 'account id of the default credential chain' },
] as const satisfies readonly OperationSpec[];

export type OperationName = (typeof OPERATIONS)[number]['name'];

const BY_KEY = new Map<string, OperationSpec>(OPERATIONS.map((o) => [`${o.service}:${o.name}`, o]));
const BY_NAME = new Map<string, OperationSpec>(OPERATIONS.map((o) => [o.name, o]));

export function operationSpec(name: OperationName): OperationSpec {
  return BY_NAME.get(name) as OperationSpec;
}

/** The listed operation for an SDK client/command pair, or undefined if sgwhy must not call it. */
export function listedOperation(service: AwsService, name: string): OperationSpec | undefined {
  return BY_KEY.get(`${service}:${name}`);
}

/** Verbs of read-only API calls: what the collector may call and the shipped policy may allow. */
export const READ_ONLY_PREFIXES = ['Describe', 'Get', 'Search', 'List', 'Filter'] as const;
/** Read-only calls whose names do not start with a read verb. */
export const READ_ONLY_EXCEPTIONS = ['sts:AssumeRole'] as const;

export function isReadOnlyAction(iamAction: string): boolean {
  const [, name = ''] = iamAction.split(':');
  return READ_ONLY_PREFIXES.some((p) => name.startsWith(p)) || (READ_ONLY_EXCEPTIONS as readonly string[]).includes(iamAction);
}
