/**
 * The path tracer: walks the forward leg and the return leg hop by hop, as AWS evaluates them,
 * recording every step (hops), every blocker (with the facts that explain it) and everything it
 * cannot decide (unknowns). After a blocker it carries on as if that blocker were fixed, so one
 * answer lists every blocker on the path.
 */
import type { Hop, Layer, PathLeg, RuleRef, StepDecision, StepKind, TrafficDirection, UnknownItem } from '../answer/types.js';
import { cidrContains, isPrivate, type Addr } from '../net/ip.js';
import { formatIntervals } from '../net/ports.js';
import type { Eni, Model, NatGateway, Peering, TgwAttachment } from '../model/types.js';
import { describePorts, icmpName, reverse, type Flow } from './flow.js';
import { implicitDenyRef, naclEntryRef, routeRef, routeText, sgRuleRef, tgwRouteRef, groupLabel } from './describe.js';
import { evaluateNacl } from './nacl.js';
import { lookupRoute, lookupTgwRoute, routeTableOf } from './routes.js';
import { evaluateSecurityGroups, type PeerView } from './sg.js';
import type { BlockerFacts, Connector, RawBlocker } from './types.js';

/** An endpoint of the question, resolved against the model. */
export type Endpoint =
  | { kind: 'interface'; eni: Eni; /** address on the interface */ own: Addr; /** address the peer uses (public when viaPublic) */ addr: Addr; viaPublic: boolean }
  | { kind: 'internet'; addr: Addr } // a public address no interface in the data owns
  | { kind: 'outside'; addr: Addr } // a private address outside every VPC in the data (on-premises, another account)
  | { kind: 'unowned'; addr: Addr; vpcId: string }; // inside a VPC in the data, but no interface owns it

export interface TraceResult {
  hops: Hop[];
  blockers: RawBlocker[];
  unknowns: UnknownItem[];
  warnings: string[];
}

type Arrival =
  | { status: 'arrived'; vpcId: string; flow: Flow; crossing: PeerView['crossing']; peeringAllowsRefs?: boolean; tgwAllowsRefs?: boolean; nat?: NatGateway; fromSubnetId?: string }
  | { status: 'exited'; flow: Flow; nat?: NatGateway }
  | { status: 'stopped' };

const isUp = (state: string) => state === 'available' || state === 'attached' || state === 'active';

export function vpcsConnector(model: Model, a: string, b: string): Connector | null {
  let pending: Connector | null = null;
  for (const p of model.peerings.values()) {
    const ends = [p.requester.vpcId, p.accepter.vpcId];
    if (ends.includes(a) && ends.includes(b) && a !== b) {
      if (p.status === 'active') return { kind: 'pcx', peering: p };
      if (p.status === 'pending-acceptance' || p.status === 'provisioning') pending ??= { kind: 'pcx', peering: p };
    }
  }
  const byTgw = new Map<string, { local?: TgwAttachment; remote?: TgwAttachment }>();
  for (const att of model.tgwAttachments.values()) {
    if (att.resourceType !== 'vpc' || !isUp(att.state)) continue;
    const e = byTgw.get(att.tgwId) ?? {};
    if (att.resourceId === a) e.local = att;
    if (att.resourceId === b) e.remote = att;
    byTgw.set(att.tgwId, e);
  }
  for (const [tgwId, e] of byTgw) if (e.local && e.remote) return { kind: 'tgw', tgwId, local: e.local, remote: e.remote };
  return pending;
}

function peeringSameRegion(p: Peering): boolean {
  return !p.requester.region || !p.accepter.region || p.requester.region === p.accepter.region;
}

export class Tracer {
  readonly hops: Hop[] = [];
  readonly blockers: RawBlocker[] = [];
  readonly unknowns: UnknownItem[] = [];
  readonly warnings: string[] = [];
  private leg: PathLeg = 'forward';

  constructor(private readonly model: Model) {}

  // ——— recording ———

  private hop(step: StepKind, layer: Layer, resourceId: string, decision: StepDecision, flow: Flow, detail: string,
    extra: { direction?: TrafficDirection; decidingRule?: RuleRef | null; evaluatedCount?: number; resourceName?: string } = {}): void {
    const h: Hop = {
      seq: this.hops.length + 1, path: this.leg, step, layer, resourceId, decision,
      packet: { src: flow.src.text, dst: flow.dst.text, protocol: flow.protocol }, detail,
    };
    const ports = describePorts(flow.dstPorts);
    if (ports && (flow.proto === 6 || flow.proto === 17)) h.packet.dstPort = ports;
    if (flow.icmp) h.packet.icmp = icmpName(flow.proto, flow.icmp.type);
    if (extra.resourceName) h.resourceName = extra.resourceName;
    if (extra.direction) h.direction = extra.direction;
    if (extra.decidingRule !== undefined) h.decidingRule = extra.decidingRule;
    if (extra.evaluatedCount !== undefined) h.evaluatedCount = extra.evaluatedCount;
    this.hops.push(h);
  }

  private block(b: Omit<RawBlocker, 'path'>): void {
    // A component in a bad state (a peering, a gateway) is one problem, whichever leg meets it first.
    if (b.facts.kind === 'state' && this.blockers.some((x) => x.facts.kind === 'state' && x.resourceId === b.resourceId)) return;
    this.blockers.push({ ...b, path: this.leg });
  }

  private unknown(u: Omit<UnknownItem, 'path'>): void {
    if (!this.unknowns.some((x) => x.message === u.message)) this.unknowns.push({ ...u, path: this.leg });
  }

  private subnetName(id: string): string | undefined {
    return this.model.subnets.get(id)?.name;
  }

  // ——— the walk ———

  run(src: Endpoint, dst: Endpoint, forward: Flow): TraceResult {
    this.leg = 'forward';
    let arrival: Arrival;
    if (src.kind === 'interface') {
      this.checkInterface(src.eni, src.own, 'source', forward);
      const connector = dst.kind === 'interface' && !dst.viaPublic ? this.crossingFor(src.eni.vpcId, dst.eni.vpcId) : { crossing: 'other' as const };
      this.sgStep(src.eni, 'egress', forward, {
        addr: forward.dst, ...(dst.kind === 'interface' && !dst.viaPublic ? { eni: dst.eni } : {}),
        ...connector, unownedInKnownVpc: dst.kind === 'unowned',
      });
      arrival = this.transit(src.eni.subnetId, src.eni.vpcId, forward, dst);
    } else {
      arrival = this.enterFromOutside(dst, forward);
    }

    if (dst.kind === 'interface') {
      if (arrival.status === 'arrived') this.naclInbound(arrival.fromSubnetId, dst.eni, arrival.flow);
      const seen = arrival.status === 'arrived' ? arrival.flow : { ...forward, dst: dst.own };
      const peer: PeerView = { addr: seen.src, crossing: arrival.status === 'arrived' ? arrival.crossing : 'other' };
      if (arrival.status === 'arrived') {
        if (arrival.peeringAllowsRefs !== undefined) peer.peeringAllowsRefs = arrival.peeringAllowsRefs;
        if (arrival.tgwAllowsRefs !== undefined) peer.tgwAllowsRefs = arrival.tgwAllowsRefs;
      }
      if (src.kind === 'interface' && src.eni.privateIps.concat(src.eni.ipv6).some((a) => a.text === seen.src.text)) peer.eni = src.eni;
      this.sgStep(dst.eni, 'ingress', seen, peer);
      this.checkInterface(dst.eni, dst.own, 'destination', seen);

      // ——— return leg ———
      this.leg = 'return';
      const back = reverse(seen);
      this.hop('SG_CONNECTION_TRACKED', 'security-group', dst.eni.id, 'allow', back,
        'Security groups are stateful: the reply to an allowed connection is allowed whatever the outbound rules say.', { direction: 'egress' });
      const goal: Endpoint = src.kind === 'interface'
        ? (back.dst.text === src.own.text ? src : { kind: 'interface', eni: src.eni, own: src.own, addr: back.dst, viaPublic: true })
        : src;
      if (arrival.status === 'arrived' && arrival.nat) {
        this.returnThroughNat(dst, back, arrival.nat, src);
      } else {
        const backArrival = this.transit(dst.eni.subnetId, dst.eni.vpcId, back, goal);
        if (src.kind === 'interface' && backArrival.status === 'arrived') this.naclInbound(backArrival.fromSubnetId, src.eni, backArrival.flow);
      }
      if (src.kind === 'interface') {
        this.hop('SG_CONNECTION_TRACKED', 'security-group', src.eni.id, 'allow', back,
          'The reply matches the tracked connection the source opened: allowed whatever its inbound rules say.', { direction: 'ingress' });
      }
    } else if (arrival.status === 'exited' && src.kind === 'interface') {
      // The far end is outside the data; the reply comes back through the same gateway.
      this.leg = 'return';
      const back = reverse({ ...arrival.flow });
      if (arrival.nat) this.returnThroughNat(dst, back, arrival.nat, src);
      else {
        const local = { ...back, dst: src.own };
        this.naclInbound(undefined, src.eni, local);
        this.hop('SG_CONNECTION_TRACKED', 'security-group', src.eni.id, 'allow', local,
          'The reply matches the tracked connection the source opened: allowed whatever its inbound rules say.', { direction: 'ingress' });
      }
      if (dst.kind === 'internet') this.warnings.push(`The path leaves AWS at the internet gateway; whether ${dst.addr.text} itself accepts the connection is outside the data.`);
    }
    return { hops: this.hops, blockers: this.blockers, unknowns: this.unknowns, warnings: this.warnings };
  }

  private crossingFor(a: string, b: string): Pick<PeerView, 'crossing' | 'peeringAllowsRefs' | 'tgwAllowsRefs'> {
    if (a === b) return { crossing: 'same-vpc' };
    const c = vpcsConnector(this.model, a, b);
    if (!c) return { crossing: 'other' };
    if (c.kind === 'pcx') return { crossing: 'peering', peeringAllowsRefs: c.peering.status === 'active' && peeringSameRegion(c.peering) };
    return { crossing: 'tgw', tgwAllowsRefs: this.model.transitGateways.get(c.tgwId)?.sgReferencing === true };
  }

  private checkInterface(eni: Eni, addr: Addr, role: 'source' | 'destination', flow: Flow): void {
    const step: StepKind = role === 'source' ? 'SOURCE_ENI' : 'DESTINATION_ENI';
    const direction: TrafficDirection = role === 'source' ? 'egress' : 'ingress';
    const inst = eni.instanceId ? this.model.instances.get(eni.instanceId) : undefined;
    const owner = inst ? ` (instance ${inst.id}${inst.name ? ` ${inst.name}` : ''})` : '';
    let problem: string | undefined;
    let resourceId = eni.id;
    let state = eni.status;
    if (eni.status !== 'in-use') {
      problem = `${eni.id}${eni.name ? ` (${eni.name})` : ''} is "${eni.status}": it is not attached to anything, so nothing ${role === 'source' ? 'sends from' : 'answers on'} ${addr.text}.`;
    } else if (inst?.state && inst.state !== 'running') {
      problem = `Instance ${inst.id}${inst.name ? ` (${inst.name})` : ''} is ${inst.state}: ${addr.text} on ${eni.id} cannot ${role === 'source' ? 'send' : 'answer'}.`;
      resourceId = inst.id;
      state = inst.state;
    }
    if (problem) {
      this.hop(step, 'network-interface', eni.id, 'deny', flow, problem, { direction });
      this.block({
        layer: 'network-interface', resourceId, direction, code: 'BAD_STATE', explanation: problem,
        evidence: { decidingRule: null, evaluated: [], summary: problem }, networkInterfaceId: eni.id, subnetId: eni.subnetId,
        vpcId: eni.vpcId, ...(eni.ownerId ? { accountId: eni.ownerId } : {}), ...(eni.region ? { region: eni.region } : {}),
        facts: { kind: 'state', resourceId, state },
      });
      return;
    }
    this.hop(step, 'network-interface', eni.id, 'allow', flow, `${addr.text} is on ${eni.id}${eni.name ? ` (${eni.name})` : ''}${owner} in ${eni.subnetId}.`, { direction });
  }

  private sgStep(eni: Eni, direction: 'ingress' | 'egress', flow: Flow, peer: PeerView): void {
    const m = this.model;
    const ev = evaluateSecurityGroups(m, eni, direction, flow, peer);
    const groups = eni.groupIds.map((g) => groupLabel(m, g)).join(', ') || 'no security groups';
    const step: StepKind = direction === 'egress' ? 'SG_EGRESS' : 'SG_INGRESS';
    const deciding = ev.deciding ? sgRuleRef(m, ev.deciding) : null;
    const peerText = peer.eni ? `${peer.addr.text} (${peer.eni.id})` : peer.addr.text;
    if (ev.decision === 'allow' && ev.deciding) {
      this.hop(step, 'security-group', ev.deciding.groupId, 'allow', flow, `Allowed by ${groupLabel(m, ev.deciding.groupId)}: ${deciding?.text}.`,
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
      this.hop(step, 'security-group', eni.groupIds[0] ?? eni.id, 'unknown', flow, msg, { direction, decidingRule: null, evaluatedCount: ev.evaluated.length });
      const missing = ev.missingGroups.length
        ? `aws ec2 describe-security-groups --group-ids ${ev.missingGroups.join(' ')}`
        : ev.undecided.find((r) => r.peer.kind === 'prefixList')
          ? `aws ec2 get-managed-prefix-list-entries --prefix-list-id ${(ev.undecided.find((r) => r.peer.kind === 'prefixList')?.peer as { id: string }).id}`
          : undefined;
      this.unknown({ layer: 'security-group', code: 'MISSING_DATA', resourceId: eni.id, message: msg, ...(missing ? { missing } : {}) });
      return;
    }
    const verb = direction === 'egress' ? 'leave' : 'enter';
    const summary = `No rule in ${groups} allows ${describeFlow(flow)} ${direction === 'egress' ? 'to' : 'from'} ${peerText}.`;
    this.hop(step, 'security-group', eni.groupIds[0] ?? eni.id, 'deny', flow, summary, { direction, decidingRule: null, evaluatedCount: ev.evaluated.length });
    this.block({
      layer: 'security-group', resourceId: eni.groupIds[0] ?? eni.id, direction, code: 'ENI_SG_RULES_MISMATCH',
      explanation: `The security groups on ${eni.id} do not let this traffic ${verb}: ${summary}`,
      evidence: { decidingRule: null, evaluated: ev.evaluated.map((r) => sgRuleRef(m, r)), summary: 'no security group rule matches' },
      networkInterfaceId: eni.id, securityGroupIds: [...eni.groupIds], subnetId: eni.subnetId, vpcId: eni.vpcId,
      ...(eni.ownerId ? { accountId: eni.ownerId } : {}), ...(eni.region ? { region: eni.region } : {}),
      facts: { kind: 'sg', eni, direction, flow, peer, evaluation: ev },
    });
  }

  private naclStep(subnetId: string, egress: boolean, flow: Flow): void {
    const m = this.model;
    const step: StepKind = egress ? 'NACL_OUTBOUND' : 'NACL_INBOUND';
    const direction: TrafficDirection = egress ? 'egress' : 'ingress';
    const naclId = m.index.subnetNacl.get(subnetId);
    const nacl = naclId ? m.networkAcls.get(naclId) : undefined;
    if (!nacl) {
      const msg = `No network ACL in the data is associated with ${subnetId}.`;
      this.hop(step, 'network-acl', subnetId, 'unknown', flow, msg, { direction });
      this.unknown({ layer: 'network-acl', code: 'MISSING_DATA', resourceId: subnetId, message: msg,
        missing: `aws ec2 describe-network-acls --filters Name=association.subnet-id,Values=${subnetId}` });
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
      this.hop(step, 'network-acl', nacl.id, 'allow', flow, `Allowed by ${nacl.id}${name ? ` (${name})` : ''} ${rules}.`,
        { direction, decidingRule: rule, evaluatedCount: ev.evaluated.length, ...(name ? { resourceName: name } : {}) });
      return;
    }
    const decidingRule = firstDeny?.entry ? naclEntryRef(firstDeny.entry) : implicitDenyRef(nacl.id, egress);
    const portNote = ev.decision === 'partial' && ported
      ? ` Only ports ${formatIntervals(ev.allowed)} are allowed; ${formatIntervals(ev.denied)} are denied, and clients pick source ports anywhere in 1024-65535 (Linux 32768-60999, Windows 49152-65535, NAT gateways and load balancers 1024-65535).`
      : '';
    const replyNote = this.leg === 'return' ? ' Network ACLs are stateless: the reply needs its own rule.' : '';
    const summary = `${nacl.id}${name ? ` (${name})` : ''} ${direction === 'egress' ? 'outbound' : 'inbound'} ${decidingRule.text} ${ev.decision === 'partial' ? 'denies part of' : 'denies'} ${describeFlow(flow)} ${egress ? 'to' : 'from'} ${egress ? flow.dst.text : flow.src.text}.${portNote}${replyNote}`;
    this.hop(step, 'network-acl', nacl.id, 'deny', flow, summary, { direction, decidingRule, evaluatedCount: ev.evaluated.length, ...(name ? { resourceName: name } : {}) });
    const subnet = m.subnets.get(subnetId);
    this.block({
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
  private naclInbound(fromSubnetId: string | undefined, eni: Eni, flow: Flow): void {
    if (fromSubnetId === eni.subnetId) return;
    this.naclStep(eni.subnetId, false, flow);
  }

  /** Traffic from outside the data (the internet, on-premises) towards an interface. */
  private enterFromOutside(dst: Endpoint, flow: Flow): Arrival {
    if (dst.kind !== 'interface') {
      this.unknown({ layer: 'gateway', code: 'OUTSIDE_DATA', message: `Neither ${flow.src.text} nor ${flow.dst.text} is an interface in the data: there is no AWS path to evaluate.` });
      return { status: 'stopped' };
    }
    if (dst.viaPublic) {
      const igw = this.igwOf(dst.eni.vpcId, flow);
      if (!igw) return { status: 'stopped' };
      this.hop('INTERNET_GATEWAY', 'gateway', igw, 'forward', flow, `From the internet through ${igw}, which maps ${dst.addr.text} to ${dst.own.text}.`);
      return { status: 'arrived', vpcId: dst.eni.vpcId, flow: { ...flow, dst: dst.own }, crossing: 'other' };
    }
    this.unknown({ layer: 'gateway', code: 'OUTSIDE_DATA', message: `${flow.src.text} is outside every VPC in the data: how its traffic enters ${dst.eni.vpcId} (VPN, Direct Connect, transit gateway) is not evaluated.` });
    return { status: 'arrived', vpcId: dst.eni.vpcId, flow, crossing: 'other' };
  }

  private igwOf(vpcId: string, flow: Flow): string | undefined {
    for (const igw of this.model.internetGateways.values()) {
      if (igw.attachments.some((a) => a.vpcId === vpcId && isUp(a.state))) return igw.id;
    }
    if (!this.model.present.has('InternetGateways')) {
      this.unknown({ layer: 'gateway', code: 'MISSING_DATA', resourceId: vpcId, message: `Internet gateways are not in the data: cannot tell whether ${vpcId} has one.`,
        missing: `aws ec2 describe-internet-gateways --filters Name=attachment.vpc-id,Values=${vpcId}` });
      return undefined;
    }
    const msg = `No internet gateway is attached to ${vpcId}.`;
    this.hop('INTERNET_GATEWAY', 'gateway', vpcId, 'drop', flow, msg);
    this.block({ layer: 'gateway', resourceId: vpcId, direction: this.leg === 'forward' ? 'ingress' : 'egress', code: 'BAD_STATE_ATTACHMENT', explanation: msg,
      evidence: { decidingRule: null, evaluated: [], summary: msg }, vpcId, facts: { kind: 'state', resourceId: vpcId, state: 'no-internet-gateway' } });
    return undefined;
  }

  /** The public address the internet gateway maps a private source address to. */
  private publicFor(vpcId: string, a: Addr): Addr | null {
    if (a.family === 6) return a;
    for (const o of this.model.index.addressOwners.get(a.text) ?? []) {
      const eni = this.model.enis.get(o.eniId);
      if (!eni || eni.vpcId !== vpcId) continue;
      const p = eni.publicIps.find((x) => x.privateIp.text === a.text);
      if (p) return p.publicIp;
    }
    for (const nat of this.model.natGateways.values()) {
      if (nat.vpcId === vpcId && nat.privateIps.some((x) => x.text === a.text)) return nat.publicIps[0] ?? null;
    }
    return null;
  }

  private goalVpc(goal: Endpoint): string | undefined {
    return goal.kind === 'interface' ? goal.eni.vpcId : goal.kind === 'unowned' ? goal.vpcId : undefined;
  }

  /** When a routing step failed, carry on as if the intended path existed. */
  private assume(goal: Endpoint, flow: Flow, fromVpc: string): Arrival {
    if (goal.kind !== 'interface') return { status: 'stopped' };
    if (goal.viaPublic) {
      const pub = this.publicFor(fromVpc, flow.src) ?? flow.src;
      return { status: 'arrived', vpcId: goal.eni.vpcId, flow: { ...flow, src: pub, dst: goal.own }, crossing: 'other' };
    }
    return { status: 'arrived', vpcId: goal.eni.vpcId, flow, ...this.crossingFor(fromVpc, goal.eni.vpcId) };
  }

  /** Leaves a subnet towards the goal: NACL outbound, route table, and whatever the route leads to. */
  private transit(fromSubnetId: string, fromVpc: string, flow: Flow, goal: Endpoint, depth = 0): Arrival {
    const m = this.model;
    if (goal.kind === 'interface' && !goal.viaPublic && goal.eni.subnetId === fromSubnetId) {
      this.hop('ROUTE', 'route-table', fromSubnetId, 'forward', flow,
        `Same subnet (${fromSubnetId}): delivered by the local route; network ACLs do not filter traffic inside a subnet.`);
      return { status: 'arrived', vpcId: fromVpc, flow, crossing: 'same-vpc', fromSubnetId };
    }
    this.naclStep(fromSubnetId, true, flow);
    const rt = routeTableOf(m, fromSubnetId, fromVpc);
    if (!rt) {
      const msg = `No route table in the data applies to ${fromSubnetId} (no explicit association and no main table for ${fromVpc}).`;
      this.hop('ROUTE', 'route-table', fromSubnetId, 'unknown', flow, msg, { direction: 'egress' });
      this.unknown({ layer: 'route-table', code: 'MISSING_DATA', resourceId: fromSubnetId, message: msg, missing: `aws ec2 describe-route-tables --filters Name=vpc-id,Values=${fromVpc}` });
      return this.assume(goal, flow, fromVpc);
    }
    const lk = lookupRoute(m, rt, flow.dst);
    const routeName = rt.name ? { resourceName: rt.name } : {};
    const subnet = m.subnets.get(fromSubnetId);
    const blockBase = {
      layer: 'route-table' as const, resourceId: rt.id, direction: 'egress' as const, routeTableId: rt.id, subnetId: fromSubnetId, vpcId: fromVpc,
      ...(rt.ownerId ? { accountId: rt.ownerId } : {}), ...(subnet?.region ? { region: subnet.region } : {}), ...routeName,
    };
    const targetVpcId = this.goalVpc(goal);
    const facts = (route: typeof lk.route): BlockerFacts => ({
      kind: 'route', table: rt, dst: flow.dst, route,
      connector: targetVpcId && targetVpcId !== fromVpc ? vpcsConnector(m, fromVpc, targetVpcId) : null,
      ...(targetVpcId ? { targetVpcId } : {}), targetCidrs: this.targetCidrs(goal, flow.dst),
    });
    if (!lk.route) {
      if (lk.unknownPrefixLists.length) {
        const msg = `Route table ${rt.id} has routes to prefix lists whose entries are not in the data (${lk.unknownPrefixLists.join(', ')}).`;
        this.hop('ROUTE', 'route-table', rt.id, 'unknown', flow, msg, { direction: 'egress', ...routeName });
        this.unknown({ layer: 'route-table', code: 'MISSING_DATA', resourceId: rt.id, message: msg, missing: `aws ec2 get-managed-prefix-list-entries --prefix-list-id ${lk.unknownPrefixLists[0]}` });
        return this.assume(goal, flow, fromVpc);
      }
      const msg = `Route table ${rt.id}${rt.name ? ` (${rt.name})` : ''} of ${fromSubnetId} has no route that matches ${flow.dst.text}.`;
      this.hop('ROUTE', 'route-table', rt.id, 'drop', flow, msg, { direction: 'egress', decidingRule: null, evaluatedCount: rt.routes.length, ...routeName });
      this.block({ ...blockBase, code: 'NO_ROUTE_TO_DESTINATION', explanation: msg,
        evidence: { decidingRule: null, evaluated: rt.routes.map(routeRef), summary: `no route matches ${flow.dst.text}` }, facts: facts(null) });
      return this.assume(goal, flow, fromVpc);
    }
    const route = lk.route;
    const rref = routeRef(route);
    if (route.state !== 'active' && route.target.kind === 'pcx') {
      // A route to a peering that is not active yet shows as blackhole: the peering is the cause.
      const p = m.peerings.get(route.target.id);
      if (p && p.status !== 'active' && p.status !== 'deleted') {
        this.hop('ROUTE', 'route-table', rt.id, 'forward', flow, `${rt.id}${rt.name ? ` (${rt.name})` : ''}: ${routeText(route)}, because ${p.id} is ${p.status}.`,
          { direction: 'egress', decidingRule: rref, evaluatedCount: rt.routes.length, ...routeName });
        return this.viaPeering(route.target.id, fromVpc, flow, goal, (msg) => this.assumeAfter(msg, goal, flow, fromVpc));
      }
    }
    if (route.state !== 'active') {
      const msg = `The route that matches ${flow.dst.text} in ${rt.id}, ${routeText(route)}, is ${route.state}: its target no longer exists.`;
      this.hop('ROUTE', 'route-table', rt.id, 'drop', flow, msg, { direction: 'egress', decidingRule: rref, evaluatedCount: rt.routes.length, ...routeName });
      this.block({ ...blockBase, code: 'BAD_STATE_ROUTE', explanation: msg, evidence: { decidingRule: rref, evaluated: rt.routes.map(routeRef), summary: `route ${routeText(route)} is ${route.state}` }, facts: facts(route) });
      return this.assume(goal, flow, fromVpc);
    }
    this.hop('ROUTE', 'route-table', rt.id, 'forward', flow, `${rt.id}${rt.name ? ` (${rt.name})` : ''}: ${routeText(route)}.`,
      { direction: 'egress', decidingRule: rref, evaluatedCount: rt.routes.length, ...routeName });
    const wrongWay = (msg: string): Arrival => {
      this.block({ ...blockBase, code: 'CANNOT_ROUTE', explanation: msg, evidence: { decidingRule: rref, evaluated: rt.routes.map(routeRef), summary: msg }, facts: facts(route) });
      return this.assume(goal, flow, fromVpc);
    };

    switch (route.target.kind) {
      case 'local': {
        if (goal.kind === 'interface' && !goal.viaPublic) {
          if (goal.eni.vpcId === fromVpc) return { status: 'arrived', vpcId: fromVpc, flow, crossing: 'same-vpc', fromSubnetId };
          return wrongWay(`${flow.dst.text} matches the local route of ${fromVpc}, but the interface that owns it (${goal.eni.id}) is in ${goal.eni.vpcId}: overlapping address ranges.`);
        }
        if (goal.kind === 'unowned') return { status: 'stopped' };
        return wrongWay(`${flow.dst.text} matches the local route of ${fromVpc}, so it never leaves the VPC.`);
      }
      case 'pcx': return this.viaPeering(route.target.id, fromVpc, flow, goal, wrongWay);
      case 'tgw': return this.viaTransitGateway(route.target.id, fromSubnetId, fromVpc, flow, goal);
      case 'igw':
      case 'eigw': return this.viaInternetGateway(route.target.id, fromVpc, flow, goal, wrongWay);
      case 'nat': return this.viaNat(route.target.id, fromSubnetId, fromVpc, flow, goal, depth);
      case 'vpce': {
        const ep = m.vpcEndpoints.get(route.target.id);
        this.hop('VPC_ENDPOINT', 'gateway', route.target.id, ep && ep.state === 'available' ? 'forward' : 'unknown', flow,
          `Gateway endpoint ${route.target.id}${ep ? ` (${ep.serviceName})` : ''}: the traffic goes to the AWS service; the endpoint policy is not evaluated.`);
        if (goal.kind === 'interface') return wrongWay(`${flow.dst.text} is routed to the gateway endpoint ${route.target.id}, not towards ${goal.eni.id}.`);
        return { status: 'exited', flow };
      }
      default: {
        const what = route.target.kind === 'vgw' ? 'a virtual private gateway (VPN / Direct Connect)' : route.target.kind === 'eni' || route.target.kind === 'instance' ? 'a network appliance' : 'a gateway sgwhy does not model';
        this.unknown({ layer: 'route-table', code: 'OUTSIDE_DATA', resourceId: route.target.id,
          message: `${rt.id} sends ${flow.dst.text} to ${route.target.id}, ${what}: what happens beyond it is not in the data.` });
        return this.assume(goal, flow, fromVpc);
      }
    }
  }

  private assumeAfter(msg: string, goal: Endpoint, flow: Flow, fromVpc: string): Arrival {
    this.warnings.push(msg);
    return this.assume(goal, flow, fromVpc);
  }

  private targetCidrs(goal: Endpoint, dst: Addr): string[] {
    if (goal.kind === 'interface' && !goal.viaPublic) {
      const vpc = this.model.vpcs.get(goal.eni.vpcId);
      const c = vpc?.cidrs.find((x) => cidrContains(x, dst));
      if (c) return [c.text];
      const s = this.model.subnets.get(goal.eni.subnetId)?.cidrs.find((x) => cidrContains(x, dst));
      if (s) return [s.text];
    }
    return [`${dst.text}/${dst.family === 4 ? 32 : 128}`];
  }

  private viaPeering(pcxId: string, fromVpc: string, flow: Flow, goal: Endpoint, wrongWay: (msg: string) => Arrival): Arrival {
    const p = this.model.peerings.get(pcxId);
    if (!p) {
      const msg = `Peering connection ${pcxId} is not in the data.`;
      this.hop('PEERING', 'gateway', pcxId, 'unknown', flow, msg);
      this.unknown({ layer: 'gateway', code: 'MISSING_DATA', resourceId: pcxId, message: msg, missing: `aws ec2 describe-vpc-peering-connections --vpc-peering-connection-ids ${pcxId}` });
      return this.assume(goal, flow, fromVpc);
    }
    const other = p.requester.vpcId === fromVpc ? p.accepter : p.accepter.vpcId === fromVpc ? p.requester : undefined;
    if (p.status !== 'active') {
      const msg = `Peering connection ${pcxId} is "${p.status}", not active: it carries no traffic.`;
      this.hop('PEERING', 'gateway', pcxId, 'drop', flow, msg);
      this.block({ layer: 'gateway', resourceId: pcxId, direction: 'egress', code: 'BAD_STATE', explanation: msg, evidence: { decidingRule: null, evaluated: [], summary: msg },
        vpcId: fromVpc, ...(p.accepter.ownerId ? { accountId: p.accepter.ownerId } : {}), ...(p.accepter.region ? { region: p.accepter.region } : {}),
        facts: { kind: 'state', resourceId: pcxId, state: p.status, peering: p } });
      return this.assume(goal, flow, fromVpc);
    }
    if (!other) return wrongWay(`Peering connection ${pcxId} does not connect ${fromVpc}.`);
    if (!other.cidrs.some((c) => cidrContains(c, flow.dst))) {
      return wrongWay(`${pcxId} connects ${fromVpc} to ${other.vpcId} (${other.cidrs.map((c) => c.text).join(', ')}); ${flow.dst.text} is not in ${other.vpcId}, and peering is not transitive.`);
    }
    this.hop('PEERING', 'gateway', pcxId, 'forward', flow, `Through peering connection ${pcxId} to ${other.vpcId}.`);
    if (goal.kind === 'interface' && !goal.viaPublic) {
      if (goal.eni.vpcId !== other.vpcId) return wrongWay(`${pcxId} leads to ${other.vpcId}, but ${flow.dst.text} is on ${goal.eni.id} in ${goal.eni.vpcId}.`);
      return { status: 'arrived', vpcId: other.vpcId, flow, crossing: 'peering', peeringAllowsRefs: peeringSameRegion(p) };
    }
    if (goal.kind !== 'unowned') {
      this.unknown({ layer: 'gateway', code: 'OUTSIDE_DATA', resourceId: other.vpcId,
        message: `${flow.dst.text} is in peer VPC ${other.vpcId}${other.ownerId ? ` (account ${other.ownerId})` : ''}, whose interfaces are not in the data.`,
        missing: `aws ec2 describe-network-interfaces --filters Name=addresses.private-ip-address,Values=${flow.dst.text} (in account ${other.ownerId ?? '?'})` });
    }
    return { status: 'stopped' };
  }

  private viaTransitGateway(tgwId: string, fromSubnetId: string, fromVpc: string, flow: Flow, goal: Endpoint): Arrival {
    const m = this.model;
    const tgw = m.transitGateways.get(tgwId);
    const stop = (layer: Layer, code: 'BAD_STATE' | 'BAD_STATE_ATTACHMENT' | 'TGW_RTB_CANNOT_ROUTE' | 'BAD_STATE_ROUTE', resourceId: string, msg: string, facts: BlockerFacts): Arrival => {
      this.hop('TRANSIT_GATEWAY', layer, resourceId, 'drop', flow, msg);
      this.block({ layer, resourceId, direction: 'egress', code, explanation: msg, evidence: { decidingRule: null, evaluated: [], summary: msg }, vpcId: fromVpc,
        ...(tgw?.ownerId ? { accountId: tgw.ownerId } : {}), facts });
      return this.assume(goal, flow, fromVpc);
    };
    if (tgw && !isUp(tgw.state)) return stop('gateway', 'BAD_STATE', tgwId, `Transit gateway ${tgwId} is ${tgw.state}.`, { kind: 'state', resourceId: tgwId, state: tgw.state });
    if (!m.present.has('TransitGatewayAttachments') && !m.present.has('TransitGatewayVpcAttachments')) {
      const msg = `Transit gateway attachments are not in the data: cannot follow ${tgwId}.`;
      this.hop('TRANSIT_GATEWAY', 'gateway', tgwId, 'unknown', flow, msg);
      this.unknown({ layer: 'gateway', code: 'MISSING_DATA', resourceId: tgwId, message: msg, missing: `aws ec2 describe-transit-gateway-attachments --filters Name=transit-gateway-id,Values=${tgwId}` });
      return this.assume(goal, flow, fromVpc);
    }
    const local = [...m.tgwAttachments.values()].find((a) => a.tgwId === tgwId && a.resourceType === 'vpc' && a.resourceId === fromVpc);
    if (!local) return stop('gateway', 'BAD_STATE_ATTACHMENT', tgwId, `${fromVpc} is not attached to transit gateway ${tgwId}.`, { kind: 'state', resourceId: tgwId, state: 'not-attached' });
    if (!isUp(local.state)) return stop('gateway', 'BAD_STATE_ATTACHMENT', local.id, `Attachment ${local.id} of ${fromVpc} to ${tgwId} is ${local.state}.`, { kind: 'state', resourceId: local.id, state: local.state });
    const fromAz = m.subnets.get(fromSubnetId)?.az;
    if (local.subnetIds && fromAz) {
      const azs = local.subnetIds.map((s) => m.subnets.get(s)?.az);
      if (azs.every((a) => a !== undefined) && !azs.includes(fromAz)) {
        return stop('gateway', 'BAD_STATE_ATTACHMENT', local.id, `Attachment ${local.id} has no subnet in ${fromAz}: resources in that Availability Zone cannot reach ${tgwId}.`, { kind: 'state', resourceId: local.id, state: 'no-subnet-in-az', subnetId: fromSubnetId, attachment: local });
      }
    }
    const remoteFor = (): TgwAttachment | undefined => {
      const vpc = this.goalVpc(goal);
      return vpc ? [...m.tgwAttachments.values()].find((a) => a.tgwId === tgwId && a.resourceType === 'vpc' && a.resourceId === vpc) : undefined;
    };
    const tableId = local.routeTableId;
    const table = tableId ? m.tgwRouteTables.get(tableId) : undefined;
    if (!tableId) return stop('gateway', 'TGW_RTB_CANNOT_ROUTE', local.id, `Attachment ${local.id} is not associated with any transit gateway route table.`, { kind: 'state', resourceId: local.id, state: 'not-associated' });
    if (!table || table.routes === null) {
      const msg = `The routes of transit gateway route table ${tableId} are not in the data.`;
      this.hop('TRANSIT_GATEWAY', 'gateway', tableId, 'unknown', flow, msg);
      this.unknown({ layer: 'gateway', code: 'MISSING_DATA', resourceId: tableId, message: msg, missing: `aws ec2 search-transit-gateway-routes --transit-gateway-route-table-id ${tableId} --filters Name=state,Values=active,blackhole` });
      return this.assume(goal, flow, fromVpc);
    }
    const r = lookupTgwRoute(m, table, flow.dst);
    const remote = remoteFor();
    const tfacts = (route: typeof r): BlockerFacts => ({ kind: 'tgw-route', table, dst: flow.dst, route, ...(remote ? { remote } : {}), targetCidrs: this.targetCidrs(goal, flow.dst) });
    if (!r) return stop('gateway', 'TGW_RTB_CANNOT_ROUTE', table.id, `Transit gateway route table ${table.id} has no route that matches ${flow.dst.text}.`, tfacts(null));
    if (r.state === 'blackhole' || r.attachmentIds.length === 0) return stop('gateway', 'BAD_STATE_ROUTE', table.id, `Transit gateway route ${tgwRouteRef(r).text} in ${table.id} drops ${flow.dst.text}.`, tfacts(r));
    const next = m.tgwAttachments.get(r.attachmentIds[0]!);
    this.hop('TRANSIT_GATEWAY', 'gateway', table.id, 'forward', flow, `Transit gateway ${tgwId}, route table ${table.id}: ${tgwRouteRef(r).text}.`, { decidingRule: tgwRouteRef(r) });
    if (!next || next.resourceType !== 'vpc') {
      this.unknown({ layer: 'gateway', code: next ? 'OUTSIDE_DATA' : 'MISSING_DATA', resourceId: r.attachmentIds[0]!,
        message: next ? `${tgwId} sends ${flow.dst.text} to a ${next.resourceType} attachment (${next.id}): what lies beyond is not in the data.` : `Attachment ${r.attachmentIds[0]} is not in the data.` });
      return goal.kind === 'interface' ? this.assume(goal, flow, fromVpc) : { status: 'stopped' };
    }
    if (goal.kind === 'interface' && !goal.viaPublic) {
      if (goal.eni.vpcId !== next.resourceId) {
        const msg = `${table.id} sends ${flow.dst.text} to ${next.id} (${next.resourceId}), but ${flow.dst.text} is on ${goal.eni.id} in ${goal.eni.vpcId}.`;
        return stop('gateway', 'TGW_RTB_CANNOT_ROUTE', table.id, msg, tfacts(r));
      }
      return { status: 'arrived', vpcId: next.resourceId, flow, crossing: 'tgw', tgwAllowsRefs: tgw?.sgReferencing === true };
    }
    if (goal.kind !== 'unowned') {
      this.unknown({ layer: 'gateway', code: 'OUTSIDE_DATA', resourceId: next.resourceId, message: `${flow.dst.text} is reached through ${tgwId} in ${next.resourceId}, whose interfaces are not in the data.` });
    }
    return { status: 'stopped' };
  }

  private viaInternetGateway(igwId: string, fromVpc: string, flow: Flow, goal: Endpoint, wrongWay: (msg: string) => Arrival): Arrival {
    const m = this.model;
    const igw = m.internetGateways.get(igwId);
    if (igw && !igw.attachments.some((a) => a.vpcId === fromVpc && isUp(a.state))) {
      const msg = `Internet gateway ${igwId} is not attached to ${fromVpc}.`;
      this.hop('INTERNET_GATEWAY', 'gateway', igwId, 'drop', flow, msg);
      this.block({ layer: 'gateway', resourceId: igwId, direction: 'egress', code: 'BAD_STATE_ATTACHMENT', explanation: msg, evidence: { decidingRule: null, evaluated: [], summary: msg },
        vpcId: fromVpc, facts: { kind: 'state', resourceId: igwId, state: 'detached' } });
      return this.assume(goal, flow, fromVpc);
    }
    if (isPrivate(flow.dst)) return wrongWay(`${flow.dst.text} is a private address; the internet gateway ${igwId} cannot deliver it.`);
    let out = flow;
    const pub = this.publicFor(fromVpc, flow.src);
    if (!pub) {
      const owner = (m.index.addressOwners.get(flow.src.text) ?? []).map((o) => m.enis.get(o.eniId)).find((e) => e?.vpcId === fromVpc);
      const msg = `${flow.src.text}${owner ? ` (${owner.id})` : ''} has no public IPv4 address, so the internet gateway cannot carry its traffic (use a NAT gateway or assign an Elastic IP).`;
      this.hop('INTERNET_GATEWAY', 'network-interface', owner?.id ?? igwId, 'drop', flow, msg, { direction: 'egress' });
      if (owner) {
        this.block({ layer: 'network-interface', resourceId: owner.id, direction: 'egress', code: 'NO_PUBLIC_ADDRESS', explanation: msg, evidence: { decidingRule: null, evaluated: [], summary: msg },
          networkInterfaceId: owner.id, vpcId: fromVpc, facts: { kind: 'no-public-ip', eni: owner } });
      }
    } else {
      out = { ...flow, src: pub };
      this.hop('INTERNET_GATEWAY', 'gateway', igwId, 'forward', out, pub.text === flow.src.text
        ? `Out to the internet through ${igwId}.` : `Out to the internet through ${igwId}, as ${pub.text}.`);
    }
    if (goal.kind === 'interface') {
      if (!goal.viaPublic) return wrongWay(`${flow.dst.text} is routed to the internet, not towards ${goal.eni.id}.`);
      const igw2 = this.igwOf(goal.eni.vpcId, out);
      if (!igw2) return { status: 'stopped' };
      const arrived = { ...out, dst: goal.own };
      this.hop('INTERNET_GATEWAY', 'gateway', igw2, 'forward', arrived, `In from the internet through ${igw2}, which maps ${goal.addr.text} to ${goal.own.text}.`);
      return { status: 'arrived', vpcId: goal.eni.vpcId, flow: arrived, crossing: 'other' };
    }
    return { status: 'exited', flow: out };
  }

  private viaNat(natId: string, fromSubnetId: string, fromVpc: string, flow: Flow, goal: Endpoint, depth: number): Arrival {
    const m = this.model;
    const nat = m.natGateways.get(natId);
    if (!nat) {
      const msg = `NAT gateway ${natId} is not in the data.`;
      this.hop('NAT_GATEWAY', 'gateway', natId, 'unknown', flow, msg);
      this.unknown({ layer: 'gateway', code: 'MISSING_DATA', resourceId: natId, message: msg, missing: `aws ec2 describe-nat-gateways --nat-gateway-ids ${natId}` });
      return this.assume(goal, flow, fromVpc);
    }
    if (nat.state !== 'available') {
      const msg = `NAT gateway ${natId} is ${nat.state}.`;
      this.hop('NAT_GATEWAY', 'gateway', natId, 'drop', flow, msg);
      this.block({ layer: 'gateway', resourceId: natId, direction: 'egress', code: 'BAD_STATE', explanation: msg, evidence: { decidingRule: null, evaluated: [], summary: msg },
        vpcId: fromVpc, facts: { kind: 'state', resourceId: natId, state: nat.state } });
      return this.assume(goal, flow, fromVpc);
    }
    if (depth > 2) {
      this.unknown({ layer: 'gateway', code: 'UNSUPPORTED', resourceId: natId, message: `Routing loops through NAT gateways (${natId}).` });
      return { status: 'stopped' };
    }
    if (nat.subnetId !== fromSubnetId) this.naclStep(nat.subnetId, false, flow);
    const natIp = nat.privateIps[0];
    const translated: Flow = natIp ? { ...flow, src: natIp } : flow;
    this.hop('NAT_GATEWAY', 'gateway', natId, 'forward', translated, `NAT gateway ${natId}${nat.name ? ` (${nat.name})` : ''} in ${nat.subnetId} translates ${flow.src.text} to ${translated.src.text}.`);
    const a = this.transit(nat.subnetId, nat.vpcId, translated, goal, depth + 1);
    if (a.status === 'stopped') return a;
    return { ...a, nat };
  }

  /** The reply to a flow that went out through a NAT gateway: back through the NAT's subnet to the source. */
  private returnThroughNat(dst: Endpoint, back: Flow, nat: NatGateway, src: Endpoint): void {
    if (dst.kind === 'interface') {
      const a = this.transit(dst.eni.subnetId, dst.eni.vpcId, back, { kind: 'internet', addr: back.dst });
      if (a.status === 'stopped') return;
    }
    const natIp = nat.privateIps[0] ?? back.dst;
    this.hop('INTERNET_GATEWAY', 'gateway', nat.id, 'forward', back, `The reply returns to NAT gateway ${nat.id} (${back.dst.text}).`);
    this.naclStep(nat.subnetId, false, { ...back, dst: natIp });
    if (src.kind !== 'interface') return;
    const toSrc: Flow = { ...back, dst: src.own };
    this.hop('NAT_GATEWAY', 'gateway', nat.id, 'forward', toSrc, `NAT gateway ${nat.id} translates the reply back to ${src.own.text}.`);
    if (nat.subnetId !== src.eni.subnetId) {
      this.naclStep(nat.subnetId, true, toSrc);
      this.naclStep(src.eni.subnetId, false, toSrc);
    }
  }
}

export function describeFlow(flow: Flow): string {
  if (flow.proto === 6 || flow.proto === 17) return `${flow.protocol}/${describePorts(flow.dstPorts)}`;
  return flow.icmp ? `${flow.protocol} ${icmpName(flow.proto, flow.icmp.type)}` : flow.protocol;
}
