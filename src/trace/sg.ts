/**
 * Security-group evaluation: the union of allow rules of every group on the interface.
 * Three-valued: a rule can be 'unknown' when it references data the snapshot lacks.
 */
import { cidrContains, isPrivate, type Addr } from '../net/ip.js';
import type { StepKind } from '../answer/types.js';
import type { Eni, Model, SgRule } from '../model/types.js';
import type { TraceContext } from './context.js';
import { managedInfo } from './interface.js';
import { groupLabel, sgRuleRef } from './describe.js';
import { describeFlow, type Flow } from './flow.js';
import { shellCommand } from '../fix/shell.js';

/** How the peer (the other end of the flow) looks from this interface. */
export interface PeerView {
  addr: Addr;
  /** The peer interface, only when the address seen is one of its private addresses (SG references match those). */
  eni?: Eni;
  /** How the two VPCs connect: group references work within a VPC, across same-region peering, and across a TGW with SG referencing. */
  crossing: 'same-vpc' | 'peering' | 'tgw' | 'other';
  /** Set for 'peering': whether group references may cross it (active, same region). */
  peeringAllowsRefs?: boolean;
  /** Set for 'tgw': whether the TGW has security group referencing enabled. */
  tgwAllowsRefs?: boolean;
  /** True when the address is inside a known VPC but owned by no interface in the data. */
  unownedInKnownVpc?: boolean;
}

export type Tri = true | false | 'unknown';

export interface RuleMatch {
  proto: boolean;
  port: boolean;
  peer: Tri;
}

export function protoMatches(rule: { proto: SgRule['proto'] }, flow: Flow): boolean {
  return rule.proto === 'all' || rule.proto === flow.proto;
}

export function portMatches(rule: Pick<SgRule, 'proto' | 'ports' | 'icmp'>, flow: Flow): boolean {
  if (rule.proto === 'all') return true;
  if (flow.proto === 6 || flow.proto === 17) {
    if (!rule.ports) return true;
    const port = flow.dstPorts?.[0];
    return port !== undefined && port >= rule.ports.from && port <= rule.ports.to;
  }
  if (!rule.icmp || !flow.icmp) return true;
  return (rule.icmp.type === -1 || rule.icmp.type === flow.icmp.type) && (rule.icmp.code === -1 || rule.icmp.code === flow.icmp.code);
}

export function peerMatches(model: Model, rule: SgRule, peer: PeerView): Tri {
  const p = rule.peer;
  if (p.kind === 'cidr') return cidrContains(p.cidr, peer.addr);
  if (p.kind === 'prefixList') {
    const pl = model.prefixLists.get(p.id);
    if (!pl || pl.cidrs === null) return 'unknown';
    return pl.cidrs.some((c) => cidrContains(c, peer.addr));
  }
  // Group reference: matches the private addresses of interfaces that carry the group.
  if (!peer.eni) return peer.unownedInKnownVpc && isPrivate(peer.addr) ? 'unknown' : false;
  if (!peer.eni.groupIds.includes(p.groupId)) return false;
  switch (peer.crossing) {
    case 'same-vpc': return true;
    case 'peering': return peer.peeringAllowsRefs === true;
    case 'tgw': return peer.tgwAllowsRefs === true;
    default: return false;
  }
}

export function ruleMatch(model: Model, rule: SgRule, flow: Flow, peer: PeerView): RuleMatch {
  return { proto: protoMatches(rule, flow), port: portMatches(rule, flow), peer: peerMatches(model, rule, peer) };
}

export interface SgEvaluation {
  decision: 'allow' | 'deny' | 'unknown';
  deciding: SgRule | null;
  evaluated: SgRule[];
  /** Groups on the interface that are not in the data. */
  missingGroups: string[];
  /** Rules whose peer could not be decided (missing prefix list entries, unowned source). */
  undecided: SgRule[];
}

export function rulesOf(model: Model, eni: Eni, direction: 'ingress' | 'egress'): { rules: SgRule[]; missingGroups: string[] } {
  const rules: SgRule[] = [];
  const missingGroups: string[] = [];
  for (const gid of eni.groupIds) {
    const g = model.securityGroups.get(gid);
    if (!g) missingGroups.push(gid);
    else rules.push(...(direction === 'ingress' ? g.ingress : g.egress));
  }
  return { rules, missingGroups };
}

export function evaluateRules(model: Model, rules: SgRule[], flow: Flow, peer: PeerView): Pick<SgEvaluation, 'deciding' | 'undecided'> {
  const undecided: SgRule[] = [];
  for (const rule of rules) {
    if (!protoMatches(rule, flow) || !portMatches(rule, flow)) continue;
    const pm = peerMatches(model, rule, peer);
    if (pm === true) return { deciding: rule, undecided };
    if (pm === 'unknown') undecided.push(rule);
  }
  return { deciding: null, undecided };
}

export function evaluateSecurityGroups(model: Model, eni: Eni, direction: 'ingress' | 'egress', flow: Flow, peer: PeerView): SgEvaluation {
  const { rules, missingGroups } = rulesOf(model, eni, direction);
  const { deciding, undecided } = evaluateRules(model, rules, flow, peer);
  const decision = deciding ? 'allow' : undecided.length > 0 || missingGroups.length > 0 ? 'unknown' : 'deny';
  return { decision, deciding, evaluated: rules, missingGroups, undecided };
}

/** The security-group hop: records the decision on `eni` for `direction`, and the blocker when nothing allows it. */
export function sgStep(ctx: TraceContext, eni: Eni, direction: 'ingress' | 'egress', flow: Flow, peer: PeerView): void {
  const m = ctx.model;
  const step0: StepKind = direction === 'egress' ? 'SG_EGRESS' : 'SG_INGRESS';
  const managed = managedInfo(eni);
  if (!managed.filteredBySg) {
    ctx.hop(step0, 'security-group', eni.id, 'allow', flow, `Security groups do not apply to ${eni.id}: ${managed.notFilteredBecause}.`, { direction, decidingRule: null, evaluatedCount: 0 });
    return;
  }
  if (eni.groupIds.length === 0) {
    // AWS gives every interface an account creates at least one group; one with none is an AWS-managed
    // interface whose type the data does not show. Never "no rule in no security groups".
    const msg = `${eni.id} carries no security groups, which only interfaces managed by AWS do; the data does not say what manages it (InterfaceType ${eni.interfaceType ?? 'missing'}, RequesterManaged ${eni.requesterManaged ?? 'missing'}), so whether groups filter it cannot be decided.`;
    ctx.hop(step0, 'security-group', eni.id, 'unknown', flow, msg, { direction, decidingRule: null, evaluatedCount: 0 });
    ctx.unknown({ layer: 'security-group', code: 'MISSING_DATA', resourceId: eni.id, message: msg,
      missing: shellCommand(['aws', 'ec2', 'describe-network-interfaces', '--network-interface-ids', eni.id]) });
    return;
  }
  const ev = evaluateSecurityGroups(m, eni, direction, flow, peer);
  const groups = eni.groupIds.map((g) => groupLabel(m, g)).join(', ') || 'no security groups';
  const step: StepKind = direction === 'egress' ? 'SG_EGRESS' : 'SG_INGRESS';
  const deciding = ev.deciding ? sgRuleRef(m, ev.deciding) : null;
  const peerText = peer.eni ? `${peer.addr.text} (${peer.eni.id})` : peer.addr.text;
  if (ev.decision === 'allow' && ev.deciding) {
    ctx.hop(step, 'security-group', ev.deciding.groupId, 'allow', flow, `Allowed by ${groupLabel(m, ev.deciding.groupId)}: ${deciding?.text}.`,
      { direction, decidingRule: deciding, evaluatedCount: ev.evaluated.length });
    return;
  }
  if (ev.decision === 'unknown') {
    const why: string[] = [];
    if (ev.missingGroups.length) why.push(`security group(s) ${ev.missingGroups.join(', ')} on ${eni.id} are not in the data`);
    for (const r of ev.undecided) {
      if (r.peer.kind === 'prefixList') why.push(`the entries of prefix list ${r.peer.id} are not in the data`);
      else if (r.peer.kind === 'group') why.push(`${r.peer.groupId} may or may not be carried by ${peer.addr.text}, which no interface in the data owns`);
    }
    const msg = `Cannot decide ${direction} on ${eni.id}: ${[...new Set(why)].join('; ')}.`;
    ctx.hop(step, 'security-group', eni.groupIds[0] ?? eni.id, 'unknown', flow, msg, { direction, decidingRule: null, evaluatedCount: ev.evaluated.length });
    const missing = ev.missingGroups.length
      ? shellCommand(['aws', 'ec2', 'describe-security-groups', '--group-ids', ...ev.missingGroups])
      : ev.undecided.find((r) => r.peer.kind === 'prefixList')
        ? shellCommand(['aws', 'ec2', 'get-managed-prefix-list-entries', '--prefix-list-id', (ev.undecided.find((r) => r.peer.kind === 'prefixList')?.peer as { id: string }).id])
        : undefined;
    ctx.unknown({ layer: 'security-group', code: 'MISSING_DATA', resourceId: eni.id, message: msg, ...(missing ? { missing } : {}) });
    return;
  }
  const verb = direction === 'egress' ? 'leave' : 'enter';
  const summary = `No rule in ${groups} allows ${describeFlow(flow)} ${direction === 'egress' ? 'to' : 'from'} ${peerText}.`;
  ctx.hop(step, 'security-group', eni.groupIds[0] ?? eni.id, 'deny', flow, summary, { direction, decidingRule: null, evaluatedCount: ev.evaluated.length });
  ctx.block({
    layer: 'security-group', resourceId: eni.groupIds[0] ?? eni.id, direction, code: 'ENI_SG_RULES_MISMATCH',
    explanation: `The security groups on ${eni.id}${managed.owner ? ` (${managed.owner}, whose groups they are)` : ''} do not let this traffic ${verb}: ${summary}`,
    evidence: { decidingRule: null, evaluated: ev.evaluated.map((r) => sgRuleRef(m, r)), summary: 'no security group rule matches' },
    networkInterfaceId: eni.id, securityGroupIds: [...eni.groupIds], subnetId: eni.subnetId, vpcId: eni.vpcId,
    ...(eni.ownerId ? { accountId: eni.ownerId } : {}), ...(eni.region ? { region: eni.region } : {}),
    facts: { kind: 'sg', eni, direction, flow, peer, evaluation: ev },
  });
}
