/**
 * The interface hop: is the source or destination address on an interface that can send or
 * answer (attached, its instance running)?
 */
import type { StepKind, TrafficDirection } from '../answer/types.js';
import type { Addr } from '../net/ip.js';
import type { Eni } from '../model/types.js';
import type { TraceContext } from './context.js';
import type { Flow } from './flow.js';

export function checkInterface(ctx: TraceContext, eni: Eni, addr: Addr, role: 'source' | 'destination', flow: Flow): void {
  const step: StepKind = role === 'source' ? 'SOURCE_ENI' : 'DESTINATION_ENI';
  const direction: TrafficDirection = role === 'source' ? 'egress' : 'ingress';
  const inst = eni.instanceId ? ctx.model.instances.get(eni.instanceId) : undefined;
  const owner = inst ? ` (instance ${inst.id}${inst.name ? ` ${inst.name}` : ''})` : '';
  let problem: string | undefined;
  let resourceId = eni.id;
  let state = eni.status;
  if (eni.status !== 'in-use') {
    problem = `${eni.id}${eni.name ? ` (${eni.name})` : ''} is "${eni.status}": it is not attached to anything, so nothing ${role === 'source' ? 'sends from' : 'answers on'} ${addr.text}.`;
  } else if (inst?.state && inst.state !== 'running') {
    problem = `Instance ${inst.id}${inst.name ? ` (${inst.name})` : ''} is ${inst.state}: ${addr.text} on ${eni.id} cannot ${role === 'source' ? 'send' : 'answer'}.`;
    resourceId = inst.id;
    state = inst.state;
  }
  if (problem) {
    ctx.hop(step, 'network-interface', eni.id, 'deny', flow, problem, { direction });
    ctx.block({
      layer: 'network-interface', resourceId, direction, code: 'BAD_STATE', explanation: problem,
      evidence: { decidingRule: null, evaluated: [], summary: problem }, networkInterfaceId: eni.id, subnetId: eni.subnetId,
      vpcId: eni.vpcId, ...(eni.ownerId ? { accountId: eni.ownerId } : {}), ...(eni.region ? { region: eni.region } : {}),
      facts: { kind: 'state', resourceId, state },
    });
    return;
  }
  ctx.hop(step, 'network-interface', eni.id, 'allow', flow, `${addr.text} is on ${eni.id}${eni.name ? ` (${eni.name})` : ''}${owner} in ${eni.subnetId}.`, { direction });
}
