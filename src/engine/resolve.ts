/** Resolves the question's endpoints (address, instance id, ENI id) against the model. */
import { SgwhyError } from '../errors/errors.js';
import { cidrContains, isPrivate, parseAddr, type Addr, type Family } from '../net/ip.js';
import type { Eni, Model } from '../model/types.js';
import type { EndpointRef } from '../question/types.js';
import type { Endpoint } from '../trace/tracer.js';
import { shellCommand } from '../fix/shell.js';

function eniLabel(m: Model, e: Eni): string {
  const inst = e.instanceId ? m.instances.get(e.instanceId) : undefined;
  const who = [e.name, inst?.name, e.description].filter(Boolean)[0];
  return `${e.id}${who ? ` (${who})` : ''} in ${e.vpcId}${e.ownerId ? `, account ${e.ownerId}` : ''}${e.region ? `, ${e.region}` : ''}`;
}

function addressOf(e: Eni, family: Family | undefined): Addr | undefined {
  if (family === 6) return e.ipv6[0];
  if (family === 4) return e.privateIps[0];
  return e.privateIps[0] ?? e.ipv6[0];
}

function fromAddress(m: Model, addr: Addr): Endpoint {
  const owners = m.index.addressOwners.get(addr.text) ?? [];
  const enis = [...new Set(owners.map((o) => o.eniId))].map((id) => m.enis.get(id)!).filter(Boolean);
  if (enis.length > 1) {
    throw new SgwhyError('AMBIGUOUS_ENDPOINT', `${addr.text} belongs to ${enis.length} network interfaces (overlapping address ranges). Which one do you mean? Ask again with the ENI id.`, {
      hints: enis.map((e) => eniLabel(m, e)), details: { address: addr.text, candidates: enis.map((e) => ({ networkInterfaceId: e.id, vpcId: e.vpcId, accountId: e.ownerId, region: e.region })) },
    });
  }
  const eni = enis[0];
  if (eni) {
    const owner = owners.find((o) => o.eniId === eni.id)!;
    if (owner.kind === 'public') {
      const own = eni.publicIps.find((p) => p.publicIp.text === addr.text)!.privateIp;
      return { kind: 'interface', eni, own, addr, viaPublic: true };
    }
    return { kind: 'interface', eni, own: addr, addr, viaPublic: false };
  }
  const vpc = [...m.vpcs.values()].find((v) => v.cidrs.some((c) => cidrContains(c, addr)));
  if (vpc) return { kind: 'unowned', addr, vpcId: vpc.id };
  const subnet = [...m.subnets.values()].find((s) => s.cidrs.some((c) => cidrContains(c, addr)));
  if (subnet) return { kind: 'unowned', addr, vpcId: subnet.vpcId };
  return isPrivate(addr) ? { kind: 'outside', addr } : { kind: 'internet', addr };
}

function eniEndpoint(eni: Eni, family: Family | undefined, input: string): Endpoint {
  const own = addressOf(eni, family);
  if (!own) {
    throw new SgwhyError('BAD_QUESTION', `${input} (${eni.id}) has no IPv${family ?? 4} address.`);
  }
  return { kind: 'interface', eni, own, addr: own, viaPublic: false };
}

/** Resolves both endpoints; an instance picks the interface the OS would use for the other side. */
export function resolveEndpoints(m: Model, source: EndpointRef, destination: EndpointRef): { src: Endpoint; dst: Endpoint } {
  const family = (r: EndpointRef): Family | undefined => (r.kind === 'ip' ? parseAddr(r.value)?.family : undefined);
  const fam = family(source) ?? family(destination);
  const resolveRef = (r: EndpointRef, other: Addr | undefined, role: 'source' | 'destination'): Endpoint => {
    if (r.kind === 'ip') {
      const a = parseAddr(r.value);
      if (!a) throw new SgwhyError('BAD_QUESTION', `${r.value} is not an IP address.`);
      return fromAddress(m, a);
    }
    if (r.kind === 'eni') {
      const eni = m.enis.get(r.value);
      if (!eni) throw new SgwhyError('ENDPOINT_NOT_FOUND', `Network interface ${r.value} is not in the data.`, { hints: [shellCommand(['aws', 'ec2', 'describe-network-interfaces', '--network-interface-ids', r.value])] });
      return eniEndpoint(eni, fam, r.value);
    }
    const inst = m.instances.get(r.value);
    const enis = (inst?.eniIds ?? []).map((id) => m.enis.get(id)).filter((e): e is Eni => !!e);
    if (!inst || enis.length === 0) {
      throw new SgwhyError('ENDPOINT_NOT_FOUND', `Instance ${r.value} is not in the data.`, { hints: [shellCommand(['aws', 'ec2', 'describe-instances', '--instance-ids', r.value])] });
    }
    enis.sort((a, b) => (a.deviceIndex ?? 99) - (b.deviceIndex ?? 99));
    // The OS sends through the interface whose subnet holds the other address; else the primary.
    const connected = role === 'source' && other ? enis.find((e) => m.subnets.get(e.subnetId)?.cidrs.some((c) => cidrContains(c, other))) : undefined;
    return eniEndpoint(connected ?? enis[0]!, fam, r.value);
  };
  // Resolve the side that does not depend on the other first.
  if (source.kind === 'instance') {
    const dst = resolveRef(destination, undefined, 'destination');
    return { src: resolveRef(source, dst.addr, 'source'), dst };
  }
  const src = resolveRef(source, undefined, 'source');
  return { src, dst: resolveRef(destination, src.addr, 'destination') };
}
