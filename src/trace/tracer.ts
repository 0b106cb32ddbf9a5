/**
 * The path tracer: walks the forward leg and the return leg hop by hop, as AWS evaluates them,
 * recording every step (hops), every blocker (with the facts that explain it) and everything it
 * cannot decide (unknowns). After a blocker it carries on as if that blocker were fixed, so one
 * answer lists every blocker on the path.
 *
 * This file keeps only the two-leg orchestration. Each kind of hop has its own module, the way
 * Batfish keeps one class per AWS construct:
 *   interface.ts        source / destination interface (attached, instance running)
 *   sg.ts               security groups (stateful; the reply is connection-tracked)
 *   nacl.ts             network ACLs (stateless, both legs)
 *   routes.ts           the subnet's route table, and the hand-over to the route's target
 *   peering.ts          VPC peering connections
 *   transit-gateway.ts  transit gateway attachments and route tables
 *   gateways.ts         internet gateway, NAT gateway, gateway endpoints
 *   aws-services.ts     addresses AWS serves itself (metadata, time sync, DNS): no filter applies
 * All of them record into a TraceContext (context.ts).
 */
import type { Model } from '../model/types.js';
import { toAwsService } from './aws-services.js';
import { TraceContext } from './context.js';
import { reverse, type Flow } from './flow.js';
import { enterFromOutside, returnThroughNat } from './gateways.js';
import { returnIntoTgw } from './hybrid.js';
import { checkInterface } from './interface.js';
import { naclInbound } from './nacl.js';
import { transit } from './routes.js';
import { sgStep, type PeerView } from './sg.js';
import type { Arrival, Endpoint, TraceResult } from './types.js';

export { describeFlow } from './flow.js';
export { vpcsConnector } from './peering.js';
export type { Endpoint, TraceResult } from './types.js';

export class Tracer {
  private readonly ctx: TraceContext;

  constructor(model: Model) {
    this.ctx = new TraceContext(model, transit);
  }

  run(src: Endpoint, dst: Endpoint, forward: Flow): TraceResult {
    const ctx = this.ctx;
    if (dst.kind === 'aws-service') {
      toAwsService(ctx, src, dst, forward);
      return { hops: ctx.hops, blockers: ctx.blockers, unknowns: ctx.unknowns, warnings: ctx.warnings };
    }
    ctx.leg = 'forward';
    let arrival: Arrival;
    if (src.kind === 'interface') {
      checkInterface(ctx, src.eni, src.own, 'source', forward);
      const connector = dst.kind === 'interface' && !dst.viaPublic ? ctx.crossingFor(src.eni.vpcId, dst.eni.vpcId) : { crossing: 'other' as const };
      sgStep(ctx, src.eni, 'egress', forward, {
        addr: forward.dst, ...(dst.kind === 'interface' && !dst.viaPublic ? { eni: dst.eni } : {}),
        ...connector, unownedInKnownVpc: dst.kind === 'unowned',
      });
      arrival = ctx.transit(src.eni.subnetId, src.eni.vpcId, forward, dst);
    } else {
      arrival = enterFromOutside(ctx, dst, forward);
    }

    if (dst.kind === 'interface') {
      if (arrival.status === 'arrived') naclInbound(ctx, arrival.fromSubnetId, dst.eni, arrival.flow);
      const seen = arrival.status === 'arrived' ? arrival.flow : { ...forward, dst: dst.own };
      const peer: PeerView = { addr: seen.src, crossing: arrival.status === 'arrived' ? arrival.crossing : 'other' };
      if (arrival.status === 'arrived') {
        if (arrival.peeringAllowsRefs !== undefined) peer.peeringAllowsRefs = arrival.peeringAllowsRefs;
        if (arrival.tgwAllowsRefs !== undefined) peer.tgwAllowsRefs = arrival.tgwAllowsRefs;
      }
      if (src.kind === 'interface' && src.eni.privateIps.concat(src.eni.ipv6).some((a) => a.text === seen.src.text)) peer.eni = src.eni;
      sgStep(ctx, dst.eni, 'ingress', seen, peer);
      checkInterface(ctx, dst.eni, dst.own, 'destination', seen);

      // ——— return leg ———
      ctx.leg = 'return';
      const back = reverse(seen);
      ctx.hop('SG_CONNECTION_TRACKED', 'security-group', dst.eni.id, 'allow', back,
        'Security groups are stateful: the reply to an allowed connection is allowed whatever the outbound rules say.', { direction: 'egress' });
      const goal: Endpoint = src.kind === 'interface'
        ? (back.dst.text === src.own.text ? src : { kind: 'interface', eni: src.eni, own: src.own, addr: back.dst, viaPublic: true })
        : src;
      if (arrival.status === 'arrived' && arrival.nat) {
        returnThroughNat(ctx, dst, back, arrival.nat, src);
      } else {
        const backArrival = ctx.transit(dst.eni.subnetId, dst.eni.vpcId, back, goal);
        if (src.kind === 'interface' && backArrival.status === 'arrived') naclInbound(ctx, backArrival.fromSubnetId, src.eni, backArrival.flow);
        if (arrival.status === 'arrived' && backArrival.status === 'arrived' && arrival.crossing !== backArrival.crossing
          && (['peering', 'tgw'] as string[]).includes(arrival.crossing) && (['peering', 'tgw'] as string[]).includes(backArrival.crossing)) {
          const name = (c: string) => (c === 'tgw' ? 'a transit gateway' : 'a VPC peering connection');
          ctx.warnings.push(`Asymmetric path: the request crosses ${name(arrival.crossing)} but the reply comes back over ${name(backArrival.crossing)}. Security groups still match the reply, but anything stateful on either path (a firewall appliance, a NAT, a TGW in appliance mode) sees half the connection and drops it; and a security-group reference that holds one way may not hold the other. Route both directions over the same connection.`);
        }
      }
      if (src.kind === 'interface') {
        ctx.hop('SG_CONNECTION_TRACKED', 'security-group', src.eni.id, 'allow', back,
          'The reply matches the tracked connection the source opened: allowed whatever its inbound rules say.', { direction: 'ingress' });
      }
    } else if (arrival.status === 'exited' && src.kind === 'interface') {
      // The far end is outside the data; the reply comes back through the same gateway.
      ctx.leg = 'return';
      const back = reverse({ ...arrival.flow });
      if (arrival.nat) returnThroughNat(ctx, dst, back, arrival.nat, src);
      else if (arrival.via) {
        // Left through a transit gateway attachment (VPN / Direct Connect): the reply comes back in through it.
        const a = returnIntoTgw(ctx, arrival.via, back, src);
        if (a.status === 'arrived') naclInbound(ctx, undefined, src.eni, a.flow);
        ctx.hop('SG_CONNECTION_TRACKED', 'security-group', src.eni.id, 'allow', { ...back, dst: src.own },
          'The reply matches the tracked connection the source opened: allowed whatever its inbound rules say.', { direction: 'ingress' });
      } else {
        const local = { ...back, dst: src.own };
        naclInbound(ctx, undefined, src.eni, local);
        ctx.hop('SG_CONNECTION_TRACKED', 'security-group', src.eni.id, 'allow', local,
          'The reply matches the tracked connection the source opened: allowed whatever its inbound rules say.', { direction: 'ingress' });
      }
      if (dst.kind === 'internet') ctx.warnings.push(`The path leaves AWS at the internet gateway; whether ${dst.addr.text} itself accepts the connection is outside the data.`);
    }
    return { hops: ctx.hops, blockers: ctx.blockers, unknowns: ctx.unknowns, warnings: ctx.warnings };
  }
}
