/**
 * The answer contract: what sgwhy says about one question. It knows nothing about
 * terminals or Slack; renderers (src/render) turn it into text, JSON or Block Kit.
 * The JSON form of this object is a stable, documented contract (README "JSON contract").
 */
import type { Protocol } from '../question/types.js';

export type Verdict = 'reachable' | 'blocked' | 'unknown';
export type Layer = 'security-group' | 'network-acl' | 'route-table' | 'network-interface' | 'gateway';
export type TrafficDirection = 'ingress' | 'egress';
export type PathLeg = 'forward' | 'return';

/** Closed vocabulary of steps the tracer takes, in packet order. */
export type StepKind =
  | 'SOURCE_ENI' // the source interface: exists, in use
  | 'SG_EGRESS' // source ENI security groups, outbound (forward leg)
  | 'NACL_OUTBOUND' // subnet NACL, traffic leaving the subnet
  | 'ROUTE' // route-table lookup in a subnet
  | 'PEERING' // VPC peering connection
  | 'TRANSIT_GATEWAY' // TGW attachment + TGW route-table lookup
  | 'INTERNET_GATEWAY'
  | 'NAT_GATEWAY'
  | 'VPN_GATEWAY' // virtual private gateway / VPN connection / Direct Connect gateway: the edge to on-premises
  | 'VPC_ENDPOINT'
  | 'NACL_INBOUND' // subnet NACL, traffic entering the subnet
  | 'SG_INGRESS' // destination ENI security groups, inbound (forward leg)
  | 'SG_CONNECTION_TRACKED' // return leg: allowed because the security group is stateful
  | 'DESTINATION_ENI' // the destination interface: owns the address, in use
  | 'AWS_SERVICE'; // an address AWS serves itself (metadata, time sync, DNS): reached over the instance's own link

export type StepDecision = 'allow' | 'deny' | 'forward' | 'drop' | 'unknown';

/** Explanation codes. Reachability Analyzer's names where one fits; our own otherwise. */
export type ExplanationCode =
  | 'ENI_SG_RULES_MISMATCH'
  | 'SUBNET_ACL_RESTRICTION'
  | 'NO_ROUTE_TO_DESTINATION'
  | 'BAD_STATE_ROUTE'
  | 'BAD_STATE' // a component (peering, TGW, NAT, ENI) is not in a functional state
  | 'BAD_STATE_ATTACHMENT' // IGW/TGW attachment missing or not available
  | 'CANNOT_ROUTE' // the route's next hop cannot carry this destination (e.g. peering is not transitive)
  | 'TGW_RTB_CANNOT_ROUTE'
  | 'NO_PUBLIC_ADDRESS' // traffic leaves via an IGW but the interface has no public IPv4 address
  | 'UNSOLICITED_INBOUND' // a NAT gateway (or another reply-only interface) refuses a connection opened towards it
  | 'AWS_SERVICE' // an address AWS serves itself (metadata, time, DNS) that this source cannot use as asked
  | 'NO_INTERFACE_POSSIBLE'; // the destination is in no subnet, or is an address AWS reserves: no interface can hold it

/** Where a rule came from: the AWS object, the rule inside it, and the file it was read from. */
export interface Origin {
  resourceId: string;
  /** JSON pointer-ish path inside the AWS object, e.g. "IpPermissions[0].IpRanges[1]" or "Entries[3]". */
  pointer: string;
  file?: string;
}

/** A rule as shown to a human, with a back-reference to its origin. */
export interface RuleRef {
  kind: 'sg-rule' | 'nacl-entry' | 'route' | 'tgw-route' | 'implicit';
  resourceId: string;
  /** Human summary, e.g. "tcp/443 from 10.0.0.0/16" or "#100 deny all from 0.0.0.0/0". */
  text: string;
  ruleNumber?: number;
  action?: 'allow' | 'deny';
  description?: string;
  origin?: Origin;
}

export interface Evidence {
  /** The rule that decided; null when nothing matched ("no security group rule matches"). */
  decidingRule: RuleRef | null;
  /** Every rule that was evaluated at this step (for SGs: every rule on every group of the ENI in this direction). */
  evaluated: RuleRef[];
  /** One sentence. */
  summary: string;
  /** For port ranges (NACL return path): which part of the range is allowed / denied. */
  allowedPorts?: Array<[number, number]>;
  deniedPorts?: Array<[number, number]>;
}

export interface Hop {
  seq: number;
  path: PathLeg;
  step: StepKind;
  layer: Layer;
  resourceId: string;
  resourceName?: string;
  direction?: TrafficDirection;
  decision: StepDecision;
  /** The packet as seen at this step. */
  packet: { src: string; dst: string; protocol: Protocol; dstPort?: string; icmp?: string };
  detail: string;
  decidingRule?: RuleRef | null;
  evaluatedCount?: number;
}

export interface Blocker {
  id: string; // B1, B2… in packet order
  layer: Layer;
  resourceId: string;
  resourceName?: string;
  direction: TrafficDirection;
  path: PathLeg;
  code: ExplanationCode;
  explanation: string;
  evidence: Evidence;
  /** Security-group blockers: the ENI and all its groups; resourceId is the group the fix changes. */
  networkInterfaceId?: string;
  securityGroupIds?: string[];
  /** Route blockers: the table and the route that decided (null when no route matched). */
  routeTableId?: string;
  subnetId?: string;
  vpcId?: string;
  accountId?: string;
  region?: string;
  fixIds: string[];
  /** Set when fixIds is empty: why no automatic fix is proposed, in one sentence. */
  noFixReason?: string;
}

export type NearMissKind =
  | 'WRONG_PORT'
  | 'WRONG_PEER' // CIDR / prefix list / group that does not contain the peer
  | 'WRONG_PROTOCOL'
  | 'GROUP_NOT_ATTACHED' // a group in the VPC would allow it but is not on the ENI
  | 'RULE_LIMIT' // the group is at its rule quota
  | 'DENY_BEFORE_ALLOW' // a NACL allow exists but a lower-numbered deny wins
  | 'ROUTE_IN_OTHER_TABLE'
  | 'PARTIAL_PORT_RANGE'
  | 'NO_CONNECTION' // no peering / transit gateway / gateway can carry it: a route alone cannot fix it
  | 'SG_LIMIT'; // the ENI already carries 5 groups

export interface NearMiss {
  blockerId: string;
  kind: NearMissKind;
  message: string;
  rule?: RuleRef;
  resourceId?: string;
}

/**
 * One API call of a fix. A fix applies its steps in order, each in its own account and Region.
 * A step whose result a later step needs (the id of a group or peering it creates) names it in
 * `output`; later steps carry the string "${NAME}" where that value goes (in `input`, and as
 * "$NAME" in `cli`, which the first step's command sets: NAME=$(aws … --query Field --output text)).
 */
export interface FixStep {
  title: string;
  cli: string;
  service: 'ec2';
  operation: string;
  input: Record<string, unknown>;
  accountId?: string;
  region?: string;
  output?: { name: string; field: string };
}

/**
 * An AWS API call: the CLI for humans, operation + input for the bot (SDK v3 input shape).
 * `steps` always holds every call of the fix in order (one for a single-call fix);
 * `operation`/`input`/`accountId`/`region` repeat the first step, and `cli` is the whole script
 * (the steps' commands, one per line), so a reader of the single-step fields sees every command.
 */
export interface Fix {
  id: string; // F1, F2…
  blockerId: string;
  title: string;
  cli: string;
  service: 'ec2';
  operation: string;
  input: Record<string, unknown>;
  accountId?: string;
  region?: string;
  steps: FixStep[];
  /** Things a human should know before approving (scope, side effects). */
  notes: string[];
  /** Other ways to fix the same blocker (not applied by the fix plan). */
  alternatives?: Array<Omit<Fix, 'alternatives' | 'id'>>;
}

export type UnknownCode =
  | 'UNOWNED_ADDRESS' // no ENI in the data owns this address
  | 'MISSING_DATA' // an object the path needs is not in the data
  | 'OUTSIDE_DATA' // the path leaves the data we have (peer VPC, on-prem, appliance)
  | 'UNSUPPORTED'; // a construct sgwhy does not evaluate

export interface UnknownItem {
  layer: Layer;
  path: PathLeg;
  code: UnknownCode;
  resourceId?: string;
  message: string;
  /** What to collect to decide it (a describe-* call, a permission). */
  missing?: string;
}

export interface EndpointInfo {
  input: string;
  ip: string;
  kind: 'interface' | 'external';
  networkInterfaceId?: string;
  instanceId?: string;
  subnetId?: string;
  vpcId?: string;
  accountId?: string;
  region?: string;
  securityGroupIds?: string[];
  publicIp?: string;
  name?: string;
  description?: string;
  /** The AWS service that owns the interface, read from its type and description ("Application Load Balancer app/orders/…", "NAT gateway nat-…"). */
  managedBy?: string;
}

/**
 * One part of an answer that covers several interfaces or several ports: an endpoint that stands
 * for several interfaces (an instance with several ENIs, a load balancer with one per zone) is
 * answered for each, and a port range is answered per piece that the rules decide alike.
 */
export interface AnswerPart {
  /** "eth1 eni-… 10.0.1.60 (app-private-b)", "ports 8086-8090", or both joined by " — ". */
  label: string;
  /** The interface this part is about, when an endpoint expanded, and which endpoint it belongs to. */
  role?: 'source' | 'destination';
  networkInterfaceId?: string;
  ip?: string;
  /** The destination ports this part covers, for a port range question. */
  ports?: [number, number];
  verdict: Verdict;
  summary: string;
  /** This part's blockers, by id in the answer's `blockers`. */
  blockerIds: string[];
  /** This part's own path, hop by hop (the answer's `hops` is the first part that is not reachable). */
  hops: Hop[];
}

export interface HostCheck {
  where: 'source' | 'destination';
  what: string;
  command?: string;
}

export interface Answer {
  schemaVersion: 1;
  question: {
    text: string;
    source: string;
    destination: string;
    protocol: Protocol;
    port?: number;
    sourcePort?: number;
    icmpType?: number;
    icmpCode?: number;
    service?: string;
    /** The last port of a range question ("ports 8080-8090"); `port` is the first. */
    portTo?: number;
  };
  endpoints: { source?: EndpointInfo; destination?: EndpointInfo };
  verdict: Verdict;
  summary: string;
  blockers: Blocker[];
  hops: Hop[];
  fixes: Fix[];
  nearMisses: NearMiss[];
  unknowns: UnknownItem[];
  hostChecks: HostCheck[];
  warnings: string[];
  /**
   * How the question was read, when it was not obvious: the direction checked when the wording
   * (not the order) decided it, and which interface a several-interface source sends through, and why.
   */
  interpretation?: string[];
  /** Present when the answer covers several interfaces or port pieces: each with its own verdict. */
  parts?: AnswerPart[];
}
