/**
 * Fix planning: for each blocker, the smallest change that unblocks exactly this flow, as a
 * structured EC2 API call (what the bot executes) plus the equivalent AWS CLI command.
 */
import type { Blocker, Fix, FixStep, NearMiss } from '../answer/types.js';
import { hostCidr, isPrivate, type Addr } from '../net/ip.js';
import type { Model, NatGateway, NetworkAcl, Peering, SecurityGroup } from '../model/types.js';
import { unattachedCandidates } from '../diagnose/near-misses.js';
import { groupLabel } from '../trace/describe.js';
import type { Flow } from '../trace/flow.js';
import { describeFlow } from '../trace/tracer.js';
import type { BlockerFacts, RawBlocker } from '../trace/types.js';
import { toCli } from './cli.js';
import { findWidening, newGroupPlan, newInternetGatewayPlan, newPeeringPlan, peeringIsGone, replaceDenyPlan, vpcScope, widenPlan, type Draft, type Scope } from './plan-steps.js';
import { onPremRouteFix, tgwPropagationFix } from './plan-hybrid.js';
import { ruleDescription } from './shell.js';

/** AWS default quotas. */
export const RULES_PER_GROUP = 60;
export const GROUPS_PER_ENI = 5;

export interface Plan {
  fix: Draft | null;
  alternatives: Draft[];
  nearMisses: NearMiss[];
  /** The resource the fix changes when it is not the one the tracer blamed (the security group that gets the rule). */
  changes?: string;
  /** The earlier blocker whose fix also fixes this one (the same peering met on both legs). */
  coveredBy?: string;
}

const PROTO_NAME: Record<number, string> = { 6: 'tcp', 17: 'udp', 1: 'icmp', 58: 'icmpv6' };

/** Why a return-path NACL rule is needed, in the terms of the flow's protocol (no "ephemeral ports" for ICMP). */
function returnNote(flow: Flow): string {
  if (flow.proto === 6 || flow.proto === 17) return 'Return traffic: the client\'s ephemeral ports, because network ACLs are stateless.';
  if (flow.icmp) return `Return traffic: the ${flow.icmp.type === 0 || flow.icmp.type === 129 ? 'echo reply' : 'ICMP reply'} needs its own rule, because network ACLs are stateless.`;
  return `Return traffic: ${flow.protocol.toUpperCase()} packets coming back need their own rule, because network ACLs are stateless.`;
}

/** Rules a group holds in one direction, counted as AWS counts them against the quota (per address family). */
export function ruleCount(model: Model, g: SecurityGroup, direction: 'ingress' | 'egress', family: 4 | 6): number {
  let n = 0;
  for (const r of direction === 'ingress' ? g.ingress : g.egress) {
    if (r.peer.kind === 'cidr') n += r.peer.cidr.family === family ? 1 : 0;
    else if (r.peer.kind === 'prefixList') n += model.prefixLists.get(r.peer.id)?.maxEntries ?? 1;
    else n += 1;
  }
  return n;
}

export class FixPlanner {
  /** NACL rule numbers already promised to earlier fixes, per NACL and direction. */
  private readonly reserved = new Map<string, Set<number>>();
  /** Peering connections an earlier fix replaces → that blocker's id. */
  private readonly replacedPeerings = new Map<string, string>();

  constructor(private readonly model: Model, private readonly question: { text: string }) {}

  plan(blocker: RawBlocker & { id: string }): Plan {
    const f = blocker.facts;
    switch (f.kind) {
      case 'sg': return this.planSg(blocker, f);
      case 'nacl': return this.planNacl(blocker, f);
      case 'route': return this.planRoute(blocker, f);
      case 'tgw-route': return this.planTgwRoute(blocker, f);
      case 'state':
        if (f.peering && peeringIsGone(f.peering)) return this.planNewPeering(blocker.id, f.peering);
        if (f.state === 'no-internet-gateway' && blocker.vpcId) {
          const scope = vpcScope(this.model, blocker.vpcId);
          return { fix: newInternetGatewayPlan(blocker.vpcId, scope, `${blocker.vpcId} has no internet gateway: nothing from the internet can come in (an egress-only internet gateway carries replies to connections made from inside only).`), alternatives: [], nearMisses: [] };
        }
        if (f.peering && f.state === 'pending-acceptance') {
          return { fix: this.draft(blocker, `Accept peering connection ${f.peering.id} (in account ${f.peering.accepter.ownerId ?? 'of the accepter VPC'})`,
            'AcceptVpcPeeringConnection', { VpcPeeringConnectionId: f.peering.id }, ['Run it with credentials for the accepter account and Region.'],
            f.peering.accepter.ownerId, f.peering.accepter.region), alternatives: [], nearMisses: [] };
        }
        if (f.state === 'no-subnet-in-az' && f.attachment && f.subnetId) {
          const az = this.model.subnets.get(f.subnetId)?.az ?? 'that Availability Zone';
          const scope = this.tgwScope(f.attachment.tgwId, f.attachment.resourceId);
          return { fix: this.draft(blocker, `Give attachment ${f.attachment.id} a subnet in ${az} (${f.subnetId})`, 'ModifyTransitGatewayVpcAttachment',
            { TransitGatewayAttachmentId: f.attachment.id, AddSubnetIds: [f.subnetId] },
            [`AWS recommends a small dedicated subnet (/28) per Availability Zone for attachments; any subnet of ${az} in ${f.attachment.resourceId} works, ${f.subnetId} is the one that needs it.`],
            scope.accountId, scope.region),
          alternatives: [], nearMisses: [] };
        }
        return { fix: null, alternatives: [], nearMisses: [] };
      default: return { fix: null, alternatives: [], nearMisses: [] };
    }
  }

  private draft(b: Pick<Blocker, 'accountId' | 'region' | 'vpcId'>, title: string, operation: string, input: Record<string, unknown>, notes: string[], accountId?: string, region?: string): Draft {
    const d: Draft = { title, service: 'ec2', operation, input, notes };
    // Every fix says where it runs: the blocker's account and Region, else its VPC's.
    const home = b.vpcId ? vpcScope(this.model, b.vpcId) : {};
    const acct = accountId ?? b.accountId ?? home.accountId;
    const reg = region ?? b.region ?? home.region;
    if (acct) d.accountId = acct;
    if (reg) d.region = reg;
    return d;
  }

  /**
   * Where a transit gateway change is made: the gateway owner's account, in the Region of the
   * VPCs attached to it (a transit gateway is regional).
   */
  private tgwScope(tgwId: string, vpcId?: string): Scope {
    const m = this.model;
    const vpcs = [vpcId, ...[...m.tgwAttachments.values()].filter((a) => a.tgwId === tgwId && a.resourceType === 'vpc').map((a) => a.resourceId)].filter((v): v is string => !!v);
    const region = vpcs.map((v) => vpcScope(m, v).region).find((r) => r);
    const accountId = m.transitGateways.get(tgwId)?.ownerId ?? (vpcId ? vpcScope(m, vpcId).accountId : undefined);
    return { ...(accountId ? { accountId } : {}), ...(region ? { region } : {}) };
  }

  private planNewPeering(blockerId: string, p: Peering): Plan {
    const earlier = this.replacedPeerings.get(p.id);
    if (earlier) return { fix: null, alternatives: [], nearMisses: [], coveredBy: earlier };
    this.replacedPeerings.set(p.id, blockerId);
    return { fix: newPeeringPlan(this.model, p), alternatives: [], nearMisses: [] };
  }

  private description(flow: Flow): string {
    return ruleDescription(`sgwhy ${flow.src.text} to ${flow.dst.text} ${describeFlow(flow)}`);
  }

  private planSg(b: RawBlocker & { id: string }, f: Extract<BlockerFacts, { kind: 'sg' }>): Plan {
    const m = this.model;
    const { eni, direction, flow, peer } = f;
    const nearMisses: NearMiss[] = [];
    const family = flow.dst.family;
    // Any IP protocol: by name for the four AWS names, else its number ("50" for ESP); only tcp/udp carry ports, only ICMP a type.
    const perm: Record<string, unknown> = { IpProtocol: PROTO_NAME[flow.proto] ?? String(flow.proto) };
    if (flow.proto === 6 || flow.proto === 17) {
      perm.FromPort = flow.dstPorts![0];
      perm.ToPort = flow.dstPorts![1];
    } else if (flow.proto === 1 || flow.proto === 58) {
      perm.FromPort = flow.icmp?.type ?? -1;
      perm.ToPort = -1;
    }
    const desc = this.description(flow);
    const peerGroupOk = peer.eni && peer.eni.groupIds.length > 0
      && (peer.crossing === 'same-vpc' || (peer.crossing === 'peering' && peer.peeringAllowsRefs === true));
    let peerText: string;
    if (peerGroupOk && peer.eni) {
      const gid = peer.eni.groupIds[0]!;
      const pair: Record<string, unknown> = { GroupId: gid, Description: desc };
      if (peer.eni.ownerId && eni.ownerId && peer.eni.ownerId !== eni.ownerId) pair.UserId = peer.eni.ownerId;
      perm.UserIdGroupPairs = [pair];
      const members = m.index.groupMembers.get(gid)?.length ?? 1;
      peerText = `security group ${groupLabel(m, gid)} (${members} interface${members === 1 ? '' : 's'} today)`;
    } else if (peer.addr.family === 4) {
      perm.IpRanges = [{ CidrIp: hostCidr(peer.addr), Description: desc }];
      peerText = hostCidr(peer.addr);
    } else {
      perm.Ipv6Ranges = [{ CidrIpv6: hostCidr(peer.addr), Description: desc }];
      peerText = hostCidr(peer.addr);
    }
    // Which group to change: one that already holds a related rule, else the first with room under the quota.
    const groups = eni.groupIds.map((g) => m.securityGroups.get(g)).filter((g): g is SecurityGroup => !!g);
    const related = new Set(f.evaluation.evaluated.filter((r) => (r.proto === 'all' || r.proto === flow.proto)).map((r) => r.groupId));
    const ordered = [...groups.filter((g) => related.has(g.id)), ...groups.filter((g) => !related.has(g.id))];
    let chosen: SecurityGroup | undefined;
    for (const g of ordered) {
      const n = ruleCount(m, g, direction, family);
      if (n >= RULES_PER_GROUP) {
        nearMisses.push({ blockerId: b.id, kind: 'RULE_LIMIT', resourceId: g.id,
          message: `${groupLabel(m, g.id)} already has ${n} ${direction === 'ingress' ? 'inbound' : 'outbound'} rules: adding one fails with RulesPerSecurityGroupLimitExceeded (quota L-0EA8095F, default ${RULES_PER_GROUP}).` });
        continue;
      }
      chosen ??= g;
    }
    const op = direction === 'ingress' ? 'AuthorizeSecurityGroupIngress' : 'AuthorizeSecurityGroupEgress';
    const authorize = chosen
      ? this.draft(b, `Allow ${describeFlow(flow)} ${direction === 'ingress' ? 'from' : 'to'} ${peerText} in ${groupLabel(m, chosen.id)}`, op,
        { GroupId: chosen.id, IpPermissions: [perm] }, [
          `Adds one ${direction === 'ingress' ? 'inbound' : 'outbound'} rule to ${chosen.id}; every interface carrying that group (${m.index.groupMembers.get(chosen.id)?.length ?? 1}) gets it.`,
          'Security group changes take effect within seconds; existing tracked connections are not affected.',
        ])
      : null;
    let quotaFix: Draft | null = null;
    if (!chosen && groups.length > 0) {
      nearMisses.push({ blockerId: b.id, kind: 'RULE_LIMIT', resourceId: groups[0]!.id,
        message: `Every group on ${eni.id} is at the rule quota: consolidate /32 rules into a CIDR or a prefix list, or request a quota increase: aws service-quotas request-service-quota-increase --service-code ec2 --quota-code L-0EA8095F --desired-value 120` });
      const scope: Scope = { ...(b.accountId ? { accountId: b.accountId } : {}), ...(b.region ? { region: b.region } : {}) };
      const port = flow.proto === 6 || flow.proto === 17 ? flow.dstPorts![0] : undefined;
      const widening = typeof flow.proto === 'number' ? findWidening(groups, direction, flow.proto, port, peer.addr) : null;
      if (widening) quotaFix = widenPlan(m, widening, direction, scope);
      else if (eni.groupIds.length < GROUPS_PER_ENI) quotaFix = newGroupPlan(m, eni, direction, perm, `${describeFlow(flow)} ${direction === 'ingress' ? 'from' : 'to'} ${peerText}`, desc, scope);
    }
    // Attaching an existing group that already allows the flow (the "security group not attached" root cause).
    const candidates = unattachedCandidates(m, f);
    let attach: Draft | null = null;
    const cand = candidates[0];
    if (cand) {
      if (eni.groupIds.length >= GROUPS_PER_ENI) {
        nearMisses.push({ blockerId: b.id, kind: 'SG_LIMIT', resourceId: eni.id,
          message: `${eni.id} already carries ${eni.groupIds.length} security groups (the default quota is ${GROUPS_PER_ENI}): ${cand.group.id} cannot be attached without removing one.` });
      } else {
        attach = this.draft(b, `Attach ${groupLabel(m, cand.group.id)} to ${eni.id}, keeping ${eni.groupIds.join(', ') || 'no other groups'}`,
          'ModifyNetworkInterfaceAttribute', { NetworkInterfaceId: eni.id, Groups: [...eni.groupIds, cand.group.id] },
          ['--groups replaces the whole list: the command keeps every group already attached.', `Everything ${cand.group.id} allows applies to ${eni.id} too.`]);
      }
    }
    const broad = cand && cand.rule.peer.kind === 'cidr' && cand.rule.peer.cidr.prefix === 0 && (cand.rule.proto === 'all' || !cand.rule.ports);
    if (attach && !broad) return { fix: attach, alternatives: authorize ? [authorize] : quotaFix ? [quotaFix] : [], nearMisses };
    if (quotaFix) return { fix: quotaFix, alternatives: attach ? [attach] : [], nearMisses };
    return { fix: authorize, alternatives: attach ? [attach] : [], nearMisses, ...(chosen && authorize ? { changes: chosen.id } : {}) };
  }

  private pickRuleNumber(nacl: NetworkAcl, egress: boolean, below: number | null): number | null {
    const key = `${nacl.id}:${egress}`;
    const used = new Set((egress ? nacl.outbound : nacl.inbound).map((e) => e.ruleNumber));
    for (const n of this.reserved.get(key) ?? []) used.add(n);
    let pick: number | null = null;
    if (below !== null) {
      for (const step of [10, 5, 1]) {
        for (let n = Math.floor((below - 1) / step) * step; n >= 1; n -= step) {
          if (!used.has(n)) {
            pick = n;
            break;
          }
        }
        if (pick !== null) break;
      }
    } else {
      const max = Math.max(0, ...[...used].filter((n) => n < 32767));
      for (let n = Math.floor(max / 10) * 10 + 10; n <= 32766; n += 10) {
        if (!used.has(n)) {
          pick = n;
          break;
        }
      }
      if (pick === null) for (let n = 1; n <= 32766; n++) if (!used.has(n)) { pick = n; break; }
    }
    if (pick !== null) this.reserved.set(key, new Set([...(this.reserved.get(key) ?? []), pick]));
    return pick;
  }

  private planNacl(b: RawBlocker & { id: string }, f: Extract<BlockerFacts, { kind: 'nacl' }>): Plan {
    const { nacl, egress, flow, evaluation } = f;
    const denies = evaluation.segments.filter((s) => s.action === 'deny');
    const explicit = denies.map((s) => s.entry?.ruleNumber).filter((n): n is number => n !== undefined && n < 32767);
    const below = explicit.length ? Math.min(...explicit) : null;
    const picked = this.pickRuleNumber(nacl, egress, below);
    const lowestDeny = below !== null ? (egress ? nacl.outbound : nacl.inbound).find((e) => e.ruleNumber === below) : undefined;
    if (picked === null && !lowestDeny) return { fix: null, alternatives: [], nearMisses: [] };
    const n = picked ?? below!;
    const peer: Addr = egress ? flow.dst : flow.src;
    const input: Record<string, unknown> = { NetworkAclId: nacl.id, RuleNumber: n, Protocol: String(flow.proto), RuleAction: 'allow', Egress: egress };
    if (peer.family === 4) input.CidrBlock = hostCidr(peer);
    else input.Ipv6CidrBlock = hostCidr(peer);
    let what: string;
    if ((flow.proto === 6 || flow.proto === 17) && evaluation.denied.length) {
      const lo = evaluation.denied[0]![0];
      const hi = evaluation.denied[evaluation.denied.length - 1]![1];
      input.PortRange = { From: lo, To: hi };
      what = `${flow.protocol}/${lo === hi ? lo : `${lo}-${hi}`}`;
    } else if (flow.icmp) {
      input.IcmpTypeCode = { Type: flow.icmp.type, Code: -1 };
      what = describeFlow(flow);
    } else {
      what = describeFlow(flow); // ESP, GRE, any other protocol: no ports, no ICMP type
    }
    const dir = egress ? 'outbound' : 'inbound';
    if (picked === null && lowestDeny) {
      const scope: Scope = { ...(b.accountId ? { accountId: b.accountId } : {}), ...(b.region ? { region: b.region } : {}) };
      const plan = replaceDenyPlan(nacl, egress, lowestDeny, input, `${dir} ${what} ${egress ? 'to' : 'from'} ${hostCidr(peer)}`, scope);
      if (b.path === 'return') plan.notes.push(returnNote(flow));
      return { fix: plan, alternatives: [], nearMisses: [] };
    }
    const notes = [`Rule ${n} is ${below !== null ? `below the deny rule ${below}, so it is evaluated first` : 'free and after the existing rules'}.`];
    if (b.path === 'return') notes.push(returnNote(flow));
    return {
      fix: this.draft(b, `Allow ${dir} ${what} ${egress ? 'to' : 'from'} ${hostCidr(peer)} in ${nacl.id} as rule ${n}`, 'CreateNetworkAclEntry', input, notes),
      alternatives: [], nearMisses: [],
    };
  }

  private planRoute(b: RawBlocker & { id: string }, f: Extract<BlockerFacts, { kind: 'route' }>): Plan {
    const m = this.model;
    const dest = f.targetCidrs[0];
    if (!dest) return { fix: null, alternatives: [], nearMisses: [] };
    if (f.route?.target.kind === 'pcx' && f.route.state !== 'active' && !f.connector) {
      const gone = m.peerings.get(f.route.target.id);
      if (gone && peeringIsGone(gone)) return this.planNewPeering(b.id, gone);
    }
    let target: Record<string, string> | null = null;
    let via = '';
    const working = f.route && f.route.state !== 'active' && f.route.target.kind === 'nat' ? this.workingNat(f.table.vpcId, b.subnetId, f.route.target.id) : undefined;
    if (working) {
      target = { NatGatewayId: working.id };
      via = `${working.id}${working.name ? ` (${working.name})` : ''}`;
    } else if (f.connector?.kind === 'pcx') {
      target = { VpcPeeringConnectionId: f.connector.peering.id };
      via = f.connector.peering.id;
    } else if (f.connector?.kind === 'tgw') {
      target = { TransitGatewayId: f.connector.tgwId };
      via = f.connector.tgwId;
    } else if (!f.targetVpcId) {
      const igw = [...m.internetGateways.values()].find((g) => g.attachments.some((a) => a.vpcId === f.table.vpcId && (a.state === 'available' || a.state === 'attached')));
      if (igw && !isPrivate(f.dst)) {
        target = { GatewayId: igw.id };
        via = igw.id;
      }
    }
    if (!target && !f.targetVpcId && isPrivate(f.dst)) {
      const onPrem = onPremRouteFix(m, f.table, f.dst, { ...(b.accountId ? { accountId: b.accountId } : {}), ...(b.region ? { region: b.region } : {}) });
      if (onPrem) return { ...onPrem, nearMisses: [] };
    }
    if (!target) {
      const msg = f.targetVpcId
        ? `No active peering connection or transit gateway connects ${f.table.vpcId} and ${f.targetVpcId}: create one first; a route alone cannot fix this.`
        : `Nothing in the data can carry ${f.dst.text} out of ${f.table.vpcId}.`;
      return { fix: null, alternatives: [], nearMisses: [{ blockerId: b.id, kind: 'NO_CONNECTION', message: msg }] };
    }
    const v6 = dest.includes(':');
    // A route whose target is gone is replaced in place (same destination), whatever prefix it has.
    const gone = f.route && f.route.state !== 'active' && f.route.destination.kind === 'cidr' ? f.route.destination.cidr.text : undefined;
    // A propagated route is never replaced: a static route for the same prefix takes precedence over it.
    const existing = f.table.routes.find((r) => r.destination.kind === 'cidr' && r.destination.cidr.text === (gone ?? dest) && r.originKind !== 'EnableVgwRoutePropagation');
    // To the internet with no default route at all: the default route (replies go to any client, not one).
    const defaultRoute = f.dst.family === 6 ? '::/0' : '0.0.0.0/0';
    const internetDefault = !gone && target?.GatewayId?.startsWith('igw-') && !f.table.routes.some((r) => r.destination.kind === 'cidr' && r.destination.cidr.prefix === 0 && r.destination.cidr.family === f.dst.family);
    const routeDest = gone ?? (internetDefault ? defaultRoute : dest);
    const op = existing ? 'ReplaceRoute' : 'CreateRoute';
    const input: Record<string, unknown> = { RouteTableId: f.table.id, [routeDest.includes(':') || v6 ? 'DestinationIpv6CidrBlock' : 'DestinationCidrBlock']: routeDest, ...target };
    return {
      fix: this.draft(b, `${existing ? 'Replace' : 'Add'} the route ${routeDest} → ${via} in ${f.table.id}`, op, input,
        [existing ? `Replaces ${existing.destination.kind === 'cidr' ? existing.destination.cidr.text : ''} → ${existing.target.id} (${existing.state}).`
          : internetDefault ? `${f.table.id} has no default ${f.dst.family === 6 ? 'IPv6 ' : ''}route at all: internet traffic from its subnets (replies to any client included) had nowhere to go; only that traffic changes path.`
            : `Only traffic to ${dest} changes path.`]),
      alternatives: [], nearMisses: [],
    };
  }

  /** An available NAT gateway of the VPC to replace a route to one that is gone: the subnet's own Availability Zone first. */
  private workingNat(vpcId: string, subnetId: string | undefined, goneId: string): NatGateway | undefined {
    const m = this.model;
    const az = subnetId ? m.subnets.get(subnetId)?.az : undefined;
    const up = [...m.natGateways.values()].filter((n) => n.vpcId === vpcId && n.id !== goneId && n.state === 'available' && n.connectivity !== 'private');
    return up.find((n) => az && m.subnets.get(n.subnetId)?.az === az) ?? up[0];
  }

  private planTgwRoute(b: RawBlocker & { id: string }, f: Extract<BlockerFacts, { kind: 'tgw-route' }>): Plan {
    const dest = f.targetCidrs[0];
    if (!f.remote || !dest) return { fix: null, alternatives: [], nearMisses: [] };
    const scope = this.tgwScope(f.table.tgwId, f.remote.resourceId);
    // A static route takes the place of a propagated one for the same prefix: only a static one is replaced.
    const existing = (f.table.routes ?? []).find((r) => r.cidr?.text === dest && r.type === 'static');
    const op = existing ? 'ReplaceTransitGatewayRoute' : 'CreateTransitGatewayRoute';
    const propagate = !existing && !(f.table.routes ?? []).some((r) => r.cidr?.text === dest) ? tgwPropagationFix(this.model, f.table, f.remote, scope) : null;
    const route = this.draft(b, `${existing ? 'Replace' : 'Add'} the transit gateway route ${dest} → ${f.remote.id} (${f.remote.resourceId}) in ${f.table.id}`, op,
      { TransitGatewayRouteTableId: f.table.id, DestinationCidrBlock: dest, TransitGatewayAttachmentId: f.remote.id },
      [propagate ? 'A static route: it stays when the VPC\'s CIDRs change, unlike a propagated one.' : 'A static route; enabling propagation of the attachment into this table would also work.'], scope.accountId, scope.region);
    return propagate ? { fix: propagate, alternatives: [route], nearMisses: [] } : { fix: route, alternatives: [], nearMisses: [] };
  }
}

/** Renders every step's CLI command; the fix's `cli` is the whole script, one command per line. */
function rendered(d: Draft): Omit<Fix, 'id' | 'blockerId' | 'alternatives'> {
  const { steps: drafts, ...rest } = d;
  const steps: FixStep[] = (drafts ?? [{ title: d.title, operation: d.operation, input: d.input, ...(d.accountId ? { accountId: d.accountId } : {}), ...(d.region ? { region: d.region } : {}) }])
    .map((st) => ({ ...st, service: 'ec2' as const, cli: toCli(st.operation, st.input, st.region, st.output) }));
  return { ...rest, cli: steps.map((st) => st.cli).join('\n'), steps };
}

/** Numbers the fixes and renders their CLI commands. */
export function finalizeFix(d: Draft, id: string, blockerId: string, alternatives: Draft[]): Fix {
  const fix: Fix = { id, blockerId, ...rendered(d) };
  if (alternatives.length) fix.alternatives = alternatives.map((a) => ({ blockerId, ...rendered(a) }));
  return fix;
}


