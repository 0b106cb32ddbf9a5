/** Model builder: security groups (rules) and network ACLs (entries). */
import { type Ctx, type Obj, cidrOrProblem, isIcmp, isObj, isPorted, list, nameTag, num, parseProto, requireId, str } from './read.js';
import type { IcmpMatch, Model, NaclEntry, NetworkAcl, PortRange, SecurityGroup, SgPeer, SgRule } from './types.js';

export function readPermissions(groupId: string, perms: Obj[], direction: 'ingress' | 'egress', key: string, ptr: string, ctx: Ctx): SgRule[] {
  const rules: SgRule[] = [];
  for (let i = 0; i < perms.length; i++) {
    const p = perms[i]!;
    const pptr = `${key}[${i}]`;
    const proto = parseProto(p.IpProtocol);
    if (proto === undefined) {
      ctx.problems.add(ctx.file, `${ptr}.${pptr}.IpProtocol`, `unknown protocol ${JSON.stringify(p.IpProtocol)}`);
      continue;
    }
    const from = num(p, 'FromPort');
    const to = num(p, 'ToPort');
    let ports: PortRange | null = null;
    let icmp: IcmpMatch | null = null;
    if (isPorted(proto) && from !== undefined && from !== -1) ports = { from, to: to === undefined || to === -1 ? from : to };
    if (isIcmp(proto)) icmp = { type: from ?? -1, code: to ?? -1 };
    // One object shape for every rule (fast property access in the evaluators).
    const make = (peer: SgPeer, r: Obj, sub: string): SgRule => ({
      groupId, direction, proto, ports, icmp, peer, description: str(r, 'Description'),
      origin: { resourceId: groupId, pointer: `${pptr}.${sub}`, file: ctx.file },
    });
    const each = (field: string, fn: (r: Obj, j: number) => void) => {
      const v = p[field];
      if (!Array.isArray(v)) return;
      for (let j = 0; j < v.length; j++) if (isObj(v[j])) fn(v[j] as Obj, j);
    };
    each('IpRanges', (r, j) => {
      const cidr = cidrOrProblem(str(r, 'CidrIp'), () => `${ptr}.${pptr}.IpRanges[${j}]`, ctx);
      if (cidr) rules.push(make({ kind: 'cidr', cidr }, r, `IpRanges[${j}]`));
    });
    each('Ipv6Ranges', (r, j) => {
      const cidr = cidrOrProblem(str(r, 'CidrIpv6'), () => `${ptr}.${pptr}.Ipv6Ranges[${j}]`, ctx);
      if (cidr) rules.push(make({ kind: 'cidr', cidr }, r, `Ipv6Ranges[${j}]`));
    });
    each('PrefixListIds', (r, j) => {
      const id = str(r, 'PrefixListId');
      if (!id) return ctx.problems.add(ctx.file, `${ptr}.${pptr}.PrefixListIds[${j}]`, 'missing PrefixListId');
      rules.push(make({ kind: 'prefixList', id }, r, `PrefixListIds[${j}]`));
    });
    each('UserIdGroupPairs', (r, j) => {
      const gid = str(r, 'GroupId');
      if (!gid) return ctx.problems.add(ctx.file, `${ptr}.${pptr}.UserIdGroupPairs[${j}]`, 'missing GroupId');
      const peer: SgPeer = { kind: 'group', groupId: gid };
      const userId = str(r, 'UserId');
      const vpcId = str(r, 'VpcId');
      const peeringId = str(r, 'VpcPeeringConnectionId');
      if (userId) peer.userId = userId;
      if (vpcId) peer.vpcId = vpcId;
      if (peeringId) peer.peeringId = peeringId;
      rules.push(make(peer, r, `UserIdGroupPairs[${j}]`));
    });
  }
  return rules;
}

export function addSecurityGroup(m: Model, o: Obj, ptr: string, ctx: Ctx): void {
  const id = requireId(o, 'GroupId', ptr, ctx);
  if (!id) return;
  const sg: SecurityGroup = {
    id, name: str(o, 'GroupName') ?? id, description: str(o, 'Description') ?? '', vpcId: str(o, 'VpcId'),
    ownerId: str(o, 'OwnerId') ?? ctx.accountId, region: ctx.region, tagName: nameTag(o),
    ingress: readPermissions(id, list(o, 'IpPermissions'), 'ingress', 'IpPermissions', ptr, ctx),
    egress: readPermissions(id, list(o, 'IpPermissionsEgress'), 'egress', 'IpPermissionsEgress', ptr, ctx),
    file: ctx.file,
  };
  m.securityGroups.set(id, sg);
}

export function addNacl(m: Model, o: Obj, ptr: string, ctx: Ctx): void {
  const id = requireId(o, 'NetworkAclId', ptr, ctx);
  const vpcId = requireId(o, 'VpcId', ptr, ctx);
  if (!id || !vpcId) return;
  const inbound: NaclEntry[] = [];
  const outbound: NaclEntry[] = [];
  list(o, 'Entries').forEach((e, i) => {
    const eptr = `${ptr}.Entries[${i}]`;
    const ruleNumber = num(e, 'RuleNumber');
    const proto = parseProto(e.Protocol);
    const action = str(e, 'RuleAction')?.toLowerCase();
    const cidr = cidrOrProblem(str(e, 'CidrBlock') ?? str(e, 'Ipv6CidrBlock'), `${eptr}.CidrBlock`, ctx);
    if (ruleNumber === undefined) return ctx.problems.add(ctx.file, eptr, 'missing RuleNumber');
    if (proto === undefined) return ctx.problems.add(ctx.file, eptr, `unknown Protocol ${JSON.stringify(e.Protocol)}`);
    if (action !== 'allow' && action !== 'deny') return ctx.problems.add(ctx.file, eptr, 'RuleAction must be allow or deny');
    if (!cidr) {
      if (str(e, 'CidrBlock') === undefined && str(e, 'Ipv6CidrBlock') === undefined) ctx.problems.add(ctx.file, eptr, 'missing CidrBlock');
      return;
    }
    const pr = isObj(e.PortRange) ? e.PortRange : undefined;
    const from = pr ? num(pr, 'From') : undefined;
    const to = pr ? num(pr, 'To') : undefined;
    const ic = isObj(e.IcmpTypeCode) ? e.IcmpTypeCode : undefined;
    const entry: NaclEntry = {
      naclId: id, ruleNumber, egress: e.Egress === true, action, proto, cidr,
      ports: isPorted(proto) && from !== undefined ? { from, to: to ?? from } : null,
      icmp: isIcmp(proto) && ic ? { type: num(ic, 'Type') ?? -1, code: num(ic, 'Code') ?? -1 } : null,
      origin: { resourceId: id, pointer: `Entries[${i}]`, file: ctx.file },
    };
    (entry.egress ? outbound : inbound).push(entry);
  });
  const byNumber = (a: NaclEntry, b: NaclEntry) => a.ruleNumber - b.ruleNumber;
  inbound.sort(byNumber);
  outbound.sort(byNumber);
  const subnetIds = list(o, 'Associations').map((a) => str(a, 'SubnetId')).filter((s): s is string => !!s);
  m.networkAcls.set(id, {
    id, vpcId, isDefault: o.IsDefault === true, name: nameTag(o), ownerId: str(o, 'OwnerId') ?? ctx.accountId,
    inbound, outbound, subnetIds, file: ctx.file,
  } satisfies NetworkAcl);
}
