/**
 * The write allow-list: the only EC2 operations sgwhy's execution path may call — those the
 * engine's fix plans produce, and their inverses (for revert) — each with the input fields it may
 * carry. Anything else is refused before it leaves the process, whatever the stored data says.
 * A test proves deploy/iam/sgwhy-execution-policy.json grants exactly these actions.
 */
import { SgwhyError } from '../errors/errors.js';

export interface WriteOperation {
  name: string;
  iamAction: string;
  /** 'fix': a fix plan produces it; 'inverse': only to undo a fix. */
  role: 'fix' | 'inverse';
  /** Input fields the operation may carry (DryRun is added by the executor). */
  fields: readonly string[];
}

const ROUTE_FIELDS = ['RouteTableId', 'DestinationCidrBlock', 'DestinationIpv6CidrBlock', 'DestinationPrefixListId', 'GatewayId', 'NatGatewayId',
  'TransitGatewayId', 'VpcPeeringConnectionId', 'NetworkInterfaceId', 'EgressOnlyInternetGatewayId', 'LocalGatewayId', 'CarrierGatewayId', 'VpcEndpointId'] as const;
const NACL_FIELDS = ['NetworkAclId', 'RuleNumber', 'Protocol', 'RuleAction', 'Egress', 'CidrBlock', 'Ipv6CidrBlock', 'PortRange', 'IcmpTypeCode'] as const;
const TGW_ROUTE = ['TransitGatewayRouteTableId', 'DestinationCidrBlock', 'TransitGatewayAttachmentId', 'Blackhole'] as const;

export const WRITE_OPERATIONS: readonly WriteOperation[] = [
  { name: 'AuthorizeSecurityGroupIngress', iamAction: 'ec2:AuthorizeSecurityGroupIngress', role: 'fix', fields: ['GroupId', 'IpPermissions'] },
  { name: 'AuthorizeSecurityGroupEgress', iamAction: 'ec2:AuthorizeSecurityGroupEgress', role: 'fix', fields: ['GroupId', 'IpPermissions'] },
  { name: 'ModifyNetworkInterfaceAttribute', iamAction: 'ec2:ModifyNetworkInterfaceAttribute', role: 'fix', fields: ['NetworkInterfaceId', 'Groups'] },
  { name: 'CreateNetworkAclEntry', iamAction: 'ec2:CreateNetworkAclEntry', role: 'fix', fields: NACL_FIELDS },
  { name: 'ReplaceNetworkAclEntry', iamAction: 'ec2:ReplaceNetworkAclEntry', role: 'fix', fields: NACL_FIELDS },
  { name: 'CreateRoute', iamAction: 'ec2:CreateRoute', role: 'fix', fields: ROUTE_FIELDS },
  { name: 'ReplaceRoute', iamAction: 'ec2:ReplaceRoute', role: 'fix', fields: ROUTE_FIELDS },
  { name: 'CreateTransitGatewayRoute', iamAction: 'ec2:CreateTransitGatewayRoute', role: 'fix', fields: TGW_ROUTE },
  { name: 'ReplaceTransitGatewayRoute', iamAction: 'ec2:ReplaceTransitGatewayRoute', role: 'fix', fields: TGW_ROUTE },
  { name: 'AcceptVpcPeeringConnection', iamAction: 'ec2:AcceptVpcPeeringConnection', role: 'fix', fields: ['VpcPeeringConnectionId'] },
  { name: 'ModifyTransitGatewayVpcAttachment', iamAction: 'ec2:ModifyTransitGatewayVpcAttachment', role: 'fix', fields: ['TransitGatewayAttachmentId', 'AddSubnetIds', 'RemoveSubnetIds'] },
  { name: 'EnableTransitGatewayRouteTablePropagation', iamAction: 'ec2:EnableTransitGatewayRouteTablePropagation', role: 'fix', fields: ['TransitGatewayRouteTableId', 'TransitGatewayAttachmentId'] },
  { name: 'EnableVgwRoutePropagation', iamAction: 'ec2:EnableVgwRoutePropagation', role: 'fix', fields: ['RouteTableId', 'GatewayId'] },
  { name: 'CreateSecurityGroup', iamAction: 'ec2:CreateSecurityGroup', role: 'fix', fields: ['GroupName', 'Description', 'VpcId'] },
  { name: 'CreateVpcPeeringConnection', iamAction: 'ec2:CreateVpcPeeringConnection', role: 'fix', fields: ['VpcId', 'PeerVpcId', 'PeerOwnerId', 'PeerRegion'] },
  { name: 'CreateInternetGateway', iamAction: 'ec2:CreateInternetGateway', role: 'fix', fields: [] },
  { name: 'AttachInternetGateway', iamAction: 'ec2:AttachInternetGateway', role: 'fix', fields: ['InternetGatewayId', 'VpcId'] },
  { name: 'RevokeSecurityGroupIngress', iamAction: 'ec2:RevokeSecurityGroupIngress', role: 'inverse', fields: ['GroupId', 'IpPermissions'] },
  { name: 'RevokeSecurityGroupEgress', iamAction: 'ec2:RevokeSecurityGroupEgress', role: 'inverse', fields: ['GroupId', 'IpPermissions'] },
  { name: 'DeleteNetworkAclEntry', iamAction: 'ec2:DeleteNetworkAclEntry', role: 'inverse', fields: ['NetworkAclId', 'RuleNumber', 'Egress'] },
  { name: 'DeleteRoute', iamAction: 'ec2:DeleteRoute', role: 'inverse', fields: ['RouteTableId', 'DestinationCidrBlock', 'DestinationIpv6CidrBlock', 'DestinationPrefixListId'] },
  { name: 'DeleteSecurityGroup', iamAction: 'ec2:DeleteSecurityGroup', role: 'inverse', fields: ['GroupId'] },
  { name: 'DeleteVpcPeeringConnection', iamAction: 'ec2:DeleteVpcPeeringConnection', role: 'inverse', fields: ['VpcPeeringConnectionId'] },
  { name: 'DisableTransitGatewayRouteTablePropagation', iamAction: 'ec2:DisableTransitGatewayRouteTablePropagation', role: 'inverse', fields: ['TransitGatewayRouteTableId', 'TransitGatewayAttachmentId'] },
  { name: 'DisableVgwRoutePropagation', iamAction: 'ec2:DisableVgwRoutePropagation', role: 'inverse', fields: ['RouteTableId', 'GatewayId'] },
  { name: 'DeleteTransitGatewayRoute', iamAction: 'ec2:DeleteTransitGatewayRoute', role: 'inverse', fields: ['TransitGatewayRouteTableId', 'DestinationCidrBlock'] },
  { name: 'DetachInternetGateway', iamAction: 'ec2:DetachInternetGateway', role: 'inverse', fields: ['InternetGatewayId', 'VpcId'] },
  { name: 'DeleteInternetGateway', iamAction: 'ec2:DeleteInternetGateway', role: 'inverse', fields: ['InternetGatewayId'] },
];

const BY_NAME = new Map(WRITE_OPERATIONS.map((o) => [o.name, o]));

export function writeOperation(name: string): WriteOperation | undefined {
  return BY_NAME.get(name);
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Refuses a call that is not on the allow-list, or carries a field the operation may not carry
 * (e.g. ModifyNetworkInterfaceAttribute with SourceDestCheck): EXECUTION_REFUSED.
 */
export function assertAllowedCall(call: { operation: unknown; input: unknown }, opts: { service?: unknown } = {}): WriteOperation {
  if (opts.service !== undefined && opts.service !== 'ec2') {
    throw new SgwhyError('EXECUTION_REFUSED', `Refused: service ${JSON.stringify(opts.service)} is not one sgwhy changes (only ec2).`);
  }
  const op = typeof call.operation === 'string' ? writeOperation(call.operation) : undefined;
  if (!op) throw new SgwhyError('EXECUTION_REFUSED', `Refused: ${JSON.stringify(call.operation)} is not an operation sgwhy's fix plans produce.`, { details: { operation: call.operation } });
  if (!isObj(call.input)) throw new SgwhyError('EXECUTION_REFUSED', `Refused: the input of ${op.name} is not an object.`);
  const extra = Object.keys(call.input).filter((k) => !op.fields.includes(k));
  if (extra.length) {
    throw new SgwhyError('EXECUTION_REFUSED', `Refused: ${op.name} with ${extra.join(', ')}, which sgwhy's fixes never set.`, { details: { operation: op.name, fields: extra } });
  }
  return op;
}
