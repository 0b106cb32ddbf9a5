/**
 * The parts of the network beyond plain VPCs: virtual private gateways, VPN connections, transit
 * gateway propagations and peering attachments, and load balancers. Built by build-hybrid.ts;
 * `Model.hybrid` is absent when the data holds none of them.
 */
import type { Addr, Cidr } from '../net/ip.js';
import type { Origin } from '../answer/types.js';

export interface VpnGateway {
  id: string;
  state: string;
  /** VPCs it is attached to, with the attachment state. */
  vpcAttachments: Array<{ vpcId: string; state: string }>;
  asn?: number;
  name?: string;
}

export interface VpnConnection {
  id: string;
  state: string;
  vpnGatewayId?: string;
  transitGatewayId?: string;
  customerGatewayId?: string;
  /** Static routing: the routes come from the data; otherwise BGP decides what is announced. */
  staticRoutesOnly: boolean;
  /** Static routes to the customer network (describe-vpn-connections Routes). */
  routes: Array<{ cidr: Cidr; state: string; origin: Origin }>;
  /**
   * The tunnels (VgwTelemetry). null when the data has no telemetry (missing or empty: AWS always
   * reports a connection's tunnels), so whether a tunnel is up is unknown — never assumed.
   */
  tunnels: Array<{ outsideIp: string; status: string; statusMessage?: string }> | null;
  name?: string;
}

export interface TgwPropagation {
  routeTableId: string;
  attachmentId: string;
  resourceType: string;
  resourceId: string;
  state: string;
  origin: Origin;
}

export interface TgwPeeringAttachment {
  id: string;
  state: string;
  requester: { tgwId: string; ownerId?: string; region?: string };
  accepter: { tgwId: string; ownerId?: string; region?: string };
  /** Route table each side associates the attachment with (from that side's describe-transit-gateway-attachments). */
  routeTableByTgw: Map<string, string>;
  name?: string;
}

export interface LoadBalancerZone {
  zone: string;
  subnetId: string;
  /** Addresses the data gives for the zone (NLB: its private / Elastic IPs); ALB zones have none listed. */
  addresses: Addr[];
}

export interface LoadBalancer {
  arn: string;
  name: string;
  dnsName?: string;
  type: 'application' | 'network' | 'gateway' | string;
  scheme: 'internet-facing' | 'internal' | string;
  vpcId?: string;
  state: string;
  zones: LoadBalancerZone[];
  securityGroups: string[];
  ownerId?: string;
  region?: string;
}

export interface HybridModel {
  vpnGateways: Map<string, VpnGateway>;
  vpnConnections: Map<string, VpnConnection>;
  /** TGW route table → the attachments propagating into it. */
  tgwPropagations: Map<string, TgwPropagation[]>;
  tgwPeerings: Map<string, TgwPeeringAttachment>;
  /** By ARN. */
  loadBalancers: Map<string, LoadBalancer>;
  /** VPC route table → the virtual private gateways propagating into it (PropagatingVgws). */
  propagatingVgws: Map<string, string[]>;
  /**
   * TGW route table → attachments (VPN, Direct Connect gateway, Connect) whose routes are learned
   * over BGP and are in no file (the table's routes in the data are static ones only).
   */
  bgpSources: Map<string, TgwPropagation[]>;
  /** VPC route table → VPN connections whose BGP-learned routes it would receive and the data does not show. */
  vgwBgpSources: Map<string, VpnConnection[]>;
}
