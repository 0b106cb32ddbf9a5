/** Model builder: VPCs, subnets, route tables and prefix lists. */
import type { Cidr } from '../net/ip.js';
import { type Ctx, type Obj, cidrList, cidrOrProblem, isObj, list, nameTag, num, regionOfAz, requireId, str } from './read.js';
import type { Model, PrefixList, Route, RouteTable, RouteTargetKind, Subnet, Vpc } from './types.js';

export function addVpc(m: Model, o: Obj, ptr: string, ctx: Ctx): void {
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

export function addSubnet(m: Model, o: Obj, ptr: string, ctx: Ctx): void {
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

export const TARGET_FIELDS: Array<[string, RouteTargetKind | ((id: string) => RouteTargetKind)]> = [
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

export function addRouteTable(m: Model, o: Obj, ptr: string, ctx: Ctx): void {
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

export function addPrefixList(m: Model, o: Obj, ptr: string, ctx: Ctx, entries: Array<{ id: string; cidrs: Cidr[] }>): void {
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

export function readPlEntries(o: Obj, ptr: string, ctx: Ctx, out: Array<{ id: string; cidrs: Cidr[] }>): void {
  const id = requireId(o, 'PrefixListId', ptr, ctx);
  if (!id) return;
  const cidrs = list(o, 'Entries')
    .map((e, i) => cidrOrProblem(str(e, 'Cidr'), `${ptr}.Entries[${i}]`, ctx))
    .filter((c): c is Cidr => !!c);
  out.push({ id, cidrs });
}
