/**
 * Route selection as the VPC router does it: the most specific matching route wins; on a tie,
 * the local route, then static CIDR routes, then prefix-list routes, then propagated routes.
 */
import { cidrContains, type Addr } from '../net/ip.js';
import type { Model, Route, RouteTable, TgwRoute, TgwRouteTable } from '../model/types.js';

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
