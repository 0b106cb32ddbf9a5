/**
 * Builds the Model from raw describe-* documents. Pure: no I/O. Unknown top-level keys are
 * ignored; structurally broken input raises one BAD_SNAPSHOT error listing every problem
 * with its file and JSON path.
 */
import { SgwhyError } from '../errors/errors.js';
import { parseAddr, parseCidr, type Addr, type Cidr } from '../net/ip.js';
import type { RawDoc } from './raw.js';
import type {
  Eni, IcmpMatch, InternetGateway, Model, NaclEntry, NatGateway, NetworkAcl, Peering, PeeringSide, PortRange, PrefixList,
  Proto, Route, RouteTable, RouteTargetKind, SecurityGroup, SgPeer, SgRule, Subnet, TgwAttachment, TgwRoute, TgwRouteTable,
  TransitGateway, Vpc, VpcEndpoint,
} from './types.js';

type Obj = Record<string, unknown>;

/** Top-level keys sgwhy understands (others are ignored). */
export const KNOWN_KEYS = [
  'Vpcs', 'Subnets', 'SecurityGroups', 'NetworkAcls', 'RouteTables', 'NetworkInterfaces', 'Reservations',
  'InternetGateways', 'NatGateways', 'VpcPeeringConnections', 'TransitGateways', 'TransitGatewayAttachments',
  'TransitGatewayVpcAttachments', 'TransitGatewayRouteTables', 'TransitGatewayStaticRoutes', 'PrefixLists',
  'ManagedPrefixLists', 'ManagedPrefixListEntries', 'VpcEndpoints',
] as const;

const MAX_PROBLEMS = 25;

class Problems {
  readonly list: string[] = [];
  add(file: string, pointer: string, msg: string): void {
    if (this.list.length < MAX_PROBLEMS) this.list.push(`${file}: ${pointer}: ${msg}`);
    else if (this.list.length === MAX_PROBLEMS) this.list.push('… more problems not shown');
  }
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (o: Obj, k: string): string | undefined => (typeof o[k] === 'string' ? (o[k] as string) : undefined);
const num = (o: Obj, k: string): number | undefined => {
  const v = o[k];
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  return undefined;
};
const list = (o: Obj, k: string): Obj[] => (Array.isArray(o[k]) ? (o[k] as unknown[]).filter(isObj) : []);
const nameTag = (o: Obj): string | undefined => {
  for (const t of [...list(o, 'Tags'), ...list(o, 'TagSet')]) if (str(t, 'Key') === 'Name') return str(t, 'Value');
  return undefined;
};
const regionOfAz = (az: string | undefined): string | undefined => az?.match(/^([a-z]{2}(?:-[a-z]+)+-\d+)/)?.[1];

/** Maps AWS protocol spellings ("-1", "tcp", "6", "icmpv6", "58", "all") to a Proto. */
export function parseProto(v: unknown): Proto | undefined {
  const s = String(v ?? '').toLowerCase();
  if (s === '-1' || s === 'all') return 'all';
  if (s === 'tcp') return 6;
  if (s === 'udp') return 17;
  if (s === 'icmp') return 1;
  if (s === 'icmpv6') return 58;
  if (/^\d{1,3}$/.test(s) && Number(s) <= 255) return Number(s);
  return undefined;
}

const isPorted = (p: Proto): boolean => p === 6 || p === 17;
const isIcmp = (p: Proto): boolean => p === 1 || p === 58;

export function buildModel(docs: readonly RawDoc[]): Model {
  const problems = new Problems();
  const m: Model = {
    vpcs: new Map(), subnets: new Map(), securityGroups: new Map(), networkAcls: new Map(), routeTables: new Map(),
    enis: new Map(), instances: new Map(), prefixLists: new Map(), peerings: new Map(), transitGateways: new Map(),
    tgwAttachments: new Map(), tgwRouteTables: new Map(), internetGateways: new Map(), natGateways: new Map(),
    vpcEndpoints: new Map(),
    index: {
      addressOwners: new Map(), groupMembers: new Map(), subnetNacl: new Map(), subnetRouteTable: new Map(),
      mainRouteTable: new Map(), vpcGroups: new Map(), vpcRouteTables: new Map(),
    },
    present: new Set(), warnings: [],
  };
  const instanceEnis: Array<{ eni: Eni; fromInstance: true }> = [];
  const pendingTgwRoutes: Array<{ rtbId: string; routes: TgwRoute[] }> = [];
  const pendingPlEntries: Array<{ id: string; cidrs: Cidr[] }> = [];

  for (const doc of docs) {
    const f = doc.file;
    if (!isObj(doc.data)) {
      problems.add(f, '$', 'expected a JSON object (the output of an aws ec2 describe-* call)');
      continue;
    }
    for (const key of KNOWN_KEYS) {
      if (!(key in doc.data)) continue;
      const value = doc.data[key];
      if (!Array.isArray(value)) {
        problems.add(f, key, `expected an array, found ${value === null ? 'null' : typeof value}`);
        continue;
      }
      m.present.add(key);
      const ctx: Ctx = { file: f, accountId: doc.accountId, region: doc.region, problems };
      value.forEach((item, i) => {
        const ptr = `${key}[${i}]`;
        if (!isObj(item)) {
          problems.add(f, ptr, 'expected an object');
          return;
        }
        switch (key) {
          case 'Vpcs': return addVpc(m, item, ptr, ctx);
          case 'Subnets': return addSubnet(m, item, ptr, ctx);
          case 'SecurityGroups': return addSecurityGroup(m, item, ptr, ctx);
          case 'NetworkAcls': return addNacl(m, item, ptr, ctx);
          case 'RouteTables': return addRouteTable(m, item, ptr, ctx);
          case 'NetworkInterfaces': {
            const eni = readEni(item, ptr, ctx);
            if (eni) mergeEni(m, eni, false);
            return;
          }
          case 'Reservations':
            for (const [j, inst] of list(item, 'Instances').entries()) addInstance(m, inst, `${ptr}.Instances[${j}]`, ctx, instanceEnis);
            return;
          case 'InternetGateways': return addIgw(m, item, ptr, ctx);
          case 'NatGateways': return addNat(m, item, ptr, ctx);
          case 'VpcPeeringConnections': return addPeering(m, item, ptr, ctx);
          case 'TransitGateways': return addTgw(m, item, ptr, ctx);
          case 'TransitGatewayAttachments':
          case 'TransitGatewayVpcAttachments': return addTgwAttachment(m, item, ptr, ctx, key === 'TransitGatewayVpcAttachments');
          case 'TransitGatewayRouteTables': return addTgwRouteTable(m, item, ptr, ctx);
          case 'TransitGatewayStaticRoutes': return readTgwRoutes(item, ptr, ctx, pendingTgwRoutes);
          case 'PrefixLists':
          case 'ManagedPrefixLists': return addPrefixList(m, item, ptr, ctx, pendingPlEntries);
          case 'ManagedPrefixListEntries': return readPlEntries(item, ptr, ctx, pendingPlEntries);
          case 'VpcEndpoints': return addEndpoint(m, item, ptr, ctx);
        }
      });
    }
  }
  if (problems.list.length > 0) {
    throw new SgwhyError('BAD_SNAPSHOT', `The snapshot has ${problems.list.length} problem(s):\n  ${problems.list.join('\n  ')}`, {
      details: { problems: problems.list },
    });
  }

  for (const { eni } of instanceEnis) mergeEni(m, eni, true);
  for (const { rtbId, routes } of pendingTgwRoutes) {
    const t = m.tgwRouteTables.get(rtbId) ?? { id: rtbId, tgwId: '', routes: null };
    t.routes = [...(t.routes ?? []), ...routes];
    m.tgwRouteTables.set(rtbId, t);
  }
  for (const { id, cidrs } of pendingPlEntries) {
    const pl = m.prefixLists.get(id) ?? { id, cidrs: null };
    pl.cidrs = [...(pl.cidrs ?? []), ...cidrs];
    m.prefixLists.set(id, pl);
  }
  buildIndexes(m);
  return m;
}

interface Ctx {
  file: string;
  accountId: string | undefined;
  region: string | undefined;
  problems: Problems;
}

function requireId(o: Obj, key: string, ptr: string, ctx: Ctx): string | undefined {
  const id = str(o, key);
  if (!id) ctx.problems.add(ctx.file, ptr, `missing ${key}`);
  return id;
}

/** Pointers are built only when there is a problem to report. */
type Ptr = string | (() => string);
const ptrText = (p: Ptr) => (typeof p === 'string' ? p : p());

function cidrOrProblem(text: string | undefined, ptr: Ptr, ctx: Ctx): Cidr | undefined {
  if (text === undefined) return undefined;
  const c = parseCidr(text);
  if (!c) ctx.problems.add(ctx.file, ptrText(ptr), `invalid CIDR block ${JSON.stringify(text)}`);
  return c ?? undefined;
}

function addrOrProblem(text: string | undefined, ptr: Ptr, ctx: Ctx): Addr | undefined {
  if (text === undefined) return undefined;
  const a = parseAddr(text);
  if (!a) ctx.problems.add(ctx.file, ptrText(ptr), `invalid IP address ${JSON.stringify(text)}`);
  return a ?? undefined;
}

/** A list of CIDR blocks without repeats (AWS lists the primary block twice: CidrBlock and the association set). */
function cidrList(): { cidrs: Cidr[]; push: (c: Cidr | undefined) => void } {
  const cidrs: Cidr[] = [];
  const seen = new Set<string>();
  return {
    cidrs,
    push: (c) => {
      if (c && !seen.has(c.text)) {
        seen.add(c.text);
        cidrs.push(c);
      }
    },
  };
}

function addVpc(m: Model, o: Obj, ptr: string, ctx: Ctx): void {
  const id = requireId(o, 'VpcId', ptr, ctx);
  if (!id) return;
  const { cidrs, push } = cidrList();
  push(cidrOrProblem(str(o, 'CidrBlock'), `${ptr}.CidrBlock`, ctx));
  for (const [i, a] of list(o, 'CidrBlockAssociationSet').entries()) {
    const state = isObj(a.CidrBlockState) ? str(a.CidrBlockState, 'State') : undefined;
    if (state && state !== 'associated') continue;
    push(cidrOrProblem(str(a, 'CidrBlock'), `${ptr}.CidrBlockAssociationSet[${i}]`, ctx));
  }
  for (const [i, a] of list(o, 'Ipv6CidrBlockAssociationSet').entries()) {
    const state = isObj(a.Ipv6CidrBlockState) ? str(a.Ipv6CidrBlockState, 'State') : undefined;
    if (state && state !== 'associated') continue;
    push(cidrOrProblem(str(a, 'Ipv6CidrBlock'), `${ptr}.Ipv6CidrBlockAssociationSet[${i}]`, ctx));
  }
  m.vpcs.set(id, {
    id, cidrs, ownerId: str(o, 'OwnerId') ?? ctx.accountId, region: ctx.region, name: nameTag(o), isDefault: o.IsDefault === true,
  } satisfies Vpc);
}

function addSubnet(m: Model, o: Obj, ptr: string, ctx: Ctx): void {
  const id = requireId(o, 'SubnetId', ptr, ctx);
  const vpcId = requireId(o, 'VpcId', ptr, ctx);
  if (!id || !vpcId) return;
  const cidrs: Cidr[] = [];
  const c4 = cidrOrProblem(str(o, 'CidrBlock'), `${ptr}.CidrBlock`, ctx);
  if (c4) cidrs.push(c4);
  for (const [i, a] of list(o, 'Ipv6CidrBlockAssociationSet').entries()) {
    const c = cidrOrProblem(str(a, 'Ipv6CidrBlock'), `${ptr}.Ipv6CidrBlockAssociationSet[${i}]`, ctx);
    if (c) cidrs.push(c);
  }
  const az = str(o, 'AvailabilityZone');
  m.subnets.set(id, {
    id, vpcId, cidrs, az, ownerId: str(o, 'OwnerId') ?? ctx.accountId, region: ctx.region ?? regionOfAz(az), name: nameTag(o),
  } satisfies Subnet);
}

function readPermissions(groupId: string, perms: Obj[], direction: 'ingress' | 'egress', key: string, ptr: string, ctx: Ctx): SgRule[] {
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

function addSecurityGroup(m: Model, o: Obj, ptr: string, ctx: Ctx): void {
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

function addNacl(m: Model, o: Obj, ptr: string, ctx: Ctx): void {
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

const TARGET_FIELDS: Array<[string, RouteTargetKind | ((id: string) => RouteTargetKind)]> = [
  ['VpcPeeringConnectionId', 'pcx'],
  ['TransitGatewayId', 'tgw'],
  ['NatGatewayId', 'nat'],
  ['EgressOnlyInternetGatewayId', 'eigw'],
  ['NetworkInterfaceId', 'eni'],
  ['InstanceId', 'instance'],
  ['GatewayId', (id) => (id === 'local' ? 'local' : id.startsWith('igw-') ? 'igw' : id.startsWith('vgw-') ? 'vgw' : id.startsWith('vpce-') ? 'vpce' : 'other')],
  ['LocalGatewayId', 'other'],
  ['CarrierGatewayId', 'other'],
  ['CoreNetworkArn', 'other'],
];

function addRouteTable(m: Model, o: Obj, ptr: string, ctx: Ctx): void {
  const id = requireId(o, 'RouteTableId', ptr, ctx);
  const vpcId = requireId(o, 'VpcId', ptr, ctx);
  if (!id || !vpcId) return;
  const routes: Route[] = [];
  list(o, 'Routes').forEach((r, i) => {
    const rptr = `${ptr}.Routes[${i}]`;
    const plId = str(r, 'DestinationPrefixListId');
    const cidrText = str(r, 'DestinationCidrBlock') ?? str(r, 'DestinationIpv6CidrBlock');
    let destination: Route['destination'] | undefined;
    if (cidrText !== undefined) {
      const c = cidrOrProblem(cidrText, rptr, ctx);
      if (c) destination = { kind: 'cidr', cidr: c };
    } else if (plId) destination = { kind: 'prefixList', id: plId };
    else return ctx.problems.add(ctx.file, rptr, 'route has no destination');
    if (!destination) return;
    let target: Route['target'] = { kind: 'other', id: 'unknown' };
    for (const [field, kind] of TARGET_FIELDS) {
      const v = str(r, field);
      if (v) {
        target = { kind: typeof kind === 'function' ? kind(v) : kind, id: v };
        break;
      }
    }
    routes.push({
      routeTableId: id, destination, target, state: str(r, 'State') ?? 'active', originKind: str(r, 'Origin') ?? 'CreateRoute',
      origin: { resourceId: id, pointer: `Routes[${i}]`, file: ctx.file },
    });
  });
  let main = false;
  const subnetIds: string[] = [];
  for (const a of list(o, 'Associations')) {
    const st = isObj(a.AssociationState) ? str(a.AssociationState, 'State') : undefined;
    if (st && st !== 'associated') continue;
    if (a.Main === true) main = true;
    const s = str(a, 'SubnetId');
    if (s) subnetIds.push(s);
  }
  m.routeTables.set(id, {
    id, vpcId, name: nameTag(o), ownerId: str(o, 'OwnerId') ?? ctx.accountId, main, subnetIds, routes, file: ctx.file,
  } satisfies RouteTable);
}

function readEni(o: Obj, ptr: string, ctx: Ctx, inst?: { id: string; subnetId?: string; vpcId?: string; az?: string }): Eni | undefined {
  const id = requireId(o, 'NetworkInterfaceId', ptr, ctx);
  const subnetId = str(o, 'SubnetId') ?? inst?.subnetId;
  const vpcId = str(o, 'VpcId') ?? inst?.vpcId;
  if (!id) return undefined;
  if (!subnetId || !vpcId) {
    ctx.problems.add(ctx.file, ptr, 'network interface without SubnetId/VpcId');
    return undefined;
  }
  const privateIps: Addr[] = [];
  const publicIps: Eni['publicIps'] = [];
  const seen = new Set<string>();
  const addPrivate = (text: string | undefined, p: string, primary: boolean) => {
    const a = addrOrProblem(text, p, ctx);
    if (!a || seen.has(a.text)) return a;
    seen.add(a.text);
    if (primary) privateIps.unshift(a);
    else privateIps.push(a);
    return a;
  };
  addPrivate(str(o, 'PrivateIpAddress'), `${ptr}.PrivateIpAddress`, true);
  list(o, 'PrivateIpAddresses').forEach((p, i) => {
    const a = addPrivate(str(p, 'PrivateIpAddress'), `${ptr}.PrivateIpAddresses[${i}]`, p.Primary === true);
    const pub = isObj(p.Association) ? str(p.Association, 'PublicIp') : undefined;
    const pa = addrOrProblem(pub, `${ptr}.PrivateIpAddresses[${i}].Association.PublicIp`, ctx);
    if (a && pa && !publicIps.some((x) => x.publicIp.text === pa.text)) publicIps.push({ publicIp: pa, privateIp: a });
  });
  const topPub = isObj(o.Association) ? str(o.Association, 'PublicIp') : undefined;
  const tp = addrOrProblem(topPub, `${ptr}.Association.PublicIp`, ctx);
  if (tp && privateIps[0] && !publicIps.some((x) => x.publicIp.text === tp.text)) publicIps.push({ publicIp: tp, privateIp: privateIps[0] });
  const ipv6 = list(o, 'Ipv6Addresses')
    .map((p, i) => addrOrProblem(str(p, 'Ipv6Address'), `${ptr}.Ipv6Addresses[${i}]`, ctx))
    .filter((a): a is Addr => !!a);
  const att = isObj(o.Attachment) ? o.Attachment : undefined;
  const az = str(o, 'AvailabilityZone') ?? inst?.az;
  return {
    id, subnetId, vpcId, az, ownerId: str(o, 'OwnerId') ?? ctx.accountId, region: ctx.region ?? regionOfAz(az),
    status: str(o, 'Status') ?? 'in-use',
    groupIds: list(o, 'Groups').map((g) => str(g, 'GroupId')).filter((g): g is string => !!g),
    privateIps, ipv6, publicIps,
    instanceId: (att && str(att, 'InstanceId')) ?? inst?.id,
    deviceIndex: att ? num(att, 'DeviceIndex') : undefined,
    interfaceType: str(o, 'InterfaceType'), description: str(o, 'Description'), name: nameTag(o),
    sourceDestCheck: typeof o.SourceDestCheck === 'boolean' ? o.SourceDestCheck : undefined,
    file: ctx.file,
  };
}

function mergeEni(m: Model, eni: Eni, fromInstance: boolean): void {
  const existing = m.enis.get(eni.id);
  if (!existing) {
    m.enis.set(eni.id, eni);
    return;
  }
  // describe-network-interfaces is authoritative; an instance's embedded copy only fills gaps.
  if (fromInstance) {
    existing.instanceId ??= eni.instanceId;
    existing.deviceIndex ??= eni.deviceIndex;
  } else {
    eni.instanceId ??= existing.instanceId;
    eni.deviceIndex ??= existing.deviceIndex;
    m.enis.set(eni.id, eni);
  }
}

function addInstance(m: Model, o: Obj, ptr: string, ctx: Ctx, out: Array<{ eni: Eni; fromInstance: true }>): void {
  const id = requireId(o, 'InstanceId', ptr, ctx);
  if (!id) return;
  const az = isObj(o.Placement) ? str(o.Placement, 'AvailabilityZone') : undefined;
  const inst = { id, subnetId: str(o, 'SubnetId'), vpcId: str(o, 'VpcId'), az };
  const eniIds: string[] = [];
  list(o, 'NetworkInterfaces').forEach((n, i) => {
    const eni = readEni(n, `${ptr}.NetworkInterfaces[${i}]`, ctx, inst);
    if (eni) {
      eniIds.push(eni.id);
      out.push({ eni, fromInstance: true });
    }
  });
  m.instances.set(id, { id, name: nameTag(o), state: isObj(o.State) ? str(o.State, 'Name') : undefined, eniIds });
}

function addIgw(m: Model, o: Obj, ptr: string, ctx: Ctx): void {
  const id = requireId(o, 'InternetGatewayId', ptr, ctx);
  if (!id) return;
  const attachments = list(o, 'Attachments')
    .map((a) => ({ vpcId: str(a, 'VpcId') ?? '', state: str(a, 'State') ?? 'available' }))
    .filter((a) => a.vpcId);
  m.internetGateways.set(id, { id, attachments, name: nameTag(o) } satisfies InternetGateway);
}

function addNat(m: Model, o: Obj, ptr: string, ctx: Ctx): void {
  const id = requireId(o, 'NatGatewayId', ptr, ctx);
  const subnetId = requireId(o, 'SubnetId', ptr, ctx);
  const vpcId = requireId(o, 'VpcId', ptr, ctx);
  if (!id || !subnetId || !vpcId) return;
  const publicIps: Addr[] = [];
  const privateIps: Addr[] = [];
  list(o, 'NatGatewayAddresses').forEach((a, i) => {
    const pub = addrOrProblem(str(a, 'PublicIp'), `${ptr}.NatGatewayAddresses[${i}].PublicIp`, ctx);
    const priv = addrOrProblem(str(a, 'PrivateIp'), `${ptr}.NatGatewayAddresses[${i}].PrivateIp`, ctx);
    if (pub) publicIps.push(pub);
    if (priv) privateIps.push(priv);
  });
  m.natGateways.set(id, {
    id, vpcId, subnetId, state: str(o, 'State') ?? 'available', connectivity: str(o, 'ConnectivityType') ?? 'public',
    publicIps, privateIps, name: nameTag(o),
  } satisfies NatGateway);
}

function peeringSide(o: unknown, ptr: string, ctx: Ctx): PeeringSide | undefined {
  if (!isObj(o)) return undefined;
  const vpcId = str(o, 'VpcId');
  if (!vpcId) return undefined;
  const { cidrs, push } = cidrList();
  push(cidrOrProblem(str(o, 'CidrBlock'), `${ptr}.CidrBlock`, ctx));
  list(o, 'CidrBlockSet').forEach((c, i) => push(cidrOrProblem(str(c, 'CidrBlock'), `${ptr}.CidrBlockSet[${i}]`, ctx)));
  list(o, 'Ipv6CidrBlockSet').forEach((c, i) => push(cidrOrProblem(str(c, 'Ipv6CidrBlock'), `${ptr}.Ipv6CidrBlockSet[${i}]`, ctx)));
  return { vpcId, ownerId: str(o, 'OwnerId'), region: str(o, 'Region'), cidrs };
}

function addPeering(m: Model, o: Obj, ptr: string, ctx: Ctx): void {
  const id = requireId(o, 'VpcPeeringConnectionId', ptr, ctx);
  if (!id) return;
  const requester = peeringSide(o.RequesterVpcInfo, `${ptr}.RequesterVpcInfo`, ctx);
  const accepter = peeringSide(o.AccepterVpcInfo, `${ptr}.AccepterVpcInfo`, ctx);
  if (!requester || !accepter) return ctx.problems.add(ctx.file, ptr, 'peering connection without RequesterVpcInfo/AccepterVpcInfo VpcId');
  const status = isObj(o.Status) ? str(o.Status, 'Code') ?? 'unknown' : 'unknown';
  m.peerings.set(id, { id, status, requester, accepter, name: nameTag(o) } satisfies Peering);
}

function addTgw(m: Model, o: Obj, ptr: string, ctx: Ctx): void {
  const id = requireId(o, 'TransitGatewayId', ptr, ctx);
  if (!id) return;
  const opts = isObj(o.Options) ? o.Options : {};
  m.transitGateways.set(id, {
    id, state: str(o, 'State') ?? 'available', ownerId: str(o, 'OwnerId') ?? ctx.accountId,
    sgReferencing: str(opts, 'SecurityGroupReferencingSupport') === 'enable', name: nameTag(o),
  } satisfies TransitGateway);
}

function addTgwAttachment(m: Model, o: Obj, ptr: string, ctx: Ctx, vpcShape: boolean): void {
  const id = requireId(o, 'TransitGatewayAttachmentId', ptr, ctx);
  const tgwId = requireId(o, 'TransitGatewayId', ptr, ctx);
  if (!id || !tgwId) return;
  const prev = m.tgwAttachments.get(id);
  const assoc = isObj(o.Association) ? o.Association : undefined;
  const next: TgwAttachment = {
    id, tgwId,
    resourceType: vpcShape ? 'vpc' : str(o, 'ResourceType') ?? prev?.resourceType ?? 'vpc',
    resourceId: (vpcShape ? str(o, 'VpcId') : str(o, 'ResourceId')) ?? prev?.resourceId ?? '',
    resourceOwnerId: (vpcShape ? str(o, 'VpcOwnerId') : str(o, 'ResourceOwnerId')) ?? prev?.resourceOwnerId,
    state: str(o, 'State') ?? prev?.state ?? 'available',
    routeTableId: (assoc && str(assoc, 'TransitGatewayRouteTableId')) ?? prev?.routeTableId,
    associationState: (assoc && str(assoc, 'State')) ?? prev?.associationState,
    subnetIds: Array.isArray(o.SubnetIds) ? (o.SubnetIds as unknown[]).filter((s): s is string => typeof s === 'string') : prev?.subnetIds,
    name: nameTag(o) ?? prev?.name,
  };
  m.tgwAttachments.set(id, next);
}

function addTgwRouteTable(m: Model, o: Obj, ptr: string, ctx: Ctx): void {
  const id = requireId(o, 'TransitGatewayRouteTableId', ptr, ctx);
  if (!id) return;
  const prev = m.tgwRouteTables.get(id);
  m.tgwRouteTables.set(id, { id, tgwId: str(o, 'TransitGatewayId') ?? '', name: nameTag(o), routes: prev?.routes ?? null } satisfies TgwRouteTable);
}

function readTgwRoutes(o: Obj, ptr: string, ctx: Ctx, out: Array<{ rtbId: string; routes: TgwRoute[] }>): void {
  const rtbId = requireId(o, 'TransitGatewayRouteTableId', ptr, ctx);
  if (!rtbId) return;
  const routes: TgwRoute[] = [];
  list(o, 'Routes').forEach((r, i) => {
    const cidrText = str(r, 'DestinationCidrBlock');
    const cidr = cidrText === undefined ? null : cidrOrProblem(cidrText, `${ptr}.Routes[${i}]`, ctx) ?? null;
    routes.push({
      routeTableId: rtbId, cidr, prefixListId: str(r, 'PrefixListId'),
      attachmentIds: list(r, 'TransitGatewayAttachments').map((a) => str(a, 'TransitGatewayAttachmentId')).filter((s): s is string => !!s),
      type: str(r, 'Type') ?? 'static', state: str(r, 'State') ?? 'active',
      origin: { resourceId: rtbId, pointer: `Routes[${i}]`, file: ctx.file },
    });
  });
  out.push({ rtbId, routes });
}

function addPrefixList(m: Model, o: Obj, ptr: string, ctx: Ctx, entries: Array<{ id: string; cidrs: Cidr[] }>): void {
  const id = requireId(o, 'PrefixListId', ptr, ctx);
  if (!id) return;
  const prev = m.prefixLists.get(id);
  const pl: PrefixList = {
    id, name: str(o, 'PrefixListName') ?? prev?.name, maxEntries: num(o, 'MaxEntries') ?? prev?.maxEntries,
    ownerId: str(o, 'OwnerId') ?? prev?.ownerId, cidrs: prev?.cidrs ?? null,
  };
  m.prefixLists.set(id, pl);
  if (Array.isArray(o.Cidrs)) {
    const cidrs = (o.Cidrs as unknown[]).map((c, i) => cidrOrProblem(typeof c === 'string' ? c : undefined, `${ptr}.Cidrs[${i}]`, ctx));
    entries.push({ id, cidrs: cidrs.filter((c): c is Cidr => !!c) });
  }
  if (Array.isArray(o.Entries)) readPlEntries(o, ptr, ctx, entries);
}

function readPlEntries(o: Obj, ptr: string, ctx: Ctx, out: Array<{ id: string; cidrs: Cidr[] }>): void {
  const id = requireId(o, 'PrefixListId', ptr, ctx);
  if (!id) return;
  const cidrs = list(o, 'Entries')
    .map((e, i) => cidrOrProblem(str(e, 'Cidr'), `${ptr}.Entries[${i}]`, ctx))
    .filter((c): c is Cidr => !!c);
  out.push({ id, cidrs });
}

function addEndpoint(m: Model, o: Obj, ptr: string, ctx: Ctx): void {
  const id = requireId(o, 'VpcEndpointId', ptr, ctx);
  const vpcId = requireId(o, 'VpcId', ptr, ctx);
  if (!id || !vpcId) return;
  m.vpcEndpoints.set(id, {
    id, vpcId, type: str(o, 'VpcEndpointType') ?? 'Gateway', serviceName: str(o, 'ServiceName') ?? '',
    state: (str(o, 'State') ?? 'available').toLowerCase(),
    routeTableIds: Array.isArray(o.RouteTableIds) ? (o.RouteTableIds as unknown[]).filter((s): s is string => typeof s === 'string') : [],
  } satisfies VpcEndpoint);
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const a = map.get(key);
  if (a) a.push(value);
  else map.set(key, [value]);
}

function buildIndexes(m: Model): void {
  const ix = m.index;
  for (const eni of m.enis.values()) {
    for (const a of eni.privateIps) pushTo(ix.addressOwners, a.text, { eniId: eni.id, kind: 'private' as const });
    for (const a of eni.ipv6) pushTo(ix.addressOwners, a.text, { eniId: eni.id, kind: 'ipv6' as const });
    for (const p of eni.publicIps) pushTo(ix.addressOwners, p.publicIp.text, { eniId: eni.id, kind: 'public' as const });
    for (const g of eni.groupIds) pushTo(ix.groupMembers, g, eni.id);
    // Fill in region/owner from the subnet when the ENI record lacks them.
    const subnet = m.subnets.get(eni.subnetId);
    eni.region ??= subnet?.region;
    eni.ownerId ??= subnet?.ownerId;
  }
  for (const nacl of m.networkAcls.values()) for (const s of nacl.subnetIds) ix.subnetNacl.set(s, nacl.id);
  for (const rt of m.routeTables.values()) {
    for (const s of rt.subnetIds) ix.subnetRouteTable.set(s, rt.id);
    if (rt.main) ix.mainRouteTable.set(rt.vpcId, rt.id);
    pushTo(ix.vpcRouteTables, rt.vpcId, rt.id);
  }
  for (const sg of m.securityGroups.values()) if (sg.vpcId) pushTo(ix.vpcGroups, sg.vpcId, sg.id);
}
