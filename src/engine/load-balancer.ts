/**
 * Load balancers as endpoints: `alb/NAME`, `nlb/NAME`, `gwlb/NAME`, an ELBv2 ARN or its DNS name.
 * A load balancer has (at least) one network interface per Availability Zone, described
 * "ELB app/NAME/ID" (net/… for NLB, gwy/… for GWLB): the question is answered for each zone's
 * interface, so the answer says which zones fail. The load balancer itself comes from
 * DescribeLoadBalancers (snapshot key LoadBalancers); without it, its interfaces are found by
 * their description.
 */
import { SgwhyError } from '../errors/errors.js';
import { shellCommand } from '../fix/shell.js';
import type { Family } from '../net/ip.js';
import type { LoadBalancer } from '../model/hybrid.js';
import type { Eni, Model } from '../model/types.js';
import type { Candidate, Role, Side } from './resolve.js';

const TYPE_PREFIX: Record<string, string> = { alb: 'app', nlb: 'net', gwlb: 'gwy', elb: '' };
const ARN_TYPE: Record<string, string> = { app: 'application', net: 'network', gwy: 'gateway' };

/** "app/orders/50dc6c495c0c9188" from an ARN (the part the interfaces' descriptions carry). */
const arnPath = (arn: string): string | undefined => arn.match(/:loadbalancer\/((?:app|net|gwy)\/[^/]+\/[0-9a-f]+)$/)?.[1];

interface Wanted { name?: string; prefix?: string; arn?: string; dns?: string }

function parseRef(value: string): Wanted {
  const v = value.trim();
  if (v.startsWith('arn:')) return { arn: v };
  if (/\.elb\.(?:[a-z0-9-]+\.)?amazonaws\.com\.?$/i.test(v)) return { dns: v.toLowerCase().replace(/\.$/, '') };
  const m = v.match(/^(alb|nlb|gwlb|elb)\/(.+)$/i);
  if (m) return { prefix: TYPE_PREFIX[m[1]!.toLowerCase()]!, name: m[2]! };
  return { name: v };
}

function findLb(m: Model, w: Wanted): LoadBalancer[] {
  const all = [...(m.hybrid?.loadBalancers.values() ?? [])];
  if (w.arn) return all.filter((lb) => lb.arn === w.arn);
  if (w.dns) return all.filter((lb) => lb.dnsName === w.dns || (lb.dnsName && w.dns!.endsWith(`.${lb.dnsName}`)));
  return all.filter((lb) => lb.name.toLowerCase() === w.name!.toLowerCase()
    && (!w.prefix || ARN_TYPE[w.prefix] === lb.type));
}

/** The interfaces of a load balancer: described "ELB <type>/<name>/<id>". */
function interfacesOf(m: Model, path: string): Eni[] {
  const want = `ELB ${path}`.toLowerCase();
  return [...m.enis.values()].filter((e) => (e.description ?? '').toLowerCase() === want);
}

/** Interfaces found by description alone: "ELB app/NAME/…" (the load balancer's own record is not in the data). */
function interfacesByName(m: Model, w: Wanted): Map<string, Eni[]> {
  const out = new Map<string, Eni[]>();
  if (!w.name) return out;
  for (const e of m.enis.values()) {
    const d = (e.description ?? '').match(/^ELB ((app|net|gwy)\/([^/]+)\/[0-9a-f]+)$/i);
    if (!d || d[3]!.toLowerCase() !== w.name.toLowerCase() || (w.prefix && d[2]!.toLowerCase() !== w.prefix)) continue;
    out.set(d[1]!, [...(out.get(d[1]!) ?? []), e]);
  }
  return out;
}

function zoneLabel(m: Model, e: Eni, addr: string): string {
  const subnet = m.subnets.get(e.subnetId);
  return `${e.az ?? subnet?.az ?? e.subnetId} (${e.id} ${addr}${subnet?.name ? `, ${subnet.name}` : ''})`;
}

export function loadBalancerSide(m: Model, value: string, role: Role, family: Family | undefined): Side {
  const w = parseRef(value);
  const lbs = findLb(m, w);
  if (lbs.length > 1) {
    throw new SgwhyError('AMBIGUOUS_ENDPOINT', `${lbs.length} load balancers match "${value}". Which one do you mean? Ask again with its ARN.`, {
      hints: lbs.map((lb) => `${lb.arn} (${lb.type}, ${lb.scheme}${lb.vpcId ? `, ${lb.vpcId}` : ''})`),
    });
  }
  const lb = lbs[0];
  let path = lb ? arnPath(lb.arn) : w.arn ? arnPath(w.arn) : undefined;
  let enis = path ? interfacesOf(m, path) : [];
  if (!lb && !enis.length) {
    const byName = interfacesByName(m, w);
    if (byName.size > 1) {
      throw new SgwhyError('AMBIGUOUS_ENDPOINT', `${byName.size} load balancers named "${w.name}" have interfaces in the data. Which one do you mean? Ask again with its ARN.`, { hints: [...byName.keys()] });
    }
    const first = [...byName.entries()][0];
    if (first) [path, enis] = first;
  }
  const label = lb ? `${lb.type === 'network' ? 'network' : lb.type === 'gateway' ? 'gateway' : 'application'} load balancer ${lb.name}` : `load balancer ${path ?? value}`;
  if (!lb && !enis.length) {
    throw new SgwhyError('ENDPOINT_NOT_FOUND', `Load balancer ${value} is not in the data.`, {
      hints: [shellCommand(['aws', 'elbv2', 'describe-load-balancers', ...(w.arn ? ['--load-balancer-arns', w.arn] : w.name ? ['--names', w.name] : [])])],
    });
  }
  if (!enis.length) {
    throw new SgwhyError('ENDPOINT_NOT_FOUND', `The network interfaces of ${label} (one per Availability Zone: ${lb!.zones.map((z) => `${z.zone} ${z.subnetId}`).join(', ')}) are not in the data.`, {
      hints: [shellCommand(['aws', 'ec2', 'describe-network-interfaces', '--filters', `Name=description,Values=ELB ${path ?? ''}`])],
    });
  }
  if (lb?.state && lb.state !== 'active' && lb.state !== 'active_impaired') {
    throw new SgwhyError('ENDPOINT_NOT_FOUND', `${label} is ${lb.state}: it has no working interfaces to evaluate.`);
  }
  // Internet-facing: clients reach it at its public addresses (its DNS name resolves to them, from inside the VPC too).
  const publicFacing = lb?.scheme === 'internet-facing' && role === 'destination';
  const candidates: Candidate[] = [];
  for (const e of [...enis].sort((a, b) => (a.az ?? '').localeCompare(b.az ?? '') || a.id.localeCompare(b.id))) {
    const own = family === 6 ? e.ipv6[0] : family === 4 ? e.privateIps[0] : e.privateIps[0] ?? e.ipv6[0];
    if (!own) continue;
    const pub = publicFacing && own.family === 4 ? e.publicIps.find((p) => p.privateIp.text === own.text)?.publicIp : undefined;
    candidates.push({ label: zoneLabel(m, e, pub ? `${pub.text} → ${own.text}` : own.text),
      endpoint: pub ? { kind: 'interface', eni: e, own, addr: pub, viaPublic: true } : { kind: 'interface', eni: e, own, addr: own, viaPublic: false } });
  }
  if (!candidates.length) throw new SgwhyError('ENDPOINT_NOT_FOUND', `The interfaces of ${label} have no IPv${family ?? 4} address.`);
  const unseen = lb ? missingZones(m, lb, enis, label) : [];
  const zones = new Set(enis.map((e) => e.az ?? e.subnetId)).size + unseen.length;
  return { input: value, what: `${label} (${zones} Availability Zone${zones === 1 ? '' : 's'}, one node each)`, mode: candidates.length === 1 ? 'single' : 'each', candidates,
    ...(unseen.length ? { unseen } : {}) };
}

/**
 * The load balancer's own zones (DescribeLoadBalancers AvailabilityZones) with no interface among
 * those found by description: each is unknown (its interface is missing, or its description is
 * not the one AWS gives), never silently absent.
 */
function missingZones(m: Model, lb: LoadBalancer, enis: readonly Eni[], label: string): NonNullable<Side['unseen']> {
  const out: NonNullable<Side['unseen']> = [];
  for (const z of lb.zones) {
    const found = enis.some((e) => (z.subnetId !== '' && e.subnetId === z.subnetId)
      || (z.subnetId === '' && z.zone !== '' && (e.az ?? m.subnets.get(e.subnetId)?.az) === z.zone));
    if (found) continue;
    const where = [z.zone, z.subnetId].filter(Boolean).join(' ') || 'one of its zones';
    const message = `${label} has a node in ${where}, but no network interface in the data there is described "ELB ${arnPath(lb.arn) ?? lb.name}": that zone cannot be checked.`;
    const filters = [`Name=description,Values=ELB ${arnPath(lb.arn) ?? ''}`, ...(z.subnetId ? [`Name=subnet-id,Values=${z.subnetId}`] : [])];
    out.push({ label: z.zone || z.subnetId || lb.name, unknown: { layer: 'network-interface', path: 'forward', code: 'MISSING_DATA', resourceId: z.subnetId || lb.arn, message,
      missing: shellCommand(['aws', 'ec2', 'describe-network-interfaces', '--filters', ...filters]) } });
  }
  return out;
}
