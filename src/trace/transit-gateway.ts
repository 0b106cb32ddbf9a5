/**
 * The transit gateway hop: the attachment of the source VPC (state, Availability Zones), its
 * associated route table, and the route that carries the destination.
 */
import type { Layer } from '../answer/types.js';
import { cidrContains, type Addr } from '../net/ip.js';
import type { Model, TgwRoute, TgwRouteTable } from '../model/types.js';
import type { TraceContext } from './context.js';
import { tgwRouteRef } from './describe.js';
import type { Flow } from './flow.js';
import { beyondTgwAttachment } from './hybrid.js';
import { isUp, type Arrival, type BlockerFacts, type Endpoint } from './types.js';
import { shellCommand } from '../fix/shell.js';

/** The transit gateway route for an address: longest prefix; static wins over propagated on a tie. */
export function lookupTgwRoute(model: Model, table: TgwRouteTable, dst: Addr): TgwRoute | null {
  let best: TgwRoute | null = null;
  let bestLen = -1;
  for (const r of table.routes ?? []) {
    let len = -1;
    if (r.cidr) {
      if (cidrContains(r.cidr, dst)) len = r.cidr.prefix;
    } else if (r.prefixListId) {
      const pl = model.prefixLists.get(r.prefixListId);
      for (const c of pl?.cidrs ?? []) if (cidrContains(c, dst) && c.prefix > len) len = c.prefix;
    }
    if (len < 0) continue;
    // Static routes win over propagated ones for the same prefix.
    if (len > bestLen || (len === bestLen && best && best.type !== 'static' && r.type === 'static')) {
      best = r;
      bestLen = len;
    }
  }
  return best;
}

export function viaTransitGateway(ctx: TraceContext, tgwId: string, fromSubnetId: string, fromVpc: string, flow: Flow, goal: Endpoint): Arrival {
  const m = ctx.model;
  const tgw = m.transitGateways.get(tgwId);
  const stop = (layer: Layer, code: 'BAD_STATE' | 'BAD_STATE_ATTACHMENT' | 'TGW_RTB_CANNOT_ROUTE' | 'BAD_STATE_ROUTE', resourceId: string, msg: string, facts: BlockerFacts): Arrival => {
    ctx.hop('TRANSIT_GATEWAY', layer, resourceId, 'drop', flow, msg);
    ctx.block({ layer, resourceId, direction: 'egress', code, explanation: msg, evidence: { decidingRule: null, evaluated: [], summary: msg }, vpcId: fromVpc,
      ...(tgw?.ownerId ? { accountId: tgw.ownerId } : {}), facts });
    return ctx.assume(goal, flow, fromVpc);
  };
  if (tgw && !isUp(tgw.state)) return stop('gateway', 'BAD_STATE', tgwId, `Transit gateway ${tgwId} is ${tgw.state}.`, { kind: 'state', resourceId: tgwId, state: tgw.state });
  if (!m.present.has('TransitGatewayAttachments') && !m.present.has('TransitGatewayVpcAttachments')) {
    const msg = `Transit gateway attachments are not in the data: cannot follow ${tgwId}.`;
    ctx.hop('TRANSIT_GATEWAY', 'gateway', tgwId, 'unknown', flow, msg);
    ctx.unknown({ layer: 'gateway', code: 'MISSING_DATA', resourceId: tgwId, message: msg, missing: shellCommand(['aws', 'ec2', 'describe-transit-gateway-attachments', '--filters', `Name=transit-gateway-id,Values=${tgwId}`]) });
    return ctx.assume(goal, flow, fromVpc);
  }
  const local = [...m.tgwAttachments.values()].find((a) => a.tgwId === tgwId && a.resourceType === 'vpc' && a.resourceId === fromVpc);
  if (!local) return stop('gateway', 'BAD_STATE_ATTACHMENT', tgwId, `${fromVpc} is not attached to transit gateway ${tgwId}.`, { kind: 'state', resourceId: tgwId, state: 'not-attached' });
  if (!isUp(local.state)) return stop('gateway', 'BAD_STATE_ATTACHMENT', local.id, `Attachment ${local.id} of ${fromVpc} to ${tgwId} is ${local.state}.`, { kind: 'state', resourceId: local.id, state: local.state });
  // A VPC attachment carries traffic only from the Availability Zones of its subnets: without the
  // attachment's subnets or the subnets' zones, that is unknown (never assumed).
  const fromAz = m.subnets.get(fromSubnetId)?.az;
  const azs = local.subnetIds?.map((s) => m.subnets.get(s)?.az);
  const servesZone = fromAz !== undefined && azs !== undefined && azs.includes(fromAz);
  if (!servesZone && fromAz && azs && azs.every((a) => a !== undefined)) {
    return stop('gateway', 'BAD_STATE_ATTACHMENT', local.id, `Attachment ${local.id} has no subnet in ${fromAz}: resources in that Availability Zone cannot reach ${tgwId}.`, { kind: 'state', resourceId: local.id, state: 'no-subnet-in-az', subnetId: fromSubnetId, attachment: local });
  }
  if (!servesZone) {
    const unknownSubnets = [...new Set([fromSubnetId, ...(local.subnetIds ?? [])].filter((s) => !m.subnets.get(s)?.az))];
    const msg = !local.subnetIds
      ? `The subnets of attachment ${local.id} are not in the data (TransitGatewayVpcAttachments): cannot tell whether it serves the Availability Zone of ${fromSubnetId}.`
      : `The Availability Zone of ${unknownSubnets.join(', ')} is not in the data: cannot tell whether attachment ${local.id} serves the zone of ${fromSubnetId}.`;
    ctx.hop('TRANSIT_GATEWAY', 'gateway', local.id, 'unknown', flow, msg);
    ctx.unknown({ layer: 'gateway', code: 'MISSING_DATA', resourceId: local.id, message: msg,
      missing: !local.subnetIds
        ? shellCommand(['aws', 'ec2', 'describe-transit-gateway-vpc-attachments', '--transit-gateway-attachment-ids', local.id])
        : shellCommand(['aws', 'ec2', 'describe-subnets', '--subnet-ids', ...unknownSubnets]) });
  }
  if (!local.routeTableId) return stop('gateway', 'TGW_RTB_CANNOT_ROUTE', local.id, `Attachment ${local.id} is not associated with any transit gateway route table.`, { kind: 'state', resourceId: local.id, state: 'not-associated' });
  return tgwFromTable(ctx, tgwId, local.routeTableId, fromVpc, flow, goal, 0);
}

/**
 * From a transit gateway route table on: the route for the destination (static, propagated from
 * VPC attachments — derived from the propagations when the data holds static routes only — or
 * unknown when only routes learned over BGP could match), then the attachment it leads to.
 * `depth` counts transit gateway peerings crossed.
 */
export function tgwFromTable(ctx: TraceContext, tgwId: string, tableId: string, fromVpc: string, flow: Flow, goal: Endpoint, depth: number): Arrival {
  const m = ctx.model;
  const tgw = m.transitGateways.get(tgwId);
  const stop = (layer: Layer, code: 'BAD_STATE' | 'BAD_STATE_ATTACHMENT' | 'TGW_RTB_CANNOT_ROUTE' | 'BAD_STATE_ROUTE', resourceId: string, msg: string, facts: BlockerFacts): Arrival => {
    ctx.hop('TRANSIT_GATEWAY', layer, resourceId, 'drop', flow, msg);
    ctx.block({ layer, resourceId, direction: 'egress', code, explanation: msg, evidence: { decidingRule: null, evaluated: [], summary: msg }, ...(fromVpc ? { vpcId: fromVpc } : {}),
      ...(tgw?.ownerId ? { accountId: tgw.ownerId } : {}), facts });
    return ctx.assume(goal, flow, fromVpc);
  };
  const goalVpc = ctx.goalVpc(goal);
  const remote = goalVpc ? [...m.tgwAttachments.values()].find((a) => a.tgwId === tgwId && a.resourceType === 'vpc' && a.resourceId === goalVpc) : undefined;
  const table = m.tgwRouteTables.get(tableId);
  if (!table || table.routes === null) {
    const msg = `The routes of transit gateway route table ${tableId} are not in the data.`;
    ctx.hop('TRANSIT_GATEWAY', 'gateway', tableId, 'unknown', flow, msg);
    ctx.unknown({ layer: 'gateway', code: 'MISSING_DATA', resourceId: tableId, message: msg, missing: shellCommand(['aws', 'ec2', 'search-transit-gateway-routes', '--transit-gateway-route-table-id', tableId, '--filters', 'Name=state,Values=active,blackhole']) });
    return ctx.assume(goal, flow, fromVpc);
  }
  const r = lookupTgwRoute(m, table, flow.dst);
  const tfacts = (route: typeof r): BlockerFacts => ({ kind: 'tgw-route', table, dst: flow.dst, route, ...(remote ? { remote } : {}), targetCidrs: ctx.targetCidrs(goal, flow.dst) });
  const bgp = m.hybrid?.bgpSources.get(table.id) ?? [];
  if (!r && bgp.length) {
    const names = bgp.map((p) => `${p.attachmentId} (${p.resourceType} ${p.resourceId})`).join(', ');
    const msg = `Transit gateway route table ${table.id} has no static or VPC-propagated route for ${flow.dst.text}; ${names} propagate${bgp.length === 1 ? 's' : ''} routes learned over BGP into it, and those are in no file.`;
    ctx.hop('TRANSIT_GATEWAY', 'gateway', table.id, 'unknown', flow, msg);
    ctx.unknown({ layer: 'gateway', code: 'OUTSIDE_DATA', resourceId: table.id, message: msg,
      missing: shellCommand(['aws', 'ec2', 'search-transit-gateway-routes', '--transit-gateway-route-table-id', table.id, '--filters', 'Name=type,Values=propagated']) });
    return ctx.assume(goal, flow, fromVpc);
  }
  if (!r) return stop('gateway', 'TGW_RTB_CANNOT_ROUTE', table.id, `Transit gateway route table ${table.id} has no route that matches ${flow.dst.text}.`, tfacts(null));
  if (r.state === 'blackhole' || r.attachmentIds.length === 0) return stop('gateway', 'BAD_STATE_ROUTE', table.id, `Transit gateway route ${tgwRouteRef(r).text} in ${table.id} drops ${flow.dst.text}.`, tfacts(r));
  const next = m.tgwAttachments.get(r.attachmentIds[0]!);
  ctx.hop('TRANSIT_GATEWAY', 'gateway', table.id, 'forward', flow, `Transit gateway ${tgwId}, route table ${table.id}: ${tgwRouteRef(r).text}${r.type === 'propagated' ? ' (propagated)' : ''}.`, { decidingRule: tgwRouteRef(r) });
  if (bgp.length && r.cidr && r.cidr.prefix < (r.cidr.family === 4 ? 32 : 128)) {
    ctx.warnings.push(`${table.id} also learns routes over BGP from ${bgp.map((p) => p.attachmentId).join(', ')} (in no file): a more specific one for ${flow.dst.text} would win over ${r.cidr.text}.`);
  }
  if (!next) {
    ctx.unknown({ layer: 'gateway', code: 'MISSING_DATA', resourceId: r.attachmentIds[0]!, message: `Attachment ${r.attachmentIds[0]} is not in the data.` });
    return goal.kind === 'interface' ? ctx.assume(goal, flow, fromVpc) : { status: 'stopped' };
  }
  if (next.resourceType !== 'vpc') return beyondTgwAttachment(ctx, tgwId, next, fromVpc, flow, goal, stop, tfacts(r), depth);
  if (goal.kind === 'interface' && !goal.viaPublic) {
    if (goal.eni.vpcId !== next.resourceId) {
      const msg = `${table.id} sends ${flow.dst.text} to ${next.id} (${next.resourceId}), but ${flow.dst.text} is on ${goal.eni.id} in ${goal.eni.vpcId}.`;
      return stop('gateway', 'TGW_RTB_CANNOT_ROUTE', table.id, msg, tfacts(r));
    }
    if (!isUp(next.state)) {
      return stop('gateway', 'BAD_STATE_ATTACHMENT', next.id, `Attachment ${next.id} of ${next.resourceId} to ${tgwId} is ${next.state}.`, { kind: 'state', resourceId: next.id, state: next.state });
    }
    return { status: 'arrived', vpcId: next.resourceId, flow, crossing: 'tgw', tgwAllowsRefs: tgw?.sgReferencing === true && depth === 0 };
  }
  if (goal.kind !== 'unowned') {
    ctx.unknown({ layer: 'gateway', code: 'OUTSIDE_DATA', resourceId: next.resourceId, message: `${flow.dst.text} is reached through ${tgwId} in ${next.resourceId}, whose interfaces are not in the data.` });
  }
  return { status: 'stopped' };
}
