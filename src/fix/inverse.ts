/**
 * The way back: for an EC2 call a fix plan makes, the call(s) that undo it, computed from the
 * describe-* data as it was just before the change (and the call's own output where AWS
 * assigns an id). Also: which AWS objects a call touches (for stale-plan checks and IaC tags).
 *
 * Pure: no SDK, no I/O, no clock.
 */
import { kebabOperation } from '../model/aws-names.js';
import type { RawDoc } from '../model/raw.js';
import { toCli } from './cli.js';
import { shellCommand } from './shell.js';
import type { ApiCall } from './simulate.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const objects = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);
const str = (o: Obj, k: string): string | undefined => (typeof o[k] === 'string' ? (o[k] as string) : undefined);

export type Inverse = { ok: true; calls: ApiCall[] } | { ok: false; reason: string };

/** One AWS object a call changes: the describe-* key it is listed under and its id. */
export interface Touched {
  key: 'SecurityGroups' | 'NetworkAcls' | 'RouteTables' | 'NetworkInterfaces' | 'TransitGatewayStaticRoutes' | 'VpcPeeringConnections' | 'TransitGatewayVpcAttachments';
  idField: string;
  id: string;
}

/** Every object `key`/`idField` = id in the documents (the first copy wins where it matters). */
export function findObjects(docs: readonly RawDoc[], key: string, idField: string, id: string): Obj[] {
  const out: Obj[] = [];
  for (const d of docs) if (isObj(d.data)) for (const o of objects(d.data[key])) if (o[idField] === id) out.push(o);
  return out;
}

const findObject = (docs: readonly RawDoc[], key: string, idField: string, id: string): Obj | undefined => findObjects(docs, key, idField, id)[0];

/** The AWS objects a call changes. Unknown operations touch nothing known (callers refuse them anyway). */
export function touchedBy(call: ApiCall): Touched[] {
  const i = call.input;
  const s = (k: string) => (typeof i[k] === 'string' ? (i[k] as string) : '');
  switch (call.operation) {
    case 'AuthorizeSecurityGroupIngress': case 'AuthorizeSecurityGroupEgress': case 'RevokeSecurityGroupIngress': case 'RevokeSecurityGroupEgress':
    case 'DeleteSecurityGroup':
      return s('GroupId') ? [{ key: 'SecurityGroups', idField: 'GroupId', id: s('GroupId') }] : [];
    case 'DeleteVpcPeeringConnection':
      return [{ key: 'VpcPeeringConnections', idField: 'VpcPeeringConnectionId', id: s('VpcPeeringConnectionId') }];
    case 'CreateNetworkAclEntry': case 'ReplaceNetworkAclEntry': case 'DeleteNetworkAclEntry':
      return [{ key: 'NetworkAcls', idField: 'NetworkAclId', id: s('NetworkAclId') }];
    case 'CreateRoute': case 'ReplaceRoute': case 'DeleteRoute':
      return [{ key: 'RouteTables', idField: 'RouteTableId', id: s('RouteTableId') }];
    case 'ModifyNetworkInterfaceAttribute':
      return [{ key: 'NetworkInterfaces', idField: 'NetworkInterfaceId', id: s('NetworkInterfaceId') }];
    case 'EnableVgwRoutePropagation': case 'DisableVgwRoutePropagation':
      return [{ key: 'RouteTables', idField: 'RouteTableId', id: s('RouteTableId') }];
    case 'EnableTransitGatewayRouteTablePropagation': case 'DisableTransitGatewayRouteTablePropagation':
    case 'CreateTransitGatewayRoute': case 'ReplaceTransitGatewayRoute': case 'DeleteTransitGatewayRoute':
      return [{ key: 'TransitGatewayStaticRoutes', idField: 'TransitGatewayRouteTableId', id: s('TransitGatewayRouteTableId') }];
    case 'AcceptVpcPeeringConnection':
      return [{ key: 'VpcPeeringConnections', idField: 'VpcPeeringConnectionId', id: s('VpcPeeringConnectionId') }];
    case 'ModifyTransitGatewayVpcAttachment':
      return [{ key: 'TransitGatewayVpcAttachments', idField: 'TransitGatewayAttachmentId', id: s('TransitGatewayAttachmentId') }];
    default:
      return [];
  }
}

const ROUTE_DESTINATIONS = ['DestinationCidrBlock', 'DestinationIpv6CidrBlock', 'DestinationPrefixListId'] as const;
const ROUTE_TARGETS = ['GatewayId', 'NatGatewayId', 'TransitGatewayId', 'VpcPeeringConnectionId', 'NetworkInterfaceId', 'EgressOnlyInternetGatewayId',
  'LocalGatewayId', 'CarrierGatewayId', 'VpcEndpointId', 'CoreNetworkArn', 'InstanceId'] as const;

function routeDestination(input: Obj): Obj {
  const d: Obj = {};
  for (const k of ROUTE_DESTINATIONS) if (typeof input[k] === 'string') d[k] = input[k];
  return d;
}

function previousRoute(before: readonly RawDoc[], tableId: string, dest: Obj): Obj | undefined {
  const table = findObject(before, 'RouteTables', 'RouteTableId', tableId);
  return objects(table?.Routes).find((r) => ROUTE_DESTINATIONS.every((k) => (dest[k] === undefined ? r[k] === undefined || r[k] === null : r[k] === dest[k])));
}

function previousNaclEntry(before: readonly RawDoc[], naclId: string, ruleNumber: unknown, egress: unknown): Obj | undefined {
  const acl = findObject(before, 'NetworkAcls', 'NetworkAclId', naclId);
  return objects(acl?.Entries).find((e) => e.RuleNumber === ruleNumber && Boolean(e.Egress) === Boolean(egress));
}

function naclEntryCall(operation: string, naclId: string, e: Obj): ApiCall {
  const input: Obj = { NetworkAclId: naclId, RuleNumber: e.RuleNumber, Protocol: String(e.Protocol), RuleAction: e.RuleAction, Egress: Boolean(e.Egress) };
  if (typeof e.CidrBlock === 'string') input.CidrBlock = e.CidrBlock;
  if (typeof e.Ipv6CidrBlock === 'string') input.Ipv6CidrBlock = e.Ipv6CidrBlock;
  if (isObj(e.PortRange)) input.PortRange = { From: e.PortRange.From, To: e.PortRange.To };
  if (isObj(e.IcmpTypeCode)) input.IcmpTypeCode = { Type: e.IcmpTypeCode.Type, Code: e.IcmpTypeCode.Code };
  return { operation, input };
}

function previousTgwRoute(before: readonly RawDoc[], tableId: string, cidr: unknown): Obj | undefined {
  for (const w of findObjects(before, 'TransitGatewayStaticRoutes', 'TransitGatewayRouteTableId', tableId)) {
    const r = objects(w.Routes).find((x) => x.DestinationCidrBlock === cidr);
    if (r) return r;
  }
  return undefined;
}

/**
 * The calls that undo `call`, given the data just before it ran and (for calls that create an
 * object) the call's output. `ok: false` names why sgwhy will not undo it automatically.
 */
export function inverseOf(call: ApiCall, before: readonly RawDoc[], output: Obj = {}): Inverse {
  const i = call.input;
  const s = (k: string) => str(i, k) ?? '';
  switch (call.operation) {
    case 'AuthorizeSecurityGroupIngress':
    case 'AuthorizeSecurityGroupEgress':
      // The same permissions, descriptions included: an exact match revokes exactly the rules added.
      return { ok: true, calls: [{ operation: call.operation.replace('Authorize', 'Revoke'), input: { GroupId: s('GroupId'), IpPermissions: structuredClone(i.IpPermissions) } }] };
    case 'CreateNetworkAclEntry':
      return { ok: true, calls: [{ operation: 'DeleteNetworkAclEntry', input: { NetworkAclId: s('NetworkAclId'), RuleNumber: i.RuleNumber, Egress: Boolean(i.Egress) } }] };
    case 'ReplaceNetworkAclEntry': {
      const prev = previousNaclEntry(before, s('NetworkAclId'), i.RuleNumber, i.Egress);
      if (!prev) return { ok: false, reason: `rule ${String(i.RuleNumber)} of ${s('NetworkAclId')} is not in the data taken before the change, so its previous value is unknown.` };
      return { ok: true, calls: [naclEntryCall('ReplaceNetworkAclEntry', s('NetworkAclId'), prev)] };
    }
    case 'CreateRoute':
      return { ok: true, calls: [{ operation: 'DeleteRoute', input: { RouteTableId: s('RouteTableId'), ...routeDestination(i) } }] };
    case 'ReplaceRoute': {
      const prev = previousRoute(before, s('RouteTableId'), routeDestination(i));
      const target = prev ? ROUTE_TARGETS.find((k) => typeof prev[k] === 'string' && prev[k] !== '') : undefined;
      if (!prev || !target) return { ok: false, reason: `the route being replaced in ${s('RouteTableId')} is not in the data taken before the change (or has no target sgwhy can restore).` };
      if (prev[target] === 'local') return { ok: false, reason: 'the previous route was the local route, which cannot be set with ReplaceRoute.' };
      return { ok: true, calls: [{ operation: 'ReplaceRoute', input: { RouteTableId: s('RouteTableId'), ...routeDestination(i), [target]: prev[target] } }] };
    }
    case 'ModifyNetworkInterfaceAttribute': {
      const eni = findObject(before, 'NetworkInterfaces', 'NetworkInterfaceId', s('NetworkInterfaceId'));
      const groups = objects(eni?.Groups).map((g) => str(g, 'GroupId')).filter((g): g is string => !!g);
      if (!eni || groups.length === 0) return { ok: false, reason: `the groups ${s('NetworkInterfaceId')} had before the change are not in the data.` };
      return { ok: true, calls: [{ operation: 'ModifyNetworkInterfaceAttribute', input: { NetworkInterfaceId: s('NetworkInterfaceId'), Groups: groups } }] };
    }
    case 'EnableTransitGatewayRouteTablePropagation':
      return { ok: true, calls: [{ operation: 'DisableTransitGatewayRouteTablePropagation', input: { TransitGatewayRouteTableId: s('TransitGatewayRouteTableId'), TransitGatewayAttachmentId: s('TransitGatewayAttachmentId') } }] };
    case 'EnableVgwRoutePropagation':
      return { ok: true, calls: [{ operation: 'DisableVgwRoutePropagation', input: { RouteTableId: s('RouteTableId'), GatewayId: s('GatewayId') } }] };
    case 'CreateTransitGatewayRoute':
      return { ok: true, calls: [{ operation: 'DeleteTransitGatewayRoute', input: { TransitGatewayRouteTableId: s('TransitGatewayRouteTableId'), DestinationCidrBlock: s('DestinationCidrBlock') } }] };
    case 'ReplaceTransitGatewayRoute': {
      const prev = previousTgwRoute(before, s('TransitGatewayRouteTableId'), i.DestinationCidrBlock);
      if (!prev) return { ok: false, reason: `the transit gateway route ${s('DestinationCidrBlock')} in ${s('TransitGatewayRouteTableId')} is not in the data taken before the change.` };
      const base = { TransitGatewayRouteTableId: s('TransitGatewayRouteTableId'), DestinationCidrBlock: s('DestinationCidrBlock') };
      if (prev.State === 'blackhole') return { ok: true, calls: [{ operation: 'ReplaceTransitGatewayRoute', input: { ...base, Blackhole: true } }] };
      const att = str(objects(prev.TransitGatewayAttachments)[0] ?? {}, 'TransitGatewayAttachmentId');
      if (!att) return { ok: false, reason: `the transit gateway route ${s('DestinationCidrBlock')} had no attachment sgwhy can restore.` };
      return { ok: true, calls: [{ operation: 'ReplaceTransitGatewayRoute', input: { ...base, TransitGatewayAttachmentId: att } }] };
    }
    case 'ModifyTransitGatewayVpcAttachment': {
      const att = findObject(before, 'TransitGatewayVpcAttachments', 'TransitGatewayAttachmentId', s('TransitGatewayAttachmentId'));
      const had = Array.isArray(att?.SubnetIds) ? (att.SubnetIds as unknown[]) : [];
      const added = (Array.isArray(i.AddSubnetIds) ? (i.AddSubnetIds as unknown[]) : []).filter((x) => !had.includes(x));
      if (added.length === 0) return { ok: true, calls: [] };
      return { ok: true, calls: [{ operation: 'ModifyTransitGatewayVpcAttachment', input: { TransitGatewayAttachmentId: s('TransitGatewayAttachmentId'), RemoveSubnetIds: added } }] };
    }
    case 'CreateSecurityGroup': {
      const id = str(output, 'GroupId');
      if (!id) return { ok: false, reason: 'the new group id is not in the call\'s output.' };
      return { ok: true, calls: [{ operation: 'DeleteSecurityGroup', input: { GroupId: id } }] };
    }
    case 'CreateVpcPeeringConnection': {
      const id = str(isObj(output.VpcPeeringConnection) ? output.VpcPeeringConnection : {}, 'VpcPeeringConnectionId');
      if (!id) return { ok: false, reason: 'the new peering connection id is not in the call\'s output.' };
      return { ok: true, calls: [{ operation: 'DeleteVpcPeeringConnection', input: { VpcPeeringConnectionId: id } }] };
    }
    case 'CreateInternetGateway': {
      const id = str(isObj(output.InternetGateway) ? output.InternetGateway : {}, 'InternetGatewayId');
      if (!id) return { ok: false, reason: 'the new internet gateway id is not in the call\'s output.' };
      return { ok: true, calls: [{ operation: 'DeleteInternetGateway', input: { InternetGatewayId: id } }] };
    }
    case 'AttachInternetGateway':
      return { ok: true, calls: [{ operation: 'DetachInternetGateway', input: { InternetGatewayId: s('InternetGatewayId'), VpcId: s('VpcId') } }] };
    case 'AcceptVpcPeeringConnection':
      return { ok: false, reason: `accepting ${s('VpcPeeringConnectionId')} cannot be undone short of deleting the peering connection, which breaks every route through it; sgwhy does not do that automatically.` };
    default:
      return { ok: false, reason: `${call.operation} has no known inverse.` };
  }
}

const str$ = (v: unknown): string => String(v);
const routeDest = (i: Obj): string[] => [
  ...(typeof i.DestinationCidrBlock === 'string' ? ['--destination-cidr-block', i.DestinationCidrBlock] : []),
  ...(typeof i.DestinationIpv6CidrBlock === 'string' ? ['--destination-ipv6-cidr-block', i.DestinationIpv6CidrBlock] : []),
  ...(typeof i.DestinationPrefixListId === 'string' ? ['--destination-prefix-list-id', i.DestinationPrefixListId] : []),
];

/** CLI arguments (unquoted: shellCommand quotes each) for the calls only a revert makes; toCli renders the ones fix plans make. */
const INVERSE_RENDER: Record<string, (i: Obj) => string[]> = {
  RevokeSecurityGroupIngress: (i) => ['--group-id', str$(i.GroupId), '--ip-permissions', JSON.stringify(i.IpPermissions)],
  RevokeSecurityGroupEgress: (i) => ['--group-id', str$(i.GroupId), '--ip-permissions', JSON.stringify(i.IpPermissions)],
  DeleteNetworkAclEntry: (i) => ['--network-acl-id', str$(i.NetworkAclId), i.Egress ? '--egress' : '--ingress', '--rule-number', str$(i.RuleNumber)],
  DeleteRoute: (i) => ['--route-table-id', str$(i.RouteTableId), ...routeDest(i)],
  DeleteTransitGatewayRoute: (i) => ['--transit-gateway-route-table-id', str$(i.TransitGatewayRouteTableId), '--destination-cidr-block', str$(i.DestinationCidrBlock)],
  DeleteSecurityGroup: (i) => ['--group-id', str$(i.GroupId)],
  DeleteVpcPeeringConnection: (i) => ['--vpc-peering-connection-id', str$(i.VpcPeeringConnectionId)],
  DisableTransitGatewayRouteTablePropagation: (i) => ['--transit-gateway-route-table-id', str$(i.TransitGatewayRouteTableId), '--transit-gateway-attachment-id', str$(i.TransitGatewayAttachmentId)],
  DisableVgwRoutePropagation: (i) => ['--route-table-id', str$(i.RouteTableId), '--gateway-id', str$(i.GatewayId)],
  DetachInternetGateway: (i) => ['--internet-gateway-id', str$(i.InternetGatewayId), '--vpc-id', str$(i.VpcId)],
  DeleteInternetGateway: (i) => ['--internet-gateway-id', str$(i.InternetGatewayId)],
};

/** The AWS CLI command for any call sgwhy may make (a fix step or its inverse). Throws BAD_USAGE for others. */
export function commandFor(call: ApiCall, region?: string): string {
  const i = call.input;
  let args: string[] | undefined;
  if (Object.hasOwn(INVERSE_RENDER, call.operation)) args = INVERSE_RENDER[call.operation]!(i);
  else if (call.operation === 'ReplaceTransitGatewayRoute' && i.Blackhole === true) {
    args = ['--transit-gateway-route-table-id', str$(i.TransitGatewayRouteTableId), '--destination-cidr-block', str$(i.DestinationCidrBlock), '--blackhole'];
  } else if (call.operation === 'ModifyTransitGatewayVpcAttachment' && Array.isArray(i.RemoveSubnetIds)) {
    args = ['--transit-gateway-attachment-id', str$(i.TransitGatewayAttachmentId), '--remove-subnet-ids', ...(i.RemoveSubnetIds as unknown[]).map(str$)];
  }
  if (!args) return toCli(call.operation, i, region);
  return shellCommand(['aws', 'ec2', kebabOperation(call.operation), ...args, ...(region ? ['--region', region] : [])]);
}
