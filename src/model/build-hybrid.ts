/**
 * Builds Model.hybrid: virtual private gateways, VPN connections, transit gateway propagations
 * and peering attachments, load balancers. Two passes: readHybrid collects the raw objects (with
 * the builder's problem list), applyHybrid derives what the data leaves implicit once the rest of
 * the model is built:
 * - the routes of VPC attachments propagating into a transit gateway route table (the Batfish
 *   layout's TransitGatewayStaticRoutes hold static routes only), never over a route in the data;
 * - the routes a VPC route table receives from a virtual private gateway (PropagatingVgws) for
 *   VPN connections with static routing;
 * - the attachments and VPN connections whose routes are learned over BGP and are in no file, so
 *   the tracer can answer `unknown` naming them.
 * Pure: no I/O.
 */
import { cidrContains } from '../net/ip.js';
import type { RawDoc } from './raw.js';
import { addrOrProblem, cidrOrProblem, type Ctx, isObj, list, nameTag, num, type Obj, type Problems, str } from './read.js';
import type { HybridModel, LoadBalancer, TgwPeeringAttachment, TgwPropagation, VpnConnection } from './hybrid.js';
import type { Model, Route } from './types.js';
import { checkItem } from './validate.js';

/** Snapshot keys this module reads (describe-* / get-* output, and Batfish's TransitGatewayPropagations). */
export const HYBRID_KEYS = ['VpnGateways', 'VpnConnections', 'TransitGatewayPropagations', 'TransitGatewayRouteTablePropagations',
  'TransitGatewayPeeringAttachments', 'LoadBalancers'] as const;

export function emptyHybrid(): HybridModel {
  return { vpnGateways: new Map(), vpnConnections: new Map(), tgwPropagations: new Map(), tgwPeerings: new Map(), loadBalancers: new Map(),
    propagatingVgws: new Map(), bgpSources: new Map(), vgwBgpSources: new Map() };
}

const ids = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

function push<K, V>(map: Map<K, V[]>, k: K, v: V): void {
  const a = map.get(k);
  if (a) a.push(v);
  else map.set(k, [v]);
}

function propagation(o: Obj, tableId: string, ptr: string, ctx: Ctx): TgwPropagation | undefined {
  const attachmentId = str(o, 'TransitGatewayAttachmentId');
  if (!attachmentId) {
    ctx.problems.add(ctx.file, ptr, 'missing TransitGatewayAttachmentId');
    return undefined;
  }
  return { routeTableId: tableId, attachmentId, resourceType: str(o, 'ResourceType') ?? 'vpc', resourceId: str(o, 'ResourceId') ?? '',
    state: str(o, 'State') ?? 'enabled', origin: { resourceId: tableId, pointer: ptr, file: ctx.file } };
}

function loadBalancer(o: Obj, ptr: string, ctx: Ctx): LoadBalancer | undefined {
  const arn = str(o, 'LoadBalancerArn');
  if (!arn) {
    ctx.problems.add(ctx.file, ptr, 'missing LoadBalancerArn');
    return undefined;
  }
  const [, , , region, account] = arn.split(':');
  const zones = list(o, 'AvailabilityZones').map((z, i) => ({
    zone: str(z, 'ZoneName') ?? '', subnetId: str(z, 'SubnetId') ?? '',
    addresses: list(z, 'LoadBalancerAddresses').flatMap((a, j) => ['IpAddress', 'PrivateIPv4Address', 'IPv6Address']
      .map((k) => addrOrProblem(str(a, k), `${ptr}.AvailabilityZones[${i}].LoadBalancerAddresses[${j}].${k}`, ctx)).filter((x) => x !== undefined)),
  }));
  const state = isObj(o.State) ? str(o.State, 'Code') : undefined;
  const lb: LoadBalancer = {
    arn, name: str(o, 'LoadBalancerName') ?? arn.split('/').at(-2) ?? arn, type: str(o, 'Type') ?? 'application',
    scheme: str(o, 'Scheme') ?? 'internal', state: state ?? 'active', zones, securityGroups: ids(o.SecurityGroups),
  };
  const dns = str(o, 'DNSName');
  if (dns) lb.dnsName = dns.toLowerCase();
  const vpc = str(o, 'VpcId');
  if (vpc) lb.vpcId = vpc;
  const acct = account || ctx.accountId;
  if (acct) lb.ownerId = acct;
  const reg = region || ctx.region;
  if (reg) lb.region = reg;
  return lb;
}

/** First pass: every hybrid object in the documents. Problems go to the builder's list. */
export function readHybrid(docs: readonly RawDoc[], problems: Problems): { hybrid: HybridModel; present: Set<string> } {
  const h = emptyHybrid();
  const present = new Set<string>();
  const peeringSides: Array<{ id: string; tgwId: string; routeTableId: string }> = [];
  for (const doc of docs) {
    if (!isObj(doc.data)) continue;
    const ctx: Ctx = { file: doc.file, accountId: doc.accountId, region: doc.region, problems };
    const items = (key: string): Obj[] => {
      const v = doc.data[key];
      if (v === undefined) return [];
      if (!Array.isArray(v)) {
        problems.add(doc.file, key, `expected an array, found ${v === null ? 'null' : typeof v}`);
        return [];
      }
      present.add(key);
      return v.filter((o, i) => {
        if (!isObj(o)) return false;
        const bad = checkItem(key, o, `${key}[${i}]`); // validate.ts: missing, wrong-type and out-of-range fields
        for (const b of bad) problems.add(doc.file, b.pointer, b.message);
        return bad.length === 0;
      });
    };
    items('VpnGateways').forEach((o, i) => {
      const id = str(o, 'VpnGatewayId');
      if (!id) return problems.add(doc.file, `VpnGateways[${i}]`, 'missing VpnGatewayId');
      const asn = num(o, 'AmazonSideAsn');
      h.vpnGateways.set(id, { id, state: str(o, 'State') ?? 'available',
        vpcAttachments: list(o, 'VpcAttachments').map((a) => ({ vpcId: str(a, 'VpcId') ?? '', state: str(a, 'State') ?? 'attached' })),
        ...(asn !== undefined ? { asn } : {}), ...(nameTag(o) ? { name: nameTag(o)! } : {}) });
    });
    items('VpnConnections').forEach((o, i) => {
      const ptr = `VpnConnections[${i}]`;
      const id = str(o, 'VpnConnectionId');
      if (!id) return problems.add(doc.file, ptr, 'missing VpnConnectionId');
      const opts = isObj(o.Options) ? o.Options : {};
      const c: VpnConnection = {
        id, state: str(o, 'State') ?? 'available', staticRoutesOnly: opts.StaticRoutesOnly === true,
        routes: list(o, 'Routes').flatMap((r, j) => {
          const cidr = cidrOrProblem(str(r, 'DestinationCidrBlock'), `${ptr}.Routes[${j}]`, ctx);
          return cidr ? [{ cidr, state: str(r, 'State') ?? 'available', origin: { resourceId: id, pointer: `Routes[${j}]`, file: doc.file } }] : [];
        }),
        // No telemetry (missing, or an empty list): the tunnel state is unknown, not up.
        tunnels: Array.isArray(o.VgwTelemetry) && o.VgwTelemetry.length > 0
          ? list(o, 'VgwTelemetry').map((t) => ({ outsideIp: str(t, 'OutsideIpAddress') ?? '', status: str(t, 'Status') ?? 'UNKNOWN',
            ...(str(t, 'StatusMessage') ? { statusMessage: str(t, 'StatusMessage')! } : {}) }))
          : null,
      };
      for (const [k, f] of [['VpnGatewayId', 'vpnGatewayId'], ['TransitGatewayId', 'transitGatewayId'], ['CustomerGatewayId', 'customerGatewayId']] as const) {
        const v = str(o, k);
        if (v) c[f] = v;
      }
      if (nameTag(o)) c.name = nameTag(o)!;
      h.vpnConnections.set(id, c);
    });
    items('TransitGatewayPropagations').forEach((o, i) => {
      const tableId = str(o, 'TransitGatewayRouteTableId');
      if (!tableId) return problems.add(doc.file, `TransitGatewayPropagations[${i}]`, 'missing TransitGatewayRouteTableId');
      list(o, 'TransitGatewayRouteTablePropagations').forEach((p, j) => {
        const prop = propagation(p, tableId, `TransitGatewayPropagations[${i}].TransitGatewayRouteTablePropagations[${j}]`, ctx);
        if (prop) push(h.tgwPropagations, tableId, prop);
      });
    });
    // The raw get-transit-gateway-route-table-propagations output, when each item names its table.
    items('TransitGatewayRouteTablePropagations').forEach((p, i) => {
      const tableId = str(p, 'TransitGatewayRouteTableId');
      if (!tableId) return problems.add(doc.file, `TransitGatewayRouteTablePropagations[${i}]`, 'no TransitGatewayRouteTableId: wrap the output per table under TransitGatewayPropagations');
      const prop = propagation(p, tableId, `TransitGatewayRouteTablePropagations[${i}]`, ctx);
      if (prop) push(h.tgwPropagations, tableId, prop);
    });
    items('TransitGatewayPeeringAttachments').forEach((o, i) => {
      const id = str(o, 'TransitGatewayAttachmentId');
      const req = isObj(o.RequesterTgwInfo) ? o.RequesterTgwInfo : undefined;
      const acc = isObj(o.AccepterTgwInfo) ? o.AccepterTgwInfo : undefined;
      if (!id) return problems.add(doc.file, `TransitGatewayPeeringAttachments[${i}]`, 'missing TransitGatewayAttachmentId');
      if (!req || !acc || !str(req, 'TransitGatewayId') || !str(acc, 'TransitGatewayId')) return; // not a peering (some emulators list every attachment here)
      const side = (s: Obj) => ({ tgwId: str(s, 'TransitGatewayId')!, ...(str(s, 'OwnerId') ? { ownerId: str(s, 'OwnerId')! } : {}), ...(str(s, 'Region') ? { region: str(s, 'Region')! } : {}) });
      const p: TgwPeeringAttachment = { id, state: str(o, 'State') ?? 'available', requester: side(req), accepter: side(acc), routeTableByTgw: h.tgwPeerings.get(id)?.routeTableByTgw ?? new Map() };
      if (nameTag(o)) p.name = nameTag(o)!;
      h.tgwPeerings.set(id, p);
    });
    // Each side of a peering lists the same attachment id with its own association.
    for (const o of Array.isArray(doc.data.TransitGatewayAttachments) ? doc.data.TransitGatewayAttachments.filter(isObj) : []) {
      const assoc = isObj(o.Association) ? str(o.Association, 'TransitGatewayRouteTableId') : undefined;
      if (str(o, 'ResourceType') === 'peering' && str(o, 'TransitGatewayAttachmentId') && str(o, 'TransitGatewayId') && assoc) {
        peeringSides.push({ id: str(o, 'TransitGatewayAttachmentId')!, tgwId: str(o, 'TransitGatewayId')!, routeTableId: assoc });
      }
    }
    items('LoadBalancers').forEach((o, i) => {
      const lb = loadBalancer(o, `LoadBalancers[${i}]`, ctx);
      if (lb) h.loadBalancers.set(lb.arn, lb);
    });
    for (const o of Array.isArray(doc.data.RouteTables) ? doc.data.RouteTables.filter(isObj) : []) {
      const rt = str(o, 'RouteTableId');
      const vgws = list(o, 'PropagatingVgws').map((p) => str(p, 'GatewayId')).filter((g): g is string => !!g);
      if (rt && vgws.length) h.propagatingVgws.set(rt, [...new Set([...(h.propagatingVgws.get(rt) ?? []), ...vgws])]);
    }
  }
  for (const s of peeringSides) h.tgwPeerings.get(s.id)?.routeTableByTgw.set(s.tgwId, s.routeTableId);
  return { hybrid: h, present };
}

const BGP_ATTACHMENTS = new Set(['vpn', 'direct-connect-gateway', 'connect', 'peering']);

/** Second pass, once the model is built: derived routes and the BGP sources the data cannot show. */
export function applyHybrid(m: Model, h: HybridModel): void {
  for (const [tableId, props] of h.tgwPropagations) {
    const table = m.tgwRouteTables.get(tableId);
    if (!table || table.routes === null) continue; // routes not collected: stays unknown
    // Routes collected with search-transit-gateway-routes include the propagated ones; Batfish's layout does not.
    const dataHasPropagated = table.routes.some((r) => r.type === 'propagated');
    for (const p of props) {
      if (p.state !== 'enabled') continue;
      if (p.resourceType === 'vpc') {
        const vpc = m.vpcs.get(p.resourceId);
        if (!vpc) {
          m.warnings.push(`${p.resourceId} propagates into ${tableId} through ${p.attachmentId}, but the VPC is not in the data: its routes there are unknown.`);
          continue;
        }
        for (const cidr of vpc.cidrs) {
          if (table.routes.some((r) => r.cidr?.text === cidr.text)) continue; // a static (or listed) route for the same prefix wins
          table.routes.push({ routeTableId: tableId, cidr, attachmentIds: [p.attachmentId], type: 'propagated', state: 'active', origin: p.origin });
        }
      } else if (BGP_ATTACHMENTS.has(p.resourceType) && !dataHasPropagated) {
        push(h.bgpSources, tableId, p);
      }
    }
  }
  for (const [rtId, vgws] of h.propagatingVgws) {
    const rt = m.routeTables.get(rtId);
    if (!rt) continue;
    const hasPropagated = rt.routes.some((r) => r.originKind === 'EnableVgwRoutePropagation');
    for (const vgw of vgws) {
      for (const c of h.vpnConnections.values()) {
        if (c.vpnGatewayId !== vgw || c.state !== 'available') continue;
        if (!c.staticRoutesOnly) {
          if (!hasPropagated) push(h.vgwBgpSources, rtId, c);
          continue;
        }
        for (const r of c.routes) {
          if (r.state !== 'available') continue;
          if (rt.routes.some((x) => x.destination.kind === 'cidr' && x.destination.cidr.text === r.cidr.text)) continue;
          const route: Route = { routeTableId: rtId, destination: { kind: 'cidr', cidr: r.cidr }, target: { kind: 'vgw', id: vgw }, state: 'active',
            originKind: 'EnableVgwRoutePropagation', origin: r.origin };
          rt.routes.push(route);
        }
      }
    }
  }
}

/** The VPN connections of a virtual private gateway or transit gateway attachment that can carry `addr` by their static routes. */
export function vpnStaticMatch(c: VpnConnection, addr: Parameters<typeof cidrContains>[1]): boolean {
  return c.routes.some((r) => r.state === 'available' && cidrContains(r.cidr, addr));
}
