/**
 * Addresses AWS serves itself: the instance metadata service (169.254.169.254, fd00:ec2::254),
 * the Amazon Time Sync Service (169.254.169.123, fd00:ec2::123) and the Amazon DNS server (the
 * VPC's base address + 2, 169.254.169.253, fd00:ec2::253). The instance reaches them over its own
 * link: no security group, network ACL or route table is on the way, so none is evaluated and no
 * change to one is ever proposed. What can still stop it: the source is not an instance (metadata,
 * time), the resolver belongs to another VPC, the metadata endpoint is disabled on the instance,
 * or the question names a port the service does not answer on.
 */
import { shellCommand } from '../fix/shell.js';
import type { Addr } from '../net/ip.js';
import type { TraceContext } from './context.js';
import type { Flow } from './flow.js';
import { checkInterface } from './interface.js';
import type { AwsService, Endpoint } from './types.js';

const METADATA_V4 = '169.254.169.254';
const TIME_V4 = '169.254.169.123';
const DNS_V4 = '169.254.169.253';

const SERVICES: Record<AwsService['id'], Omit<AwsService, 'vpcId'>> = {
  metadata: { id: 'metadata', name: 'the instance metadata service (IMDS)', listens: [{ protocol: 'tcp', port: 80 }] },
  time: { id: 'time', name: 'the Amazon Time Sync Service', listens: [{ protocol: 'udp', port: 123 }] },
  dns: { id: 'dns', name: 'the Amazon DNS server (Route 53 Resolver)', listens: [{ protocol: 'udp', port: 53 }, { protocol: 'tcp', port: 53 }] },
};

const BY_ADDRESS: Record<string, AwsService['id']> = {
  [METADATA_V4]: 'metadata', 'fd00:ec2::254': 'metadata',
  [TIME_V4]: 'time', 'fd00:ec2::123': 'time',
  [DNS_V4]: 'dns', 'fd00:ec2::253': 'dns',
};

/** The AWS service at a link-local address, if any (the VPC resolver at base + 2 is found by the resolver, which knows the VPCs). */
export function linkLocalService(a: Addr): AwsService | undefined {
  const id = BY_ADDRESS[a.text];
  return id ? { ...SERVICES[id] } : undefined;
}

export function vpcResolver(vpcId: string): AwsService {
  return { ...SERVICES.dns, vpcId };
}

/** The walk to an AWS-served address: the source interface, then the service itself. */
export function toAwsService(ctx: TraceContext, src: Endpoint, dst: Extract<Endpoint, { kind: 'aws-service' }>, flow: Flow): void {
  const svc = dst.service;
  const block = (resourceId: string, msg: string, extra: { eniId?: string; vpcId?: string } = {}): void => {
    ctx.hop('AWS_SERVICE', 'network-interface', resourceId, 'deny', flow, msg, { direction: 'egress' });
    ctx.block({
      layer: 'network-interface', resourceId, direction: 'egress', code: 'AWS_SERVICE', explanation: msg,
      evidence: { decidingRule: null, evaluated: [], summary: msg }, ...(extra.eniId ? { networkInterfaceId: extra.eniId } : {}),
      ...(extra.vpcId ? { vpcId: extra.vpcId } : {}), facts: { kind: 'aws-service', reason: msg },
    });
  };
  if (src.kind !== 'interface') {
    block(dst.addr.text, `${dst.addr.text} is ${svc.name}, which AWS serves only to resources inside ${svc.vpcId ?? 'a VPC'}; ${src.addr.text} is outside every VPC in the data, so it cannot reach it${svc.id === 'dns' ? ' (from on-premises, use a Route 53 Resolver inbound endpoint)' : ''}.`);
    return;
  }
  checkInterface(ctx, src.eni, src.own, 'source', flow);
  const eni = src.eni;
  const inst = eni.instanceId ? ctx.model.instances.get(eni.instanceId) : undefined;
  if (svc.vpcId && svc.vpcId !== eni.vpcId) {
    block(eni.id, `${dst.addr.text} is the Amazon DNS server of ${svc.vpcId}; it answers only resources in ${svc.vpcId}, and ${eni.id} is in ${eni.vpcId}. Use the resolver of ${eni.vpcId} (its base address + 2, or 169.254.169.253), or share the zone / forward through Route 53 Resolver endpoints.`, { eniId: eni.id, vpcId: eni.vpcId });
    return;
  }
  if (svc.id !== 'dns' && !eni.instanceId) {
    block(eni.id, `${dst.addr.text} is ${svc.name}, which answers EC2 instances only; ${eni.id} belongs to no instance (${eni.interfaceType ?? 'interface'}${eni.description ? `, "${eni.description}"` : ''}).`, { eniId: eni.id, vpcId: eni.vpcId });
    return;
  }
  if (svc.id === 'metadata' && inst?.metadata?.httpEndpoint === 'disabled') {
    block(inst.id, `The instance metadata service is disabled on ${inst.id} (MetadataOptions.HttpEndpoint is "disabled"): nothing answers on ${dst.addr.text}. Turn it on with: ${shellCommand(['aws', 'ec2', 'modify-instance-metadata-options', '--instance-id', inst.id, '--http-endpoint', 'enabled'])}`, { eniId: eni.id, vpcId: eni.vpcId });
    return;
  }
  if (svc.id === 'metadata' && dst.addr.family === 6 && inst?.metadata && inst.metadata.httpProtocolIpv6 !== 'enabled') {
    block(inst.id, `The IPv6 endpoint of the instance metadata service is off on ${inst.id} (MetadataOptions.HttpProtocolIpv6 is "${inst.metadata.httpProtocolIpv6 ?? 'disabled'}"): use ${METADATA_V4}, or turn it on with: ${shellCommand(['aws', 'ec2', 'modify-instance-metadata-options', '--instance-id', inst.id, '--http-protocol-ipv6', 'enabled'])}`, { eniId: eni.id, vpcId: eni.vpcId });
    return;
  }
  const asked = flow.proto === 6 ? 'tcp' : flow.proto === 17 ? 'udp' : undefined;
  const port = flow.dstPorts?.[0];
  if (!svc.listens.some((l) => l.protocol === asked && l.port === port)) {
    const listens = svc.listens.map((l) => `${l.protocol}/${l.port}`).join(' and ');
    block(dst.addr.text, `${dst.addr.text} is ${svc.name}; it answers on ${listens} only, not ${flow.protocol}${port !== undefined ? `/${port}` : ''}. Nothing in the network blocks it: ask about ${listens}.`, { eniId: eni.id, vpcId: eni.vpcId });
    return;
  }
  ctx.hop('AWS_SERVICE', 'network-interface', dst.addr.text, 'allow', flow,
    `${dst.addr.text} is ${svc.name}. AWS serves it to ${eni.id} over the instance's own link: no security group, network ACL or route table applies.`, { direction: 'egress' });
}
