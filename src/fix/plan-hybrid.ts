/**
 * Fixes on hybrid and transit paths: a transit gateway attachment that should propagate into a
 * route table, and a VPC route table that has no way to on-premises addresses while a virtual
 * private gateway (or a transit gateway with a VPN / Direct Connect attachment) could carry them.
 */
import { cidrContains, hostCidr, type Addr } from '../net/ip.js';
import type { Model, RouteTable, TgwAttachment, TgwRouteTable } from '../model/types.js';
import type { Draft, Scope } from './plan-steps.js';

const scoped = (s: Scope) => ({ ...(s.accountId ? { accountId: s.accountId } : {}), ...(s.region ? { region: s.region } : {}) });

/**
 * When the table already takes its VPC routes by propagation, the fix is to let the destination's
 * attachment propagate too (the way the table is run), with the static route as the alternative.
 * Null when the data does not show propagations for the table, or the attachment already propagates.
 */
export function tgwPropagationFix(model: Model, table: TgwRouteTable, remote: TgwAttachment, scope: Scope): Draft | null {
  const props = model.hybrid?.tgwPropagations.get(table.id);
  if (!props || !props.some((p) => p.state === 'enabled')) return null;
  if (props.some((p) => p.attachmentId === remote.id && p.state === 'enabled')) return null;
  return {
    title: `Let attachment ${remote.id} (${remote.resourceId}) propagate its routes into ${table.id}, as ${props.filter((p) => p.state === 'enabled').map((p) => p.attachmentId).join(', ')} already do${props.length === 1 ? 'es' : ''}`,
    service: 'ec2', operation: 'EnableTransitGatewayRouteTablePropagation',
    input: { TransitGatewayRouteTableId: table.id, TransitGatewayAttachmentId: remote.id }, ...scoped(scope),
    notes: [`Every CIDR of ${remote.resourceId} becomes reachable from the attachments associated with ${table.id}, and follows the VPC if its CIDRs change.`],
  };
}

/** A VPC route table that has no route to an on-premises address. */
export function onPremRouteFix(model: Model, table: RouteTable, dst: Addr, scope: Scope): { fix: Draft; alternatives: Draft[] } | null {
  const h = model.hybrid;
  const vgw = [...(h?.vpnGateways.values() ?? [])].find((g) => g.vpcAttachments.some((a) => a.vpcId === table.vpcId && a.state === 'attached'));
  if (vgw) {
    const conns = [...h!.vpnConnections.values()].filter((c) => c.vpnGatewayId === vgw.id && c.state === 'available');
    const route = conns.flatMap((c) => c.routes.map((r) => ({ c, r }))).filter(({ r }) => r.state === 'available' && cidrContains(r.cidr, dst)).sort((a, b) => b.r.cidr.prefix - a.r.cidr.prefix)[0];
    const dest = route?.r.cidr.text ?? hostCidr(dst);
    const create: Draft = { title: `Add the route ${dest} → ${vgw.id} in ${table.id}`, service: 'ec2', operation: 'CreateRoute',
      input: { RouteTableId: table.id, [dst.family === 6 ? 'DestinationIpv6CidrBlock' : 'DestinationCidrBlock']: dest, GatewayId: vgw.id }, ...scoped(scope),
      notes: [`Only traffic to ${dest} changes path.`] };
    const propagate: Draft = { title: `Let ${vgw.id} propagate its routes into ${table.id}`, service: 'ec2', operation: 'EnableVgwRoutePropagation',
      input: { RouteTableId: table.id, GatewayId: vgw.id }, ...scoped(scope),
      notes: [`Every route of ${vgw.id}'s VPN connections (static ones, and those learned over BGP) appears in ${table.id}.`] };
    // The propagation is the usual set-up and the one fix that also covers BGP-routed connections.
    return route || conns.some((c) => !c.staticRoutesOnly) ? { fix: propagate, alternatives: [create] } : null;
  }
  const att = [...model.tgwAttachments.values()].find((a) => a.resourceType === 'vpc' && a.resourceId === table.vpcId && a.state === 'available');
  if (att && [...model.tgwAttachments.values()].some((a) => a.tgwId === att.tgwId && (a.resourceType === 'vpn' || a.resourceType === 'direct-connect-gateway'))) {
    const vpnRoute = [...(h?.vpnConnections.values() ?? [])].filter((c) => c.transitGatewayId === att.tgwId).flatMap((c) => c.routes)
      .filter((r) => cidrContains(r.cidr, dst)).sort((a, b) => b.cidr.prefix - a.cidr.prefix)[0];
    const dest = vpnRoute?.cidr.text ?? hostCidr(dst);
    return { fix: { title: `Add the route ${dest} → ${att.tgwId} in ${table.id}`, service: 'ec2', operation: 'CreateRoute',
      input: { RouteTableId: table.id, [dst.family === 6 ? 'DestinationIpv6CidrBlock' : 'DestinationCidrBlock']: dest, TransitGatewayId: att.tgwId }, ...scoped(scope),
      notes: [`${att.tgwId} has on-premises attachments; its route table for ${att.id} decides which one carries ${dst.text}.`] }, alternatives: [] };
  }
  return null;
}
