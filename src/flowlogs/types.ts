/** Flow-log evidence: what VPC flow logs say about one flow, next to the configuration verdict. Pure data. */
import type { Gap } from '../aws/gaps.js';
import type { Verdict } from '../answer/types.js';
import type { Protocol } from '../question/types.js';

/** The flow asked about: A → B[:port]. The return direction is B → A from that port. */
export interface FlowTuple {
  src: string;
  dst: string;
  protocol: Protocol;
  port?: number;
}

/** An endpoint interface whose flow logs are searched (its own, its subnet's, its VPC's). */
export interface FlowEndpoint {
  role: 'source' | 'destination';
  networkInterfaceId: string;
  subnetId?: string;
  vpcId?: string;
  accountId: string;
  region: string;
}

/** One parsed flow-log record (fields by their LogFormat names; absent fields undefined). */
export interface FlowRecord {
  interfaceId?: string;
  srcaddr?: string;
  dstaddr?: string;
  srcport?: number;
  dstport?: number;
  protocol?: number;
  packets?: number;
  bytes?: number;
  /** Aggregation window, epoch seconds. */
  start?: number;
  end?: number;
  action?: 'ACCEPT' | 'REJECT';
  logStatus?: string;
  flowDirection?: 'ingress' | 'egress';
  /** CloudWatch event timestamp (ms). */
  timestamp?: number;
  flowLogId?: string;
  /** Every field by its LogFormat name, as text. */
  fields: Record<string, string>;
}

export interface FlowLogInfo {
  flowLogId: string;
  /** The ENI, subnet or VPC the flow log is attached to. */
  resourceId: string;
  trafficType: 'ACCEPT' | 'REJECT' | 'ALL' | string;
  destinationType: 'cloud-watch-logs' | 's3' | 'kinesis-data-firehose' | string;
  logGroupName?: string;
  /** S3 bucket / Firehose ARN, for messages. */
  destination?: string;
  logFormat: string;
  accountId: string;
  region: string;
  /** Delivery is failing (DeliverLogsStatus FAILED): records may be missing. */
  deliveryFailing: boolean;
}

export interface FlowCoverage {
  endpoint: FlowEndpoint;
  flowLogs: FlowLogInfo[];
}

/** What fetchFlowLogRecords found; the input of summariseFlowLogs. */
export interface FlowLogFetch {
  tuple: FlowTuple;
  window: { startMs: number; endMs: number };
  coverage: FlowCoverage[];
  records: FlowRecord[];
  /** A query hit its page bound: counts are lower bounds. */
  truncated: boolean;
  gaps: Gap[];
  /** Flow logs whose format lacks the fields needed to match this flow. */
  unusableFormats: Array<{ flowLogId: string; missing: string[] }>;
}

export type FlowDirection = 'forward' | 'return';
export type CaptureSide = 'source' | 'destination' | 'other';

/** Records of one (direction, action, interface), counted. */
export interface FlowGroup {
  direction: FlowDirection;
  action: 'ACCEPT' | 'REJECT';
  networkInterfaceId: string;
  side: CaptureSide;
  records: number;
  packets: number;
  bytes: number;
  /** Epoch ms. */
  firstSeen: number;
  lastSeen: number;
}

export type FindingCode =
  | 'NO_FLOW_LOGS'
  | 'NOT_QUERYABLE'
  | 'DELIVERY_FAILING'
  | 'UNUSABLE_FORMAT'
  | 'NO_RECORDS'
  | 'REJECT_AT_SOURCE'
  | 'REJECT_AT_DESTINATION'
  | 'NACL_RETURN_PATH'
  | 'NOT_DELIVERED'
  | 'FLOWING'
  | 'PARTIAL_TRAFFIC_TYPE'
  | 'TRUNCATED';

export interface FlowFinding {
  code: FindingCode;
  message: string;
  networkInterfaceId?: string;
}

export type AgreementStatus = 'agrees' | 'disagrees' | 'stale' | 'inconclusive';

export interface FlowEvidence {
  tuple: FlowTuple;
  window: { startMs: number; endMs: number; minutes: number };
  verdict?: Verdict;
  groups: FlowGroup[];
  findings: FlowFinding[];
  /** Human sentences, most important first. */
  sentences: string[];
  agreement: { status: AgreementStatus; message: string };
  truncated: boolean;
  gaps: Gap[];
}
