/**
 * The fix simulator's route-propagation calls: a transit gateway attachment propagating into a
 * TGW route table (recorded under TransitGatewayPropagations, as Batfish's layout holds it), and a
 * virtual private gateway propagating into a VPC route table (PropagatingVgws). The routes
 * themselves are derived by the model builder, as for data read from AWS.
 * Pure: no SDK, no I/O, no clock.
 */
import { SgwhyError } from '../errors/errors.js';
import type { RawDoc } from '../model/raw.js';

type Obj = Record<string, unknown>;
interface Call { operation: string; input: Obj }

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const objects = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);
const usage = (m: string) => new SgwhyError('BAD_USAGE', m);
const awsError = (code: string, m: string) => new SgwhyError('AWS_ERROR', `${code}: ${m}`, { details: { awsErrorCode: code } });

function need(input: Obj, op: string, keys: string[]): string[] {
  for (const k of Object.keys(input)) if (!keys.includes(k) && k !== 'DryRun') throw usage(`UnknownParameter: ${op} has no parameter ${k} that sgwhy can simulate.`);
  return keys.map((k) => {
    const v = input[k];
    if (typeof v !== 'string' || v === '') throw usage(`MissingParameter: ${op} needs ${k} (a non-empty string).`);
    return v;
  });
}

export function enableTgwPropagation(docs: readonly RawDoc[], call: Call): RawDoc[] {
  const [tableId, attId] = need(call.input, call.operation, ['TransitGatewayRouteTableId', 'TransitGatewayAttachmentId']) as [string, string];
  const tableDoc = docs.find((d) => objects(d.data.TransitGatewayRouteTables).some((t) => t.TransitGatewayRouteTableId === tableId));
  if (!tableDoc) throw new SgwhyError('BAD_SNAPSHOT', `Transit gateway route table ${tableId} is not in the snapshot, so the fix cannot be simulated.`, { details: { resourceId: tableId } });
  let att: Obj | undefined;
  for (const d of docs) for (const a of [...objects(d.data.TransitGatewayAttachments), ...objects(d.data.TransitGatewayVpcAttachments)]) if (a.TransitGatewayAttachmentId === attId) att ??= a;
  if (!att) throw new SgwhyError('BAD_SNAPSHOT', `Transit gateway attachment ${attId} is not in the snapshot, so the fix cannot be simulated.`, { details: { resourceId: attId } });
  const existing = docs.flatMap((d) => objects(d.data.TransitGatewayPropagations)).filter((e) => e.TransitGatewayRouteTableId === tableId)
    .flatMap((e) => objects(e.TransitGatewayRouteTablePropagations));
  if (existing.some((p) => p.TransitGatewayAttachmentId === attId && p.State === 'enabled')) {
    throw awsError('TransitGatewayRouteTablePropagation.Duplicate', `${attId} already propagates into ${tableId}.`);
  }
  const prop: Obj = {
    TransitGatewayAttachmentId: attId, ResourceId: att.ResourceId ?? att.VpcId, ResourceType: att.ResourceType ?? 'vpc', State: 'enabled',
  };
  const i = docs.findIndex((d) => Array.isArray(d.data.TransitGatewayPropagations) && d.accountId === tableDoc.accountId && d.region === tableDoc.region);
  if (i < 0) {
    const doc: RawDoc = { file: 'simulated:GetTransitGatewayRouteTablePropagations', data: { TransitGatewayPropagations: [{ TransitGatewayRouteTableId: tableId, TransitGatewayRouteTablePropagations: [prop] }] } };
    if (tableDoc.accountId !== undefined) doc.accountId = tableDoc.accountId;
    if (tableDoc.region !== undefined) doc.region = tableDoc.region;
    return [...docs, doc];
  }
  const copy = structuredClone(docs[i]!) as RawDoc;
  const entries = copy.data.TransitGatewayPropagations as Obj[];
  const entry = entries.find((e) => isObj(e) && e.TransitGatewayRouteTableId === tableId);
  if (entry) entry.TransitGatewayRouteTablePropagations = [...objects(entry.TransitGatewayRouteTablePropagations).filter((p) => p.TransitGatewayAttachmentId !== attId), prop];
  else entries.push({ TransitGatewayRouteTableId: tableId, TransitGatewayRouteTablePropagations: [prop] });
  return docs.map((d, j) => (j === i ? copy : d));
}

export function enableVgwPropagation(docs: readonly RawDoc[], call: Call): RawDoc[] {
  const [rtId, vgwId] = need(call.input, call.operation, ['RouteTableId', 'GatewayId']) as [string, string];
  const tables = docs.flatMap((d) => objects(d.data.RouteTables)).filter((t) => t.RouteTableId === rtId);
  if (!tables.length) throw new SgwhyError('BAD_SNAPSHOT', `Route table ${rtId} is not in the snapshot, so the fix cannot be simulated.`, { details: { resourceId: rtId } });
  const vgw = docs.flatMap((d) => objects(d.data.VpnGateways)).find((g) => g.VpnGatewayId === vgwId);
  if (!vgw) throw new SgwhyError('BAD_SNAPSHOT', `Virtual private gateway ${vgwId} is not in the snapshot, so the fix cannot be simulated.`, { details: { resourceId: vgwId } });
  if (!objects(vgw.VpcAttachments).some((a) => a.VpcId === tables[0]!.VpcId && a.State === 'attached')) {
    throw awsError('Gateway.NotAttached', `${vgwId} is not attached to ${String(tables[0]!.VpcId)}.`);
  }
  return docs.map((d) => {
    if (!objects(d.data.RouteTables).some((t) => t.RouteTableId === rtId)) return d;
    const copy = structuredClone(d) as RawDoc;
    for (const t of objects(copy.data.RouteTables)) {
      if (t.RouteTableId !== rtId) continue;
      const have = objects(t.PropagatingVgws);
      if (!have.some((p) => p.GatewayId === vgwId)) t.PropagatingVgws = [...have, { GatewayId: vgwId }];
    }
    return copy;
  });
}

/** AttachInternetGateway: AWS lists an attached internet gateway's attachment with State "available". */
export function attachInternetGateway(docs: readonly RawDoc[], call: Call): RawDoc[] {
  const [igwId, vpcId] = need(call.input, call.operation, ['InternetGatewayId', 'VpcId']) as [string, string];
  const all = docs.flatMap((d) => objects(d.data.InternetGateways));
  const igw = all.find((g) => g.InternetGatewayId === igwId);
  if (!igw) throw new SgwhyError('BAD_SNAPSHOT', `Internet gateway ${igwId} is not in the snapshot, so the fix cannot be simulated.`, { details: { resourceId: igwId } });
  if (objects(igw.Attachments).length) throw awsError('Resource.AlreadyAssociated', `${igwId} is already attached to ${String(objects(igw.Attachments)[0]!.VpcId)}.`);
  if (all.some((g) => objects(g.Attachments).some((a) => a.VpcId === vpcId))) throw awsError('Resource.AlreadyAssociated', `${vpcId} already has an internet gateway attached.`);
  return docs.map((d) => {
    if (!objects(d.data.InternetGateways).some((g) => g.InternetGatewayId === igwId)) return d;
    const copy = structuredClone(d) as RawDoc;
    for (const g of objects(copy.data.InternetGateways)) if (g.InternetGatewayId === igwId) g.Attachments = [{ State: 'available', VpcId: vpcId }];
    return copy;
  });
}
