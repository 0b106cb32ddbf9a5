/**
 * Full collection for `sgwhy collect --out DIR`: every network object in each (account, region),
 * all pages, as the describe-* documents `sgwhy ask --snapshot` reads. Targets run in parallel
 * (bounded); inside a target, independent calls run in parallel. Failed calls become gaps.
 */
import {
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
  type EC2Client,
  type ManagedPrefixList,
  type RouteTable,
  type SecurityGroup,
  type TransitGatewayRouteTable,
} from '@aws-sdk/client-ec2';
import type { RawDoc } from '../model/raw.js';
import type { CallStats } from './call-stats.js';
import type { AwsClients } from './clients.js';
import { dedupeGaps, type Gap } from './gaps.js';
import { guardedCall } from './guarded-call.js';
import type { OperationName } from './operations.js';
import { drainPages } from './paginate.js';
import { makeDoc } from './raw-docs.js';
import type { Target } from './target.js';
import { prefixListEntries, transitGatewayRoutes } from './targeted-fetchers.js';
import { loadBalancers, tgwPeeringAttachments, tgwPropagations, vpnConnections, vpnGateways } from './collect-hybrid.js';

export interface CollectFullOptions {
  /** MaxResults per page (each API's own limits apply). Default: the API's default (usually all). */
  pageSize?: number;
  /** Targets collected at once. Default 4. */
  concurrency?: number;
}

export interface FullCollection {
  docs: RawDoc[];
  gaps: Gap[];
  stats: CallStats;
  targets: Target[];
}

type Paged = (client: EC2Client, pageSize: number | undefined) => AsyncIterable<object>;
const cfg = (client: EC2Client, pageSize: number | undefined) => (pageSize ? { client, pageSize } : { client });

/** The region-wide describe-* calls, in snapshot-file order. */
export const FULL_DESCRIBES: ReadonlyArray<{ operation: OperationName; pages: Paged }> = [
  { operation: 'DescribeVpcs', pages: (c, p) => paginateDescribeVpcs(cfg(c, p), {}) },
  { operation: 'DescribeSubnets', pages: (c, p) => paginateDescribeSubnets(cfg(c, p), {}) },
  { operation: 'DescribeSecurityGroups', pages: (c, p) => paginateDescribeSecurityGroups(cfg(c, p), {}) },
  { operation: 'DescribeNetworkAcls', pages: (c, p) => paginateDescribeNetworkAcls(cfg(c, p), {}) },
  { operation: 'DescribeRouteTables', pages: (c, p) => paginateDescribeRouteTables(cfg(c, p), {}) },
  { operation: 'DescribeNetworkInterfaces', pages: (c, p) => paginateDescribeNetworkInterfaces(cfg(c, p), {}) },
  { operation: 'DescribeInstances', pages: (c, p) => paginateDescribeInstances(cfg(c, p), {}) },
  { operation: 'DescribeInternetGateways', pages: (c, p) => paginateDescribeInternetGateways(cfg(c, p), {}) },
  { operation: 'DescribeNatGateways', pages: (c, p) => paginateDescribeNatGateways(cfg(c, p), {}) },
  { operation: 'DescribeVpcPeeringConnections', pages: (c, p) => paginateDescribeVpcPeeringConnections(cfg(c, p), {}) },
  { operation: 'DescribeVpcEndpoints', pages: (c, p) => paginateDescribeVpcEndpoints(cfg(c, p), {}) },
  { operation: 'DescribeManagedPrefixLists', pages: (c, p) => paginateDescribeManagedPrefixLists(cfg(c, p), {}) },
  { operation: 'DescribeTransitGateways', pages: (c, p) => paginateDescribeTransitGateways(cfg(c, p), {}) },
  { operation: 'DescribeTransitGatewayAttachments', pages: (c, p) => paginateDescribeTransitGatewayAttachments(cfg(c, p), {}) },
  { operation: 'DescribeTransitGatewayVpcAttachments', pages: (c, p) => paginateDescribeTransitGatewayVpcAttachments(cfg(c, p), {}) },
  { operation: 'DescribeTransitGatewayRouteTables', pages: (c, p) => paginateDescribeTransitGatewayRouteTables(cfg(c, p), {}) },
];

/** Prefix lists whose entries are worth fetching: the account's own, and any referenced by a rule or route. */
export function prefixListsToExpand(accountId: string, lists: readonly ManagedPrefixList[], groups: readonly SecurityGroup[], tables: readonly RouteTable[]): string[] {
  const ids = new Set<string>();
  for (const l of lists) if (l.PrefixListId && l.OwnerId === accountId) ids.add(l.PrefixListId);
  for (const g of groups) for (const p of [...(g.IpPermissions ?? []), ...(g.IpPermissionsEgress ?? [])]) for (const pl of p.PrefixListIds ?? []) if (pl.PrefixListId) ids.add(pl.PrefixListId);
  for (const t of tables) for (const r of t.Routes ?? []) if (r.DestinationPrefixListId) ids.add(r.DestinationPrefixListId);
  return [...ids];
}

async function collectTarget(clients: AwsClients, target: Target, opts: CollectFullOptions, gaps: Gap[]): Promise<RawDoc[]> {
  const ec2 = clients.ec2(target);
  const results = new Map<OperationName, Record<string, unknown>>();
  const elbv2 = clients.elbv2(target);
  const more: Array<[OperationName, () => Promise<Record<string, unknown>>]> = [
    ['DescribeVpnGateways', () => vpnGateways(ec2)],
    ['DescribeVpnConnections', () => vpnConnections(ec2)],
    ['DescribeTransitGatewayPeeringAttachments', () => tgwPeeringAttachments(ec2)],
    ['DescribeLoadBalancers', () => loadBalancers(elbv2)],
  ];
  await Promise.all([
    ...FULL_DESCRIBES.map(async ({ operation, pages }) => {
      const drained = await guardedCall(gaps, operation, target, () => drainPages(pages(ec2, opts.pageSize)));
      if (drained) results.set(operation, drained.data);
    }),
    ...more.map(async ([operation, call]) => {
      const data = await guardedCall(gaps, operation, target, call);
      if (data) results.set(operation, data);
    }),
  ]);
  const list = <T>(op: OperationName, key: string): T[] => (results.get(op)?.[key] as T[] | undefined) ?? [];

  // Second wave: per-object reads that need the first wave's ids.
  const plIds = prefixListsToExpand(
    target.accountId,
    list<ManagedPrefixList>('DescribeManagedPrefixLists', 'PrefixLists'),
    list<SecurityGroup>('DescribeSecurityGroups', 'SecurityGroups'),
    list<RouteTable>('DescribeRouteTables', 'RouteTables'),
  );
  const tgwRtbIds = list<TransitGatewayRouteTable>('DescribeTransitGatewayRouteTables', 'TransitGatewayRouteTables')
    .map((t) => t.TransitGatewayRouteTableId)
    .filter((id): id is string => !!id);
  // (Skipped when the listing they depend on failed: an empty file would claim "none".)
  const [entries, routes, propagations] = await Promise.all([
    results.has('DescribeManagedPrefixLists') ? guardedCall(gaps, 'GetManagedPrefixListEntries', target, () => prefixListEntries(ec2, plIds)) : undefined,
    results.has('DescribeTransitGatewayRouteTables') ? guardedCall(gaps, 'SearchTransitGatewayRoutes', target, () => transitGatewayRoutes(ec2, tgwRtbIds)) : undefined,
    results.has('DescribeTransitGatewayRouteTables') ? guardedCall(gaps, 'GetTransitGatewayRouteTablePropagations', target, () => tgwPropagations(ec2, tgwRtbIds)) : undefined,
  ]);

  const docs: RawDoc[] = [];
  for (const operation of [...FULL_DESCRIBES.map((d) => d.operation), ...more.map(([op]) => op)]) {
    const data = results.get(operation);
    if (data) docs.push(makeDoc(operation, target, data));
  }
  if (entries) docs.push(makeDoc('GetManagedPrefixListEntries', target, entries));
  if (routes) docs.push(makeDoc('SearchTransitGatewayRoutes', target, routes));
  if (propagations) docs.push(makeDoc('GetTransitGatewayRouteTablePropagations', target, propagations));
  return docs;
}

export async function collectFull(clients: AwsClients, targets: readonly Target[], opts: CollectFullOptions = {}): Promise<FullCollection> {
  const gaps: Gap[] = [];
  const perTarget: RawDoc[][] = new Array(targets.length);
  const limit = Math.max(1, opts.concurrency ?? 4);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < targets.length) {
      const i = next++;
      perTarget[i] = await collectTarget(clients, targets[i] as Target, opts, gaps);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, targets.length) }, worker));
  return { docs: perTarget.flat(), gaps: dedupeGaps(gaps), stats: clients.recorder.stats(), targets: [...targets] };
}
