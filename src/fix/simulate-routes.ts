/**
 * The fix simulator: VPC route table routes (Create/Replace/DeleteRoute).
 * Conventions (copy-on-write, errors) in simulate.ts. Pure: no SDK, no I/O, no clock.
 */
import type { RawDoc } from '../model/raw.js';
import { isObj, objects, usage, notInSnapshot, awsError, Input, cidrKey, storedCidrKey, allCopies, rewriteItems, arrayField, type ApiCall, type Obj } from './simulate-common.js';

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

export function* instances(docs: readonly RawDoc[]): Generator<{ reservation: Obj; instance: Obj }> {
  for (const d of docs) {
    if (!isObj(d.data)) continue;
    for (const reservation of objects(d.data.Reservations)) for (const instance of objects(reservation.Instances)) yield { reservation, instance };
  }
}

export const isPrimary = (n: Obj): boolean => isObj(n.Attachment) && n.Attachment.DeviceIndex === 0;

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

export function vpcRoute(docs: readonly RawDoc[], call: ApiCall, mode: 'create' | 'replace' | 'delete'): RawDoc[] {
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
