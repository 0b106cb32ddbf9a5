/** Model builder: internet and NAT gateways, peering connections, transit gateways and their route tables, VPC endpoints. */
import type { Addr } from '../net/ip.js';
import { type Ctx, type Obj, addrOrProblem, cidrList, cidrOrProblem, isObj, list, nameTag, requireId, str } from './read.js';
import type { InternetGateway, Model, NatGateway, Peering, PeeringSide, TgwAttachment, TgwRoute, TgwRouteTable, TransitGateway, VpcEndpoint } from './types.js';

export function addIgw(m: Model, o: Obj, ptr: string, ctx: Ctx): void {
  const id = requireId(o, 'InternetGatewayId', ptr, ctx);
  if (!id) return;
  const attachments = list(o, 'Attachments')
    .map((a) => ({ vpcId: str(a, 'VpcId') ?? '', state: str(a, 'State') ?? 'available' }))
    .filter((a) => a.vpcId);
  m.internetGateways.set(id, { id, attachments, name: nameTag(o) } satisfies InternetGateway);
}

export function addNat(m: Model, o: Obj, ptr: string, ctx: Ctx): void {
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

export function peeringSide(o: unknown, ptr: string, ctx: Ctx): PeeringSide | undefined {
  if (!isObj(o)) return undefined;
  const vpcId = str(o, 'VpcId');
  if (!vpcId) return undefined;
  const { cidrs, push } = cidrList();
  push(cidrOrProblem(str(o, 'CidrBlock'), `${ptr}.CidrBlock`, ctx));
  list(o, 'CidrBlockSet').forEach((c, i) => push(cidrOrProblem(str(c, 'CidrBlock'), `${ptr}.CidrBlockSet[${i}]`, ctx)));
  list(o, 'Ipv6CidrBlockSet').forEach((c, i) => push(cidrOrProblem(str(c, 'Ipv6CidrBlock'), `${ptr}.Ipv6CidrBlockSet[${i}]`, ctx)));
  return { vpcId, ownerId: str(o, 'OwnerId'), region: str(o, 'Region'), cidrs };
}

export function addPeering(m: Model, o: Obj, ptr: string, ctx: Ctx): void {
  const id = requireId(o, 'VpcPeeringConnectionId', ptr, ctx);
  if (!id) return;
  const requester = peeringSide(o.RequesterVpcInfo, `${ptr}.RequesterVpcInfo`, ctx);
  const accepter = peeringSide(o.AccepterVpcInfo, `${ptr}.AccepterVpcInfo`, ctx);
  if (!requester || !accepter) return ctx.problems.add(ctx.file, ptr, 'peering connection without RequesterVpcInfo/AccepterVpcInfo VpcId');
  const status = isObj(o.Status) ? str(o.Status, 'Code') ?? 'unknown' : 'unknown';
  m.peerings.set(id, { id, status, requester, accepter, name: nameTag(o) } satisfies Peering);
}

export function addTgw(m: Model, o: Obj, ptr: string, ctx: Ctx): void {
  const id = requireId(o, 'TransitGatewayId', ptr, ctx);
  if (!id) return;
  const opts = isObj(o.Options) ? o.Options : {};
  m.transitGateways.set(id, {
    id, state: str(o, 'State') ?? 'available', ownerId: str(o, 'OwnerId') ?? ctx.accountId,
    sgReferencing: str(opts, 'SecurityGroupReferencingSupport') === 'enable', name: nameTag(o),
  } satisfies TransitGateway);
}

export function addTgwAttachment(m: Model, o: Obj, ptr: string, ctx: Ctx, vpcShape: boolean): void {
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

export function addTgwRouteTable(m: Model, o: Obj, ptr: string, ctx: Ctx): void {
  const id = requireId(o, 'TransitGatewayRouteTableId', ptr, ctx);
  if (!id) return;
  const prev = m.tgwRouteTables.get(id);
  m.tgwRouteTables.set(id, { id, tgwId: str(o, 'TransitGatewayId') ?? '', name: nameTag(o), routes: prev?.routes ?? null } satisfies TgwRouteTable);
}

export function readTgwRoutes(o: Obj, ptr: string, ctx: Ctx, out: Array<{ rtbId: string; routes: TgwRoute[] }>): void {
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

export function addEndpoint(m: Model, o: Obj, ptr: string, ctx: Ctx): void {
  const id = requireId(o, 'VpcEndpointId', ptr, ctx);
  const vpcId = requireId(o, 'VpcId', ptr, ctx);
  if (!id || !vpcId) return;
  m.vpcEndpoints.set(id, {
    id, vpcId, type: str(o, 'VpcEndpointType') ?? 'Gateway', serviceName: str(o, 'ServiceName') ?? '',
    state: (str(o, 'State') ?? 'available').toLowerCase(),
    routeTableIds: Array.isArray(o.RouteTableIds) ? (o.RouteTableIds as unknown[]).filter((s): s is string => typeof s === 'string') : [],
  } satisfies VpcEndpoint);
}
