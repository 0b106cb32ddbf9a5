/**
 * Endpoint resolution: what the user typed (an address, i-…, eni-…, a Name tag, a load balancer)
 * → the interface(s) it stands for.
 *
 * One endpoint may stand for several interfaces: an instance with several ENIs (or a Name tag on
 * one), and a load balancer with one interface per Availability Zone. The mechanism is generic:
 *   - a resolver returns a `Side`: its `candidates`, each an Endpoint with a human `label`
 *     ("eth1 eni-… 10.0.1.60 (app-private-b)", "us-east-1a"), and a `mode`:
 *       'each'   answer for every candidate (an instance as the destination: each of its
 *                addresses is a different door; a load balancer: each zone's node),
 *       'routed' answer for the one the traffic uses, chosen per destination by `pickSource`,
 *                which says why (an instance as the source sends through the interface whose
 *                subnet holds the destination, else through its primary interface's default route),
 *       'single' one interface, nothing to say;
 *   - ask() answers each (source, destination) pair and composes one Answer whose optional
 *     `candidates` field lists every interface with its own verdict (compose.ts). Nothing is
 *     ever silently answered for the primary interface alone.
 * To plug in another kind of endpoint (load balancers): register a resolver for its EndpointRef
 * kind with `registerResolver('load-balancer', fn)`; fn returns a Side with one candidate per
 * interface (InterfaceType and description identify them), labelled with the zone, mode 'each'.
 */
import type { UnknownItem } from '../answer/types.js';
import { SgwhyError } from '../errors/errors.js';
import { shellCommand } from '../fix/shell.js';
import { cidrContains, isPrivate, parseAddr, type Addr, type Family } from '../net/ip.js';
import type { Eni, Instance, Model } from '../model/types.js';
import type { EndpointRef } from '../question/types.js';
import { linkLocalService, vpcResolver } from '../trace/aws-services.js';
import type { Endpoint } from '../trace/types.js';
import { loadBalancerSide } from './load-balancer.js';

export type Role = 'source' | 'destination';

export interface Candidate {
  label: string;
  endpoint: Endpoint;
}

export interface Side {
  /** The endpoint as typed. */
  input: string;
  /** What it is, when it expanded to several interfaces: "instance i-0abc… (web-1)". */
  what?: string;
  mode: 'single' | 'each' | 'routed';
  candidates: Candidate[];
  /**
   * Parts of the endpoint the data cannot show (a load balancer zone whose interface is not in
   * the data): each is answered `unknown`, labelled like a candidate, never left out.
   */
  unseen?: Array<{ label: string; unknown: UnknownItem }>;
}

export interface Pair {
  src: Candidate;
  dst: Candidate;
  /** For a routed source: why the traffic leaves through this interface. */
  why?: string;
  /** For a routed source whose choice of interface the data cannot decide: what is missing (the answer is then unknown). */
  unknown?: UnknownItem;
}

export interface Resolution {
  source: Side;
  destination: Side;
  pairs: Pair[];
}

export type RefResolver = (m: Model, ref: EndpointRef, role: Role, family: Family | undefined) => Side;

const resolvers = new Map<EndpointRef['kind'], RefResolver>();

/** Registers how a kind of endpoint resolves (load balancers plug in here). */
export function registerResolver(kind: EndpointRef['kind'], fn: RefResolver): void {
  resolvers.set(kind, fn);
}

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

const single = (input: string, endpoint: Endpoint, label?: string): Side => ({
  input, mode: 'single', candidates: [{ label: label ?? input, endpoint }],
});

function fromAddress(m: Model, addr: Addr, input: string): Side {
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
      return single(input, { kind: 'interface', eni, own, addr, viaPublic: true });
    }
    return single(input, { kind: 'interface', eni, own: addr, addr, viaPublic: false });
  }
  const contested = [...m.enis.values()].filter((e) => e.unconfirmedPublicIps?.some((p) => p.publicIp.text === addr.text));
  if (contested.length) {
    // One copy of the data gives the address to an interface, the authoritative one does not: it is
    // neither that interface (whose groups and ACLs would apply) nor, for sure, an internet address.
    const ids = contested.map((e) => e.id);
    const message = `${addr.text} is the public address of ${ids.join(', ')} in describe-instances, but describe-network-interfaces shows no such address on ${ids.length === 1 ? 'it' : 'them'}: whether ${addr.text} is ${ids.length === 1 ? 'that interface' : 'one of them'} (its security groups and network ACL then apply) or elsewhere on the internet is unknown.`;
    return { ...single(input, isPrivate(addr) ? { kind: 'outside', addr } : { kind: 'internet', addr }),
      unseen: [{ label: addr.text, unknown: { layer: 'network-interface', path: 'forward', code: 'MISSING_DATA', resourceId: ids[0]!, message,
        missing: shellCommand(['aws', 'ec2', 'describe-network-interfaces', '--network-interface-ids', ...ids]) } }] };
  }
  const service = linkLocalService(addr);
  if (service) return single(input, { kind: 'aws-service', addr, service });
  // The Amazon DNS server: the base of the VPC's primary IPv4 range plus two.
  for (const vpc of m.vpcs.values()) {
    const primary = vpc.cidrs.find((c) => c.family === 4);
    if (primary && addr.family === 4 && primary.first + 2n === addr.value) return single(input, { kind: 'aws-service', addr, service: vpcResolver(vpc.id) });
  }
  const vpc = [...m.vpcs.values()].find((v) => v.cidrs.some((c) => cidrContains(c, addr)));
  if (vpc) return single(input, { kind: 'unowned', addr, vpcId: vpc.id });
  const subnet = [...m.subnets.values()].find((s) => s.cidrs.some((c) => cidrContains(c, addr)));
  if (subnet) return single(input, { kind: 'unowned', addr, vpcId: subnet.vpcId });
  return single(input, isPrivate(addr) ? { kind: 'outside', addr } : { kind: 'internet', addr });
}

function eniEndpoint(eni: Eni, family: Family | undefined, input: string): Endpoint {
  const own = addressOf(eni, family);
  if (!own) {
    throw new SgwhyError('BAD_QUESTION', `${input} (${eni.id}) has no IPv${family ?? 4} address.`);
  }
  return { kind: 'interface', eni, own, addr: own, viaPublic: false };
}

/** "eth1 eni-0b… 10.0.1.60 (app-private-b)". */
function interfaceLabel(m: Model, eni: Eni, addr: Addr): string {
  const subnet = m.subnets.get(eni.subnetId);
  return `${eni.deviceIndex !== undefined ? `eth${eni.deviceIndex} ` : ''}${eni.id} ${addr.text} (${subnet?.name ?? eni.subnetId})`;
}

function instanceSide(m: Model, inst: Instance, role: Role, family: Family | undefined, input: string): Side {
  const enis = inst.eniIds.map((id) => m.enis.get(id)).filter((e): e is Eni => !!e)
    .sort((a, b) => (a.deviceIndex ?? 99) - (b.deviceIndex ?? 99));
  const candidates: Candidate[] = [];
  for (const eni of enis) {
    const own = addressOf(eni, family);
    if (own) candidates.push({ label: interfaceLabel(m, eni, own), endpoint: { kind: 'interface', eni, own, addr: own, viaPublic: false } });
  }
  if (candidates.length === 0) {
    if (enis[0]) eniEndpoint(enis[0], family, input); // throws the "no IPv6 address" message
    throw new SgwhyError('ENDPOINT_NOT_FOUND', `Instance ${inst.id} has no network interface in the data.`, { hints: [shellCommand(['aws', 'ec2', 'describe-network-interfaces', '--filters', `Name=attachment.instance-id,Values=${inst.id}`])] });
  }
  if (candidates.length === 1) return { input, mode: 'single', candidates };
  return { input, what: `instance ${inst.id}${inst.name ? ` (${inst.name})` : ''}`, mode: role === 'source' ? 'routed' : 'each', candidates };
}

function instanceById(m: Model, id: string, role: Role, family: Family | undefined, input: string): Side {
  const inst = m.instances.get(id);
  if (!inst || inst.eniIds.length === 0) {
    throw new SgwhyError('ENDPOINT_NOT_FOUND', `Instance ${id} is not in the data.`, { hints: [shellCommand(['aws', 'ec2', 'describe-instances', '--instance-ids', id])] });
  }
  return instanceSide(m, inst, role, family, input);
}

/** Instances and interfaces whose Name tag is `name` (case-insensitive); an instance's own interfaces count once, as the instance. */
function byName(m: Model, name: string, role: Role, family: Family | undefined): Side {
  const want = name.toLowerCase();
  const instances = [...m.instances.values()].filter((i) => i.name?.toLowerCase() === want);
  const taken = new Set(instances.flatMap((i) => i.eniIds));
  const enis = [...m.enis.values()].filter((e) => e.name?.toLowerCase() === want && !taken.has(e.id));
  const found = instances.length + enis.length;
  if (found === 0) {
    const all = [...new Set([...m.instances.values()].map((i) => i.name).concat([...m.enis.values()].map((e) => e.name)).filter((n): n is string => !!n))];
    const close = all.filter((n) => n.toLowerCase().includes(want) || want.includes(n.toLowerCase())).slice(0, 5);
    throw new SgwhyError('ENDPOINT_NOT_FOUND', `No instance or network interface in the data has the Name tag "${name}".${close.length ? ` Close: ${close.join(', ')}.` : ''}`, {
      hints: [shellCommand(['aws', 'ec2', 'describe-instances', '--filters', `Name=tag:Name,Values=${name}`]), ...close],
    });
  }
  if (found > 1) {
    const hints = [
      ...instances.map((i) => `${i.id} (${i.name}, ${i.state ?? 'state unknown'}${i.eniIds[0] ? `, ${eniLabel(m, m.enis.get(i.eniIds[0]) ?? ({ id: i.eniIds[0], vpcId: '?' } as Eni))}` : ''})`),
      ...enis.map((e) => eniLabel(m, e)),
    ];
    throw new SgwhyError('AMBIGUOUS_ENDPOINT', `${found} resources have the Name tag "${name}". Which one do you mean? Ask again with its id.`, {
      hints, details: { name, candidates: [...instances.map((i) => ({ instanceId: i.id })), ...enis.map((e) => ({ networkInterfaceId: e.id, vpcId: e.vpcId }))] },
    });
  }
  if (instances[0]) return instanceSide(m, instances[0], role, family, name);
  return single(name, eniEndpoint(enis[0]!, family, name));
}

function resolveRef(m: Model, r: EndpointRef, role: Role, family: Family | undefined): Side {
  const custom = resolvers.get(r.kind);
  if (custom) return custom(m, r, role, family);
  switch (r.kind) {
    case 'ip': {
      const a = parseAddr(r.value);
      if (!a) throw new SgwhyError('BAD_QUESTION', `${r.value} is not an IP address.`);
      return fromAddress(m, a, r.value);
    }
    case 'eni': {
      const eni = m.enis.get(r.value);
      if (!eni) throw new SgwhyError('ENDPOINT_NOT_FOUND', `Network interface ${r.value} is not in the data.`, { hints: [shellCommand(['aws', 'ec2', 'describe-network-interfaces', '--network-interface-ids', r.value])] });
      return single(r.value, eniEndpoint(eni, family, r.value));
    }
    case 'instance': return instanceById(m, r.value, role, family, r.value);
    case 'name': return byName(m, r.value, role, family);
    case 'load-balancer': return loadBalancerSide(m, r.value, role, family);
  }
}

/** The interface of a routed source that traffic to `dst` leaves through, and why. */
export function pickSource(m: Model, side: Side, dst: Endpoint): { candidate: Candidate; why?: string; unknown?: UnknownItem } {
  const first = side.candidates[0]!;
  if (side.mode !== 'routed') return { candidate: first };
  const target = dst.kind === 'interface' ? dst.addr : dst.addr;
  const connected = side.candidates.find((c) => c.endpoint.kind === 'interface'
    && m.subnets.get(c.endpoint.eni.subnetId)?.cidrs.some((cidr) => cidrContains(cidr, target)));
  if (connected && connected.endpoint.kind === 'interface') {
    const s = m.subnets.get(connected.endpoint.eni.subnetId);
    return { candidate: connected, why: `${side.what} has ${side.candidates.length} interfaces; traffic to ${target.text} leaves through ${connected.label}, whose subnet ${s?.cidrs.map((c) => c.text).join(', ') ?? ''} holds ${target.text} (the connected route).` };
  }
  // A candidate whose subnet is not in the data might hold the destination (the connected route):
  // which interface the traffic leaves through is then unknown, never assumed to be the primary.
  const unseen = [...new Set(side.candidates.flatMap((c) => (c.endpoint.kind === 'interface' && !m.subnets.has(c.endpoint.eni.subnetId) ? [c.endpoint.eni.subnetId] : [])))];
  if (unseen.length) {
    const message = `The subnet${unseen.length === 1 ? '' : 's'} ${unseen.join(', ')} of ${side.what}'s interfaces ${unseen.length === 1 ? 'is' : 'are'} not in the data: cannot tell whether ${target.text} is on the connected route of one of them, so which interface the traffic to it leaves through is unknown.`;
    const why = `${side.what} has ${side.candidates.length} interfaces: answered for the primary interface ${first.label}, though the data cannot show which one the traffic to ${target.text} leaves through.`;
    return { candidate: first, why, unknown: { layer: 'network-interface', path: 'forward', code: 'MISSING_DATA', resourceId: unseen[0]!, message,
      missing: shellCommand(['aws', 'ec2', 'describe-subnets', '--subnet-ids', ...unseen]) } };
  }
  return { candidate: first, why: `${side.what} has ${side.candidates.length} interfaces; ${target.text} is in none of their subnets, so the operating system sends through its default route, on the primary interface ${first.label}.` };
}

/** Resolves both endpoints into the (source, destination) interface pairs to answer. */
export function resolveEndpoints(m: Model, source: EndpointRef, destination: EndpointRef): Resolution {
  const family = (r: EndpointRef): Family | undefined => (r.kind === 'ip' ? parseAddr(r.value)?.family : undefined);
  const fam = family(source) ?? family(destination);
  const dstSide = resolveRef(m, destination, 'destination', fam);
  const srcSide = resolveRef(m, source, 'source', fam);
  for (const c of srcSide.candidates) {
    if (c.endpoint.kind === 'aws-service') {
      throw new SgwhyError('BAD_QUESTION', `${c.endpoint.addr.text} is ${c.endpoint.service.name}: it only answers. Ask from an instance to it, e.g. "can 10.0.2.100 reach ${c.endpoint.addr.text}${c.endpoint.service.id === 'metadata' ? ':80' : c.endpoint.service.id === 'time' ? ':123/udp' : ':53/udp'}".`);
    }
  }
  const pairs: Pair[] = [];
  for (const dst of dstSide.candidates) {
    const { candidate, why, unknown } = pickSource(m, srcSide, dst.endpoint);
    pairs.push({ src: candidate, dst, ...(why ? { why } : {}), ...(unknown ? { unknown } : {}) });
    if (srcSide.mode === 'each') {
      for (const other of srcSide.candidates.slice(1)) pairs.push({ src: other, dst });
    }
  }
  if (srcSide.mode === 'each') pairs.sort((a, b) => srcSide.candidates.indexOf(a.src) - srcSide.candidates.indexOf(b.src));
  return { source: srcSide, destination: dstSide, pairs };
}
