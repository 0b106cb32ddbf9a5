/**
 * Network ACL evaluation: entries in rule-number order, first match wins, implicit deny.
 * Works on a port range at once (the return leg's ephemeral ports), splitting it into the
 * parts each entry decides.
 */
import { cidrContains } from '../net/ip.js';
import { normalize, subtract, intersect, type Interval } from '../net/ports.js';
import type { StepKind, TrafficDirection } from '../answer/types.js';
import { formatIntervals } from '../net/ports.js';
import type { Eni, NaclEntry, NetworkAcl } from '../model/types.js';
import type { TraceContext } from './context.js';
import { implicitDenyRef, naclEntryRef } from './describe.js';
import { describeFlow, type Flow } from './flow.js';
import { shellCommand } from '../fix/shell.js';

export interface NaclSegment {
  ports: Interval | null;
  entry: NaclEntry | null; // null = the implicit "*" deny
  action: 'allow' | 'deny';
}

export interface NaclEvaluation {
  decision: 'allow' | 'deny' | 'partial';
  segments: NaclSegment[];
  allowed: Interval[];
  denied: Interval[];
  /** Entries that were compared, in order, up to the last deciding one. */
  evaluated: NaclEntry[];
}

/** Does the entry match everything but the port? */
export function entryMatchesExceptPorts(e: NaclEntry, flow: Flow, peerIsSource: boolean): boolean {
  const peer = peerIsSource ? flow.src : flow.dst;
  if (!cidrContains(e.cidr, peer)) return false;
  if (e.proto !== 'all' && e.proto !== flow.proto) return false;
  if (e.proto !== 'all' && e.icmp && flow.icmp) {
    if (e.icmp.type !== -1 && e.icmp.type !== flow.icmp.type) return false;
    if (e.icmp.code !== -1 && e.icmp.code !== flow.icmp.code) return false;
  }
  return true;
}

export function evaluateNacl(nacl: NetworkAcl, egress: boolean, flow: Flow): NaclEvaluation {
  const entries = egress ? nacl.outbound : nacl.inbound;
  // Inbound entries match the packet's source address; outbound entries its destination.
  const peerIsSource = !egress;
  const ported = flow.proto === 6 || flow.proto === 17;
  let remaining: Interval[] = ported && flow.dstPorts ? [flow.dstPorts] : [[0, 0]];
  const segments: NaclSegment[] = [];
  const evaluated: NaclEntry[] = [];
  for (const e of entries) {
    if (remaining.length === 0) break;
    evaluated.push(e);
    if (!entryMatchesExceptPorts(e, flow, peerIsSource)) continue;
    const range: Interval = ported && e.proto !== 'all' && e.ports ? [e.ports.from, e.ports.to] : [0, 65535];
    const hit = ported ? intersect(remaining, range) : remaining;
    for (const h of hit) {
      segments.push({ ports: ported ? h : null, entry: e, action: e.action });
      remaining = subtract(remaining, h);
    }
  }
  for (const r of remaining) segments.push({ ports: ported ? r : null, entry: null, action: 'deny' });
  const allowed = normalize(segments.filter((s) => s.action === 'allow' && s.ports).map((s) => s.ports as Interval));
  const denied = normalize(segments.filter((s) => s.action === 'deny' && s.ports).map((s) => s.ports as Interval));
  const anyAllow = segments.some((s) => s.action === 'allow');
  const anyDeny = segments.some((s) => s.action === 'deny');
  const decision = anyAllow && anyDeny ? 'partial' : anyAllow ? 'allow' : 'deny';
  return { decision, segments, allowed, denied, evaluated };
}

/** The network ACL hop: the subnet's ACL, outbound (`egress`) or inbound, and the blocker when it denies. */
export function naclStep(ctx: TraceContext, subnetId: string, egress: boolean, flow: Flow): void {
  const m = ctx.model;
  const step: StepKind = egress ? 'NACL_OUTBOUND' : 'NACL_INBOUND';
  const direction: TrafficDirection = egress ? 'egress' : 'ingress';
  const naclId = m.index.subnetNacl.get(subnetId);
  const nacl = naclId ? m.networkAcls.get(naclId) : undefined;
  if (!nacl) {
    const msg = `No network ACL in the data is associated with ${subnetId}.`;
    ctx.hop(step, 'network-acl', subnetId, 'unknown', flow, msg, { direction });
    ctx.unknown({ layer: 'network-acl', code: 'MISSING_DATA', resourceId: subnetId, message: msg,
      missing: shellCommand(['aws', 'ec2', 'describe-network-acls', '--filters', `Name=association.subnet-id,Values=${subnetId}`]) });
    return;
  }
  const ev = evaluateNacl(nacl, egress, flow);
  const name = nacl.name ?? (nacl.isDefault ? 'default' : undefined);
  const firstDeny = ev.segments.find((s) => s.action === 'deny');
  const firstAllow = ev.segments.find((s) => s.action === 'allow');
  const ported = flow.proto === 6 || flow.proto === 17;
  if (ev.decision === 'allow') {
    const rule = firstAllow?.entry ? naclEntryRef(firstAllow.entry) : null;
    const rules = [...new Set(ev.segments.map((s) => s.entry).filter((e) => e))].map((e) => naclEntryRef(e!).text).join(', ');
    ctx.hop(step, 'network-acl', nacl.id, 'allow', flow, `Allowed by ${nacl.id}${name ? ` (${name})` : ''} ${rules}.`,
      { direction, decidingRule: rule, evaluatedCount: ev.evaluated.length, ...(name ? { resourceName: name } : {}) });
    return;
  }
  const decidingRule = firstDeny?.entry ? naclEntryRef(firstDeny.entry) : implicitDenyRef(nacl.id, egress);
  const portNote = ev.decision === 'partial' && ported
    ? ` Only ports ${formatIntervals(ev.allowed)} are allowed; ${formatIntervals(ev.denied)} are denied, and clients pick source ports anywhere in 1024-65535 (Linux 32768-60999, Windows 49152-65535, NAT gateways and load balancers 1024-65535).`
    : '';
  const replyNote = ctx.leg === 'return' ? ' Network ACLs are stateless: the reply needs its own rule.' : '';
  const summary = `${nacl.id}${name ? ` (${name})` : ''} ${direction === 'egress' ? 'outbound' : 'inbound'} ${decidingRule.text} ${ev.decision === 'partial' ? 'denies part of' : 'denies'} ${describeFlow(flow)} ${egress ? 'to' : 'from'} ${egress ? flow.dst.text : flow.src.text}.${portNote}${replyNote}`;
  ctx.hop(step, 'network-acl', nacl.id, 'deny', flow, summary, { direction, decidingRule, evaluatedCount: ev.evaluated.length, ...(name ? { resourceName: name } : {}) });
  const subnet = m.subnets.get(subnetId);
  ctx.block({
    layer: 'network-acl', resourceId: nacl.id, direction, code: 'SUBNET_ACL_RESTRICTION', explanation: summary,
    evidence: {
      decidingRule, evaluated: ev.evaluated.map(naclEntryRef), summary: `rule ${decidingRule.ruleNumber === 32767 ? '*' : decidingRule.ruleNumber} denies`,
      ...(ported ? { allowedPorts: ev.allowed.map(([a, b]) => [a, b] as [number, number]), deniedPorts: ev.denied.map(([a, b]) => [a, b] as [number, number]) } : {}),
    },
    ...(name ? { resourceName: name } : {}), subnetId, vpcId: nacl.vpcId,
    ...(nacl.ownerId ? { accountId: nacl.ownerId } : {}), ...(subnet?.region ? { region: subnet.region } : {}),
    facts: { kind: 'nacl', nacl, egress, flow, evaluation: ev },
  });
}

/** NACL inbound at the destination interface's subnet, unless the traffic comes from inside that subnet. */
export function naclInbound(ctx: TraceContext, fromSubnetId: string | undefined, eni: Eni, flow: Flow): void {
  if (fromSubnetId === eni.subnetId) return;
  naclStep(ctx, eni.subnetId, false, flow);
}

