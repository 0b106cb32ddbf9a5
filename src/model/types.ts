/**
 * The network model: describe-* JSON normalised into typed objects with indexes built once.
 * Every rule keeps an Origin pointing at the AWS object, the rule inside it and the file.
 */
import type { Origin } from '../answer/types.js';
import type { Addr, Cidr } from '../net/ip.js';
import type { HybridModel } from './hybrid.js';

/** IANA protocol number, or 'all' for AWS's "-1". */
export type Proto = number | 'all';

export const PROTO = { icmp: 1, tcp: 6, udp: 17, icmpv6: 58 } as const;

export interface PortRange {
  from: number;
  to: number;
}

/** ICMP match: -1 means any type / any code. */
export interface IcmpMatch {
  type: number;
  code: number;
}

export type SgPeer =
  | { kind: 'cidr'; cidr: Cidr }
  | { kind: 'prefixList'; id: string }
  | { kind: 'group'; groupId: string; userId?: string; vpcId?: string; peeringId?: string };

export interface SgRule {
  groupId: string;
  direction: 'ingress' | 'egress';
  proto: Proto;
  /** tcp/udp destination ports; null = all ports. */
  ports: PortRange | null;
  /** icmp/icmpv6 type/code; null = all. */
  icmp: IcmpMatch | null;
  peer: SgPeer;
  description?: string;
  origin: Origin;
}

export interface SecurityGroup {
  id: string;
  name: string;
  description: string;
  vpcId?: string;
  ownerId?: string;
  region?: string;
  tagName?: string;
  ingress: SgRule[];
  egress: SgRule[];
  file: string;
}

export interface NaclEntry {
  naclId: string;
  ruleNumber: number;
  egress: boolean;
  action: 'allow' | 'deny';
  proto: Proto;
  ports: PortRange | null;
  icmp: IcmpMatch | null;
  cidr: Cidr;
  origin: Origin;
}

export interface NetworkAcl {
  id: string;
  vpcId: string;
  isDefault: boolean;
  name?: string;
  ownerId?: string;
  /** Sorted by rule number; inbound and outbound separately. */
  inbound: NaclEntry[];
  outbound: NaclEntry[];
  subnetIds: string[];
  file: string;
}

export type RouteDestination = { kind: 'cidr'; cidr: Cidr } | { kind: 'prefixList'; id: string };

export type RouteTargetKind = 'local' | 'igw' | 'eigw' | 'nat' | 'pcx' | 'tgw' | 'vgw' | 'vpce' | 'eni' | 'instance' | 'other';

export interface Route {
  routeTableId: string;
  destination: RouteDestination;
  target: { kind: RouteTargetKind; id: string };
  /** "active" | "blackhole" (as AWS reports it). */
  state: string;
  /** CreateRouteTable (local) | CreateRoute | EnableVgwRoutePropagation. */
  originKind: string;
  origin: Origin;
}

export interface RouteTable {
  id: string;
  vpcId: string;
  name?: string;
  ownerId?: string;
  main: boolean;
  subnetIds: string[];
  routes: Route[];
  file: string;
}

export interface Vpc {
  id: string;
  cidrs: Cidr[];
  ownerId?: string;
  region?: string;
  name?: string;
  isDefault: boolean;
}

export interface Subnet {
  id: string;
  vpcId: string;
  cidrs: Cidr[];
  az?: string;
  ownerId?: string;
  region?: string;
  name?: string;
}

export interface Eni {
  id: string;
  subnetId: string;
  vpcId: string;
  az?: string;
  ownerId?: string;
  region?: string;
  status: string;
  groupIds: string[];
  /** Primary private IPv4 first. */
  privateIps: Addr[];
  ipv6: Addr[];
  /** Public IPv4 (auto-assigned or Elastic IP) mapped to a private IPv4. */
  publicIps: Array<{ publicIp: Addr; privateIp: Addr }>;
  /**
   * Public addresses another copy of this interface lists (an instance's embedded copy in
   * describe-instances) and describe-network-interfaces does not: whether they are this interface's
   * is unknown, so they are neither its addresses nor internet addresses.
   */
  unconfirmedPublicIps?: Array<{ publicIp: Addr; privateIp: Addr }>;
  instanceId?: string;
  deviceIndex?: number;
  interfaceType?: string;
  /** Created and managed by an AWS service (NAT gateway, load balancer, endpoint, Lambda…), not by the account. */
  requesterManaged?: boolean;
  /** Who created it when AWS did: "amazon-elb", "amazon-rds", an account or service principal. */
  requesterId?: string;
  description?: string;
  name?: string;
  sourceDestCheck?: boolean;
  file: string;
}

export interface Instance {
  id: string;
  name?: string;
  state?: string;
  eniIds: string[];
  /** describe-instances MetadataOptions: the instance metadata service as the instance sees it. */
  metadata?: { httpEndpoint?: string; httpTokens?: string; hopLimit?: number; httpProtocolIpv6?: string };
}

export interface PrefixList {
  id: string;
  name?: string;
  /** null when the entries were not collected. */
  cidrs: Cidr[] | null;
  maxEntries?: number;
  ownerId?: string;
}

export interface PeeringSide {
  vpcId: string;
  ownerId?: string;
  region?: string;
  cidrs: Cidr[];
}

export interface Peering {
  id: string;
  status: string;
  requester: PeeringSide;
  accepter: PeeringSide;
  name?: string;
}

export interface TransitGateway {
  id: string;
  state: string;
  ownerId?: string;
  sgReferencing: boolean;
  name?: string;
}

export interface TgwAttachment {
  id: string;
  tgwId: string;
  resourceType: string;
  resourceId: string;
  resourceOwnerId?: string;
  state: string;
  routeTableId?: string;
  associationState?: string;
  subnetIds?: string[];
  name?: string;
}

export interface TgwRoute {
  routeTableId: string;
  cidr: Cidr | null;
  prefixListId?: string;
  attachmentIds: string[];
  type: string;
  state: string;
  origin: Origin;
}

export interface TgwRouteTable {
  id: string;
  tgwId: string;
  name?: string;
  /** null when the routes were not collected. */
  routes: TgwRoute[] | null;
}

export interface InternetGateway {
  id: string;
  attachments: Array<{ vpcId: string; state: string }>;
  name?: string;
}

export interface NatGateway {
  id: string;
  vpcId: string;
  subnetId: string;
  state: string;
  connectivity: string;
  publicIps: Addr[];
  privateIps: Addr[];
  name?: string;
}

export interface VpcEndpoint {
  id: string;
  vpcId: string;
  type: string;
  serviceName: string;
  state: string;
  routeTableIds: string[];
}

export interface AddressOwner {
  eniId: string;
  kind: 'private' | 'ipv6' | 'public';
}

export interface Model {
  vpcs: Map<string, Vpc>;
  subnets: Map<string, Subnet>;
  securityGroups: Map<string, SecurityGroup>;
  networkAcls: Map<string, NetworkAcl>;
  routeTables: Map<string, RouteTable>;
  enis: Map<string, Eni>;
  instances: Map<string, Instance>;
  prefixLists: Map<string, PrefixList>;
  peerings: Map<string, Peering>;
  transitGateways: Map<string, TransitGateway>;
  tgwAttachments: Map<string, TgwAttachment>;
  tgwRouteTables: Map<string, TgwRouteTable>;
  internetGateways: Map<string, InternetGateway>;
  natGateways: Map<string, NatGateway>;
  vpcEndpoints: Map<string, VpcEndpoint>;
  index: {
    /** Canonical address text → interfaces that own it. */
    addressOwners: Map<string, AddressOwner[]>;
    /** Security group → interfaces that carry it. */
    groupMembers: Map<string, string[]>;
    subnetNacl: Map<string, string>;
    subnetRouteTable: Map<string, string>;
    mainRouteTable: Map<string, string>;
    vpcGroups: Map<string, string[]>;
    vpcRouteTables: Map<string, string[]>;
  };
  /** VPN, propagations, transit gateway peering, load balancers (build-hybrid.ts); absent when the data has none. */
  hybrid?: HybridModel;
  /** Which describe-* keys were present at all (so "absent" can be told from "empty"). */
  present: Set<string>;
  /** Keys read from a live, targeted collection: they hold what the path needed, not every object (so "none in the data" proves nothing). */
  partialKeys?: Set<string>;
  warnings: string[];
}
