/**
 * What every hop module shares while one question is traced: the model, the record of hops,
 * blockers, unknowns and warnings, which leg is being walked, and the "carry on as if fixed"
 * helpers. Each kind of hop lives in its own module (interface, sg, nacl, routes, peering,
 * transit-gateway, gateways) and takes this context as its first argument.
 */
import type { Hop, Layer, PathLeg, RuleRef, StepDecision, StepKind, TrafficDirection, UnknownItem } from '../answer/types.js';
import { cidrContains, type Addr } from '../net/ip.js';
import type { Model } from '../model/types.js';
import { describePorts, icmpName, type Flow } from './flow.js';
import { publicFor } from './gateways.js';
import { peeringSameRegion, vpcsConnector } from './peering.js';
import type { PeerView } from './sg.js';
import type { Arrival, Endpoint, RawBlocker } from './types.js';

/** Leaves a subnet towards the goal (routes.ts `transit`); injected so gateway hops can continue a walk. */
export type TransitFn = (ctx: TraceContext, fromSubnetId: string, fromVpc: string, flow: Flow, goal: Endpoint, depth?: number) => Arrival;

export class TraceContext {
  readonly hops: Hop[] = [];
  readonly blockers: RawBlocker[] = [];
  readonly unknowns: UnknownItem[] = [];
  readonly warnings: string[] = [];
  leg: PathLeg = 'forward';

  constructor(readonly model: Model, private readonly transitFn: TransitFn) {}

  // ——— recording ———

  hop(step: StepKind, layer: Layer, resourceId: string, decision: StepDecision, flow: Flow, detail: string,
    extra: { direction?: TrafficDirection; decidingRule?: RuleRef | null; evaluatedCount?: number; resourceName?: string } = {}): void {
    const h: Hop = {
      seq: this.hops.length + 1, path: this.leg, step, layer, resourceId, decision,
      packet: { src: flow.src.text, dst: flow.dst.text, protocol: flow.protocol }, detail,
    };
    const ports = describePorts(flow.dstPorts);
    if (ports && (flow.proto === 6 || flow.proto === 17)) h.packet.dstPort = ports;
    if (flow.icmp) h.packet.icmp = icmpName(flow.proto, flow.icmp.type);
    if (extra.resourceName) h.resourceName = extra.resourceName;
    if (extra.direction) h.direction = extra.direction;
    if (extra.decidingRule !== undefined) h.decidingRule = extra.decidingRule;
    if (extra.evaluatedCount !== undefined) h.evaluatedCount = extra.evaluatedCount;
    this.hops.push(h);
  }

  block(b: Omit<RawBlocker, 'path'>): void {
    // A component in a bad state (a peering, a gateway) is one problem, whichever leg meets it first.
    if (b.facts.kind === 'state' && this.blockers.some((x) => x.facts.kind === 'state' && x.resourceId === b.resourceId)) return;
    this.blockers.push({ ...b, path: this.leg });
  }

  unknown(u: Omit<UnknownItem, 'path'>): void {
    if (!this.unknowns.some((x) => x.message === u.message)) this.unknowns.push({ ...u, path: this.leg });
  }

  // ——— walking on ———

  transit(fromSubnetId: string, fromVpc: string, flow: Flow, goal: Endpoint, depth = 0): Arrival {
    return this.transitFn(this, fromSubnetId, fromVpc, flow, goal, depth);
  }

  crossingFor(a: string, b: string): Pick<PeerView, 'crossing' | 'peeringAllowsRefs' | 'tgwAllowsRefs'> {
    if (a === b) return { crossing: 'same-vpc' };
    const c = vpcsConnector(this.model, a, b);
    if (!c) return { crossing: 'other' };
    if (c.kind === 'pcx') return { crossing: 'peering', peeringAllowsRefs: c.peering.status === 'active' && peeringSameRegion(c.peering) };
    return { crossing: 'tgw', tgwAllowsRefs: this.model.transitGateways.get(c.tgwId)?.sgReferencing === true };
  }

  goalVpc(goal: Endpoint): string | undefined {
    return goal.kind === 'interface' ? goal.eni.vpcId : goal.kind === 'unowned' ? goal.vpcId : undefined;
  }

  /** When a routing step failed, carry on as if the intended path existed. */
  assume(goal: Endpoint, flow: Flow, fromVpc: string): Arrival {
    if (goal.kind !== 'interface') return { status: 'stopped' };
    if (goal.viaPublic) {
      const pub = publicFor(this, fromVpc, flow.src) ?? flow.src;
      return { status: 'arrived', vpcId: goal.eni.vpcId, flow: { ...flow, src: pub, dst: goal.own }, crossing: 'other' };
    }
    return { status: 'arrived', vpcId: goal.eni.vpcId, flow, ...this.crossingFor(fromVpc, goal.eni.vpcId) };
  }

  assumeAfter(msg: string, goal: Endpoint, flow: Flow, fromVpc: string): Arrival {
    this.warnings.push(msg);
    return this.assume(goal, flow, fromVpc);
  }

  /** The CIDRs a fix should route: the goal's VPC range (or subnet range), else the single address. */
  targetCidrs(goal: Endpoint, dst: Addr): string[] {
    if (goal.kind === 'interface' && !goal.viaPublic) {
      const vpc = this.model.vpcs.get(goal.eni.vpcId);
      const c = vpc?.cidrs.find((x) => cidrContains(x, dst));
      if (c) return [c.text];
      const s = this.model.subnets.get(goal.eni.subnetId)?.cidrs.find((x) => cidrContains(x, dst));
      if (s) return [s.text];
    }
    return [`${dst.text}/${dst.family === 4 ? 32 : 128}`];
  }
}
