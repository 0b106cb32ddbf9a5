/**
 * What a targeted collection still needs, given what it has. Pure: the collector runs it once per
 * wave, fetches the answer in parallel, and stops when nothing new is wanted.
 *
 *   wave 1 (locate)  the endpoint ENIs
 *   wave 2           their security groups, subnets, VPCs, the VPCs' NACLs and route tables,
 *                    the VPCs' TGW attachments, the attached instances
 *   wave 3           groups referenced by the endpoint groups' rules + the ENIs carrying them,
 *                    prefix lists (+ entries) in rules and routes, and the target of the route each
 *                    endpoint subnet uses toward the other endpoint (longest prefix match; prefix-
 *                    list routes always): peering, IGW, NAT, VPC endpoint, TGW + its VPC
 *                    attachments, route table and routes
 *   wave 4+          only for NAT paths (the NAT's subnet, and the IGW its route table uses) and
 *                    TGWs owned by another configured account
 *
 * NACLs and route tables are read per VPC (filter vpc-id) rather than per subnet: the subnet
 * filters match on multi-valued attributes, which some emulators (moto, hence LocalStack) evaluate
 * as subset tests when given several values; per VPC is one call and exact everywhere. Only the
 * tables that apply to the path's subnets (explicit association, else the main table) are followed.
 */
import type { NatGateway, NetworkInterface, Route, RouteTable, SecurityGroup, TransitGatewayAttachment } from '@aws-sdk/client-ec2';
import { cidrContains, parseAddr, parseCidr, type Addr } from '../net/ip.js';
import { scopeKey, type Scope } from './target.js';

export type FetchKind =
  | 'SecurityGroups'
  | 'SecurityGroupMembers'
  | 'Subnets'
  | 'Vpcs'
  | 'NetworkAclsForVpcs'
  | 'RouteTablesForVpcs'
  | 'Instances'
  | 'PrefixLists'
  | 'PrefixListEntries'
  | 'PeeringConnections'
  | 'InternetGateways'
  | 'NatGateways'
  | 'VpcEndpoints'
  | 'TransitGateways'
  | 'TgwAttachmentsForVpcs'
  | 'TgwVpcAttachmentsForVpcs'
  | 'TgwRouteTables'
  | 'TgwRoutes'
  | 'VpnGateways'
  | 'VpnConnectionsForVgws';

export interface Want extends Scope {
  kind: FetchKind;
  id: string;
}

/** One API call (or one per id for per-id operations) in one scope. */
export interface Batch extends Scope {
  kind: FetchKind;
  ids: string[];
}

export type Scoped<T> = T & { readonly scope: Scope };

export type EndpointRole = 'source' | 'destination';

export interface Known {
  endpointEnis: ReadonlyArray<Scoped<NetworkInterface> & { readonly role: EndpointRole }>;
  /** The addresses of the flow (typed IPs, or the located interfaces' IPs); undefined = follow every route. */
  addresses: { readonly source?: string; readonly destination?: string };
  securityGroups: ReadonlyArray<Scoped<SecurityGroup>>;
  routeTables: ReadonlyArray<Scoped<RouteTable>>;
  natGateways: ReadonlyArray<Scoped<NatGateway>>;
  tgwAttachments: ReadonlyArray<Scoped<TransitGatewayAttachment>>;
}

type Lists = Omit<Known, 'addresses'>;
export const emptyKnown = (addresses: Known['addresses'] = {}): { [K in keyof Lists]: Array<Lists[K][number]> } & Pick<Known, 'addresses'> => ({
  addresses,
  endpointEnis: [],
  securityGroups: [],
  routeTables: [],
  natGateways: [],
  tgwAttachments: [],
});

/** Max values per EC2 filter. */
export const FILTER_VALUES_MAX = 200;

/**
 * Everything the path needs given `known`. `configured` holds scopeKey()s sgwhy may call
 * (cross-account references outside it are left for the engine to report as unknown).
 */
export function plannedWants(known: Known, configured: ReadonlySet<string>): Want[] {
  const wants: Want[] = [];
  const want = (kind: FetchKind, scope: Scope, id: string | undefined): void => {
    if (id && configured.has(scopeKey(scope))) wants.push({ kind, accountId: scope.accountId, region: scope.region, id });
  };

  // Wave 2: from the endpoint interfaces.
  const endpointGroups = new Set<string>();
  const pathSubnets: PathSubnet[] = [];
  const peerOf = (role: EndpointRole): string | undefined => (role === 'source' ? known.addresses.destination : known.addresses.source);
  for (const eni of known.endpointEnis) {
    const s = eni.scope;
    for (const g of eni.Groups ?? []) {
      want('SecurityGroups', s, g.GroupId);
      if (g.GroupId) endpointGroups.add(`${scopeKey(s)}|${g.GroupId}`);
    }
    want('Subnets', s, eni.SubnetId);
    want('Vpcs', s, eni.VpcId);
    want('NetworkAclsForVpcs', s, eni.VpcId);
    want('RouteTablesForVpcs', s, eni.VpcId);
    want('TgwAttachmentsForVpcs', s, eni.VpcId);
    want('Instances', s, eni.Attachment?.InstanceId);
    if (eni.SubnetId && eni.VpcId) pathSubnets.push({ scope: s, subnetId: eni.SubnetId, vpcId: eni.VpcId, peer: peerOf(eni.role) });
  }
  // NAT gateways on the route: their subnet carries the packet on (wave 4).
  for (const nat of known.natGateways) {
    want('Subnets', nat.scope, nat.SubnetId);
    want('NetworkAclsForVpcs', nat.scope, nat.VpcId);
    want('RouteTablesForVpcs', nat.scope, nat.VpcId);
    // NAT only carries outbound flows: onward to the destination
    if (nat.SubnetId && nat.VpcId) pathSubnets.push({ scope: nat.scope, subnetId: nat.SubnetId, vpcId: nat.VpcId, peer: known.addresses.destination });
  }

  // Wave 3: from the endpoint groups' rules (not from referenced groups' own rules: those do not decide).
  for (const sg of known.securityGroups) {
    if (!endpointGroups.has(`${scopeKey(sg.scope)}|${sg.GroupId}`)) continue;
    for (const perm of [...(sg.IpPermissions ?? []), ...(sg.IpPermissionsEgress ?? [])]) {
      for (const pair of perm.UserIdGroupPairs ?? []) {
        const owner = pair.UserId && pair.UserId !== sg.scope.accountId ? { accountId: pair.UserId, region: sg.scope.region } : sg.scope;
        want('SecurityGroups', owner, pair.GroupId);
        want('SecurityGroupMembers', owner, pair.GroupId);
      }
      for (const pl of perm.PrefixListIds ?? []) {
        want('PrefixLists', sg.scope, pl.PrefixListId);
        want('PrefixListEntries', sg.scope, pl.PrefixListId);
      }
    }
  }

  // Wave 3: from the route tables that apply to the endpoint (and NAT) subnets.
  const routedTgws = new Set<string>();
  for (const { table: rt, peer } of relevantRouteTables(known.routeTables, pathSubnets)) {
    for (const r of routesToward(rt.Routes ?? [], peer)) {
      want('PeeringConnections', rt.scope, r.VpcPeeringConnectionId);
      want('NatGateways', rt.scope, r.NatGatewayId);
      if (r.GatewayId?.startsWith('igw-')) want('InternetGateways', rt.scope, r.GatewayId);
      if (r.GatewayId?.startsWith('vpce-')) want('VpcEndpoints', rt.scope, r.GatewayId);
      if (r.GatewayId?.startsWith('vgw-')) {
        want('VpnGateways', rt.scope, r.GatewayId);
        want('VpnConnectionsForVgws', rt.scope, r.GatewayId);
      }
      if (r.DestinationPrefixListId) {
        want('PrefixLists', rt.scope, r.DestinationPrefixListId);
        want('PrefixListEntries', rt.scope, r.DestinationPrefixListId);
      }
      if (r.TransitGatewayId) {
        routedTgws.add(r.TransitGatewayId);
        want('TransitGateways', rt.scope, r.TransitGatewayId);
      }
    }
  }

  // Route tables that take routes from a virtual private gateway: its VPN connections decide them (static
  // routes, BGP, tunnel state). Only for the tables on the path; nothing when no table propagates.
  for (const { table: rt } of relevantRouteTables(known.routeTables, pathSubnets)) {
    for (const p of rt.PropagatingVgws ?? []) {
      want('VpnGateways', rt.scope, p.GatewayId);
      want('VpnConnectionsForVgws', rt.scope, p.GatewayId);
    }
  }

  // Transit gateways on the route: the VPC attachment, its route table and routes (in the TGW owner's account).
  for (const att of known.tgwAttachments) {
    if (!att.TransitGatewayId || !routedTgws.has(att.TransitGatewayId)) continue;
    const owner = att.TransitGatewayOwnerId ? { accountId: att.TransitGatewayOwnerId, region: att.scope.region } : att.scope;
    if (att.ResourceType === 'vpc') want('TgwVpcAttachmentsForVpcs', att.scope, att.ResourceId);
    want('TransitGateways', owner, att.TransitGatewayId);
    const rtb = att.Association?.State !== 'disassociated' ? att.Association?.TransitGatewayRouteTableId : undefined;
    if (rtb) {
      want('TgwRouteTables', owner, rtb);
      want('TgwRoutes', owner, rtb);
    } else if (owner.accountId !== att.scope.accountId && att.ResourceType === 'vpc') {
      // Shared TGW: only its owner sees the association.
      want('TgwAttachmentsForVpcs', owner, att.ResourceId);
    }
  }

  return wants;
}

interface PathSubnet {
  scope: Scope;
  subnetId: string;
  vpcId: string;
  /** The address this subnet's traffic is headed to. */
  peer: string | undefined;
}

/** The table each subnet uses (its explicit association, else its VPC's main table), with the address it routes to. */
export function relevantRouteTables(
  tables: ReadonlyArray<Scoped<RouteTable>>,
  subnets: readonly PathSubnet[],
): Array<{ table: Scoped<RouteTable>; peer: string | undefined }> {
  const out: Array<{ table: Scoped<RouteTable>; peer: string | undefined }> = [];
  for (const sn of subnets) {
    const inScope = tables.filter((t) => scopeKey(t.scope) === scopeKey(sn.scope));
    const explicit = inScope.find((t) => (t.Associations ?? []).some((a) => a.SubnetId === sn.subnetId && a.AssociationState?.State !== 'disassociated'));
    const main = inScope.find((t) => t.VpcId === sn.vpcId && (t.Associations ?? []).some((a) => a.Main));
    const table = explicit ?? main;
    if (table && !out.some((o) => o.table === table && o.peer === sn.peer)) out.push({ table, peer: sn.peer });
  }
  return out;
}

/** Prefix length of `cidr` when it contains `addr`, else undefined. */
function contains(cidr: string | undefined, addr: Addr): number | undefined {
  const c = cidr === undefined ? null : parseCidr(cidr);
  return c && cidrContains(c, addr) ? c.prefix : undefined;
}

/**
 * The routes that can decide where traffic to `peer` goes: the longest CIDR match (whatever its
 * state: a blackhole does not fall back to shorter routes) plus every prefix-list route (their
 * CIDRs are not known yet). No peer: all routes.
 */
export function routesToward(routes: readonly Route[], peer: string | undefined): Route[] {
  const addr = peer === undefined ? null : parseAddr(peer);
  if (!addr) return [...routes];
  let best = -1;
  for (const r of routes) best = Math.max(best, contains(r.DestinationCidrBlock ?? r.DestinationIpv6CidrBlock, addr) ?? -1);
  return routes.filter((r) => r.DestinationPrefixListId || (best >= 0 && contains(r.DestinationCidrBlock ?? r.DestinationIpv6CidrBlock, addr) === best));
}

export const wantKey = (w: Want): string => `${w.kind}|${scopeKey(w)}|${w.id}`;

/** Groups new wants into batches (one per kind and scope, ≤ FILTER_VALUES_MAX ids); marks them requested. */
export function batchWants(wants: readonly Want[], requested: Set<string>): Batch[] {
  const batches = new Map<string, Batch>();
  for (const w of wants) {
    const k = wantKey(w);
    if (requested.has(k)) continue;
    requested.add(k);
    const bk = `${w.kind}|${scopeKey(w)}`;
    const b = batches.get(bk) ?? batches.set(bk, { kind: w.kind, accountId: w.accountId, region: w.region, ids: [] }).get(bk)!;
    b.ids.push(w.id);
  }
  const out: Batch[] = [];
  for (const b of batches.values()) {
    for (let i = 0; i < b.ids.length; i += FILTER_VALUES_MAX) out.push({ ...b, ids: b.ids.slice(i, i + FILTER_VALUES_MAX) });
  }
  return out;
}
