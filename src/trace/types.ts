/** What the tracer hands to diagnosis and fix planning: each blocker with the facts that explain it. */
import type { Blocker, Hop, UnknownItem } from '../answer/types.js';
import type { Addr } from '../net/ip.js';
import type { Eni, NatGateway, NetworkAcl, Peering, Route, RouteTable, TgwAttachment, TgwRoute, TgwRouteTable } from '../model/types.js';
import type { Flow } from './flow.js';
import type { NaclEvaluation } from './nacl.js';
import type { PeerView, SgEvaluation } from './sg.js';

/** How two VPCs are (or could be) connected. */
export type Connector =
  | { kind: 'pcx'; peering: Peering }
  | { kind: 'tgw'; tgwId: string; local: TgwAttachment; remote: TgwAttachment };

export type BlockerFacts =
  | { kind: 'sg'; eni: Eni; direction: 'ingress' | 'egress'; flow: Flow; peer: PeerView; evaluation: SgEvaluation }
  | { kind: 'nacl'; nacl: NetworkAcl; egress: boolean; flow: Flow; evaluation: NaclEvaluation }
  | { kind: 'route'; table: RouteTable; dst: Addr; route: Route | null; connector: Connector | null; targetVpcId?: string; targetCidrs: string[] }
  | { kind: 'tgw-route'; table: TgwRouteTable; dst: Addr; route: TgwRoute | null; remote?: TgwAttachment; targetCidrs: string[] }
  | { kind: 'state'; resourceId: string; state: string; /** why no AWS change fixes it, when that is known */ reason?: string; peering?: Peering; /** no-subnet-in-az: the subnet that cannot reach the TGW */ subnetId?: string; attachment?: TgwAttachment }
  | { kind: 'no-public-ip'; eni: Eni }
  /** An AWS-managed interface refuses the flow (a NAT gateway takes no inbound connections); `reason` says why no change fixes it. */
  | { kind: 'managed'; eni: Eni; reason: string }
  /** An address AWS serves itself (metadata, time, DNS) that this source cannot use; `reason` says why, and what to do. */
  | { kind: 'aws-service'; reason: string }
  /** No interface can hold the destination address (outside every subnet, or reserved by AWS). */
  | { kind: 'no-interface'; addr: Addr; vpcId: string; nearest: string[]; reason: string };

export type RawBlocker = Omit<Blocker, 'id' | 'fixIds'> & { facts: BlockerFacts };

/** An endpoint of the question, resolved against the model. */
export type Endpoint =
  | { kind: 'interface'; eni: Eni; /** address on the interface */ own: Addr; /** address the peer uses (public when viaPublic) */ addr: Addr; viaPublic: boolean }
  | { kind: 'internet'; addr: Addr } // a public address no interface in the data owns
  | { kind: 'outside'; addr: Addr } // a private address outside every VPC in the data (on-premises, another account)
  | { kind: 'unowned'; addr: Addr; vpcId: string } // inside a VPC in the data, but no interface owns it
  | { kind: 'aws-service'; addr: Addr; service: AwsService }; // an address AWS serves itself (metadata, time, DNS)

/** An address AWS serves itself, never filtered by network ACLs or security groups. */
export interface AwsService {
  id: 'metadata' | 'time' | 'dns';
  /** "the instance metadata service", "the Amazon Time Sync Service", "the Amazon DNS server (Route 53 Resolver)". */
  name: string;
  /** The VPC whose resolver this is (its base address + 2); only that VPC's interfaces reach it. */
  vpcId?: string;
  /** What it answers: protocol and port. */
  listens: Array<{ protocol: 'tcp' | 'udp'; port: number }>;
}

export interface TraceResult {
  hops: Hop[];
  blockers: RawBlocker[];
  unknowns: UnknownItem[];
  warnings: string[];
}

/** Where one leg got to after leaving a subnet: arrived in the goal's VPC, left AWS, or stopped. */
export type Arrival =
  | { status: 'arrived'; vpcId: string; flow: Flow; crossing: PeerView['crossing']; peeringAllowsRefs?: boolean; tgwAllowsRefs?: boolean; nat?: NatGateway; fromSubnetId?: string }
  | { status: 'exited'; flow: Flow; nat?: NatGateway; /** left AWS through this transit gateway attachment (VPN / Direct Connect): the reply must come back in through it */ via?: { tgwId: string; attachmentId: string } }
  | { status: 'stopped' };

/** Whether a gateway, attachment or peering state carries traffic. */
export function isUp(state: string): boolean {
  return state === 'available' || state === 'attached' || state === 'active';
}
