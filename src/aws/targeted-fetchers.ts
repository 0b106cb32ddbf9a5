/**
 * One EC2 read per FetchKind, by filter (filters never fail on an id that no longer exists, unlike
 * the *Ids parameters). Each returns the response in the describe-* shape; per-id operations
 * (prefix-list entries, TGW routes) are wrapped the way snapshot files hold them.
 */
import {
  DescribeVpnConnectionsCommand,
  DescribeVpnGatewaysCommand,
  paginateDescribeInstances,
  paginateDescribeInternetGateways,
  paginateDescribeManagedPrefixLists,
  paginateDescribeNatGateways,
  paginateDescribeNetworkAcls,
  paginateDescribeNetworkInterfaces,
  paginateDescribeRouteTables,
  paginateDescribeSecurityGroups,
  paginateDescribeSubnets,
  paginateDescribeTransitGatewayAttachments,
  paginateDescribeTransitGatewayRouteTables,
  paginateDescribeTransitGateways,
  paginateDescribeTransitGatewayVpcAttachments,
  paginateDescribeVpcEndpoints,
  paginateDescribeVpcPeeringConnections,
  paginateDescribeVpcs,
  paginateGetManagedPrefixListEntries,
  paginateSearchTransitGatewayRoutes,
  type EC2Client,
  type Filter,
} from '@aws-sdk/client-ec2';
import type { OperationName } from './operations.js';
import { drainPages } from './paginate.js';
import type { FetchKind } from './targeted-plan.js';

export interface Fetcher {
  operation: OperationName;
  fetch: (client: EC2Client, ids: string[]) => Promise<Record<string, unknown>>;
}

const f = (name: string, ids: string[]): Filter[] => [{ Name: name, Values: ids }];
const drain = async (pages: AsyncIterable<object>): Promise<Record<string, unknown>> => (await drainPages(pages)).data;

/** Prefix-list entries, wrapped per list as in get-managed-prefix-list-entries.json. */
export async function prefixListEntries(client: EC2Client, ids: string[]): Promise<Record<string, unknown>> {
  const lists = await Promise.all(
    ids.map(async (PrefixListId) => ({ PrefixListId, Entries: (await drain(paginateGetManagedPrefixListEntries({ client }, { PrefixListId })))['Entries'] ?? [] })),
  );
  return { ManagedPrefixListEntries: lists };
}

/** TGW routes (active and blackhole, static and propagated), wrapped per table as in search-transit-gateway-routes.json. */
export async function transitGatewayRoutes(client: EC2Client, ids: string[]): Promise<Record<string, unknown>> {
  const tables = await Promise.all(
    ids.map(async (TransitGatewayRouteTableId) => ({
      TransitGatewayRouteTableId,
      Routes:
        (await drain(paginateSearchTransitGatewayRoutes({ client }, { TransitGatewayRouteTableId, Filters: f('state', ['active', 'blackhole']) })))['Routes'] ?? [],
    })),
  );
  return { TransitGatewayStaticRoutes: tables };
}

export const FETCHERS: Record<FetchKind, Fetcher> = {
  SecurityGroups: { operation: 'DescribeSecurityGroups', fetch: (client, ids) => drain(paginateDescribeSecurityGroups({ client }, { Filters: f('group-id', ids) })) },
  // One call per group: group-id matches a multi-valued attribute (an ENI's groups), which some
  // emulators evaluate as a subset test when given several values.
  SecurityGroupMembers: {
    operation: 'DescribeNetworkInterfaces',
    fetch: async (client, ids) => {
      const parts = await Promise.all(ids.map((id) => drain(paginateDescribeNetworkInterfaces({ client }, { Filters: f('group-id', [id]) }))));
      return { NetworkInterfaces: parts.flatMap((p) => (p['NetworkInterfaces'] as unknown[] | undefined) ?? []) };
    },
  },
  Subnets: { operation: 'DescribeSubnets', fetch: (client, ids) => drain(paginateDescribeSubnets({ client }, { Filters: f('subnet-id', ids) })) },
  Vpcs: { operation: 'DescribeVpcs', fetch: (client, ids) => drain(paginateDescribeVpcs({ client }, { Filters: f('vpc-id', ids) })) },
  NetworkAclsForVpcs: { operation: 'DescribeNetworkAcls', fetch: (client, ids) => drain(paginateDescribeNetworkAcls({ client }, { Filters: f('vpc-id', ids) })) },
  RouteTablesForVpcs: { operation: 'DescribeRouteTables', fetch: (client, ids) => drain(paginateDescribeRouteTables({ client }, { Filters: f('vpc-id', ids) })) },
  Instances: { operation: 'DescribeInstances', fetch: (client, ids) => drain(paginateDescribeInstances({ client }, { Filters: f('instance-id', ids) })) },
  PrefixLists: { operation: 'DescribeManagedPrefixLists', fetch: (client, ids) => drain(paginateDescribeManagedPrefixLists({ client }, { Filters: f('prefix-list-id', ids) })) },
  PrefixListEntries: { operation: 'GetManagedPrefixListEntries', fetch: prefixListEntries },
  PeeringConnections: {
    operation: 'DescribeVpcPeeringConnections',
    fetch: (client, ids) => drain(paginateDescribeVpcPeeringConnections({ client }, { Filters: f('vpc-peering-connection-id', ids) })),
  },
  InternetGateways: { operation: 'DescribeInternetGateways', fetch: (client, ids) => drain(paginateDescribeInternetGateways({ client }, { Filters: f('internet-gateway-id', ids) })) },
  NatGateways: { operation: 'DescribeNatGateways', fetch: (client, ids) => drain(paginateDescribeNatGateways({ client }, { Filter: f('nat-gateway-id', ids) })) },
  VpcEndpoints: { operation: 'DescribeVpcEndpoints', fetch: (client, ids) => drain(paginateDescribeVpcEndpoints({ client }, { Filters: f('vpc-endpoint-id', ids) })) },
  TransitGateways: { operation: 'DescribeTransitGateways', fetch: (client, ids) => drain(paginateDescribeTransitGateways({ client }, { Filters: f('transit-gateway-id', ids) })) },
  TgwAttachmentsForVpcs: {
    operation: 'DescribeTransitGatewayAttachments',
    fetch: (client, ids) => drain(paginateDescribeTransitGatewayAttachments({ client }, { Filters: [...f('resource-id', ids), ...f('resource-type', ['vpc'])] })),
  },
  TgwVpcAttachmentsForVpcs: {
    operation: 'DescribeTransitGatewayVpcAttachments',
    fetch: (client, ids) => drain(paginateDescribeTransitGatewayVpcAttachments({ client }, { Filters: f('vpc-id', ids) })),
  },
  TgwRouteTables: {
    operation: 'DescribeTransitGatewayRouteTables',
    fetch: (client, ids) => drain(paginateDescribeTransitGatewayRouteTables({ client }, { Filters: f('transit-gateway-route-table-id', ids) })),
  },
  TgwRoutes: { operation: 'SearchTransitGatewayRoutes', fetch: transitGatewayRoutes },
  VpnGateways: { operation: 'DescribeVpnGateways', fetch: async (client, ids) => strip(await client.send(new DescribeVpnGatewaysCommand({ Filters: f('vpn-gateway-id', ids) }))) },
  VpnConnectionsForVgws: { operation: 'DescribeVpnConnections', fetch: async (client, ids) => strip(await client.send(new DescribeVpnConnectionsCommand({ Filters: f('vpn-gateway-id', ids) }))) },
};

/** A non-paginated response without its metadata. */
function strip(out: object): Record<string, unknown> {
  const { $metadata: _m, ...rest } = out as Record<string, unknown>;
  return rest;
}
