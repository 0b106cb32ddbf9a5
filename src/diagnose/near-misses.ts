/**
 * Near misses: the rules that almost allow the flow, which is what a human needs to see
 * ("allows tcp/8080, you asked 8443"). Pure functions over a blocker's facts.
 */
import type { NearMiss } from '../answer/types.js';
import type { Model, SecurityGroup, SgRule } from '../model/types.js';
import { groupLabel, naclEntryRef, routeText, sgRuleRef, sgRuleText } from '../trace/describe.js';

import { entryMatchesExceptPorts } from '../trace/nacl.js';
import { lookupRoute } from '../trace/routes.js';
import { peerMatches, portMatches, protoMatches, ruleMatch, type PeerView } from '../trace/sg.js';
import type { Flow } from '../trace/flow.js';
import { describeFlow } from '../trace/tracer.js';
import type { BlockerFacts } from '../trace/types.js';

const MAX_PER_KIND = 4;

function peerDescription(model: Model, peer: PeerView): string {
  if (!peer.eni) return peer.addr.text;
  const groups = peer.eni.groupIds.map((g) => groupLabel(model, g)).join(', ');
  return `${peer.addr.text} (${peer.eni.id}, carrying ${groups || 'no groups'})`;
}

/** How far a rule's port range is from the asked port (0 = it contains it). */
function portDistance(rule: SgRule, port: number): number {
  if (!rule.ports) return 0;
  if (port < rule.ports.from) return rule.ports.from - port;
  if (port > rule.ports.to) return port - rule.ports.to;
  return 0;
}

/** How close a rule's peer is to the address: the bits its CIDR shares with it (group references rank first: they explain the most). */
function peerCloseness(rule: SgRule, peer: PeerView): number {
  const p = rule.peer;
  if (p.kind === 'group') return peer.eni?.groupIds.includes(p.groupId) ? 1000 : 500;
  if (p.kind !== 'cidr' || p.cidr.family !== peer.addr.family) return -1;
  const diff = p.cidr.first ^ peer.addr.value;
  const common = p.cidr.family === 4 ? Math.clz32(Number(diff)) : diff === 0n ? 128 : 128 - diff.toString(2).length;
  return Math.min(common, p.cidr.prefix);
}

/**
 * The few near misses that help most, one of each kind: the rule with the closest port, the rule
 * whose source (or destination) is closest to the peer, a rule for the other transport, and a group
 * in the VPC that would allow it — not one line per rule.
 */
function sgNearMisses(model: Model, blockerId: string, facts: Extract<BlockerFacts, { kind: 'sg' }>): NearMiss[] {
  const { flow, peer, evaluation, direction } = facts;
  const best = new Map<string, { n: NearMiss; score: number }>();
  const push = (n: NearMiss, score = 0) => {
    const have = best.get(n.kind);
    if (!have || score > have.score) best.set(n.kind, { n, score });
  };
  const asked = flow.dstPorts?.[0] ?? 0;
  const role = direction === 'ingress' ? 'source' : 'destination';
  for (const rule of evaluation.evaluated) {
    const m = ruleMatch(model, rule, flow, peer);
    const where = groupLabel(model, rule.groupId);
    const text = sgRuleText(model, rule);
    if (m.proto && m.peer === true && !m.port) {
      push({ blockerId, kind: 'WRONG_PORT', message: `${where} allows ${text}; you asked ${describeFlow(flow)}.`, rule: sgRuleRef(model, rule), resourceId: rule.groupId }, -portDistance(rule, asked));
    } else if (m.proto && m.port && m.peer === false) {
      let why = `the ${role} is ${peerDescription(model, peer)}`;
      if (rule.peer.kind === 'group' && peer.eni?.groupIds.includes(rule.peer.groupId)) {
        why = peer.crossing === 'peering'
          ? `${peer.eni.id} carries it, but group references do not cross this peering connection (it must be active and in the same Region)`
          : peer.crossing === 'tgw'
            ? `${peer.eni.id} carries it, but the transit gateway does not have security group referencing enabled`
            : `${peer.eni.id} carries it, but the traffic arrives from a public address; group references only match private addresses`;
      } else if (rule.peer.kind === 'group' && !peer.eni) {
        why = `the ${role} ${peer.addr.text} is not an interface that carries ${rule.peer.groupId} (group references match private addresses of interfaces in the group)`;
      }
      push({ blockerId, kind: 'WRONG_PEER', message: `${where} allows ${text}, but ${why}.`, rule: sgRuleRef(model, rule), resourceId: rule.groupId }, peerCloseness(rule, peer));
    } else if (!m.proto && m.peer === true && rule.proto !== 'all' && (flow.proto === 6 || flow.proto === 17) && (rule.proto === 6 || rule.proto === 17)) {
      const port = flow.dstPorts?.[0] ?? -1;
      if (!rule.ports || (port >= rule.ports.from && port <= rule.ports.to)) {
        const hint = port === 53 ? ' DNS queries use udp/53 first (tcp/53 only for large answers and zone transfers).' : '';
        push({ blockerId, kind: 'WRONG_PROTOCOL', message: `${where} allows ${text}; you asked ${describeFlow(flow)}.${hint}`, rule: sgRuleRef(model, rule), resourceId: rule.groupId });
      }
    }
  }
  const candidates = unattachedCandidates(model, facts);
  const c = candidates[0];
  if (c) {
    const more = candidates.length > 1 ? ` (${candidates.length - 1} other group${candidates.length > 2 ? 's' : ''} in the VPC would too)` : '';
    push({ blockerId, kind: 'GROUP_NOT_ATTACHED', resourceId: c.group.id, rule: sgRuleRef(model, c.rule),
      message: `Security group ${groupLabel(model, c.group.id)} in ${facts.eni.vpcId} would allow it (${sgRuleText(model, c.rule)}) but is not attached to ${facts.eni.id}${more}.` });
  }
  const order = ['WRONG_PORT', 'WRONG_PEER', 'WRONG_PROTOCOL', 'GROUP_NOT_ATTACHED'];
  return [...best.values()].map((b) => b.n).sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
}

/**
 * Rules of a VPC's security groups that match a protocol and port, built on first use and kept
 * per model (questions repeat ports, so this turns a scan of every rule into a lookup). `v4lo` /
 * `v4hi` hold each IPv4 CIDR rule's range as numbers (NaN for other rules), so the scan for a
 * rule that would match the peer compares numbers rather than calling the general matcher.
 */
interface VpcRules {
  rules: SgRule[];
  v4lo: Float64Array;
  v4hi: Float64Array;
}
const ruleIndex = new WeakMap<Model, Map<string, VpcRules>>();

function vpcRulesFor(model: Model, vpcId: string, direction: 'ingress' | 'egress', flow: Flow): VpcRules {
  let byKey = ruleIndex.get(model);
  if (!byKey) ruleIndex.set(model, (byKey = new Map()));
  const key = `${vpcId}|${direction}|${flow.proto}|${flow.dstPorts?.[0] ?? ''}|${flow.icmp?.type ?? ''}`;
  let hit = byKey.get(key);
  if (!hit) {
    const rules: SgRule[] = [];
    for (const gid of model.index.vpcGroups.get(vpcId) ?? []) {
      const g = model.securityGroups.get(gid);
      if (!g) continue;
      for (const r of direction === 'ingress' ? g.ingress : g.egress) if (protoMatches(r, flow) && portMatches(r, flow)) rules.push(r);
    }
    const v4lo = new Float64Array(rules.length).fill(Number.NaN);
    const v4hi = new Float64Array(rules.length).fill(Number.NaN);
    rules.forEach((r, i) => {
      if (r.peer.kind === 'cidr' && r.peer.cidr.family === 4) {
        v4lo[i] = Number(r.peer.cidr.first);
        v4hi[i] = Number(r.peer.cidr.last);
      }
    });
    byKey.set(key, (hit = { rules, v4lo, v4hi }));
  }
  return hit;
}

const candidatesCache = new WeakMap<object, Array<{ group: SecurityGroup; rule: SgRule }>>();

/** Security groups of the interface's VPC, not attached to it, that would allow the flow. */
export function unattachedCandidates(model: Model, facts: Extract<BlockerFacts, { kind: 'sg' }>): Array<{ group: SecurityGroup; rule: SgRule }> {
  const cached = candidatesCache.get(facts);
  if (cached) return cached;
  const out: Array<{ group: SecurityGroup; rule: SgRule }> = [];
  const seen = new Set<string>();
  const { rules, v4lo, v4hi } = vpcRulesFor(model, facts.eni.vpcId, facts.direction, facts.flow);
  const x = facts.peer.addr.family === 4 ? Number(facts.peer.addr.value) : Number.NaN;
  for (let i = 0; i < rules.length; i++) {
    // An IPv4 CIDR rule that cannot contain an IPv4 peer is skipped by two comparisons (NaN: decide below).
    if (!Number.isNaN(x) && !Number.isNaN(v4lo[i]!) && (x < v4lo[i]! || x > v4hi[i]!)) continue;
    const rule = rules[i]!;
    if (facts.eni.groupIds.includes(rule.groupId) || seen.has(rule.groupId)) continue;
    if (peerMatches(model, rule, facts.peer) !== true) continue;
    const g = model.securityGroups.get(rule.groupId);
    if (!g) continue;
    seen.add(g.id);
    out.push({ group: g, rule });
    if (out.length >= MAX_PER_KIND) break;
  }
  candidatesCache.set(facts, out);
  return out;
}

function naclNearMisses(blockerId: string, facts: Extract<BlockerFacts, { kind: 'nacl' }>): NearMiss[] {
  const out: NearMiss[] = [];
  const { evaluation, flow, nacl, egress } = facts;
  const entries = egress ? nacl.outbound : nacl.inbound;
  for (const seg of evaluation.segments) {
    if (seg.action !== 'deny' || !seg.entry) continue;
    const deny = seg.entry;
    const later = entries.find((e) => e.ruleNumber > deny.ruleNumber && e.action === 'allow' && entryMatchesExceptPorts(e, flow, !egress)
      && (!seg.ports || e.proto === 'all' || !e.ports || (e.ports.from <= seg.ports[1] && e.ports.to >= seg.ports[0])));
    if (later && !out.some((n) => n.rule?.ruleNumber === later.ruleNumber)) {
      out.push({ blockerId, kind: 'DENY_BEFORE_ALLOW', resourceId: nacl.id, rule: naclEntryRef(later),
        message: `${nacl.id} rule ${naclEntryRef(later).text} would allow it, but rule ${naclEntryRef(deny).text} comes first (lowest number wins).` });
    }
  }
  if (evaluation.decision === 'partial') {
    out.push({ blockerId, kind: 'PARTIAL_PORT_RANGE', resourceId: nacl.id,
      message: `${nacl.id} allows ${describeFlow(flow).split('/')[0]} ports ${evaluation.allowed.map(([a, b]) => (a === b ? a : `${a}-${b}`)).join(', ')} but not ${evaluation.denied.map(([a, b]) => (a === b ? a : `${a}-${b}`)).join(', ')}: clients whose source port falls there are cut off.` });
  }
  return out;
}

function routeNearMisses(model: Model, blockerId: string, facts: Extract<BlockerFacts, { kind: 'route' }>, subnetId?: string): NearMiss[] {
  const out: NearMiss[] = [];
  const own = subnetId ?? facts.table.subnetIds[0];
  const ownSubnet = own ? model.subnets.get(own) : undefined;
  const ownText = own
    ? `${own}${ownSubnet?.name ? ` (${ownSubnet.name})` : ''}, whose table is ${facts.table.id}${facts.table.name ? ` (${facts.table.name})` : ''}${facts.table.main && !facts.table.subnetIds.includes(own) ? ', the main table' : ''}`
    : `the source's subnet, whose table is ${facts.table.id}`;
  for (const id of model.index.vpcRouteTables.get(facts.table.vpcId) ?? []) {
    if (id === facts.table.id) continue;
    const rt = model.routeTables.get(id);
    if (!rt) continue;
    const { route } = lookupRoute(model, rt, facts.dst);
    if (!route || route.state !== 'active' || route.target.kind === 'local') continue;
    if (facts.connector && facts.connector.kind === 'pcx' && route.target.id !== facts.connector.peering.id) continue;
    // A route to a NAT gateway that sits in this very subnet would send the NAT's traffic back to itself.
    if (route.target.kind === 'nat' && facts.table.subnetIds.includes(model.natGateways.get(route.target.id)?.subnetId ?? '')) continue;
    const assoc = rt.subnetIds.length ? `associated with ${rt.subnetIds.join(', ')}` : rt.main ? 'the main table' : 'associated with no subnet';
    out.push({ blockerId, kind: 'ROUTE_IN_OTHER_TABLE', resourceId: rt.id,
      message: `Route table ${rt.id}${rt.name ? ` (${rt.name})` : ''} has ${routeText(route)}, but it is ${assoc}; the source is in ${ownText}.` });
    if (out.length >= 2) break; // the two most likely tables are enough
  }
  return out;
}

/** Near misses for one blocker; `subnetId` is the blocker's subnet (for a route: the source's own subnet). */
export function nearMisses(model: Model, blockerId: string, facts: BlockerFacts, subnetId?: string): NearMiss[] {
  switch (facts.kind) {
    case 'sg': return sgNearMisses(model, blockerId, facts);
    case 'nacl': return naclNearMisses(blockerId, facts);
    case 'route': return routeNearMisses(model, blockerId, facts, subnetId);
    default: return [];
  }
}

