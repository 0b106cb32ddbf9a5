/**
 * The fix simulator: applies one proposed EC2 API call (SDK v3 input shape) to a raw snapshot
 * and returns the documents the next describe-* calls would print. The caller re-asks the
 * question on the result to prove that a fix works.
 *
 * Rules:
 * - Never mutates its arguments. A document the call changes is deep-copied first; documents
 *   it does not touch are returned as they are (the same objects), so treat all docs as
 *   immutable. Nothing from `call.input` is aliased into the result.
 * - The same AWS object may appear in several documents (e.g. a group dumped twice); every
 *   copy is changed. Preconditions are checked against the first copy.
 * - Errors: the object is not in the snapshot → BAD_SNAPSHOT; the call is malformed or cannot
 *   be simulated → BAD_USAGE; AWS itself would reject the call (duplicate rule, route exists,
 *   rule quota…)
 *   → AWS_ERROR whose message starts with AWS's error code, e.g.
 *   "InvalidPermission.Duplicate: …", and details.awsErrorCode.
 *
 * Pure: no SDK, no I/O, no clock.
 */
import ipaddr from 'ipaddr.js';
import { SgwhyError } from '../errors/errors.js';
import type { RawDoc } from '../model/raw.js';
import { attachInternetGateway, enableTgwPropagation, enableVgwPropagation } from './simulate-hybrid.js';

export interface ApiCall {
  operation: string;
  input: Record<string, unknown>;
}

export interface SimulateOptions {
  /**
   * Inbound (or outbound) rules per security group, counted per address family as AWS does;
   * an authorize that would go past it fails with RulesPerSecurityGroupLimitExceeded. Default
   * 60, the AWS default quota. A group that already has more is taken as proof of a raised
   * quota and is not limited.
   */
  rulesPerSecurityGroup?: number;
}

export const DEFAULT_RULES_PER_SECURITY_GROUP = 60;

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const objects = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);

const usage = (message: string): SgwhyError => new SgwhyError('BAD_USAGE', message);
const notInSnapshot = (what: string, id: string): SgwhyError =>
  new SgwhyError('BAD_SNAPSHOT', `${what} ${id} is not in the snapshot, so the fix cannot be simulated.`, { details: { resourceId: id } });
const awsError = (code: string, message: string): SgwhyError =>
  new SgwhyError('AWS_ERROR', `${code}: ${message}`, { details: { awsErrorCode: code } });

// ---------------------------------------------------------------------------------------------
// Input validation

class Input {
  constructor(
    readonly op: string,
    readonly raw: Obj,
  ) {}

  only(allowed: readonly string[]): this {
    for (const k of Object.keys(this.raw))
      if (!allowed.includes(k) && k !== 'DryRun' && k !== 'TagSpecifications')
        throw usage(`UnknownParameter: ${this.op} has no parameter ${k} that sgwhy can simulate.`);
    return this;
  }

  has(key: string): boolean {
    return this.raw[key] !== undefined && this.raw[key] !== null;
  }

  str(key: string): string {
    const v = this.raw[key];
    if (typeof v !== 'string' || v === '') throw usage(`MissingParameter: ${this.op} needs ${key} (a non-empty string).`);
    return v;
  }

  optStr(key: string): string | undefined {
    return this.has(key) ? this.str(key) : undefined;
  }

  bool(key: string): boolean {
    const v = this.raw[key];
    if (typeof v !== 'boolean') throw usage(`MissingParameter: ${this.op} needs ${key} (true or false).`);
    return v;
  }

  int(key: string, min: number, max: number): number {
    return intIn(this.raw[key], `${this.op} ${key}`, min, max);
  }
}

function intIn(v: unknown, what: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
    throw usage(`InvalidParameterValue: ${what} must be an integer from ${min} to ${max}.`);
  return v;
}

/** Canonical text of a CIDR for comparisons (IPv6 compressed); the stored text stays as given. */
function cidrKey(cidr: string, family: 'ipv4' | 'ipv6', what: string): string {
  // Strict dotted decimal for IPv4: ipaddr.js would also read "10.0.00.0" or "0x0a.0.0.0".
  const valid = family === 'ipv4' ? ipaddr.IPv4.isValidCIDRFourPartDecimal(cidr) : ipaddr.IPv6.isValidCIDR(cidr);
  if (!valid) {
    const other = family === 'ipv4' ? ipaddr.IPv6.isValidCIDR(cidr) : ipaddr.IPv4.isValidCIDRFourPartDecimal(cidr);
    throw usage(
      other
        ? `InvalidParameterValue: ${what} ${cidr} is not an ${family === 'ipv4' ? 'IPv4' : 'IPv6'} CIDR block.`
        : `InvalidParameterValue: ${what} ${JSON.stringify(cidr)} is not a valid CIDR block.`,
    );
  }
  const [addr, len] = ipaddr.parseCIDR(cidr);
  return `${addr.kind() === 'ipv6' ? (addr as ipaddr.IPv6).toRFC5952String() : addr.toString()}/${len}`;
}

/** A lenient key for CIDRs already in the snapshot (never throws). */
function storedCidrKey(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  try {
    const [addr, len] = ipaddr.parseCIDR(v);
    return `${addr.kind() === 'ipv6' ? (addr as ipaddr.IPv6).toRFC5952String() : addr.toString()}/${len}`;
  } catch {
    return v.toLowerCase();
  }
}

// ---------------------------------------------------------------------------------------------
// Copy-on-write over documents

/**
 * For every document whose data `touches` says is affected, deep-copy it and `edit` the copy.
 * Returns the new list and how many documents changed.
 */
function rewrite(docs: readonly RawDoc[], touches: (data: Obj) => boolean, edit: (data: Obj, doc: RawDoc) => void): { docs: RawDoc[]; changed: number } {
  let changed = 0;
  const out = docs.map((doc) => {
    if (!isObj(doc.data) || !touches(doc.data)) return doc;
    const copy = structuredClone(doc) as RawDoc;
    edit(copy.data, copy);
    changed += 1;
    return copy;
  });
  return { docs: out, changed };
}

/** Items of data[key] (a describe-* list) whose idKey is id. */
const itemsById = (data: Obj, key: string, idKey: string, id: string): Obj[] => objects(data[key]).filter((o) => o[idKey] === id);

/** Every copy of one object across documents (read-only view of the input). */
const allCopies = (docs: readonly RawDoc[], key: string, idKey: string, id: string): Obj[] =>
  docs.flatMap((d) => (isObj(d.data) ? itemsById(d.data, key, idKey, id) : []));

function rewriteItems(docs: readonly RawDoc[], key: string, idKey: string, id: string, edit: (item: Obj, doc: RawDoc) => void): RawDoc[] {
  return rewrite(
    docs,
    (data) => itemsById(data, key, idKey, id).length > 0,
    (data, doc) => {
      for (const item of itemsById(data, key, idKey, id)) edit(item, doc);
    },
  ).docs;
}

function arrayField(o: Obj, key: string): unknown[] {
  const v = o[key];
  if (Array.isArray(v)) return v;
  const fresh: unknown[] = [];
  o[key] = fresh;
  return fresh;
}

// ---------------------------------------------------------------------------------------------
// Security groups

const PROTOCOL_NUMBER = /^\d{1,3}$/;
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

function securityGroupRules(
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

// ---------------------------------------------------------------------------------------------
// Network ACLs

const NACL_PROTOCOLS: Readonly<Record<string, string>> = { tcp: '6', udp: '17', icmp: '1', icmpv6: '58', all: '-1', '-1': '-1' };

function naclProtocol(v: unknown, op: string): string {
  const s = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.toLowerCase() : '';
  const named = NACL_PROTOCOLS[s];
  if (named !== undefined) return named;
  if (PROTOCOL_NUMBER.test(s) && Number(s) <= 255) return String(Number(s));
  throw usage(`InvalidParameterValue: ${op} Protocol ${JSON.stringify(v)} is not a protocol number (use "6" for TCP, "17" for UDP, "-1" for all).`);
}

const NACL_ENTRY_KEYS = ['NetworkAclId', 'RuleNumber', 'Protocol', 'RuleAction', 'Egress', 'CidrBlock', 'Ipv6CidrBlock', 'PortRange', 'IcmpTypeCode'];

/** A NACL entry in describe-network-acls shape. */
function naclEntry(input: Input): Obj {
  const op = input.op;
  const ruleNumber = input.int('RuleNumber', 1, 32766);
  const protocol = naclProtocol(input.raw.Protocol, op);
  const action = typeof input.raw.RuleAction === 'string' ? input.raw.RuleAction.toLowerCase() : '';
  if (action !== 'allow' && action !== 'deny') throw usage(`InvalidParameterValue: ${op} RuleAction must be "allow" or "deny".`);
  const egress = input.bool('Egress');
  const v4 = input.optStr('CidrBlock');
  const v6 = input.optStr('Ipv6CidrBlock');
  if ((v4 === undefined) === (v6 === undefined)) throw usage(`InvalidParameterCombination: ${op} needs exactly one of CidrBlock or Ipv6CidrBlock.`);
  const entry: Obj = {};
  if (v4 !== undefined) {
    cidrKey(v4, 'ipv4', `${op} CidrBlock`);
    entry.CidrBlock = v4;
  }
  entry.Egress = egress;
  if (protocol === '1' || protocol === '58') {
    const itc = input.raw.IcmpTypeCode;
    if (!isObj(itc)) throw usage(`MissingParameter: ${op} needs IcmpTypeCode {Type, Code} for ICMP.`);
    entry.IcmpTypeCode = { Code: intIn(itc.Code, `${op} IcmpTypeCode.Code`, -1, 255), Type: intIn(itc.Type, `${op} IcmpTypeCode.Type`, -1, 255) };
  }
  if (v6 !== undefined) {
    cidrKey(v6, 'ipv6', `${op} Ipv6CidrBlock`);
    entry.Ipv6CidrBlock = v6;
  }
  if (protocol === '6' || protocol === '17') {
    const pr = input.raw.PortRange;
    if (!isObj(pr)) throw usage(`MissingParameter: ${op} needs PortRange {From, To} for TCP and UDP.`);
    const from = intIn(pr.From, `${op} PortRange.From`, 0, 65535);
    const to = intIn(pr.To, `${op} PortRange.To`, 0, 65535);
    if (from > to) throw usage(`InvalidParameterValue: ${op} PortRange.From ${from} is greater than PortRange.To ${to}.`);
    entry.PortRange = { From: from, To: to };
  }
  entry.Protocol = protocol;
  entry.RuleAction = action;
  entry.RuleNumber = ruleNumber;
  return entry;
}

const sameSlot = (e: unknown, ruleNumber: number, egress: boolean): boolean => isObj(e) && e.RuleNumber === ruleNumber && e.Egress === egress;

/** describe-network-acls lists egress entries first, each direction by rule number. */
const entryOrder = (e: unknown): number =>
  isObj(e) ? (e.Egress === true ? 0 : 40000) + (typeof e.RuleNumber === 'number' ? e.RuleNumber : 39999) : 80000;

/** Insert where AWS would list it when the entries are in AWS's order; otherwise append. */
function insertEntry(entries: unknown[], entry: Obj): void {
  const sorted = entries.every((e, i) => i === 0 || entryOrder(entries[i - 1]) <= entryOrder(e));
  const at = sorted ? entries.findIndex((e) => entryOrder(e) > entryOrder(entry)) : -1;
  if (at >= 0) entries.splice(at, 0, entry);
  else entries.push(entry);
}

function networkAclEntry(docs: readonly RawDoc[], call: ApiCall, mode: 'create' | 'replace' | 'delete'): RawDoc[] {
  const input = new Input(call.operation, call.input).only(mode === 'delete' ? ['NetworkAclId', 'RuleNumber', 'Egress'] : NACL_ENTRY_KEYS);
  const aclId = input.str('NetworkAclId');
  const ruleNumber = input.int('RuleNumber', 1, 32766);
  const egress = input.bool('Egress');
  const entry = mode === 'delete' ? undefined : naclEntry(input);
  const first = allCopies(docs, 'NetworkAcls', 'NetworkAclId', aclId)[0];
  if (first === undefined) throw notInSnapshot('Network ACL', aclId);
  const exists = objects(first.Entries).some((e) => sameSlot(e, ruleNumber, egress));
  const dir = egress ? 'egress' : 'ingress';
  if (mode === 'create' && exists)
    throw awsError('NetworkAclEntryAlreadyExists', `the network ACL entry identified by ${ruleNumber} (${dir}) already exists in ${aclId}.`);
  if (mode !== 'create' && !exists)
    throw awsError('InvalidNetworkAclEntry.NotFound', `the network ACL entry identified by ${ruleNumber} (${dir}) does not exist in ${aclId}.`);

  return rewriteItems(docs, 'NetworkAcls', 'NetworkAclId', aclId, (acl) => {
    const entries = arrayField(acl, 'Entries');
    const at = entries.findIndex((e) => sameSlot(e, ruleNumber, egress));
    if (mode === 'delete') {
      if (at >= 0) entries.splice(at, 1);
    } else if (at >= 0) entries[at] = structuredClone(entry);
    else insertEntry(entries, structuredClone(entry) as Obj);
  });
}

// ---------------------------------------------------------------------------------------------
// VPC route tables

const ROUTE_DESTINATIONS = ['DestinationCidrBlock', 'DestinationIpv6CidrBlock', 'DestinationPrefixListId'] as const;
/** Request target parameter → the Route field describe-route-tables shows it in. */
const ROUTE_TARGETS: ReadonlyMap<string, string> = new Map([
  ['GatewayId', 'GatewayId'],
  ['VpcEndpointId', 'GatewayId'], // Gateway Load Balancer endpoints are shown as GatewayId vpce-…
  ['NatGatewayId', 'NatGatewayId'],
  ['TransitGatewayId', 'TransitGatewayId'],
  ['VpcPeeringConnectionId', 'VpcPeeringConnectionId'],
  ['NetworkInterfaceId', 'NetworkInterfaceId'],
  ['InstanceId', 'InstanceId'],
  ['EgressOnlyInternetGatewayId', 'EgressOnlyInternetGatewayId'],
  ['LocalGatewayId', 'LocalGatewayId'],
  ['CarrierGatewayId', 'CarrierGatewayId'],
  ['CoreNetworkArn', 'CoreNetworkArn'],
  ['OdbNetworkArn', 'OdbNetworkArn'],
]);

interface Destination {
  field: (typeof ROUTE_DESTINATIONS)[number];
  value: string;
  key: string;
}

function routeDestination(input: Input): Destination {
  const given = ROUTE_DESTINATIONS.filter((k) => input.has(k));
  if (given.length !== 1)
    throw usage(`InvalidParameterCombination: ${input.op} needs exactly one of DestinationCidrBlock, DestinationIpv6CidrBlock or DestinationPrefixListId.`);
  const field = given[0]!;
  const value = input.str(field);
  const key =
    field === 'DestinationCidrBlock'
      ? cidrKey(value, 'ipv4', `${input.op} ${field}`)
      : field === 'DestinationIpv6CidrBlock'
        ? cidrKey(value, 'ipv6', `${input.op} ${field}`)
        : value;
  return { field, value, key };
}

const routeKey = (r: Obj): string | undefined => storedCidrKey(r.DestinationCidrBlock) ?? storedCidrKey(r.DestinationIpv6CidrBlock) ?? (typeof r.DestinationPrefixListId === 'string' ? r.DestinationPrefixListId : undefined);

/** Where an ENI is attached: from describe-network-interfaces or from an instance's interfaces. */
function eniAttachment(docs: readonly RawDoc[], eniId: string): { instanceId?: string; ownerId?: string } {
  for (const eni of allCopies(docs, 'NetworkInterfaces', 'NetworkInterfaceId', eniId)) {
    const a = eni.Attachment;
    if (isObj(a) && typeof a.InstanceId === 'string')
      return { instanceId: a.InstanceId, ...(typeof a.InstanceOwnerId === 'string' ? { ownerId: a.InstanceOwnerId } : {}) };
  }
  for (const { reservation, instance } of instances(docs))
    if (objects(instance.NetworkInterfaces).some((n) => n.NetworkInterfaceId === eniId) && typeof instance.InstanceId === 'string')
      return { instanceId: instance.InstanceId, ...(typeof reservation.OwnerId === 'string' ? { ownerId: reservation.OwnerId } : {}) };
  return {};
}

function* instances(docs: readonly RawDoc[]): Generator<{ reservation: Obj; instance: Obj }> {
  for (const d of docs) {
    if (!isObj(d.data)) continue;
    for (const reservation of objects(d.data.Reservations)) for (const instance of objects(reservation.Instances)) yield { reservation, instance };
  }
}

const isPrimary = (n: Obj): boolean => isObj(n.Attachment) && n.Attachment.DeviceIndex === 0;

/** The route in describe-route-tables shape, with AWS's derived fields (instance ↔ primary ENI). */
function routeTarget(docs: readonly RawDoc[], input: Input): Obj {
  const given = [...ROUTE_TARGETS.keys()].filter((k) => input.has(k));
  const local = input.raw.LocalTarget === true;
  if (given.length + (local ? 1 : 0) !== 1)
    throw usage(`InvalidParameterCombination: ${input.op} needs exactly one target (GatewayId, NatGatewayId, TransitGatewayId, VpcPeeringConnectionId, NetworkInterfaceId, …).`);
  if (local) return { GatewayId: 'local' };
  const param = given[0]!;
  const value = input.str(param);
  const target: Obj = { [ROUTE_TARGETS.get(param)!]: value };
  if (param === 'InstanceId') {
    for (const { reservation, instance } of instances(docs)) {
      if (instance.InstanceId !== value) continue;
      if (typeof reservation.OwnerId === 'string') target.InstanceOwnerId = reservation.OwnerId;
      const primary = objects(instance.NetworkInterfaces).find(isPrimary);
      if (primary && typeof primary.NetworkInterfaceId === 'string') target.NetworkInterfaceId = primary.NetworkInterfaceId;
      break;
    }
  } else if (param === 'NetworkInterfaceId') {
    const a = eniAttachment(docs, value);
    if (a.instanceId !== undefined) {
      target.InstanceId = a.instanceId;
      if (a.ownerId !== undefined) target.InstanceOwnerId = a.ownerId;
    }
  }
  return target;
}

function vpcRoute(docs: readonly RawDoc[], call: ApiCall, mode: 'create' | 'replace' | 'delete'): RawDoc[] {
  const allowed = ['RouteTableId', ...ROUTE_DESTINATIONS, ...(mode === 'delete' ? [] : [...ROUTE_TARGETS.keys()]), ...(mode === 'replace' ? ['LocalTarget'] : [])];
  const input = new Input(call.operation, call.input).only(allowed);
  const tableId = input.str('RouteTableId');
  const dest = routeDestination(input);
  const target = mode === 'delete' ? undefined : routeTarget(docs, input);
  const first = allCopies(docs, 'RouteTables', 'RouteTableId', tableId)[0];
  if (first === undefined) throw notInSnapshot('Route table', tableId);
  // A route propagated from a virtual private gateway is not the table's own: a static route for the same
  // prefix can be created next to it (and wins); replace and delete act on the static one only.
  const own = (r: Obj): boolean => r.Origin !== 'EnableVgwRoutePropagation';
  const existing = objects(first.Routes).find((r) => routeKey(r) === dest.key && own(r));
  if (mode === 'create' && existing) throw awsError('RouteAlreadyExists', `the route identified by ${dest.value} already exists in ${tableId}.`);
  if (mode === 'replace' && !existing)
    throw awsError('InvalidParameterValue', `there is no route defined for '${dest.value}' in ${tableId}; use CreateRoute instead.`);
  if (mode === 'delete' && !existing) throw awsError('InvalidRoute.NotFound', `no route with destination ${dest.value} in ${tableId}.`);
  if (mode === 'delete' && existing?.GatewayId === 'local') throw awsError('InvalidParameterValue', `cannot remove local route ${dest.value} in ${tableId}.`);

  return rewriteItems(docs, 'RouteTables', 'RouteTableId', tableId, (table) => {
    const routes = arrayField(table, 'Routes');
    const at = routes.findIndex((r) => isObj(r) && routeKey(r) === dest.key && own(r));
    if (mode === 'delete') {
      if (at >= 0) routes.splice(at, 1);
      return;
    }
    const old = at >= 0 ? routes[at] : undefined;
    // The local route keeps its origin when its target is replaced; anything we write is CreateRoute.
    const origin = mode === 'replace' && isObj(old) && old.Origin === 'CreateRouteTable' ? 'CreateRouteTable' : 'CreateRoute';
    const route: Obj = { [dest.field]: dest.value, ...structuredClone(target), Origin: origin, State: 'active' };
    if (at >= 0) routes[at] = route;
    else routes.push(route);
  });
}

// ---------------------------------------------------------------------------------------------
// Network interfaces

function modifyNetworkInterface(docs: readonly RawDoc[], call: ApiCall): RawDoc[] {
  const input = new Input(call.operation, call.input);
  for (const k of Object.keys(call.input))
    if (!['NetworkInterfaceId', 'Groups', 'SourceDestCheck', 'DryRun'].includes(k))
      throw usage(`cannot simulate ${call.operation} with ${k}; only Groups and SourceDestCheck are supported.`);
  const eniId = input.str('NetworkInterfaceId');
  const attrs = ['Groups', 'SourceDestCheck'].filter((k) => input.has(k));
  if (attrs.length !== 1) throw usage(`InvalidParameterCombination: ${call.operation} changes exactly one attribute per call (Groups or SourceDestCheck).`);

  let groups: Obj[] | undefined;
  let sourceDestCheck: boolean | undefined;
  if (attrs[0] === 'Groups') {
    const ids = call.input.Groups;
    if (!Array.isArray(ids) || ids.length === 0 || !ids.every((g): g is string => typeof g === 'string' && g !== ''))
      throw usage(`InvalidParameterValue: ${call.operation} Groups must be a non-empty list of security group ids.`);
    groups = [...new Set(ids)].map((id) => {
      const sg = allCopies(docs, 'SecurityGroups', 'GroupId', id)[0];
      return typeof sg?.GroupName === 'string' ? { GroupId: id, GroupName: sg.GroupName } : { GroupId: id };
    });
  } else {
    const v = call.input.SourceDestCheck;
    if (!isObj(v) || typeof v.Value !== 'boolean') throw usage(`InvalidParameterValue: ${call.operation} SourceDestCheck must be {Value: true|false}.`);
    sourceDestCheck = v.Value;
  }

  // Instances whose primary interface this is: their instance-level fields change too.
  const primaryOf = new Set<string>();
  for (const eni of allCopies(docs, 'NetworkInterfaces', 'NetworkInterfaceId', eniId))
    if (isPrimary(eni) && isObj(eni.Attachment) && typeof eni.Attachment.InstanceId === 'string') primaryOf.add(eni.Attachment.InstanceId);
  let seen = allCopies(docs, 'NetworkInterfaces', 'NetworkInterfaceId', eniId).length > 0;
  for (const { instance } of instances(docs)) {
    const n = objects(instance.NetworkInterfaces).find((x) => x.NetworkInterfaceId === eniId);
    if (!n) continue;
    seen = true;
    if (isPrimary(n) && typeof instance.InstanceId === 'string') primaryOf.add(instance.InstanceId);
  }
  if (!seen) throw notInSnapshot('Network interface', eniId);

  const apply = (o: Obj, primary: boolean): void => {
    if (groups) o[primary ? 'SecurityGroups' : 'Groups'] = structuredClone(groups);
    if (sourceDestCheck !== undefined) o.SourceDestCheck = sourceDestCheck;
  };
  const touchesInstance = (instance: Obj): boolean =>
    (typeof instance.InstanceId === 'string' && primaryOf.has(instance.InstanceId)) || objects(instance.NetworkInterfaces).some((n) => n.NetworkInterfaceId === eniId);

  return rewrite(
    docs,
    (data) => itemsById(data, 'NetworkInterfaces', 'NetworkInterfaceId', eniId).length > 0 || objects(data.Reservations).some((r) => objects(r.Instances).some(touchesInstance)),
    (data) => {
      for (const eni of itemsById(data, 'NetworkInterfaces', 'NetworkInterfaceId', eniId)) apply(eni, false);
      for (const reservation of objects(data.Reservations))
        for (const instance of objects(reservation.Instances)) {
          for (const n of objects(instance.NetworkInterfaces)) if (n.NetworkInterfaceId === eniId) apply(n, false);
          if (typeof instance.InstanceId === 'string' && primaryOf.has(instance.InstanceId)) apply(instance, true);
        }
    },
  ).docs;
}

// ---------------------------------------------------------------------------------------------
// Transit gateway routes (search-transit-gateway-routes shape, under TransitGatewayStaticRoutes)

const tgwEntries = (data: Obj, tableId: string): Obj[] => itemsById(data, 'TransitGatewayStaticRoutes', 'TransitGatewayRouteTableId', tableId);

function tgwAttachment(docs: readonly RawDoc[], attachmentId: string): Obj {
  const out: Obj = { TransitGatewayAttachmentId: attachmentId };
  const a = allCopies(docs, 'TransitGatewayAttachments', 'TransitGatewayAttachmentId', attachmentId)[0];
  if (a) {
    if (typeof a.ResourceId === 'string') out.ResourceId = a.ResourceId;
    if (typeof a.ResourceType === 'string') out.ResourceType = a.ResourceType;
    return out;
  }
  const vpc = allCopies(docs, 'TransitGatewayVpcAttachments', 'TransitGatewayAttachmentId', attachmentId)[0];
  if (vpc && typeof vpc.VpcId === 'string') {
    out.ResourceId = vpc.VpcId;
    out.ResourceType = 'vpc';
  }
  return out;
}

function transitGatewayRoute(docs: readonly RawDoc[], call: ApiCall, mode: 'create' | 'replace' | 'delete'): RawDoc[] {
  const input = new Input(call.operation, call.input).only(
    mode !== 'delete' ? ['TransitGatewayRouteTableId', 'DestinationCidrBlock', 'TransitGatewayAttachmentId', 'Blackhole'] : ['TransitGatewayRouteTableId', 'DestinationCidrBlock'],
  );
  const tableId = input.str('TransitGatewayRouteTableId');
  const cidr = input.str('DestinationCidrBlock');
  const key = cidrKey(cidr, ipaddr.IPv6.isValidCIDR(cidr) ? 'ipv6' : 'ipv4', `${call.operation} DestinationCidrBlock`);
  const sameDest = (r: unknown): r is Obj => isObj(r) && storedCidrKey(r.DestinationCidrBlock) === key;

  const entries = docs.flatMap((d) => (isObj(d.data) ? tgwEntries(d.data, tableId) : []));
  const tableDoc = docs.find((d) => isObj(d.data) && itemsById(d.data, 'TransitGatewayRouteTables', 'TransitGatewayRouteTableId', tableId).length > 0);
  if (entries.length === 0 && tableDoc === undefined) throw notInSnapshot('Transit gateway route table', tableId);
  const existing = objects(entries[0]?.Routes).find(sameDest);

  if (mode === 'delete') {
    if (!existing || existing.Type !== 'static') throw awsError('InvalidRoute.NotFound', `no static route to ${cidr} in ${tableId}.`);
    return rewrite(
      docs,
      (data) => tgwEntries(data, tableId).length > 0,
      (data) => {
        for (const e of tgwEntries(data, tableId)) e.Routes = objects(e.Routes).filter((r) => !(sameDest(r) && r.Type === 'static'));
      },
    ).docs;
  }

  const blackhole = input.has('Blackhole') ? input.bool('Blackhole') : false;
  const attachmentId = input.optStr('TransitGatewayAttachmentId');
  if (blackhole === (attachmentId !== undefined))
    throw usage(`InvalidParameterCombination: ${call.operation} needs either TransitGatewayAttachmentId or Blackhole: true.`);
  if (mode === 'create' && existing?.Type === 'static') throw awsError('RouteAlreadyExists', `route ${cidr} already exists in transit gateway route table ${tableId}.`);
  if (mode === 'replace' && !existing) throw awsError('InvalidRoute.NotFound', `no route to ${cidr} in ${tableId} to replace.`);
  const route: Obj = { DestinationCidrBlock: cidr };
  if (attachmentId !== undefined) route.TransitGatewayAttachments = [tgwAttachment(docs, attachmentId)];
  route.Type = 'static';
  route.State = blackhole ? 'blackhole' : 'active';

  if (entries.length > 0) {
    // A static route takes the place of a propagated one for the same prefix.
    return rewrite(
      docs,
      (data) => tgwEntries(data, tableId).length > 0,
      (data) => {
        for (const e of tgwEntries(data, tableId)) {
          const routes = objects(e.Routes);
          const at = routes.findIndex(sameDest);
          if (at >= 0) routes[at] = structuredClone(route);
          else routes.push(structuredClone(route));
          e.Routes = routes;
        }
      },
    ).docs;
  }
  // The table is known but has no routes recorded yet: add it to a routes document of the same
  // account and region, or start one.
  const newEntry = (): Obj => ({ TransitGatewayRouteTableId: tableId, Routes: [structuredClone(route)] });
  const home = tableDoc!;
  const sameScope = (d: RawDoc): boolean => d.accountId === home.accountId && d.region === home.region && isObj(d.data) && Array.isArray(d.data.TransitGatewayStaticRoutes);
  const target = docs.find(sameScope);
  if (target) {
    let done = false;
    return rewrite(
      docs,
      (data) => !done && data === target.data,
      (data) => {
        done = true;
        (data.TransitGatewayStaticRoutes as unknown[]).push(newEntry());
      },
    ).docs;
  }
  const doc: RawDoc = { file: 'simulated:SearchTransitGatewayRoutes', data: { TransitGatewayStaticRoutes: [newEntry()] } };
  if (home.accountId !== undefined) doc.accountId = home.accountId;
  if (home.region !== undefined) doc.region = home.region;
  return [...docs, doc];
}

// ---------------------------------------------------------------------------------------------

function acceptPeering(docs: readonly RawDoc[], call: ApiCall): RawDoc[] {
  const input = new Input(call.operation, call.input).only(['VpcPeeringConnectionId']);
  const id = input.str('VpcPeeringConnectionId');
  const has = (data: Obj) => itemsById(data, 'VpcPeeringConnections', 'VpcPeeringConnectionId', id).length > 0;
  const first = docs.find((d) => isObj(d.data) && has(d.data));
  if (!first) throw notInSnapshot('VPC peering connection', id);
  const code = (itemsById(first.data as Obj, 'VpcPeeringConnections', 'VpcPeeringConnectionId', id)[0]?.Status as Obj | undefined)?.Code;
  if (code !== 'pending-acceptance') throw awsError('InvalidStateTransition', `${id} is ${String(code)}, not pending-acceptance.`);
  return rewrite(docs, has, (data) => {
    for (const p of itemsById(data, 'VpcPeeringConnections', 'VpcPeeringConnectionId', id)) p.Status = { Code: 'active', Message: 'Active' };
  }).docs.map((d) => {
    // Routes to the peering stop being blackholes once it is active.
    if (!isObj(d.data) || !Array.isArray(d.data.RouteTables)) return d;
    const touches = objects(d.data.RouteTables).some((t) => objects(t.Routes).some((r) => r.VpcPeeringConnectionId === id && r.State === 'blackhole'));
    if (!touches) return d;
    const data = structuredClone(d.data);
    for (const t of objects(data.RouteTables)) for (const r of objects(t.Routes)) if (r.VpcPeeringConnectionId === id && r.State === 'blackhole') r.State = 'active';
    return { ...d, data };
  });
}

function modifyTgwVpcAttachment(docs: readonly RawDoc[], call: ApiCall): RawDoc[] {
  const input = new Input(call.operation, call.input).only(['TransitGatewayAttachmentId', 'AddSubnetIds']);
  const id = input.str('TransitGatewayAttachmentId');
  const add = call.input.AddSubnetIds;
  if (!Array.isArray(add) || add.length === 0 || !add.every((x) => typeof x === 'string')) throw usage('MissingParameter: ModifyTransitGatewayVpcAttachment needs AddSubnetIds (subnet ids).');
  if (!docs.some((d) => isObj(d.data) && itemsById(d.data, 'TransitGatewayVpcAttachments', 'TransitGatewayAttachmentId', id).length > 0)) {
    throw notInSnapshot('Transit gateway VPC attachment', id);
  }
  return rewriteItems(docs, 'TransitGatewayVpcAttachments', 'TransitGatewayAttachmentId', id, (item) => {
    const have = Array.isArray(item.SubnetIds) ? (item.SubnetIds as string[]) : [];
    item.SubnetIds = [...have, ...(add as string[]).filter((x) => !have.includes(x))];
  });
}

const HANDLERS: Readonly<Record<string, (docs: readonly RawDoc[], call: ApiCall, options: SimulateOptions) => RawDoc[]>> = {
  AuthorizeSecurityGroupIngress: (d, c, o) => securityGroupRules(d, c, 'ingress', 'authorize', o),
  AuthorizeSecurityGroupEgress: (d, c, o) => securityGroupRules(d, c, 'egress', 'authorize', o),
  RevokeSecurityGroupIngress: (d, c, o) => securityGroupRules(d, c, 'ingress', 'revoke', o),
  RevokeSecurityGroupEgress: (d, c, o) => securityGroupRules(d, c, 'egress', 'revoke', o),
  CreateNetworkAclEntry: (d, c) => networkAclEntry(d, c, 'create'),
  ReplaceNetworkAclEntry: (d, c) => networkAclEntry(d, c, 'replace'),
  DeleteNetworkAclEntry: (d, c) => networkAclEntry(d, c, 'delete'),
  CreateRoute: (d, c) => vpcRoute(d, c, 'create'),
  ReplaceRoute: (d, c) => vpcRoute(d, c, 'replace'),
  DeleteRoute: (d, c) => vpcRoute(d, c, 'delete'),
  ModifyNetworkInterfaceAttribute: modifyNetworkInterface,
  CreateTransitGatewayRoute: (d, c) => transitGatewayRoute(d, c, 'create'),
  DeleteTransitGatewayRoute: (d, c) => transitGatewayRoute(d, c, 'delete'),
  ReplaceTransitGatewayRoute: (d, c) => transitGatewayRoute(d, c, 'replace'),
  AcceptVpcPeeringConnection: acceptPeering,
  ModifyTransitGatewayVpcAttachment: modifyTgwVpcAttachment,
  EnableTransitGatewayRouteTablePropagation: (d, c) => enableTgwPropagation(d, c),
  EnableVgwRoutePropagation: (d, c) => enableVgwPropagation(d, c),
  AttachInternetGateway: (d, c) => attachInternetGateway(d, c),
};

/** The operations applyApiCall can simulate. */
export const SIMULATED_OPERATIONS: readonly string[] = Object.freeze(Object.keys(HANDLERS));

/**
 * Apply one EC2 API call to a snapshot. Returns new documents showing the call's effect as the
 * next describe-* output would; the arguments are never mutated. Throws SgwhyError
 * (BAD_SNAPSHOT, BAD_USAGE or AWS_ERROR; see the file comment).
 */
export function applyApiCall(docs: readonly RawDoc[], call: ApiCall, options: SimulateOptions = {}): RawDoc[] {
  if (!isObj(call) || typeof call.operation !== 'string') throw usage('cannot simulate a call without an operation name.');
  const handler = Object.hasOwn(HANDLERS, call.operation) ? HANDLERS[call.operation] : undefined;
  if (handler === undefined) throw usage(`cannot simulate ${call.operation}`);
  if (!isObj(call.input)) throw usage(`cannot simulate ${call.operation}: its input is not an object.`);
  return handler(docs, call, options);
}

/** Apply calls in order (a fix plan); the first failure throws. */
export function applyApiCalls(docs: readonly RawDoc[], calls: readonly ApiCall[], options: SimulateOptions = {}): RawDoc[] {
  return calls.reduce<RawDoc[]>((acc, call) => applyApiCall(acc, call, options), [...docs]);
}
