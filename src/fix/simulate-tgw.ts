/**
 * The fix simulator: transit gateway routes and attachments, and VPC peering acceptance.
 * Conventions (copy-on-write, errors) in simulate.ts. Pure: no SDK, no I/O, no clock.
 */
import ipaddr from 'ipaddr.js';
import type { RawDoc } from '../model/raw.js';
import { isObj, objects, usage, notInSnapshot, awsError, Input, cidrKey, storedCidrKey, rewrite, itemsById, allCopies, rewriteItems, type ApiCall, type Obj } from './simulate-common.js';

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

export function transitGatewayRoute(docs: readonly RawDoc[], call: ApiCall, mode: 'create' | 'replace' | 'delete'): RawDoc[] {
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

export function acceptPeering(docs: readonly RawDoc[], call: ApiCall): RawDoc[] {
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

export function modifyTgwVpcAttachment(docs: readonly RawDoc[], call: ApiCall): RawDoc[] {
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
