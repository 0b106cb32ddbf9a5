/**
 * Gateways at the edge of a VPC: the internet gateway (both ways, with its public-address
 * mapping), NAT gateways (translation out, the reply back), and gateway endpoints.
 */
import { isPrivate, type Addr } from '../net/ip.js';
import type { NatGateway } from '../model/types.js';
import type { TraceContext } from './context.js';
import type { Flow } from './flow.js';
import { naclStep } from './nacl.js';
import { enterFromOnPremises } from './hybrid.js';
import { isUp, type Arrival, type Endpoint } from './types.js';
import { shellCommand } from '../fix/shell.js';

/** Traffic from outside the data (the internet, on-premises) towards an interface. */
export function enterFromOutside(ctx: TraceContext, dst: Endpoint, flow: Flow): Arrival {
  if (dst.kind !== 'interface') {
    ctx.unknown({ layer: 'gateway', code: 'OUTSIDE_DATA', message: `Neither ${flow.src.text} nor ${flow.dst.text} is an interface in the data: there is no AWS path to evaluate.` });
    return { status: 'stopped' };
  }
  if (dst.viaPublic) {
    const igw = igwOf(ctx, dst.eni.vpcId, flow);
    if (!igw) return { status: 'stopped' };
    ctx.hop('INTERNET_GATEWAY', 'gateway', igw, 'forward', flow, `From the internet through ${igw}, which maps ${dst.addr.text} to ${dst.own.text}.`);
    return { status: 'arrived', vpcId: dst.eni.vpcId, flow: { ...flow, dst: dst.own }, crossing: 'other' };
  }
  if (flow.dst.family === 6 && !isPrivate(flow.dst) && !isPrivate(flow.src)) {
    // IPv6 from the internet: no translation; only an internet gateway lets a connection in
    // (an egress-only internet gateway carries replies to connections made from inside only).
    const eigwOnly = ctx.model.internetGateways.size === 0 || ![...ctx.model.internetGateways.values()].some((g) => g.attachments.some((a) => a.vpcId === dst.eni.vpcId && isUp(a.state)));
    const rt = ctx.model.routeTables.get(ctx.model.index.subnetRouteTable.get(dst.eni.subnetId) ?? ctx.model.index.mainRouteTable.get(dst.eni.vpcId) ?? '');
    const eigw = rt?.routes.find((r) => r.target.kind === 'eigw');
    const igw = igwOf(ctx, dst.eni.vpcId, flow);
    if (!igw) {
      if (eigwOnly && eigw) ctx.warnings.push(`${dst.eni.vpcId} has egress-only internet gateway ${eigw.target.id}: it lets instances open IPv6 connections out and receive the replies, never a connection from the internet in.`);
      return ctx.assume(dst, flow, dst.eni.vpcId);
    }
    ctx.hop('INTERNET_GATEWAY', 'gateway', igw, 'forward', flow, `In from the internet through ${igw} to ${dst.own.text}: IPv6 is not translated, the instance's own address is the one the internet uses.`);
    return { status: 'arrived', vpcId: dst.eni.vpcId, flow, crossing: 'other' };
  }
  const onPrem = enterFromOnPremises(ctx, dst, flow);
  if (onPrem) return onPrem;
  ctx.unknown({ layer: 'gateway', code: 'OUTSIDE_DATA', message: `${flow.src.text} is outside every VPC in the data: how its traffic enters ${dst.eni.vpcId} (VPN, Direct Connect, transit gateway) is not evaluated.` });
  return { status: 'arrived', vpcId: dst.eni.vpcId, flow, crossing: 'other' };
}

export function igwOf(ctx: TraceContext, vpcId: string, flow: Flow): string | undefined {
  for (const igw of ctx.model.internetGateways.values()) {
    if (igw.attachments.some((a) => a.vpcId === vpcId && isUp(a.state))) return igw.id;
  }
  if (!ctx.model.present.has('InternetGateways')) {
    ctx.unknown({ layer: 'gateway', code: 'MISSING_DATA', resourceId: vpcId, message: `Internet gateways are not in the data: cannot tell whether ${vpcId} has one.`,
      missing: shellCommand(['aws', 'ec2', 'describe-internet-gateways', '--filters', `Name=attachment.vpc-id,Values=${vpcId}`]) });
    return undefined;
  }
  const msg = `No internet gateway is attached to ${vpcId}.`;
  ctx.hop('INTERNET_GATEWAY', 'gateway', vpcId, 'drop', flow, msg);
  ctx.block({ layer: 'gateway', resourceId: vpcId, direction: ctx.leg === 'forward' ? 'ingress' : 'egress', code: 'BAD_STATE_ATTACHMENT', explanation: msg,
    evidence: { decidingRule: null, evaluated: [], summary: msg }, vpcId, facts: { kind: 'state', resourceId: vpcId, state: 'no-internet-gateway' } });
  return undefined;
}

/** The public address the internet gateway maps a private source address to. */
export function publicFor(ctx: TraceContext, vpcId: string, a: Addr): Addr | null {
  if (a.family === 6) return a;
  for (const o of ctx.model.index.addressOwners.get(a.text) ?? []) {
    const eni = ctx.model.enis.get(o.eniId);
    if (!eni || eni.vpcId !== vpcId) continue;
    const p = eni.publicIps.find((x) => x.privateIp.text === a.text);
    if (p) return p.publicIp;
  }
  for (const nat of ctx.model.natGateways.values()) {
    if (nat.vpcId === vpcId && nat.privateIps.some((x) => x.text === a.text)) return nat.publicIps[0] ?? null;
  }
  return null;
}

export function viaInternetGateway(ctx: TraceContext, igwId: string, fromVpc: string, flow: Flow, goal: Endpoint, wrongWay: (msg: string) => Arrival): Arrival {
  const m = ctx.model;
  const igw = m.internetGateways.get(igwId);
  if (igw && !igw.attachments.some((a) => a.vpcId === fromVpc && isUp(a.state))) {
    const msg = `Internet gateway ${igwId} is not attached to ${fromVpc}.`;
    ctx.hop('INTERNET_GATEWAY', 'gateway', igwId, 'drop', flow, msg);
    ctx.block({ layer: 'gateway', resourceId: igwId, direction: 'egress', code: 'BAD_STATE_ATTACHMENT', explanation: msg, evidence: { decidingRule: null, evaluated: [], summary: msg },
      vpcId: fromVpc, facts: { kind: 'state', resourceId: igwId, state: 'detached' } });
    return ctx.assume(goal, flow, fromVpc);
  }
  if (isPrivate(flow.dst)) return wrongWay(`${flow.dst.text} is a private address; the internet gateway ${igwId} cannot deliver it.`);
  let out = flow;
  const pub = publicFor(ctx, fromVpc, flow.src);
  if (!pub) {
    const owner = (m.index.addressOwners.get(flow.src.text) ?? []).map((o) => m.enis.get(o.eniId)).find((e) => e?.vpcId === fromVpc);
    const msg = `${flow.src.text}${owner ? ` (${owner.id})` : ''} has no public IPv4 address, so the internet gateway cannot carry its traffic (use a NAT gateway or assign an Elastic IP).`;
    ctx.hop('INTERNET_GATEWAY', 'network-interface', owner?.id ?? igwId, 'drop', flow, msg, { direction: 'egress' });
    if (owner) {
      ctx.block({ layer: 'network-interface', resourceId: owner.id, direction: 'egress', code: 'NO_PUBLIC_ADDRESS', explanation: msg, evidence: { decidingRule: null, evaluated: [], summary: msg },
        networkInterfaceId: owner.id, vpcId: fromVpc, facts: { kind: 'no-public-ip', eni: owner } });
    }
  } else {
    out = { ...flow, src: pub };
    ctx.hop('INTERNET_GATEWAY', 'gateway', igwId, 'forward', out, pub.text === flow.src.text
      ? `Out to the internet through ${igwId}.` : `Out to the internet through ${igwId}, as ${pub.text}.`);
  }
  if (goal.kind === 'interface') {
    // A global IPv6 address is reachable over the internet as it is (no translation), from another VPC too.
    const globalV6 = goal.own.family === 6 && !isPrivate(goal.own) && goal.eni.vpcId !== fromVpc;
    if (!goal.viaPublic && !globalV6) return wrongWay(`${flow.dst.text} is routed to the internet, not towards ${goal.eni.id}.`);
    const igw2 = igwOf(ctx, goal.eni.vpcId, out);
    if (!igw2) return { status: 'stopped' };
    const arrived = { ...out, dst: goal.own };
    ctx.hop('INTERNET_GATEWAY', 'gateway', igw2, 'forward', arrived, goal.viaPublic
      ? `In from the internet through ${igw2}, which maps ${goal.addr.text} to ${goal.own.text}.`
      : `In from the internet through ${igw2} to ${goal.own.text}: IPv6 is not translated.`);
    return { status: 'arrived', vpcId: goal.eni.vpcId, flow: arrived, crossing: 'other' };
  }
  return { status: 'exited', flow: out };
}

export function viaNat(ctx: TraceContext, natId: string, fromSubnetId: string, fromVpc: string, flow: Flow, goal: Endpoint, depth: number): Arrival {
  const m = ctx.model;
  const nat = m.natGateways.get(natId);
  if (!nat) {
    const msg = `NAT gateway ${natId} is not in the data.`;
    ctx.hop('NAT_GATEWAY', 'gateway', natId, 'unknown', flow, msg);
    ctx.unknown({ layer: 'gateway', code: 'MISSING_DATA', resourceId: natId, message: msg, missing: shellCommand(['aws', 'ec2', 'describe-nat-gateways', '--nat-gateway-ids', natId]) });
    return ctx.assume(goal, flow, fromVpc);
  }
  if (nat.state !== 'available') {
    const msg = `NAT gateway ${natId} is ${nat.state}.`;
    ctx.hop('NAT_GATEWAY', 'gateway', natId, 'drop', flow, msg);
    ctx.block({ layer: 'gateway', resourceId: natId, direction: 'egress', code: 'BAD_STATE', explanation: msg, evidence: { decidingRule: null, evaluated: [], summary: msg },
      vpcId: fromVpc, facts: { kind: 'state', resourceId: natId, state: nat.state } });
    return ctx.assume(goal, flow, fromVpc);
  }
  if (depth > 2) {
    ctx.unknown({ layer: 'gateway', code: 'UNSUPPORTED', resourceId: natId, message: `Routing loops through NAT gateways (${natId}).` });
    return { status: 'stopped' };
  }
  if (nat.subnetId !== fromSubnetId) naclStep(ctx, nat.subnetId, false, flow);
  const natIp = nat.privateIps[0];
  const translated: Flow = natIp ? { ...flow, src: natIp } : flow;
  ctx.hop('NAT_GATEWAY', 'gateway', natId, 'forward', translated, `NAT gateway ${natId}${nat.name ? ` (${nat.name})` : ''} in ${nat.subnetId} translates ${flow.src.text} to ${translated.src.text}.`);
  const a = ctx.transit(nat.subnetId, nat.vpcId, translated, goal, depth + 1);
  if (a.status === 'stopped') return a;
  return { ...a, nat };
}

/** The reply to a flow that went out through a NAT gateway: back through the NAT's subnet to the source. */
export function returnThroughNat(ctx: TraceContext, dst: Endpoint, back: Flow, nat: NatGateway, src: Endpoint): void {
  if (dst.kind === 'interface') {
    const a = ctx.transit(dst.eni.subnetId, dst.eni.vpcId, back, { kind: 'internet', addr: back.dst });
    if (a.status === 'stopped') return;
  }
  const natIp = nat.privateIps[0] ?? back.dst;
  ctx.hop('INTERNET_GATEWAY', 'gateway', nat.id, 'forward', back, `The reply returns to NAT gateway ${nat.id} (${back.dst.text}).`);
  naclStep(ctx, nat.subnetId, false, { ...back, dst: natIp });
  if (src.kind !== 'interface') return;
  const toSrc: Flow = { ...back, dst: src.own };
  ctx.hop('NAT_GATEWAY', 'gateway', nat.id, 'forward', toSrc, `NAT gateway ${nat.id} translates the reply back to ${src.own.text}.`);
  if (nat.subnetId !== src.eni.subnetId) {
    naclStep(ctx, nat.subnetId, true, toSrc);
    naclStep(ctx, src.eni.subnetId, false, toSrc);
  }
}

/** A route to a gateway endpoint (S3, DynamoDB): the traffic leaves for the AWS service. */
export function viaGatewayEndpoint(ctx: TraceContext, vpceId: string, flow: Flow, goal: Endpoint, wrongWay: (msg: string) => Arrival): Arrival {
  const ep = ctx.model.vpcEndpoints.get(vpceId);
  ctx.hop('VPC_ENDPOINT', 'gateway', vpceId, ep && ep.state === 'available' ? 'forward' : 'unknown', flow,
    `Gateway endpoint ${vpceId}${ep ? ` (${ep.serviceName})` : ''}: the traffic goes to the AWS service; the endpoint policy is not evaluated.`);
  if (goal.kind === 'interface') return wrongWay(`${flow.dst.text} is routed to the gateway endpoint ${vpceId}, not towards ${goal.eni.id}.`);
  return { status: 'exited', flow };
}
