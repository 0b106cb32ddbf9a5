/** Human summaries of rules, with their origins, for evidence (RuleRef). */
import type { RuleRef } from '../answer/types.js';
import type { Model, NaclEntry, Proto, Route, SgRule, TgwRoute } from '../model/types.js';

const PROTO_NAMES: Record<number, string> = { 1: 'icmp', 6: 'tcp', 17: 'udp', 58: 'icmpv6' };

export function protoText(p: Proto): string {
  return p === 'all' ? 'all traffic' : PROTO_NAMES[p] ?? `protocol ${p}`;
}

function matchText(proto: Proto, ports: { from: number; to: number } | null, icmp: { type: number; code: number } | null): string {
  if (proto === 'all') return 'all traffic';
  const name = protoText(proto);
  if (proto === 6 || proto === 17) {
    if (!ports || (ports.from <= 0 && ports.to >= 65535)) return `${name}/all ports`;
    return ports.from === ports.to ? `${name}/${ports.from}` : `${name}/${ports.from}-${ports.to}`;
  }
  if (proto === 1 || proto === 58) {
    if (!icmp || icmp.type === -1) return `${name} (all types)`;
    return icmp.code === -1 ? `${name} type ${icmp.type}` : `${name} type ${icmp.type} code ${icmp.code}`;
  }
  return name;
}

export function groupLabel(model: Model, id: string): string {
  const g = model.securityGroups.get(id);
  return g ? `${id} (${g.tagName ?? g.name})` : id;
}

export function sgPeerText(model: Model, rule: SgRule): string {
  const p = rule.peer;
  if (p.kind === 'cidr') return p.cidr.text;
  if (p.kind === 'prefixList') {
    const pl = model.prefixLists.get(p.id);
    return pl?.name ? `prefix list ${p.id} (${pl.name})` : `prefix list ${p.id}`;
  }
  const ruleOwner = model.securityGroups.get(rule.groupId)?.ownerId;
  const owner = p.userId && p.userId !== ruleOwner ? ` in account ${p.userId}` : '';
  return `security group ${groupLabel(model, p.groupId)}${owner}`;
}

export function sgRuleText(model: Model, rule: SgRule): string {
  const dir = rule.direction === 'ingress' ? 'from' : 'to';
  return `${matchText(rule.proto, rule.ports, rule.icmp)} ${dir} ${sgPeerText(model, rule)}`;
}

export function sgRuleRef(model: Model, rule: SgRule): RuleRef {
  const ref: RuleRef = { kind: 'sg-rule', resourceId: rule.groupId, text: sgRuleText(model, rule), action: 'allow', origin: rule.origin };
  if (rule.description) ref.description = rule.description;
  return ref;
}

export function naclEntryText(e: NaclEntry): string {
  const num = e.ruleNumber === 32767 ? '*' : String(e.ruleNumber);
  return `#${num} ${e.action} ${matchText(e.proto, e.ports, e.icmp)} ${e.egress ? 'to' : 'from'} ${e.cidr.text}`;
}

export function naclEntryRef(e: NaclEntry): RuleRef {
  return { kind: 'nacl-entry', resourceId: e.naclId, text: naclEntryText(e), ruleNumber: e.ruleNumber, action: e.action, origin: e.origin };
}

export function implicitDenyRef(naclId: string, egress: boolean): RuleRef {
  return { kind: 'implicit', resourceId: naclId, text: `#* deny all traffic ${egress ? 'to' : 'from'} anywhere (implicit)`, ruleNumber: 32767, action: 'deny' };
}

export function routeText(r: Route): string {
  const dest = r.destination.kind === 'cidr' ? r.destination.cidr.text : r.destination.id;
  return `${dest} → ${r.target.id}${r.state === 'active' ? '' : ` (${r.state})`}`;
}

export function routeRef(r: Route): RuleRef {
  return { kind: 'route', resourceId: r.routeTableId, text: routeText(r), origin: r.origin };
}

export function tgwRouteRef(r: TgwRoute): RuleRef {
  const dest = r.cidr?.text ?? r.prefixListId ?? '?';
  const to = r.attachmentIds.length ? r.attachmentIds.join(', ') : 'nowhere';
  return { kind: 'tgw-route', resourceId: r.routeTableId, text: `${dest} → ${r.state === 'blackhole' ? 'blackhole' : to} (${r.type})`, origin: r.origin };
}
