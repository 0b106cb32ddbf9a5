/**
 * Turns flow-log records into evidence a human reads next to the configuration verdict: counts per
 * direction/action/interface, what the pattern means (stateless NACL return path, dropped between
 * the interfaces, flowing fine), and whether the records agree with the verdict. Pure.
 */
import type { Verdict } from '../answer/types.js';
import { classifyRecord } from './match.js';
import type { AgreementStatus, CaptureSide, FlowEvidence, FlowFinding, FlowGroup, FlowLogFetch, FlowRecord, FlowTuple } from './types.js';

export interface SummariseOptions {
  /** The configuration verdict to compare with. */
  verdict?: Verdict;
  /** "Now" for "N min ago" (epoch ms). Default: the end of the query window. */
  now?: number;
}

/** Records this recent may still be from before a fix: aggregation (≤10 min) + delivery delay. */
export const PROPAGATION_MINUTES = 15;

export function ago(ms: number, now: number): string {
  const min = Math.floor((now - ms) / 60_000);
  if (min < 1) return 'less than a minute ago';
  if (min < 120) return `${min} min ago`;
  return `${Math.floor(min / 60)} h ago`;
}

const arrow = (t: FlowTuple, dir: 'forward' | 'return'): string => {
  const port = t.port !== undefined && (t.protocol === 'tcp' || t.protocol === 'udp') ? `:${t.port}` : '';
  const proto = t.protocol === 'tcp' ? '' : ` ${t.protocol}`;
  return dir === 'forward' ? `${t.src} → ${t.dst}${port}${proto}` : `${t.dst}${port} → ${t.src}${proto}`;
};

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function recordTimes(r: FlowRecord, fallback: number): { first: number; last: number } {
  const last = r.end !== undefined ? r.end * 1000 : (r.timestamp ?? fallback);
  const first = r.start !== undefined ? r.start * 1000 : (r.timestamp ?? last);
  return { first, last };
}

export function groupRecords(records: readonly FlowRecord[], tuple: FlowTuple, eni: { source?: string; destination?: string }, fallback: number): FlowGroup[] {
  const groups = new Map<string, FlowGroup>();
  const seen = new Set<string>();
  for (const r of records) {
    const direction = classifyRecord(r, tuple);
    if (!direction || !r.action) continue;
    // The same packets logged by two flow logs (e.g. a VPC-level and a subnet-level one) count once.
    const same = [r.interfaceId, r.srcaddr, r.srcport, r.dstaddr, r.dstport, r.protocol, r.action, r.end ?? Math.floor((r.timestamp ?? 0) / 60_000)].join('|');
    if (seen.has(same)) continue;
    seen.add(same);
    const id = r.interfaceId ?? '(unknown interface)';
    const side: CaptureSide = id === eni.source ? 'source' : id === eni.destination ? 'destination' : 'other';
    const k = `${direction}|${r.action}|${id}`;
    const { first, last } = recordTimes(r, fallback);
    const g = groups.get(k);
    if (!g) {
      groups.set(k, { direction, action: r.action, networkInterfaceId: id, side, records: 1, packets: r.packets ?? 0, bytes: r.bytes ?? 0, firstSeen: first, lastSeen: last });
    } else {
      g.records++;
      g.packets += r.packets ?? 0;
      g.bytes += r.bytes ?? 0;
      g.firstSeen = Math.min(g.firstSeen, first);
      g.lastSeen = Math.max(g.lastSeen, last);
    }
  }
  const order = (g: FlowGroup): number => (g.action === 'REJECT' ? 0 : 2) + (g.direction === 'forward' ? 0 : 1);
  return [...groups.values()].sort((a, b) => order(a) - order(b) || b.lastSeen - a.lastSeen);
}

const maxLast = (gs: readonly FlowGroup[]): number | undefined => (gs.length ? Math.max(...gs.map((g) => g.lastSeen)) : undefined);

export function summariseFlowLogs(fetch: FlowLogFetch, opts: SummariseOptions = {}): FlowEvidence {
  const { tuple, window } = fetch;
  const now = opts.now ?? window.endMs;
  const minutes = Math.round((window.endMs - window.startMs) / 60_000);
  const src = fetch.coverage.find((c) => c.endpoint.role === 'source');
  const dst = fetch.coverage.find((c) => c.endpoint.role === 'destination');
  const eni = { source: src?.endpoint.networkInterfaceId, destination: dst?.endpoint.networkInterfaceId };
  const groups = groupRecords(fetch.records, tuple, eni, window.endMs);
  const findings: FlowFinding[] = [];

  // Coverage.
  const queryable = (c: typeof src): boolean => !!c?.flowLogs.some((f) => f.destinationType === 'cloud-watch-logs' && f.logGroupName);
  const seesAccepts = (c: typeof src): boolean => !!c?.flowLogs.some((f) => f.destinationType === 'cloud-watch-logs' && f.trafficType !== 'REJECT');
  for (const c of fetch.coverage) {
    const e = c.endpoint;
    const where = [e.subnetId, e.vpcId].filter(Boolean).join(', ');
    if (c.flowLogs.length === 0) {
      findings.push({ code: 'NO_FLOW_LOGS', networkInterfaceId: e.networkInterfaceId, message: `No flow logs cover ${e.networkInterfaceId} (${e.role})${where ? ` or its subnet/VPC (${where})` : ''}: no records to check.` });
      continue;
    }
    if (!queryable(c)) {
      const dests = [...new Set(c.flowLogs.map((f) => `${f.destinationType}${f.destination ? ` ${f.destination}` : ''}`))].join(', ');
      findings.push({ code: 'NOT_QUERYABLE', networkInterfaceId: e.networkInterfaceId, message: `Flow logs for ${e.networkInterfaceId} (${e.role}) go to ${dests}; sgwhy reads CloudWatch Logs destinations only.` });
    }
    for (const f of c.flowLogs) {
      if (f.trafficType !== 'ALL') {
        findings.push({ code: 'PARTIAL_TRAFFIC_TYPE', networkInterfaceId: e.networkInterfaceId, message: `Flow log ${f.flowLogId} on ${f.resourceId} records only ${f.trafficType} traffic: the absence of ${f.trafficType === 'ACCEPT' ? 'REJECT' : 'ACCEPT'} records proves nothing.` });
      }
      if (f.deliveryFailing) {
        findings.push({ code: 'DELIVERY_FAILING', networkInterfaceId: e.networkInterfaceId, message: `Flow log ${f.flowLogId} reports failing delivery: records may be missing.` });
      }
    }
  }
  for (const u of fetch.unusableFormats) {
    findings.push({ code: 'UNUSABLE_FORMAT', message: `Flow log ${u.flowLogId} has a custom format without ${u.missing.join(', ')}: its records cannot be matched to this flow.` });
  }

  const sel = (dir: 'forward' | 'return', action: 'ACCEPT' | 'REJECT', side?: CaptureSide): FlowGroup[] =>
    groups.filter((g) => g.direction === dir && g.action === action && (side === undefined || g.side === side));
  const sum = (gs: readonly FlowGroup[]): number => gs.reduce((n, g) => n + g.records, 0);

  const fwdRejectSrc = sel('forward', 'REJECT', 'source');
  const fwdRejectDst = sel('forward', 'REJECT', 'destination');
  const fwdAcceptSrc = sel('forward', 'ACCEPT', 'source');
  const fwdAcceptDst = sel('forward', 'ACCEPT', 'destination');
  const retRejectDst = sel('return', 'REJECT', 'destination');
  const retRejectSrc = sel('return', 'REJECT', 'source');
  const retAccept = sel('return', 'ACCEPT');
  const rejects = groups.filter((g) => g.action === 'REJECT');
  const accepts = groups.filter((g) => g.action === 'ACCEPT');

  if (fwdRejectSrc.length) {
    findings.push({ code: 'REJECT_AT_SOURCE', networkInterfaceId: eni.source, message: `Outbound REJECT on the source ${eni.source}: its security group egress rules or its subnet's NACL (outbound) drop the traffic.` });
  }
  if (fwdRejectDst.length) {
    findings.push({ code: 'REJECT_AT_DESTINATION', networkInterfaceId: eni.destination, message: `Inbound REJECT on the destination ${eni.destination}: its security group ingress rules or its subnet's NACL (inbound) drop the traffic.` });
  }
  if (fwdAcceptDst.length && retRejectDst.length) {
    findings.push({ code: 'NACL_RETURN_PATH', networkInterfaceId: eni.destination, message: `Inbound ACCEPT but outbound REJECT on ${eni.destination}: a stateless NACL on the destination subnet drops the replies (security groups are stateful and never reject a reply); allow outbound to the client's ephemeral ports 1024-65535.` });
  }
  if ((fwdAcceptSrc.length || fwdAcceptDst.length) && retRejectSrc.length) {
    findings.push({ code: 'NACL_RETURN_PATH', networkInterfaceId: eni.source, message: `Replies are REJECTed entering the source ${eni.source}: a stateless NACL on the source subnet drops them; allow inbound from ${tuple.dst} to ports 1024-65535.` });
  }
  const dstRecords = groups.some((g) => g.side === 'destination');
  if (fwdAcceptSrc.length && !dstRecords && !retAccept.length && seesAccepts(dst) && queryable(dst)) {
    findings.push({ code: 'NOT_DELIVERED', networkInterfaceId: eni.destination, message: `Packets leave ${eni.source} (ACCEPT) but ${eni.destination} never records them: they are dropped in between (route table, peering/transit gateway, or the address is not where the configuration says).` });
  }
  const forwardArrives = fwdAcceptDst.length > 0 || (!queryable(dst) && fwdAcceptSrc.length > 0);
  const lastReject = maxLast(rejects);
  const lastAccept = maxLast(accepts);
  const flowing = forwardArrives && retAccept.length > 0 && (lastReject === undefined || (lastAccept ?? 0) > lastReject);
  if (flowing) {
    findings.push({ code: 'FLOWING', message: `Traffic flows both ways (last ACCEPT ${ago(lastAccept ?? now, now)}): the network carries it. If the application still fails, look at the host: is the service listening (ss -tlnp), an OS firewall, TLS/SNI.` });
  }
  const anyQueryable = fetch.coverage.some((c) => queryable(c));
  if (groups.length === 0 && anyQueryable) {
    findings.push({ code: 'NO_RECORDS', message: `No records of this flow in either direction in the last ${minutes} min: nothing tried to connect in that window, or the client reaches another address (DNS, proxy, NAT).` });
  }
  if (fetch.truncated) {
    findings.push({ code: 'TRUNCATED', message: 'More records exist than sgwhy read (page limit reached): counts are lower bounds.' });
  }

  // Sentences: counts first (rejects before accepts), then what they mean.
  const sentences: string[] = [];
  for (const g of groups) {
    const where = g.side === 'other' ? g.networkInterfaceId : `${g.networkInterfaceId} (${g.side})`;
    sentences.push(
      `${plural(g.records, `${g.action} record`)} ${arrow(tuple, g.direction)} on ${where} in the last ${minutes} min` +
        (g.records > 1 ? `, last ${ago(g.lastSeen, now)}` : `, ${ago(g.lastSeen, now)}`),
    );
  }
  const order: Record<string, number> = { NACL_RETURN_PATH: 0, REJECT_AT_DESTINATION: 1, REJECT_AT_SOURCE: 1, NOT_DELIVERED: 1, FLOWING: 2, NO_FLOW_LOGS: 3, NOT_QUERYABLE: 3, NO_RECORDS: 3 };
  for (const f of [...findings].sort((a, b) => (order[a.code] ?? 4) - (order[b.code] ?? 4))) sentences.push(f.message);

  const agreement = agree(opts.verdict, { groups, lastReject, lastAccept, flowing, anyQueryable, now, fwdAcceptSrc: fwdAcceptSrc.length > 0, dstRecords, sum: sum(groups) });
  sentences.push(agreement.message);

  return {
    tuple,
    window: { ...window, minutes },
    ...(opts.verdict ? { verdict: opts.verdict } : {}),
    groups,
    findings,
    sentences,
    agreement,
    truncated: fetch.truncated,
    gaps: fetch.gaps,
  };
}

function agree(
  verdict: Verdict | undefined,
  s: { groups: FlowGroup[]; lastReject?: number; lastAccept?: number; flowing: boolean; anyQueryable: boolean; now: number; fwdAcceptSrc: boolean; dstRecords: boolean; sum: number },
): { status: AgreementStatus; message: string } {
  const out = (status: AgreementStatus, message: string) => ({ status, message });
  if (!verdict) return out('inconclusive', 'No configuration verdict to compare the records with.');
  if (!s.anyQueryable) return out('inconclusive', 'Flow logs cannot confirm or contradict the verdict: none sgwhy can read cover these interfaces.');
  if (s.groups.length === 0) return out('inconclusive', 'Flow logs neither confirm nor contradict the verdict: no records of this flow in the window.');
  const { lastReject, lastAccept, now } = s;
  if (verdict === 'blocked') {
    if (s.flowing) {
      return out('disagrees', `The configuration says blocked, but flow logs show the flow accepted both ways as recently as ${ago(lastAccept ?? now, now)}: either the block was introduced since (records will turn to REJECT within minutes) or the traffic takes a path sgwhy did not see.`);
    }
    if (lastReject !== undefined) return out('agrees', `Flow logs agree with the blocked verdict: REJECT records, the last ${ago(lastReject, now)}.`);
    if (s.fwdAcceptSrc && !s.dstRecords) return out('agrees', 'Flow logs agree with the blocked verdict: packets leave the source but never reach the destination.');
    return out('inconclusive', 'Flow logs show ACCEPT records only in part of the path; they neither confirm nor contradict the blocked verdict.');
  }
  if (verdict === 'reachable') {
    if (lastReject !== undefined && (lastAccept === undefined || lastReject >= lastAccept)) {
      const minutes = (now - lastReject) / 60_000;
      if (minutes <= PROPAGATION_MINUTES) {
        return out('stale', `The configuration allows it now; the last REJECT was ${ago(lastReject, now)}: the fix is still propagating or these records predate it (flow logs aggregate up to 10 min and arrive minutes late). Check again in a few minutes.`);
      }
      return out('stale', `The configuration allows it now; the last REJECT was ${ago(lastReject, now)} and nothing was recorded since: retry the connection to confirm.`);
    }
    if (lastReject !== undefined) return out('agrees', `Flow logs agree: REJECTs stopped ${ago(lastReject, now)} and traffic is accepted since — the fix took effect.`);
    return out('agrees', `Flow logs agree with the reachable verdict: only ACCEPT records (last ${ago(lastAccept ?? now, now)}).`);
  }
  return out('inconclusive', `The configuration could not decide; flow logs hold ${plural(s.sum, 'record')} of this flow${lastReject !== undefined ? `, the last REJECT ${ago(lastReject, now)}` : ''}${lastAccept !== undefined ? `, the last ACCEPT ${ago(lastAccept, now)}` : ''}.`);
}
