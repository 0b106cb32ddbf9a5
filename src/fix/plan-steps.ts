/**
 * Fixes that take several API calls, applied in order: a new security group when every group on
 * the interface is at its rule quota (or a widened rule when that is the smaller change), a new
 * peering connection in place of a deleted / rejected / expired one, and a deny rule moved when no
 * free rule number is left below it. Each step is its own call with its own account and Region.
 */
import type { Fix, FixStep } from '../answer/types.js';
import { cidrContains, parseCidr, type Addr, type Cidr } from '../net/ip.js';
import type { Eni, Model, NaclEntry, NetworkAcl, Peering, SecurityGroup, SgRule } from '../model/types.js';
import { groupLabel } from '../trace/describe.js';

/** One call of a fix before its CLI is rendered. */
export type StepDraft = Omit<FixStep, 'cli' | 'service'>;

/** A fix before it is numbered; `steps` only for a fix of several calls (its first step repeats the top-level call). */
export type Draft = Omit<Fix, 'id' | 'blockerId' | 'alternatives' | 'cli' | 'steps'> & { steps?: StepDraft[] };

/** Where an object lives: its account and Region, when the data says. */
export interface Scope {
  accountId?: string;
  region?: string;
}

const scoped = (s: Scope): Scope => ({ ...(s.accountId ? { accountId: s.accountId } : {}), ...(s.region ? { region: s.region } : {}) });

/** A fix of several steps; the top-level call fields repeat the first step. */
export function multiStep(title: string, steps: StepDraft[], notes: string[]): Draft {
  const first = steps[0]!;
  return { title, service: 'ec2', operation: first.operation, input: first.input, ...scoped(first), steps, notes };
}

export function vpcScope(model: Model, vpcId: string): Scope {
  const vpc = model.vpcs.get(vpcId);
  const sub = [...model.subnets.values()].find((s) => s.vpcId === vpcId);
  return scoped({ ...(vpc?.ownerId ?? sub?.ownerId ? { accountId: vpc?.ownerId ?? sub?.ownerId } : {}), ...(vpc?.region ?? sub?.region ? { region: vpc?.region ?? sub?.region } : {}) });
}

// ——— security group at its rule quota ———

/** Widening a rule is the smaller change only when it lets in a handful of extra addresses. */
const WIDEN_MIN_PREFIX = { 4: 28, 6: 124 } as const;

/** The smallest CIDR holding both the rule's block and the address. */
function supernet(c: Cidr, a: Addr): Cidr | null {
  for (let p = c.prefix; p >= 0; p--) {
    const s = parseCidr(`${a.text}/${p}`);
    if (s && s.first <= c.first && s.last >= c.last && cidrContains(s, a)) return s;
  }
  return null;
}

export interface Widening {
  rule: SgRule;
  group: SecurityGroup;
  wider: Cidr;
}

/** A CIDR rule for the same protocol and ports whose block, widened to take in `peer`, stays small. */
export function findWidening(groups: SecurityGroup[], direction: 'ingress' | 'egress', proto: number, port: number | undefined, peer: Addr): Widening | null {
  let best: Widening | null = null;
  for (const group of groups) {
    for (const rule of direction === 'ingress' ? group.ingress : group.egress) {
      if (rule.peer.kind !== 'cidr' || rule.peer.cidr.family !== peer.family || rule.proto !== proto) continue;
      if (port !== undefined && (!rule.ports || rule.ports.from > port || rule.ports.to < port)) continue;
      if (port === undefined && (rule.ports || rule.icmp)) continue;
      const wider = supernet(rule.peer.cidr, peer);
      if (!wider || wider.prefix < WIDEN_MIN_PREFIX[peer.family]) continue;
      if (!best || wider.prefix > best.wider.prefix) best = { rule, group, wider };
    }
  }
  return best;
}

/** The IpPermissions entry of one CIDR rule, as AWS wants it to revoke or authorize. */
export function cidrPermission(rule: SgRule, cidr: string): Record<string, unknown> {
  const p: Record<string, unknown> = { IpProtocol: rule.proto === 'all' ? '-1' : ({ 6: 'tcp', 17: 'udp', 1: 'icmp', 58: 'icmpv6' } as Record<number, string>)[rule.proto] ?? String(rule.proto) };
  if (rule.ports) {
    p.FromPort = rule.ports.from;
    p.ToPort = rule.ports.to;
  } else if (rule.icmp) {
    p.FromPort = rule.icmp.type;
    p.ToPort = rule.icmp.code;
  }
  const range: Record<string, unknown> = cidr.includes(':') ? { CidrIpv6: cidr } : { CidrIp: cidr };
  if (rule.description !== undefined) range.Description = rule.description;
  p[cidr.includes(':') ? 'Ipv6Ranges' : 'IpRanges'] = [range];
  return p;
}

export function widenPlan(model: Model, w: Widening, direction: 'ingress' | 'egress', scope: Scope): Draft {
  const old = (w.rule.peer as { cidr: Cidr }).cidr.text;
  const dir = direction === 'ingress' ? 'Ingress' : 'Egress';
  const extra = (w.wider.last - w.wider.first + 1n) - ((w.rule.peer as { cidr: Cidr }).cidr.last - (w.rule.peer as { cidr: Cidr }).cidr.first + 1n);
  return multiStep(`Widen ${old} to ${w.wider.text} in the ${direction === 'ingress' ? 'inbound' : 'outbound'} rule of ${groupLabel(model, w.group.id)} (the group is at its rule quota)`, [
    { title: `Revoke the rule for ${old}`, operation: `RevokeSecurityGroup${dir}`, input: { GroupId: w.group.id, IpPermissions: [cidrPermission(w.rule, old)] }, ...scope },
    { title: `Authorize the same rule for ${w.wider.text}`, operation: `AuthorizeSecurityGroup${dir}`, input: { GroupId: w.group.id, IpPermissions: [cidrPermission(w.rule, w.wider.text)] }, ...scope },
  ], [
    `The group is at its rule quota, so the rule is replaced rather than added: ${extra} more address${extra === 1n ? '' : 'es'} than before match it.`,
    'Run the two commands back to back: between them the old rule is gone (existing tracked connections are not affected).',
  ]);
}

/** A new group holding only the rule, attached to the interface next to the groups it has. */
export function newGroupPlan(model: Model, eni: Eni, direction: 'ingress' | 'egress', permission: Record<string, unknown>, flowText: string, description: string, scope: Scope): Draft {
  const name = `sgwhy-${eni.id}-${direction}`.slice(0, 255);
  const dir = direction === 'ingress' ? 'Ingress' : 'Egress';
  return multiStep(`Create a group allowing ${flowText} and attach it to ${eni.id}, keeping ${eni.groupIds.join(', ')} (every group there is at its rule quota)`, [
    { title: `Create security group ${name} in ${eni.vpcId}`, operation: 'CreateSecurityGroup',
      input: { GroupName: name, Description: description, VpcId: eni.vpcId }, output: { name: 'NEW_GROUP_ID', field: 'GroupId' }, ...scope },
    { title: 'Remove the allow-all outbound rule every new group starts with, so the group allows only this flow', operation: 'RevokeSecurityGroupEgress',
      input: { GroupId: '${NEW_GROUP_ID}', IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }, ...scope },
    { title: `Allow ${flowText} in the new group`, operation: `AuthorizeSecurityGroup${dir}`, input: { GroupId: '${NEW_GROUP_ID}', IpPermissions: [permission] }, ...scope },
    { title: `Attach the new group to ${eni.id}, keeping the groups it has`, operation: 'ModifyNetworkInterfaceAttribute',
      input: { NetworkInterfaceId: eni.id, Groups: [...eni.groupIds, '${NEW_GROUP_ID}'] }, ...scope },
  ], [
    `Every group on ${eni.id} already holds its quota of rules (60 per direction and address family), and no rule there can be widened by a few addresses to take this flow in, so the rule goes into a group of its own.`,
    `${eni.id} then carries ${eni.groupIds.length + 1} groups (the quota is 5).`,
    '--groups replaces the whole list: the command keeps every group already attached.',
  ]);
}

// ——— peering connection that is gone ———

const GONE = new Set(['deleted', 'rejected', 'expired', 'failed', 'deleting']);

export function peeringIsGone(p: Peering): boolean {
  return GONE.has(p.status);
}

/** Create a peering in place of `p`, accept it (in the accepter's account), and point every route that used `p` at it. */
export function newPeeringPlan(model: Model, p: Peering): Draft {
  const req = p.requester;
  const acc = p.accepter;
  const reqScope = scoped({ ...(req.ownerId ? { accountId: req.ownerId } : vpcScope(model, req.vpcId)), ...(req.region ? { region: req.region } : { region: vpcScope(model, req.vpcId).region }) });
  const accScope = scoped({ ...(acc.ownerId ? { accountId: acc.ownerId } : vpcScope(model, acc.vpcId)), ...(acc.region ? { region: acc.region } : { region: vpcScope(model, acc.vpcId).region }) });
  const create: Record<string, unknown> = { VpcId: req.vpcId, PeerVpcId: acc.vpcId };
  const crossAccount = !!(reqScope.accountId && accScope.accountId && reqScope.accountId !== accScope.accountId);
  if (crossAccount) create.PeerOwnerId = accScope.accountId;
  if (reqScope.region && accScope.region && reqScope.region !== accScope.region) create.PeerRegion = accScope.region;
  const steps: StepDraft[] = [
    { title: `Request a new peering connection ${req.vpcId} → ${acc.vpcId}`, operation: 'CreateVpcPeeringConnection', input: create,
      output: { name: 'NEW_PEERING_ID', field: 'VpcPeeringConnection.VpcPeeringConnectionId' }, ...reqScope },
    { title: `Accept it${crossAccount ? ` in account ${accScope.accountId} (its owner must run this step)` : ''}`, operation: 'AcceptVpcPeeringConnection',
      input: { VpcPeeringConnectionId: '${NEW_PEERING_ID}' }, ...accScope },
  ];
  const sides: string[] = [];
  for (const t of model.routeTables.values()) {
    for (const r of t.routes) {
      if (r.target.kind !== 'pcx' || r.target.id !== p.id) continue;
      const dest = r.destination.kind === 'prefixList' ? { DestinationPrefixListId: r.destination.id }
        : r.destination.cidr.family === 6 ? { DestinationIpv6CidrBlock: r.destination.cidr.text } : { DestinationCidrBlock: r.destination.cidr.text };
      const destText = r.destination.kind === 'prefixList' ? r.destination.id : r.destination.cidr.text;
      steps.push({ title: `Point ${destText} in ${t.id} at the new peering`, operation: 'ReplaceRoute',
        input: { RouteTableId: t.id, ...dest, VpcPeeringConnectionId: '${NEW_PEERING_ID}' }, ...scoped({ ...vpcScope(model, t.vpcId), ...(t.ownerId ? { accountId: t.ownerId } : {}) }) });
      if (!sides.includes(t.vpcId)) sides.push(t.vpcId);
    }
  }
  const notes = [
    `${p.id} is ${p.status}: a peering connection in that state cannot be reused; a new one takes its place.`,
    crossAccount ? `The accept step runs in account ${accScope.accountId}: its owner must accept the request (before it expires, 7 days).` : 'Both VPCs are in the same account: the same credentials can accept it.',
  ];
  for (const v of [req.vpcId, acc.vpcId]) if (!sides.includes(v)) notes.push(`No route table in the data of ${v} routes to ${p.id}: add a route there to the other VPC's CIDR through the new peering.`);
  return multiStep(`Replace peering connection ${p.id} (${p.status}) with a new one between ${req.vpcId} and ${acc.vpcId}, accept it, and route both sides through it`, steps, notes);
}

// ——— a deny at the lowest rule number ———

/** Replace the deny with the allow, and put the deny back at the first free number after it. */
export function replaceDenyPlan(nacl: NetworkAcl, egress: boolean, deny: NaclEntry, allow: Record<string, unknown>, what: string, scope: Scope): Draft {
  const entries = egress ? nacl.outbound : nacl.inbound;
  const used = new Set(entries.map((e) => e.ruleNumber));
  let free: number | null = null;
  for (let n = deny.ruleNumber + 1; n <= 32766; n++) if (!used.has(n)) { free = n; break; }
  const steps: StepDraft[] = [{ title: `Replace rule ${deny.ruleNumber} (deny) with the allow`, operation: 'ReplaceNetworkAclEntry', input: { ...allow, RuleNumber: deny.ruleNumber }, ...scope }];
  const notes = [`No rule number below ${deny.ruleNumber} is free, so the deny itself is replaced.`];
  if (free !== null) {
    const again: Record<string, unknown> = { NetworkAclId: nacl.id, RuleNumber: free, Protocol: deny.proto === 'all' ? '-1' : String(deny.proto), RuleAction: 'deny', Egress: egress };
    if (deny.cidr.family === 4) again.CidrBlock = deny.cidr.text;
    else again.Ipv6CidrBlock = deny.cidr.text;
    if (deny.ports) again.PortRange = { From: deny.ports.from, To: deny.ports.to };
    if (deny.icmp) again.IcmpTypeCode = { Type: deny.icmp.type, Code: deny.icmp.code };
    steps.push({ title: `Put the deny back as rule ${free}`, operation: 'CreateNetworkAclEntry', input: again, ...scope });
    const between = entries.filter((e) => e.ruleNumber > deny.ruleNumber && e.ruleNumber < free!).map((e) => e.ruleNumber);
    notes.push(between.length
      ? `The deny moves from ${deny.ruleNumber} to ${free}: rules ${between.join(', ')} are now evaluated before it; check that they do not allow what it denied.`
      : `The deny moves from ${deny.ruleNumber} to ${free}, right after the new allow: it keeps denying everything else it denied.`);
  } else {
    notes.push(`No free rule number is left after ${deny.ruleNumber}: the deny is not put back.`);
  }
  return multiStep(`Allow ${what} in ${nacl.id} as rule ${deny.ruleNumber}, moving the deny that held it`, steps, notes);
}

// ——— a VPC without an internet gateway ———

/** Create an internet gateway and attach it to the VPC (the route tables already send the traffic that needs it). */
export function newInternetGatewayPlan(vpcId: string, scope: Scope, why: string): Draft {
  return multiStep(`Create an internet gateway and attach it to ${vpcId}`, [
    { title: 'Create an internet gateway', operation: 'CreateInternetGateway', input: {}, output: { name: 'NEW_IGW_ID', field: 'InternetGateway.InternetGatewayId' }, ...scope },
    { title: `Attach it to ${vpcId}`, operation: 'AttachInternetGateway', input: { InternetGatewayId: '${NEW_IGW_ID}', VpcId: vpcId }, ...scope },
  ], [why, 'A VPC has at most one internet gateway; what it exposes is still decided by routes, network ACLs and security groups.']);
}

