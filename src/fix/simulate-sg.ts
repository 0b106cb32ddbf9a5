/**
 * The fix simulator: security group rules (Authorize/RevokeSecurityGroupIngress/Egress).
 * Conventions (copy-on-write, errors) in simulate.ts. Pure: no SDK, no I/O, no clock.
 */
import type { RawDoc } from '../model/raw.js';
import { DEFAULT_RULES_PER_SECURITY_GROUP, isObj, objects, usage, notInSnapshot, awsError, Input, intIn, cidrKey, storedCidrKey, allCopies, rewriteItems, arrayField, type ApiCall, type SimulateOptions, PROTOCOL_NUMBER, type Obj } from './simulate-common.js';

// Security groups

const SG_PROTOCOLS: Readonly<Record<string, string>> = { tcp: 'tcp', '6': 'tcp', udp: 'udp', '17': 'udp', icmp: 'icmp', '1': 'icmp', icmpv6: 'icmpv6', '58': 'icmpv6', '-1': '-1', all: '-1' };

function sgProtocol(v: unknown, what: string): string {
  const s = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.toLowerCase() : '';
  const known = SG_PROTOCOLS[s];
  if (known !== undefined) return known;
  if (PROTOCOL_NUMBER.test(s) && Number(s) <= 255) return String(Number(s));
  throw usage(`InvalidParameterValue: ${what} IpProtocol ${JSON.stringify(v)} is not a protocol name or number.`);
}

type PeerKind = 'IpRanges' | 'Ipv6Ranges' | 'PrefixListIds' | 'UserIdGroupPairs';
const PEER_KINDS: readonly PeerKind[] = ['IpRanges', 'Ipv6Ranges', 'PrefixListIds', 'UserIdGroupPairs'];

interface Peer {
  kind: PeerKind;
  key: string;
  label: string;
  value: Obj; // describe shape, freshly built
}

interface Permission {
  protocol: string;
  from?: number;
  to?: number;
  peers: Peer[];
}

const permKey = (protocol: string, from: number | undefined, to: number | undefined): string => `${protocol}|${from ?? ''}|${to ?? ''}`;

/** Key of a peer already stored in a group (lenient about the stored shape). */
function storedPeerKey(kind: PeerKind, o: Obj): string | undefined {
  switch (kind) {
    case 'IpRanges':
      return storedCidrKey(o.CidrIp);
    case 'Ipv6Ranges':
      return storedCidrKey(o.CidrIpv6);
    case 'PrefixListIds':
      return typeof o.PrefixListId === 'string' ? o.PrefixListId : undefined;
    case 'UserIdGroupPairs':
      return typeof o.GroupId === 'string' ? o.GroupId : undefined;
  }
}

function storedPermKey(p: Obj): string | undefined {
  let protocol: string;
  try {
    protocol = sgProtocol(p.IpProtocol, 'stored');
  } catch {
    return undefined;
  }
  if (protocol === '-1') return permKey(protocol, undefined, undefined);
  const from = typeof p.FromPort === 'number' ? p.FromPort : undefined;
  const to = typeof p.ToPort === 'number' ? p.ToPort : undefined;
  return permKey(protocol, from, to);
}

function withDescription(o: Obj, src: Obj): Obj {
  if (typeof src.Description === 'string') o.Description = src.Description;
  return o;
}

function parsePermission(raw: unknown, i: number, op: string, ownerOf: (groupId: string) => string | undefined): Permission {
  const what = `${op} IpPermissions[${i}]`;
  if (!isObj(raw)) throw usage(`InvalidParameterValue: ${what} must be an object.`);
  const protocol = sgProtocol(raw.IpProtocol, what);
  const perm: Permission = { protocol, peers: [] };
  if (protocol === 'tcp' || protocol === 'udp') {
    perm.from = intIn(raw.FromPort, `${what} FromPort`, 0, 65535);
    perm.to = intIn(raw.ToPort, `${what} ToPort`, 0, 65535);
    if (perm.from > perm.to) throw usage(`InvalidParameterValue: ${what} FromPort ${perm.from} is greater than ToPort ${perm.to}.`);
  } else if (protocol === 'icmp' || protocol === 'icmpv6') {
    perm.from = intIn(raw.FromPort, `${what} FromPort (ICMP type)`, -1, 255);
    perm.to = intIn(raw.ToPort, `${what} ToPort (ICMP code)`, -1, 255);
  } // all protocols / other protocol numbers: AWS records no ports

  for (const [j, r] of objects(raw.IpRanges).entries()) {
    const cidr = typeof r.CidrIp === 'string' ? r.CidrIp : '';
    perm.peers.push({ kind: 'IpRanges', key: cidrKey(cidr, 'ipv4', `${what} IpRanges[${j}] CidrIp`), label: cidr, value: withDescription({ CidrIp: cidr }, r) });
  }
  for (const [j, r] of objects(raw.Ipv6Ranges).entries()) {
    const cidr = typeof r.CidrIpv6 === 'string' ? r.CidrIpv6 : '';
    perm.peers.push({ kind: 'Ipv6Ranges', key: cidrKey(cidr, 'ipv6', `${what} Ipv6Ranges[${j}] CidrIpv6`), label: cidr, value: withDescription({ CidrIpv6: cidr }, r) });
  }
  for (const [j, r] of objects(raw.PrefixListIds).entries()) {
    if (typeof r.PrefixListId !== 'string' || r.PrefixListId === '') throw usage(`MissingParameter: ${what} PrefixListIds[${j}] needs PrefixListId.`);
    perm.peers.push({ kind: 'PrefixListIds', key: r.PrefixListId, label: r.PrefixListId, value: withDescription({ PrefixListId: r.PrefixListId }, r) });
  }
  for (const [j, r] of objects(raw.UserIdGroupPairs).entries()) {
    if (typeof r.GroupId !== 'string' || r.GroupId === '')
      throw usage(`MissingParameter: ${what} UserIdGroupPairs[${j}] needs GroupId (group names are not supported in a VPC).`);
    // AWS records the owner of the referenced group.
    const value: Obj = withDescription({}, r);
    value.GroupId = r.GroupId;
    const userId = typeof r.UserId === 'string' ? r.UserId : ownerOf(r.GroupId);
    if (userId !== undefined) value.UserId = userId;
    if (typeof r.VpcId === 'string') value.VpcId = r.VpcId;
    if (typeof r.VpcPeeringConnectionId === 'string') value.VpcPeeringConnectionId = r.VpcPeeringConnectionId;
    perm.peers.push({ kind: 'UserIdGroupPairs', key: r.GroupId, label: r.GroupId, value });
  }
  if (perm.peers.length === 0)
    throw usage(`MissingParameter: ${what} needs at least one of IpRanges, Ipv6Ranges, PrefixListIds or UserIdGroupPairs.`);
  return perm;
}

/** AWS's own wording: "peer: 10.0.0.0/16, TCP, from port: 443, to port: 443, ALLOW". */
function ruleText(p: Permission, peer: Peer): string {
  const proto = p.protocol === '-1' ? 'ALL' : p.protocol.toUpperCase();
  const ports = p.from === undefined ? '' : `, from port: ${p.from}, to port: ${p.to}`;
  return `"peer: ${peer.label}, ${proto}${ports}, ALLOW"`;
}

/** The legacy flat form (CidrIp + IpProtocol + FromPort + ToPort) as one IpPermission. */
function flatPermission(input: Obj): unknown[] {
  if (input.CidrIp === undefined) return [];
  const p: Obj = { IpProtocol: input.IpProtocol, IpRanges: [{ CidrIp: input.CidrIp }] };
  if (input.FromPort !== undefined) p.FromPort = input.FromPort;
  if (input.ToPort !== undefined) p.ToPort = input.ToPort;
  return [p];
}

/**
 * Rules a peer counts for, per family: a group reference counts for IPv4 and IPv6, a prefix
 * list for its maximum number of entries in its family (1 in IPv4 when the list is unknown).
 */
function ruleWeight(docs: readonly RawDoc[], kind: PeerKind, peer: Obj): { v4: number; v6: number } {
  switch (kind) {
    case 'IpRanges':
      return { v4: 1, v6: 0 };
    case 'Ipv6Ranges':
      return { v4: 0, v6: 1 };
    case 'UserIdGroupPairs':
      return { v4: 1, v6: 1 };
    case 'PrefixListIds': {
      const pl = typeof peer.PrefixListId === 'string' ? allCopies(docs, 'PrefixLists', 'PrefixListId', peer.PrefixListId)[0] : undefined;
      const n = typeof pl?.MaxEntries === 'number' && pl.MaxEntries > 0 ? pl.MaxEntries : 1;
      return pl?.AddressFamily === 'IPv6' ? { v4: 0, v6: n } : { v4: n, v6: 0 };
    }
  }
}

function ruleCount(docs: readonly RawDoc[], perms: readonly Obj[]): { v4: number; v6: number } {
  const total = { v4: 0, v6: 0 };
  for (const p of perms)
    for (const kind of PEER_KINDS)
      for (const peer of objects(p[kind])) {
        const w = ruleWeight(docs, kind, peer);
        total.v4 += w.v4;
        total.v6 += w.v6;
      }
  return total;
}

export function securityGroupRules(
  docs: readonly RawDoc[],
  call: ApiCall,
  direction: 'ingress' | 'egress',
  action: 'authorize' | 'revoke',
  options: SimulateOptions,
): RawDoc[] {
  const input = new Input(call.operation, call.input);
  if (input.has('SecurityGroupRuleIds')) throw usage(`cannot simulate ${call.operation} with SecurityGroupRuleIds; use IpPermissions.`);
  if (input.has('SourceSecurityGroupName')) throw usage(`cannot simulate ${call.operation} with SourceSecurityGroupName; use IpPermissions with UserIdGroupPairs.`);
  input.only(['GroupId', 'GroupName', 'IpPermissions', 'CidrIp', 'IpProtocol', 'FromPort', 'ToPort']);
  if (!input.has('GroupId')) throw usage(`MissingParameter: ${call.operation} needs GroupId.`);
  const groupId = input.str('GroupId');
  const copies = allCopies(docs, 'SecurityGroups', 'GroupId', groupId);
  const first = copies[0];
  if (first === undefined) throw notInSnapshot('Security group', groupId);

  const ownerOf = (id: string): string | undefined => {
    const g = allCopies(docs, 'SecurityGroups', 'GroupId', id)[0] ?? first;
    return typeof g.OwnerId === 'string' ? g.OwnerId : undefined;
  };
  const rawPerms = [...(Array.isArray(call.input.IpPermissions) ? call.input.IpPermissions : []), ...flatPermission(call.input)];
  if (rawPerms.length === 0) throw usage(`MissingParameter: ${call.operation} needs IpPermissions.`);
  const perms = rawPerms.map((p, i) => parsePermission(p, i, call.operation, ownerOf));
  const listKey = direction === 'ingress' ? 'IpPermissions' : 'IpPermissionsEgress';

  /** peer keys present in a group, per permission key and peer kind. */
  const present = (group: Obj, p: Permission, peer: Peer): boolean =>
    objects(group[listKey]).some(
      (sp) => storedPermKey(sp) === permKey(p.protocol, p.from, p.to) && objects(sp[peer.kind]).some((o) => storedPeerKey(peer.kind, o) === peer.key),
    );

  // Preconditions, as AWS checks them: all or nothing.
  const seen = new Set<string>();
  for (const p of perms)
    for (const peer of p.peers) {
      const k = `${permKey(p.protocol, p.from, p.to)}|${peer.kind}|${peer.key}`;
      if (action === 'authorize' && (present(first, p, peer) || seen.has(k)))
        throw awsError('InvalidPermission.Duplicate', `the specified rule ${ruleText(p, peer)} already exists in ${groupId}.`);
      if (action === 'revoke' && !present(first, p, peer))
        throw awsError('InvalidPermission.NotFound', `the specified rule ${ruleText(p, peer)} does not exist in ${groupId}, so no rules were revoked.`);
      seen.add(k);
    }
  if (action === 'authorize') {
    const limit = options.rulesPerSecurityGroup ?? DEFAULT_RULES_PER_SECURITY_GROUP;
    const before = ruleCount(docs, objects(first[listKey]));
    const added = ruleCount(
      docs,
      perms.flatMap((p) => p.peers.map((peer) => ({ [peer.kind]: [peer.value] }))),
    );
    for (const fam of ['v4', 'v6'] as const)
      if (added[fam] > 0 && before[fam] <= limit && before[fam] + added[fam] > limit)
        throw awsError(
          'RulesPerSecurityGroupLimitExceeded',
          `the maximum number of rules per security group has been reached: ${groupId} has ${before[fam]} ${direction === 'ingress' ? 'inbound' : 'outbound'} IP${fam} rules and the limit is ${limit}.`,
        );
  }

  return rewriteItems(docs, 'SecurityGroups', 'GroupId', groupId, (group) => {
    const list = arrayField(group, listKey);
    for (const p of perms) {
      const key = permKey(p.protocol, p.from, p.to);
      const existing = list.find((sp): sp is Obj => isObj(sp) && storedPermKey(sp) === key);
      if (action === 'authorize') {
        const target: Obj =
          existing ??
          (() => {
            const fresh: Obj = { IpProtocol: p.protocol };
            if (p.from !== undefined) fresh.FromPort = p.from;
            if (p.to !== undefined) fresh.ToPort = p.to;
            for (const kind of PEER_KINDS) fresh[kind] = [];
            list.push(fresh);
            return fresh;
          })();
        for (const peer of p.peers) {
          const peers = arrayField(target, peer.kind);
          if (!peers.some((o) => isObj(o) && storedPeerKey(peer.kind, o) === peer.key)) peers.push(structuredClone(peer.value));
        }
      } else if (existing) {
        for (const peer of p.peers) {
          const peers = arrayField(existing, peer.kind);
          existing[peer.kind] = peers.filter((o) => !(isObj(o) && storedPeerKey(peer.kind, o) === peer.key));
        }
        if (PEER_KINDS.every((k) => objects(existing[k]).length === 0)) list.splice(list.indexOf(existing), 1);
      }
    }
  });
}
