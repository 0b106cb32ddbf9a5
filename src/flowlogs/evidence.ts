/**
 * The flow-log step for a question already answered live: derive the flow and the endpoint
 * interfaces from the located endpoints, read the records, summarise them against the verdict.
 * Run it after the verdict is out (the bot posts it as a follow-up); it never blocks the verdict.
 */
import type { Verdict } from '../answer/types.js';
import type { AwsClients } from '../aws/clients.js';
import type { LocateOutcome } from '../aws/locate.js';
import type { Target } from '../aws/target.js';
import type { Question } from '../question/types.js';
import { fetchFlowLogRecords, type FetchFlowLogOptions } from './fetch.js';
import { summariseFlowLogs } from './summarise.js';
import type { FlowEndpoint, FlowEvidence, FlowTuple } from './types.js';

export interface LocatedPair {
  source: LocateOutcome;
  destination: LocateOutcome;
}

const addressOf = (o: LocateOutcome): string | undefined =>
  o.ref.kind === 'ip' ? o.ref.value : o.status === 'found' ? o.candidate.interfaces[0]?.privateIp : undefined;

/** The 5-tuple to look for; undefined when an endpoint has no address (an id that was not found). */
export function flowTupleFor(question: Pick<Question, 'protocol' | 'port'>, endpoints: LocatedPair): FlowTuple | undefined {
  const src = addressOf(endpoints.source);
  const dst = addressOf(endpoints.destination);
  if (!src || !dst) return undefined;
  return { src, dst, protocol: question.protocol, ...(question.port !== undefined ? { port: question.port } : {}) };
}

/** The interfaces whose flow logs can show this flow (the one owning the flow's address, per endpoint). */
export function flowEndpointsFor(endpoints: LocatedPair): FlowEndpoint[] {
  const out: FlowEndpoint[] = [];
  for (const [role, o] of [['source', endpoints.source], ['destination', endpoints.destination]] as const) {
    if (o.status !== 'found') continue;
    const addr = addressOf(o);
    const i = o.candidate.interfaces.find((x) => x.privateIp === addr) ?? o.candidate.interfaces[0];
    if (!i) continue;
    out.push({ role, networkInterfaceId: i.networkInterfaceId, subnetId: i.subnetId, vpcId: i.vpcId, accountId: i.accountId, region: i.region });
  }
  return out;
}

export async function flowLogEvidence(
  clients: AwsClients,
  targets: readonly Target[],
  question: Pick<Question, 'protocol' | 'port'>,
  endpoints: LocatedPair,
  verdict: Verdict | undefined,
  opts: FetchFlowLogOptions = {},
): Promise<FlowEvidence | undefined> {
  const tuple = flowTupleFor(question, endpoints);
  if (!tuple) return undefined;
  const fetched = await fetchFlowLogRecords(clients, targets, tuple, flowEndpointsFor(endpoints), opts);
  return summariseFlowLogs(fetched, { ...(verdict ? { verdict } : {}), ...(opts.now !== undefined ? { now: opts.now } : {}) });
}
