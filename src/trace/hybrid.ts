/**
 * Hybrid and transit paths: virtual private gateways and their VPN connections (static routes,
 * tunnel state), transit gateway VPN / Direct Connect gateway attachments, transit gateway peering
 * (when both gateways are in the data), and on-premises addresses (private ranges outside every
 * VPC) as sources. Where the deciding part was learned over BGP, the answer is `unknown`, naming it.
 */
import type { Layer } from '../answer/types.js';
import { shellCommand } from '../fix/shell.js';
import { cidrContains } from '../net/ip.js';
import type { VpnConnection } from '../model/hybrid.js';
import type { TgwAttachment } from '../model/types.js';
import type { TraceContext } from './context.js';
import type { Flow } from './flow.js';
import { tgwFromTable } from './transit-gateway.js';
import { isUp, type Arrival, type BlockerFacts, type Endpoint } from './types.js';

const vpnLabel = (c: VpnConnection) => `${c.id}${c.name ? ` (${c.name})` : ''}`;

/** The static route of a VPN connection that carries `flow.dst`, longest prefix. */
function staticRouteFor(c: VpnConnection, flow: Flow) {
  return c.routes.filter((r) => r.state === 'available' && cidrContains(r.cidr, flow.dst)).sort((a, b) => b.cidr.prefix - a.cidr.prefix)[0];
}

/**
 * A VPN connection carries traffic only with a tunnel up. All tunnels down: blocked at the
 * connection; no telemetry in the data: the tunnel state is unknown (an `unknowns` item naming the
 * call that shows it), and the trace carries on to find anything else that blocks.
 */
function checkTunnels(ctx: TraceContext, c: VpnConnection, flow: Flow, vpcId: string | undefined): boolean {
  if (c.state !== 'available') {
    const msg = `VPN connection ${vpnLabel(c)} is ${c.state}.`;
    ctx.hop('VPN_GATEWAY', 'gateway', c.id, 'drop', flow, msg);
    ctx.block({ layer: 'gateway', resourceId: c.id, direction: 'egress', code: 'BAD_STATE', explanation: msg, evidence: { decidingRule: null, evaluated: [], summary: msg },
      ...(vpcId ? { vpcId } : {}), facts: { kind: 'state', resourceId: c.id, state: c.state } });
    return false;
  }
  if (c.tunnels === null) {
    const msg = `The tunnel status of VPN connection ${vpnLabel(c)} is not in the data (VgwTelemetry): cannot tell whether a tunnel is up.`;
    ctx.hop('VPN_GATEWAY', 'gateway', c.id, 'unknown', flow, msg);
    ctx.unknown({ layer: 'gateway', code: 'MISSING_DATA', resourceId: c.id, message: msg,
      missing: shellCommand(['aws', 'ec2', 'describe-vpn-connections', '--vpn-connection-ids', c.id, '--query', 'VpnConnections[].VgwTelemetry']) });
    return true;
  }
  if (c.tunnels.some((t) => t.status === 'UP')) return true;
  const msg = `Both tunnels of VPN connection ${vpnLabel(c)} are down (${c.tunnels.map((t) => `${t.outsideIp} ${t.status}${t.statusMessage ? `: ${t.statusMessage}` : ''}`).join('; ')}): it carries no traffic.`;
  ctx.hop('VPN_GATEWAY', 'gateway', c.id, 'drop', flow, msg);
  ctx.block({ layer: 'gateway', resourceId: c.id, direction: 'egress', code: 'BAD_STATE', explanation: `${msg} The customer gateway${c.customerGatewayId ? ` (${c.customerGatewayId})` : ''} side must bring a tunnel up (IKE/IPsec settings, its public address, its firewall).`,
    evidence: { decidingRule: null, evaluated: [], summary: msg }, ...(vpcId ? { vpcId } : {}), facts: { kind: 'state', resourceId: c.id, state: 'tunnels-down',
      reason: `no AWS-side change brings the tunnels of ${c.id} up: the customer gateway${c.customerGatewayId ? ` ${c.customerGatewayId}` : ''} must (its IKE/IPsec settings and pre-shared keys, its public address, UDP 500 and 4500 through its firewall); aws ec2 get-vpn-connection-device-sample-configuration gives the settings for its device` } });
  return false;
}

/** Leaving a VPC through a virtual private gateway (a route whose target is vgw-…). */
export function viaVpnGateway(ctx: TraceContext, vgwId: string, fromVpc: string, flow: Flow, goal: Endpoint, wrongWay: (msg: string) => Arrival): Arrival {
  const h = ctx.model.hybrid;
  const vgw = h?.vpnGateways.get(vgwId);
  if (!vgw) {
    const msg = `Virtual private gateway ${vgwId} and its VPN connections are not in the data.`;
    ctx.hop('VPN_GATEWAY', 'gateway', vgwId, 'unknown', flow, msg);
    ctx.unknown({ layer: 'gateway', code: 'MISSING_DATA', resourceId: vgwId, message: msg,
      missing: `${shellCommand(['aws', 'ec2', 'describe-vpn-gateways', '--vpn-gateway-ids', vgwId])}; ${shellCommand(['aws', 'ec2', 'describe-vpn-connections', '--filters', `Name=vpn-gateway-id,Values=${vgwId}`])}` });
    return ctx.assume(goal, flow, fromVpc);
  }
  if (!vgw.vpcAttachments.some((a) => a.vpcId === fromVpc && isUp(a.state))) {
    const msg = `Virtual private gateway ${vgwId} is not attached to ${fromVpc}.`;
    ctx.hop('VPN_GATEWAY', 'gateway', vgwId, 'drop', flow, msg);
    ctx.block({ layer: 'gateway', resourceId: vgwId, direction: 'egress', code: 'BAD_STATE_ATTACHMENT', explanation: msg, evidence: { decidingRule: null, evaluated: [], summary: msg },
      vpcId: fromVpc, facts: { kind: 'state', resourceId: vgwId, state: 'detached' } });
    return ctx.assume(goal, flow, fromVpc);
  }
  if (goal.kind === 'interface' && !goal.viaPublic) return wrongWay(`${flow.dst.text} is routed to the virtual private gateway ${vgwId} (on-premises), not towards ${goal.eni.id} in ${goal.eni.vpcId}.`);
  const conns = [...(h?.vpnConnections.values() ?? [])].filter((c) => c.vpnGatewayId === vgwId && c.state !== 'deleted');
  const byStatic = conns.map((c) => ({ c, r: staticRouteFor(c, flow) })).filter((x) => x.r).sort((a, b) => b.r!.cidr.prefix - a.r!.cidr.prefix)[0];
  const bgp = conns.filter((c) => !c.staticRoutesOnly);
  if (!byStatic) {
    const msg = bgp.length
      ? `${vgwId} sends ${flow.dst.text} over BGP-routed VPN connection${bgp.length > 1 ? 's' : ''} ${bgp.map(vpnLabel).join(', ')}: which tunnel carries it depends on the routes the customer gateway announces, which are in no file.`
      : conns.length
        ? `No VPN connection of ${vgwId} has a static route for ${flow.dst.text} (${conns.map((c) => `${vpnLabel(c)}: ${c.routes.map((r) => r.cidr.text).join(', ') || 'no routes'}`).join('; ')}).`
        : `${vgwId} has no VPN connection in the data: it may be associated with a Direct Connect gateway, whose routes are learned over BGP and are in no file.`;
    ctx.hop('VPN_GATEWAY', 'gateway', vgwId, 'unknown', flow, msg);
    ctx.unknown({ layer: 'gateway', code: 'OUTSIDE_DATA', resourceId: bgp[0]?.id ?? vgwId, message: msg,
      missing: bgp.length ? shellCommand(['aws', 'ec2', 'describe-vpn-connections', '--vpn-connection-ids', ...bgp.map((c) => c.id)]) + ' (VgwTelemetry AcceptedRouteCount), and the customer gateway\'s BGP table' : undefined });
    return { status: 'stopped' };
  }
  if (!checkTunnels(ctx, byStatic.c, flow, fromVpc)) return { status: 'stopped' };
  ctx.hop('VPN_GATEWAY', 'gateway', vgwId, 'forward', flow, `Through ${vgwId} and VPN connection ${vpnLabel(byStatic.c)} (static route ${byStatic.r!.cidr.text}) to the customer gateway.`);
  ctx.warnings.push(`The path leaves AWS over ${vpnLabel(byStatic.c)}; the on-premises side (customer gateway, its firewall and its route back) is outside the data.`);
  return { status: 'exited', flow };
}

/**
 * The transit gateway route led to an attachment that is not a VPC: a peering with another
 * transit gateway (followed when both are in the data), a VPN, or a Direct Connect gateway.
 */
export function beyondTgwAttachment(ctx: TraceContext, tgwId: string, next: TgwAttachment, fromVpc: string, flow: Flow, goal: Endpoint,
  stop: (layer: Layer, code: 'TGW_RTB_CANNOT_ROUTE', resourceId: string, msg: string, facts: BlockerFacts) => Arrival, misroute: BlockerFacts, depth: number): Arrival {
  const m = ctx.model;
  const h = m.hybrid;
  if (next.resourceType === 'peering' && depth < 2) {
    const p = h?.tgwPeerings.get(next.id);
    const other = p ? (p.requester.tgwId === tgwId ? p.accepter : p.requester) : undefined;
    const table = other ? p!.routeTableByTgw.get(other.tgwId) : undefined;
    if (!p || !other || !table) {
      ctx.unknown({ layer: 'gateway', code: 'OUTSIDE_DATA', resourceId: next.id,
        message: `${tgwId} sends ${flow.dst.text} over peering attachment ${next.id}${other ? ` to ${other.tgwId}${other.ownerId ? ` (account ${other.ownerId}` : ''}${other.region ? `${other.ownerId ? ', ' : ' ('}${other.region})` : other.ownerId ? ')' : ''}` : ''}, whose route tables are not in the data.`,
        missing: shellCommand(['aws', 'ec2', 'describe-transit-gateway-attachments', '--filters', `Name=transit-gateway-attachment-id,Values=${next.id}`]) + ' (in the peer account and Region), then search-transit-gateway-routes for its route table' });
      return goal.kind === 'interface' ? ctx.assume(goal, flow, fromVpc) : { status: 'stopped' };
    }
    if (!isUp(p.state)) {
      const msg = `Transit gateway peering attachment ${p.id} is ${p.state}.`;
      ctx.hop('TRANSIT_GATEWAY', 'gateway', p.id, 'drop', flow, msg);
      ctx.block({ layer: 'gateway', resourceId: p.id, direction: 'egress', code: 'BAD_STATE_ATTACHMENT', explanation: msg, evidence: { decidingRule: null, evaluated: [], summary: msg },
        vpcId: fromVpc, facts: { kind: 'state', resourceId: p.id, state: p.state } });
      return ctx.assume(goal, flow, fromVpc);
    }
    ctx.hop('TRANSIT_GATEWAY', 'gateway', p.id, 'forward', flow, `Over transit gateway peering ${p.id} to ${other.tgwId}${other.region ? ` (${other.region})` : ''}, whose route table for the peering is ${table}.`);
    return tgwFromTable(ctx, other.tgwId, table, fromVpc, flow, goal, depth + 1);
  }
  if (goal.kind === 'interface' && !goal.viaPublic) {
    return stop('gateway', 'TGW_RTB_CANNOT_ROUTE', misroute.kind === 'tgw-route' ? misroute.table.id : next.id,
      `${tgwId} sends ${flow.dst.text} to ${next.resourceType} attachment ${next.id} (${next.resourceId}), not to ${goal.eni.vpcId} where ${goal.eni.id} is.`, misroute);
  }
  if (next.resourceType === 'vpn') {
    const c = h?.vpnConnections.get(next.resourceId);
    if (c && !checkTunnels(ctx, c, flow, fromVpc)) return { status: 'stopped' };
    ctx.hop('VPN_GATEWAY', 'gateway', next.resourceId, 'forward', flow, `Through VPN connection ${c ? vpnLabel(c) : next.resourceId} (transit gateway attachment ${next.id}) to the customer gateway.`);
    if (!c) ctx.warnings.push(`VPN connection ${next.resourceId} is not in the data: its tunnel state was not checked.`);
    ctx.warnings.push(`The path leaves AWS over VPN ${next.resourceId}; the on-premises side (customer gateway, its firewall and its route back) is outside the data.`);
    return { status: 'exited', flow, via: { tgwId, attachmentId: next.id } };
  }
  if (next.resourceType === 'direct-connect-gateway') {
    ctx.hop('VPN_GATEWAY', 'gateway', next.resourceId, 'forward', flow, `Through Direct Connect gateway ${next.resourceId} (transit gateway attachment ${next.id}).`);
    ctx.warnings.push(`The path leaves AWS over Direct Connect gateway ${next.resourceId}; what lies beyond (the transit virtual interface, the on-premises routers, their BGP announcements) is outside the data.`);
    return { status: 'exited', flow, via: { tgwId, attachmentId: next.id } };
  }
  ctx.unknown({ layer: 'gateway', code: 'OUTSIDE_DATA', resourceId: next.id, message: `${tgwId} sends ${flow.dst.text} to a ${next.resourceType} attachment (${next.id}): what lies beyond is not in the data.` });
  return { status: 'stopped' };
}

/**
 * The reply from outside AWS coming back in through a transit gateway attachment (VPN / Direct
 * Connect): the attachment's own route table must send it to the source's VPC. When it does not,
 * the reply is dropped (or leaves by another path): an asymmetric return that breaks the connection.
 */
export function returnIntoTgw(ctx: TraceContext, via: { tgwId: string; attachmentId: string }, back: Flow, goal: Endpoint): Arrival {
  const att = ctx.model.tgwAttachments.get(via.attachmentId);
  const tableId = att?.routeTableId;
  if (!att || !tableId) {
    ctx.unknown({ layer: 'gateway', code: 'MISSING_DATA', resourceId: via.attachmentId, message: `Which route table ${via.attachmentId} is associated with is not in the data: the reply's way back is not checked.` });
    return { status: 'stopped' };
  }
  ctx.hop('VPN_GATEWAY', 'gateway', att.resourceId, 'forward', back, `The reply comes back in through ${att.resourceType === 'vpn' ? 'VPN connection' : 'Direct Connect gateway'} ${att.resourceId} (attachment ${att.id}), whose transit gateway route table is ${tableId}.`);
  const before = ctx.blockers.length;
  const a = tgwFromTable(ctx, via.tgwId, tableId, '', back, goal, 1);
  const b = ctx.blockers[before];
  if (b) {
    b.explanation += ` The request left through ${att.id}, but the reply entering through it is routed by that attachment's own table ${tableId}, not the table that sent the request: an asymmetric return, so the connection never completes.`;
  }
  return a;
}

/**
 * An on-premises source (a private address outside every VPC) towards an interface: in through
 * the transit gateway's VPN / Direct Connect attachment or the VPC's virtual private gateway.
 */
export function enterFromOnPremises(ctx: TraceContext, dst: Extract<Endpoint, { kind: 'interface' }>, flow: Flow): Arrival | undefined {
  const m = ctx.model;
  const h = m.hybrid;
  const vpcId = dst.eni.vpcId;
  // Transit gateway: the VPC's attachment, and the gateway's VPN / Direct Connect attachments.
  const vpcAtt = [...m.tgwAttachments.values()].find((a) => a.resourceType === 'vpc' && a.resourceId === vpcId && isUp(a.state));
  if (vpcAtt) {
    const edges = [...m.tgwAttachments.values()].filter((a) => a.tgwId === vpcAtt.tgwId && (a.resourceType === 'vpn' || a.resourceType === 'direct-connect-gateway') && isUp(a.state));
    const vpnStatic = edges.filter((a) => a.resourceType === 'vpn').map((a) => ({ a, c: h?.vpnConnections.get(a.resourceId) }))
      .filter((x) => x.c?.staticRoutesOnly && x.c.routes.some((r) => cidrContains(r.cidr, flow.src)));
    const edge = vpnStatic[0]?.a ?? (edges.length === 1 ? edges[0] : undefined);
    if (edge && edge.routeTableId) {
      const c = edge.resourceType === 'vpn' ? h?.vpnConnections.get(edge.resourceId) : undefined;
      if (c && !checkTunnels(ctx, c, flow, vpcId)) return ctx.assume(dst, flow, vpcId);
      if (!vpnStatic.length) ctx.warnings.push(`Which of ${vpcAtt.tgwId}'s on-premises attachments ${flow.src.text} arrives on is decided by BGP; assumed ${edge.id} (${edge.resourceType} ${edge.resourceId}).`);
      ctx.hop('VPN_GATEWAY', 'gateway', edge.resourceId, 'forward', flow, `From on-premises through ${edge.resourceType === 'vpn' ? 'VPN connection' : 'Direct Connect gateway'} ${edge.resourceId} into ${vpcAtt.tgwId} (attachment ${edge.id}, route table ${edge.routeTableId}).`);
      return tgwFromTable(ctx, vpcAtt.tgwId, edge.routeTableId, '', flow, dst, 1);
    }
    if (edges.length > 1) {
      ctx.unknown({ layer: 'gateway', code: 'OUTSIDE_DATA', resourceId: vpcAtt.tgwId,
        message: `${flow.src.text} can reach ${vpcAtt.tgwId} over ${edges.map((e) => `${e.id} (${e.resourceType})`).join(', ')}; which one carries it is decided by BGP, in no file.` });
      return { status: 'arrived', vpcId, flow, crossing: 'other' };
    }
  }
  // Virtual private gateway attached to the VPC.
  const vgw = [...(h?.vpnGateways.values() ?? [])].find((g) => g.vpcAttachments.some((a) => a.vpcId === vpcId && isUp(a.state)));
  if (vgw) {
    const conns = [...h!.vpnConnections.values()].filter((c) => c.vpnGatewayId === vgw.id && c.state !== 'deleted');
    const c = conns.find((x) => x.routes.some((r) => r.state === 'available' && cidrContains(r.cidr, flow.src))) ?? (conns.length === 1 ? conns[0] : undefined);
    if (c) {
      if (!checkTunnels(ctx, c, flow, vpcId)) return ctx.assume(dst, flow, vpcId);
      if (!c.routes.some((r) => cidrContains(r.cidr, flow.src))) ctx.warnings.push(`${vpnLabel(c)} routes ${flow.src.text} over BGP: whether the customer gateway sends it this way is outside the data.`);
      ctx.hop('VPN_GATEWAY', 'gateway', vgw.id, 'forward', flow, `From on-premises through VPN connection ${vpnLabel(c)} and virtual private gateway ${vgw.id} into ${vpcId}.`);
      return { status: 'arrived', vpcId, flow, crossing: 'other' };
    }
  }
  return undefined;
}

/**
 * A VPC route table that matched nothing but receives routes from a virtual private gateway with
 * BGP-routed VPN connections: those routes are in no file, so the answer is unknown, naming them.
 */
export function vgwBgpUnknown(ctx: TraceContext, routeTableId: string, flow: Flow): boolean {
  const conns = ctx.model.hybrid?.vgwBgpSources.get(routeTableId) ?? [];
  if (!conns.length) return false;
  const msg = `Route table ${routeTableId} has no route in the data for ${flow.dst.text}, but it receives routes learned over BGP from ${conns.map(vpnLabel).join(', ')} (route propagation), which are in no file.`;
  ctx.hop('ROUTE', 'route-table', routeTableId, 'unknown', flow, msg, { direction: 'egress' });
  ctx.unknown({ layer: 'route-table', code: 'OUTSIDE_DATA', resourceId: routeTableId, message: msg,
    missing: shellCommand(['aws', 'ec2', 'describe-route-tables', '--route-table-ids', routeTableId]) + ' (live: propagated routes are listed with Origin EnableVgwRoutePropagation)' });
  return true;
}
