/**
 * The interface hop: is the source or destination address on an interface that can send or
 * answer (attached, its instance running)? And what kind of interface it is: AWS creates
 * interfaces for its own services (InterfaceType, RequesterManaged, Description). Some are not
 * filtered by security groups at all (NAT gateways, Gateway Load Balancers and their endpoints,
 * transit gateway attachments, Network Load Balancers without groups); the others carry their
 * owner's groups (an ALB's, an interface endpoint's, a Lambda function's, an RDS instance's).
 * A NAT gateway accepts only replies to connections it opened.
 */
import type { StepKind, TrafficDirection } from '../answer/types.js';
import type { Addr } from '../net/ip.js';
import type { Eni } from '../model/types.js';
import type { TraceContext } from './context.js';
import { describeFlow, type Flow } from './flow.js';

export interface ManagedInfo {
  /** The AWS service that owns the interface, named from its type and description ("NAT gateway nat-0abc…", "load balancer app/orders/50dc…"). */
  owner?: string;
  /** Security groups filter this interface's traffic. */
  filteredBySg: boolean;
  /** Why security groups do not apply, when they do not. */
  notFilteredBecause?: string;
  /** A NAT gateway: it accepts only replies to connections it opened. */
  repliesOnly: boolean;
  /** The NAT gateway id, for a NAT gateway interface. */
  natGatewayId?: string;
}

/** Interface types whose traffic security groups never filter (AWS documents these interfaces as having no security groups). */
const NO_SG_TYPES: Readonly<Record<string, string>> = {
  nat_gateway: 'NAT gateway', natGateway: 'NAT gateway', gateway_load_balancer: 'Gateway Load Balancer',
  gateway_load_balancer_endpoint: 'Gateway Load Balancer endpoint', transit_gateway: 'transit gateway attachment',
};

const OWNER_PATTERNS: ReadonlyArray<[RegExp, (m: RegExpExecArray) => string]> = [
  [/^ELB (app|net|gwy)\/([^/\s]+)\/([0-9a-f]+)/, (m) => `${m[1] === 'app' ? 'Application' : m[1] === 'net' ? 'Network' : 'Gateway'} Load Balancer ${m[1]}/${m[2]}/${m[3]}`],
  [/^ELB (\S+)/, (m) => `Classic Load Balancer ${m[1]}`],
  [/^Interface for NAT Gateway (nat-[0-9a-f]+)/, (m) => `NAT gateway ${m[1]}`],
  [/^VPC Endpoint Interface (vpce-[0-9a-f]+)/, (m) => `VPC endpoint ${m[1]}`],
  [/^Network Interface for Transit Gateway Attachment (tgw-attach-[0-9a-f]+)/, (m) => `transit gateway attachment ${m[1]}`],
  [/^AWS Lambda VPC ENI-(.+?)(?:-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})?$/, (m) => `Lambda function ${m[1]}`],
  [/^RDSNetworkInterface/, () => 'RDS database'],
  [/^Amazon EKS (\S+)/, (m) => `EKS cluster ${m[1]}`],
  [/^EFS mount target for (fs-[0-9a-f]+)/, (m) => `EFS file system ${m[1]}`],
];

export function managedInfo(eni: Eni): ManagedInfo {
  const desc = eni.description ?? '';
  let owner: string | undefined;
  for (const [re, name] of OWNER_PATTERNS) {
    const m = re.exec(desc);
    if (m) {
      owner = name(m);
      break;
    }
  }
  const type = eni.interfaceType ?? 'interface';
  const isNat = type === 'nat_gateway' || type === 'natGateway';
  const natGatewayId = isNat ? /nat-[0-9a-f]+/.exec(desc)?.[0] : undefined;
  if (!owner && NO_SG_TYPES[type]) owner = NO_SG_TYPES[type];
  const info: ManagedInfo = { filteredBySg: true, repliesOnly: isNat, ...(owner ? { owner } : {}), ...(natGatewayId ? { natGatewayId } : {}) };
  if (NO_SG_TYPES[type]) {
    info.filteredBySg = false;
    info.notFilteredBecause = `it is the interface of a ${NO_SG_TYPES[type]}, which security groups do not filter`;
  } else if (type === 'network_load_balancer' && eni.groupIds.length === 0) {
    info.filteredBySg = false;
    info.notFilteredBecause = 'it is the interface of a Network Load Balancer without security groups, so security groups do not filter it';
  } else if (eni.requesterManaged === true && eni.groupIds.length === 0) {
    info.filteredBySg = false;
    info.notFilteredBecause = `it is managed by ${owner ?? eni.requesterId ?? 'an AWS service'} and carries no security groups`;
  }
  return info;
}

/** " (instance i-… web-1)", " (Application Load Balancer app/orders/…)", or "". */
export function ownerText(ctx: TraceContext, eni: Eni): string {
  const inst = eni.instanceId ? ctx.model.instances.get(eni.instanceId) : undefined;
  if (inst) return ` (instance ${inst.id}${inst.name ? ` ${inst.name}` : ''})`;
  const owner = managedInfo(eni).owner;
  return owner ? ` (${owner})` : '';
}

export function checkInterface(ctx: TraceContext, eni: Eni, addr: Addr, role: 'source' | 'destination', flow: Flow): void {
  const step: StepKind = role === 'source' ? 'SOURCE_ENI' : 'DESTINATION_ENI';
  const direction: TrafficDirection = role === 'source' ? 'egress' : 'ingress';
  const inst = eni.instanceId ? ctx.model.instances.get(eni.instanceId) : undefined;
  const owner = ownerText(ctx, eni);
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
  const managed = managedInfo(eni);
  if (role === 'destination' && managed.repliesOnly) {
    // A NAT gateway translates connections its VPC opens; it never accepts one from outside.
    const natId = managed.natGatewayId ?? [...ctx.model.natGateways.values()].find((n) => n.privateIps.some((a) => a.text === addr.text))?.id ?? eni.id;
    const msg = `${addr.text} is ${eni.id}, the interface of NAT gateway ${natId}: a NAT gateway accepts only replies to connections it opened, so it drops this unsolicited ${describeFlow(flow)}. Nothing behind it can be reached through it.`;
    ctx.hop(step, 'gateway', natId, 'drop', flow, msg, { direction });
    ctx.block({
      layer: 'gateway', resourceId: natId, direction, code: 'UNSOLICITED_INBOUND', explanation: msg,
      evidence: { decidingRule: null, evaluated: [], summary: 'a NAT gateway accepts no inbound connections' }, networkInterfaceId: eni.id,
      subnetId: eni.subnetId, vpcId: eni.vpcId, ...(eni.ownerId ? { accountId: eni.ownerId } : {}), ...(eni.region ? { region: eni.region } : {}),
      facts: { kind: 'managed', eni, reason: 'A NAT gateway never accepts connections from outside; to reach a server, target the server\'s own address (through a load balancer or a public address), not the NAT gateway.' },
    });
    return;
  }
  ctx.hop(step, 'network-interface', eni.id, 'allow', flow, `${addr.text} is on ${eni.id}${eni.name ? ` (${eni.name})` : ''}${owner} in ${eni.subnetId}.`, { direction });
}
