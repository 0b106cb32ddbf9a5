/**
 * VPC peering: which connector joins two VPCs, and the peering hop (state, which side, the
 * peer VPC's ranges; peering is not transitive).
 */
import { cidrContains } from '../net/ip.js';
import type { Model, Peering, TgwAttachment } from '../model/types.js';
import type { TraceContext } from './context.js';
import type { Flow } from './flow.js';
import { isUp, type Arrival, type Connector, type Endpoint } from './types.js';
import { shellCommand } from '../fix/shell.js';
import { ACCOUNT_ID } from '../model/aws-names.js';

export function vpcsConnector(model: Model, a: string, b: string): Connector | null {
  let pending: Connector | null = null;
  for (const p of model.peerings.values()) {
    const ends = [p.requester.vpcId, p.accepter.vpcId];
    if (ends.includes(a) && ends.includes(b) && a !== b) {
      if (p.status === 'active') return { kind: 'pcx', peering: p };
      if (p.status === 'pending-acceptance' || p.status === 'provisioning') pending ??= { kind: 'pcx', peering: p };
    }
  }
  const byTgw = new Map<string, { local?: TgwAttachment; remote?: TgwAttachment }>();
  for (const att of model.tgwAttachments.values()) {
    if (att.resourceType !== 'vpc' || !isUp(att.state)) continue;
    const e = byTgw.get(att.tgwId) ?? {};
    if (att.resourceId === a) e.local = att;
    if (att.resourceId === b) e.remote = att;
    byTgw.set(att.tgwId, e);
  }
  for (const [tgwId, e] of byTgw) if (e.local && e.remote) return { kind: 'tgw', tgwId, local: e.local, remote: e.remote };
  return pending;
}

export function peeringSameRegion(p: Peering): boolean {
  return !p.requester.region || !p.accepter.region || p.requester.region === p.accepter.region;
}

export function viaPeering(ctx: TraceContext, pcxId: string, fromVpc: string, flow: Flow, goal: Endpoint, wrongWay: (msg: string) => Arrival): Arrival {
  const p = ctx.model.peerings.get(pcxId);
  if (!p) {
    const msg = `Peering connection ${pcxId} is not in the data.`;
    ctx.hop('PEERING', 'gateway', pcxId, 'unknown', flow, msg);
    ctx.unknown({ layer: 'gateway', code: 'MISSING_DATA', resourceId: pcxId, message: msg, missing: shellCommand(['aws', 'ec2', 'describe-vpc-peering-connections', '--vpc-peering-connection-ids', pcxId]) });
    return ctx.assume(goal, flow, fromVpc);
  }
  const other = p.requester.vpcId === fromVpc ? p.accepter : p.accepter.vpcId === fromVpc ? p.requester : undefined;
  if (p.status !== 'active') {
    const msg = `Peering connection ${pcxId} is "${p.status}", not active: it carries no traffic.`;
    ctx.hop('PEERING', 'gateway', pcxId, 'drop', flow, msg);
    ctx.block({ layer: 'gateway', resourceId: pcxId, direction: 'egress', code: 'BAD_STATE', explanation: msg, evidence: { decidingRule: null, evaluated: [], summary: msg },
      vpcId: fromVpc, ...(p.accepter.ownerId ? { accountId: p.accepter.ownerId } : {}), ...(p.accepter.region ? { region: p.accepter.region } : {}),
      facts: { kind: 'state', resourceId: pcxId, state: p.status, peering: p } });
    return ctx.assume(goal, flow, fromVpc);
  }
  if (!other) return wrongWay(`Peering connection ${pcxId} does not connect ${fromVpc}.`);
  if (!other.cidrs.some((c) => cidrContains(c, flow.dst))) {
    return wrongWay(`${pcxId} connects ${fromVpc} to ${other.vpcId} (${other.cidrs.map((c) => c.text).join(', ')}); ${flow.dst.text} is not in ${other.vpcId}, and peering is not transitive.`);
  }
  ctx.hop('PEERING', 'gateway', pcxId, 'forward', flow, `Through peering connection ${pcxId} to ${other.vpcId}.`);
  if (goal.kind === 'interface' && !goal.viaPublic) {
    if (goal.eni.vpcId !== other.vpcId) return wrongWay(`${pcxId} leads to ${other.vpcId}, but ${flow.dst.text} is on ${goal.eni.id} in ${goal.eni.vpcId}.`);
    return { status: 'arrived', vpcId: other.vpcId, flow, crossing: 'peering', peeringAllowsRefs: peeringSameRegion(p) };
  }
  if (goal.kind !== 'unowned') {
    ctx.unknown({ layer: 'gateway', code: 'OUTSIDE_DATA', resourceId: other.vpcId,
      message: `${flow.dst.text} is in peer VPC ${other.vpcId}${other.ownerId ? ` (account ${other.ownerId})` : ''}, whose interfaces are not in the data.`,
      missing: `${shellCommand(['aws', 'ec2', 'describe-network-interfaces', '--filters', `Name=addresses.private-ip-address,Values=${flow.dst.text}`])}${other.ownerId && ACCOUNT_ID.test(other.ownerId) ? `  # in account ${other.ownerId}` : ''}` });
  }
  return { status: 'stopped' };
}
