/** What the tracer hands to diagnosis and fix planning: each blocker with the facts that explain it. */
import type { Blocker } from '../answer/types.js';
import type { Addr } from '../net/ip.js';
import type { Eni, NetworkAcl, Peering, Route, RouteTable, TgwAttachment, TgwRoute, TgwRouteTable } from '../model/types.js';
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
  | { kind: 'state'; resourceId: string; state: string; peering?: Peering; /** no-subnet-in-az: the subnet that cannot reach the TGW */ subnetId?: string; attachment?: TgwAttachment }
  | { kind: 'no-public-ip'; eni: Eni };

export type RawBlocker = Omit<Blocker, 'id' | 'fixIds'> & { facts: BlockerFacts };
