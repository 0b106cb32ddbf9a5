/**
 * Collection of the objects beyond plain VPCs: load balancers (ELBv2), virtual private gateways,
 * VPN connections, transit gateway peering attachments, and the propagations of each transit
 * gateway route table (from which the routes of propagating VPC attachments are derived, and the
 * BGP-learned ones named). Each returns the describe-* shape a snapshot file holds.
 */
import {
  DescribeVpnConnectionsCommand,
  DescribeVpnGatewaysCommand,
  paginateDescribeTransitGatewayPeeringAttachments,
  paginateGetTransitGatewayRouteTablePropagations,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { paginateDescribeLoadBalancers, type ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { drainPages } from './paginate.js';

const drain = async (pages: AsyncIterable<object>): Promise<Record<string, unknown>> => (await drainPages(pages)).data;

/** describe-load-balancers: every ELBv2 load balancer (application, network, gateway). */
export async function loadBalancers(client: ElasticLoadBalancingV2Client, names?: string[]): Promise<Record<string, unknown>> {
  return drain(paginateDescribeLoadBalancers({ client }, names?.length ? { Names: names } : {}));
}

export async function vpnGateways(client: EC2Client): Promise<Record<string, unknown>> {
  const { $metadata: _m, ...rest } = await client.send(new DescribeVpnGatewaysCommand({}));
  return rest;
}

export async function vpnConnections(client: EC2Client): Promise<Record<string, unknown>> {
  const { $metadata: _m, ...rest } = await client.send(new DescribeVpnConnectionsCommand({}));
  return rest;
}

export async function tgwPeeringAttachments(client: EC2Client): Promise<Record<string, unknown>> {
  return drain(paginateDescribeTransitGatewayPeeringAttachments({ client }, {}));
}

/**
 * Propagations per transit gateway route table, wrapped as Batfish's aws_configs hold them:
 * {"TransitGatewayPropagations": [{"TransitGatewayRouteTableId", "TransitGatewayRouteTablePropagations": [...]}]}.
 */
export async function tgwPropagations(client: EC2Client, tableIds: string[]): Promise<Record<string, unknown>> {
  const tables = await Promise.all(tableIds.map(async (TransitGatewayRouteTableId) => ({
    TransitGatewayRouteTableId,
    TransitGatewayRouteTablePropagations: (await drain(paginateGetTransitGatewayRouteTablePropagations({ client }, { TransitGatewayRouteTableId })))['TransitGatewayRouteTablePropagations'] ?? [],
  })));
  return { TransitGatewayPropagations: tables };
}
