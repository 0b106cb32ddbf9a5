/**
 * Turns SDK responses into RawDocs: one doc per (account, region, operation), pages and repeated
 * calls merged, objects de-duplicated by id, exactly the keys the SDK returns minus $metadata and
 * pagination tokens. Dates become ISO strings so a live doc equals the same doc read back from a
 * snapshot file. Pure.
 */
import type { RawDoc } from '../model/raw.js';
import type { OperationName } from './operations.js';
import type { Scope } from './target.js';

const DROP_KEYS = new Set(['$metadata', 'NextToken', 'nextToken']);

/** JSON-safe deep copy: Dates → ISO strings, undefined dropped, $metadata and NextToken removed at the top. */
export function toPlainJson(value: unknown, top = true): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => toPlainJson(v, false));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined || (top && DROP_KEYS.has(k))) continue;
      out[k] = toPlainJson(v, false);
    }
    return out;
  }
  return value;
}

/** The id field of the objects under each describe-* key. */
export const ID_FIELDS: Readonly<Record<string, string>> = {
  Vpcs: 'VpcId',
  Subnets: 'SubnetId',
  SecurityGroups: 'GroupId',
  NetworkAcls: 'NetworkAclId',
  RouteTables: 'RouteTableId',
  NetworkInterfaces: 'NetworkInterfaceId',
  Reservations: 'ReservationId',
  InternetGateways: 'InternetGatewayId',
  NatGateways: 'NatGatewayId',
  VpcPeeringConnections: 'VpcPeeringConnectionId',
  VpcEndpoints: 'VpcEndpointId',
  PrefixLists: 'PrefixListId',
  ManagedPrefixListEntries: 'PrefixListId',
  TransitGateways: 'TransitGatewayId',
  TransitGatewayAttachments: 'TransitGatewayAttachmentId',
  TransitGatewayVpcAttachments: 'TransitGatewayAttachmentId',
  TransitGatewayRouteTables: 'TransitGatewayRouteTableId',
  TransitGatewayStaticRoutes: 'TransitGatewayRouteTableId',
  FlowLogs: 'FlowLogId',
  LoadBalancers: 'LoadBalancerArn',
  VpnGateways: 'VpnGatewayId',
  VpnConnections: 'VpnConnectionId',
  TransitGatewayPeeringAttachments: 'TransitGatewayAttachmentId',
  TransitGatewayPropagations: 'TransitGatewayRouteTableId',
};

export const liveFile = (operation: OperationName): string => `live:${operation}`;

export function makeDoc(operation: OperationName, scope: Scope, data: Record<string, unknown>): RawDoc {
  return { file: liveFile(operation), accountId: scope.accountId, region: scope.region, data: toPlainJson(data) as Record<string, unknown> };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function mergeReservation(a: Obj, b: Obj): Obj {
  const seen = new Set<string>();
  const instances: unknown[] = [];
  for (const i of [...(Array.isArray(a['Instances']) ? a['Instances'] : []), ...(Array.isArray(b['Instances']) ? b['Instances'] : [])]) {
    const id = isObj(i) && typeof i['InstanceId'] === 'string' ? i['InstanceId'] : undefined;
    if (id && seen.has(id)) continue;
    if (id) seen.add(id);
    instances.push(i);
  }
  return { ...a, Instances: instances };
}

/** Appends the arrays of `add` to `into`, de-duplicating by id (later copies of an object are dropped). */
function mergeData(into: Obj, add: Obj): void {
  for (const [key, value] of Object.entries(add)) {
    if (!Array.isArray(value)) {
      if (!(key in into)) into[key] = value;
      continue;
    }
    const existing = Array.isArray(into[key]) ? (into[key] as unknown[]) : [];
    const idField = ID_FIELDS[key];
    if (!idField) {
      into[key] = [...existing, ...value];
      continue;
    }
    const index = new Map<string, number>();
    existing.forEach((o, i) => {
      if (isObj(o) && typeof o[idField] === 'string') index.set(o[idField] as string, i);
    });
    const merged = [...existing];
    for (const o of value) {
      const id = isObj(o) && typeof o[idField] === 'string' ? (o[idField] as string) : undefined;
      if (id === undefined) merged.push(o);
      else if (!index.has(id)) {
        index.set(id, merged.length);
        merged.push(o);
      } else if (key === 'Reservations') {
        const at = index.get(id) as number;
        merged[at] = mergeReservation(merged[at] as Obj, o as Obj);
      }
    }
    into[key] = merged;
  }
}

/** Merges docs with the same (account, region, file) into one; keeps first-seen order. */
export function mergeDocs(docs: readonly RawDoc[]): RawDoc[] {
  const out = new Map<string, RawDoc>();
  for (const d of docs) {
    const k = `${d.accountId ?? ''}|${d.region ?? ''}|${d.file}`;
    const have = out.get(k);
    if (!have) out.set(k, { ...d, data: { ...d.data } });
    else mergeData(have.data, d.data);
  }
  return [...out.values()];
}
