/**
 * The route table hop. Route selection as the VPC router does it: the most specific matching
 * route wins; on a tie, the local route, then static CIDR routes, then prefix-list routes, then
 * propagated routes. `transit` leaves a subnet (NACL outbound, route) and hands over to the
 * module of whatever the route targets.
 */
import { cidrContains, type Addr } from '../net/ip.js';
import type { Model, Route, RouteTable } from '../model/types.js';
import type { TraceContext } from './context.js';
import { routeRef, routeText } from './describe.js';
import type { Flow } from './flow.js';
import { viaGatewayEndpoint, viaInternetGateway, viaNat } from './gateways.js';
import { naclStep } from './nacl.js';
import { vpcsConnector, viaPeering } from './peering.js';
import { viaTransitGateway } from './transit-gateway.js';
import { vgwBgpUnknown, viaVpnGateway } from './hybrid.js';
import type { Arrival, BlockerFacts, Endpoint } from './types.js';
import { shellCommand } from '../fix/shell.js';

export interface RouteLookup {
  route: Route | null;
  /** Prefix lists referenced by routes whose entries are not in the data. */
  unknownPrefixLists: string[];
}

function tieRank(r: Route): number {
  if (r.target.kind === 'local') return 0;
  if (r.originKind === 'EnableVgwRoutePropagation') return 3;
  return r.destination.kind === 'prefixList' ? 2 : 1;
}

export function lookupRoute(model: Model, rt: RouteTable, dst: Addr): RouteLookup {
  let best: Route | null = null;
  let bestLen = -1;
  const unknownPrefixLists: string[] = [];
  for (const r of rt.routes) {
    let len = -1;
    if (r.destination.kind === 'cidr') {
      if (cidrContains(r.destination.cidr, dst)) len = r.destination.cidr.prefix;
    } else {
      const pl = model.prefixLists.get(r.destination.id);
      if (!pl || pl.cidrs === null) {
        unknownPrefixLists.push(r.destination.id);
        continue;
      }
      for (const c of pl.cidrs) if (cidrContains(c, dst) && c.prefix > len) len = c.prefix;
    }
    if (len < 0) continue;
    if (len > bestLen || (len === bestLen && best && tieRank(r) < tieRank(best))) {
      best = r;
      bestLen = len;
    }
  }
  return { route: best, unknownPrefixLists };
}

/** The route table of a subnet: its explicit association, else the VPC's main table. */
export function routeTableOf(model: Model, subnetId: string, vpcId: string): RouteTable | undefined {
  const id = model.index.subnetRouteTable.get(subnetId) ?? model.index.mainRouteTable.get(vpcId);
  return id ? model.routeTables.get(id) : undefined;
}

/** Leaves a subnet towards the goal: NACL outbound, route table, and whatever the route leads to. */
export function transit(ctx: TraceContext, fromSubnetId: string, fromVpc: string, flow: Flow, goal: Endpoint, depth = 0): Arrival {
  const m = ctx.model;
  if (goal.kind === 'interface' && !goal.viaPublic && goal.eni.subnetId === fromSubnetId) {
    ctx.hop('ROUTE', 'route-table', fromSubnetId, 'forward', flow,
      `Same subnet (${fromSubnetId}): delivered by the local route; network ACLs do not filter traffic inside a subnet.`);
    return { status: 'arrived', vpcId: fromVpc, flow, crossing: 'same-vpc', fromSubnetId };
  }
  naclStep(ctx, fromSubnetId, true, flow);
  const rt = routeTableOf(m, fromSubnetId, fromVpc);
  if (!rt) {
    const msg = `No route table in the data applies to ${fromSubnetId} (no explicit association and no main table for ${fromVpc}).`;
    ctx.hop('ROUTE', 'route-table', fromSubnetId, 'unknown', flow, msg, { direction: 'egress' });
    ctx.unknown({ layer: 'route-table', code: 'MISSING_DATA', resourceId: fromSubnetId, message: msg, missing: shellCommand(['aws', 'ec2', 'describe-route-tables', '--filters', `Name=vpc-id,Values=${fromVpc}`]) });
    return ctx.assume(goal, flow, fromVpc);
  }
  const lk = lookupRoute(m, rt, flow.dst);
  const routeName = rt.name ? { resourceName: rt.name } : {};
  const subnet = m.subnets.get(fromSubnetId);
  const blockBase = {
    layer: 'route-table' as const, resourceId: rt.id, direction: 'egress' as const, routeTableId: rt.id, subnetId: fromSubnetId, vpcId: fromVpc,
    ...(rt.ownerId ? { accountId: rt.ownerId } : {}), ...(subnet?.region ? { region: subnet.region } : {}), ...routeName,
  };
  const targetVpcId = ctx.goalVpc(goal);
  const facts = (route: typeof lk.route): BlockerFacts => ({
    kind: 'route', table: rt, dst: flow.dst, route,
    connector: targetVpcId && targetVpcId !== fromVpc ? vpcsConnector(m, fromVpc, targetVpcId) : null,
    ...(targetVpcId ? { targetVpcId } : {}), targetCidrs: ctx.targetCidrs(goal, flow.dst),
  });
  if (!lk.route) {
    if (lk.unknownPrefixLists.length) {
      const msg = `Route table ${rt.id} has routes to prefix lists whose entries are not in the data (${lk.unknownPrefixLists.join(', ')}).`;
      ctx.hop('ROUTE', 'route-table', rt.id, 'unknown', flow, msg, { direction: 'egress', ...routeName });
      ctx.unknown({ layer: 'route-table', code: 'MISSING_DATA', resourceId: rt.id, message: msg, missing: shellCommand(['aws', 'ec2', 'get-managed-prefix-list-entries', '--prefix-list-id', lk.unknownPrefixLists[0]!]) });
      return ctx.assume(goal, flow, fromVpc);
    }
    if (vgwBgpUnknown(ctx, rt.id, flow)) return ctx.assume(goal, flow, fromVpc);
    const msg = `Route table ${rt.id}${rt.name ? ` (${rt.name})` : ''} of ${fromSubnetId} has no route that matches ${flow.dst.text}.`;
    ctx.hop('ROUTE', 'route-table', rt.id, 'drop', flow, msg, { direction: 'egress', decidingRule: null, evaluatedCount: rt.routes.length, ...routeName });
    ctx.block({ ...blockBase, code: 'NO_ROUTE_TO_DESTINATION', explanation: msg,
      evidence: { decidingRule: null, evaluated: rt.routes.map(routeRef), summary: `no route matches ${flow.dst.text}` }, facts: facts(null) });
    return ctx.assume(goal, flow, fromVpc);
  }
  const route = lk.route;
  const rref = routeRef(route);
  if (route.state !== 'active' && route.target.kind === 'pcx') {
    // A route to a peering that is not active yet shows as blackhole: the peering is the cause.
    const p = m.peerings.get(route.target.id);
    if (p && p.status !== 'active' && p.status !== 'deleted') {
      ctx.hop('ROUTE', 'route-table', rt.id, 'forward', flow, `${rt.id}${rt.name ? ` (${rt.name})` : ''}: ${routeText(route)}, because ${p.id} is ${p.status}.`,
        { direction: 'egress', decidingRule: rref, evaluatedCount: rt.routes.length, ...routeName });
      return viaPeering(ctx, route.target.id, fromVpc, flow, goal, (msg) => ctx.assumeAfter(msg, goal, flow, fromVpc));
    }
  }
  if (route.state !== 'active') {
    const msg = `The route that matches ${flow.dst.text} in ${rt.id}, ${routeText(route)}, is ${route.state}: its target no longer exists.`;
    ctx.hop('ROUTE', 'route-table', rt.id, 'drop', flow, msg, { direction: 'egress', decidingRule: rref, evaluatedCount: rt.routes.length, ...routeName });
    ctx.block({ ...blockBase, code: 'BAD_STATE_ROUTE', explanation: msg, evidence: { decidingRule: rref, evaluated: rt.routes.map(routeRef), summary: `route ${routeText(route)} is ${route.state}` }, facts: facts(route) });
    return ctx.assume(goal, flow, fromVpc);
  }
  ctx.hop('ROUTE', 'route-table', rt.id, 'forward', flow, `${rt.id}${rt.name ? ` (${rt.name})` : ''}: ${routeText(route)}.`,
    { direction: 'egress', decidingRule: rref, evaluatedCount: rt.routes.length, ...routeName });
  const wrongWay = (msg: string): Arrival => {
    ctx.block({ ...blockBase, code: 'CANNOT_ROUTE', explanation: msg, evidence: { decidingRule: rref, evaluated: rt.routes.map(routeRef), summary: msg }, facts: facts(route) });
    return ctx.assume(goal, flow, fromVpc);
  };

  switch (route.target.kind) {
    case 'local': {
      if (goal.kind === 'interface' && !goal.viaPublic) {
        if (goal.eni.vpcId === fromVpc) return { status: 'arrived', vpcId: fromVpc, flow, crossing: 'same-vpc', fromSubnetId };
        return wrongWay(`${flow.dst.text} matches the local route of ${fromVpc}, but the interface that owns it (${goal.eni.id}) is in ${goal.eni.vpcId}: overlapping address ranges.`);
      }
      if (goal.kind === 'unowned') return { status: 'stopped' };
      return wrongWay(`${flow.dst.text} matches the local route of ${fromVpc}, so it never leaves the VPC.`);
    }
    case 'pcx': return viaPeering(ctx, route.target.id, fromVpc, flow, goal, wrongWay);
    case 'tgw': return viaTransitGateway(ctx, route.target.id, fromSubnetId, fromVpc, flow, goal);
    case 'igw':
    case 'eigw': return viaInternetGateway(ctx, route.target.id, fromVpc, flow, goal, wrongWay);
    case 'nat': return viaNat(ctx, route.target.id, fromSubnetId, fromVpc, flow, goal, depth);
    case 'vpce': return viaGatewayEndpoint(ctx, route.target.id, flow, goal, wrongWay);
    case 'vgw': return viaVpnGateway(ctx, route.target.id, fromVpc, flow, goal, wrongWay);
    default: {
      const what = route.target.kind === 'eni' || route.target.kind === 'instance' ? 'a network appliance' : 'a gateway sgwhy does not model';
      ctx.unknown({ layer: 'route-table', code: 'OUTSIDE_DATA', resourceId: route.target.id,
        message: `${rt.id} sends ${flow.dst.text} to ${route.target.id}, ${what}: what happens beyond it is not in the data.` });
      return ctx.assume(goal, flow, fromVpc);
    }
  }
}
