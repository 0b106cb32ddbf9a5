/**
 * Addresses no interface owns, inside a VPC of the data. Three cases, as an AWS network engineer
 * reads them:
 *   - in none of the VPC's subnets: no interface can ever hold it (blocked, with the nearest
 *     addresses in use: "did you mean 10.0.1.9?");
 *   - one of the five addresses AWS reserves in every subnet (network, VPC router, DNS, future
 *     use, last): no interface can hold it either (blocked);
 *   - a free address of a subnet: nothing answers there now, or the data is incomplete (unknown).
 * "In no subnet" is decided only when the data holds every subnet (a snapshot, not a live,
 * targeted collection of the path's subnets only).
 */
import type { UnknownItem } from '../answer/types.js';
import { shellCommand } from '../fix/shell.js';
import type { Addr, Cidr } from '../net/ip.js';
import type { Model, Subnet } from '../model/types.js';
import type { RawBlocker } from '../trace/types.js';

const RESERVED: Record<number, string> = {
  0: 'the network address', 1: 'reserved by AWS for the VPC router', 2: 'reserved by AWS (DNS)', 3: 'reserved by AWS for future use',
};

/** The addresses in use in the VPC closest to `addr` (same family), nearest first. */
export function nearestInUse(m: Model, vpcId: string, addr: Addr, count = 3): string[] {
  const seen: Array<{ text: string; d: bigint }> = [];
  for (const eni of m.enis.values()) {
    if (eni.vpcId !== vpcId) continue;
    for (const a of addr.family === 4 ? eni.privateIps : eni.ipv6) {
      const d = a.value > addr.value ? a.value - addr.value : addr.value - a.value;
      seen.push({ text: a.text, d });
    }
  }
  seen.sort((x, y) => (x.d < y.d ? -1 : x.d > y.d ? 1 : 0));
  return [...new Set(seen.map((s) => s.text))].slice(0, count);
}

function reservedWhy(c: Cidr, addr: Addr): string | undefined {
  const offset = Number(addr.value - c.first);
  if (RESERVED[offset]) return RESERVED[offset];
  if (addr.value === c.last) return addr.family === 4 ? 'the last address of the subnet, which AWS reserves (no broadcast in a VPC)' : 'the last address of the subnet, which AWS reserves';
  return undefined;
}

export interface UnownedFinding {
  blocker?: Omit<RawBlocker, 'path'>;
  unknown?: UnknownItem;
}

/** What to say about an address inside `vpcId` that no interface in the data owns. */
export function examineUnowned(m: Model, addr: Addr, vpcId: string, role: 'source' | 'destination'): UnownedFinding {
  const nearest = nearestInUse(m, vpcId, addr);
  const didYouMean = nearest.length ? ` Addresses in use nearby: ${nearest.join(', ')} — did you mean ${nearest[0]}?` : '';
  const direction = role === 'source' ? 'egress' as const : 'ingress' as const;
  const subnets: Subnet[] = [...m.subnets.values()].filter((s) => s.vpcId === vpcId);
  const subnet = subnets.find((s) => s.cidrs.some((c) => c.family === addr.family && c.first <= addr.value && addr.value <= c.last));
  const allSubnetsKnown = m.present.has('Subnets') && !m.partialKeys?.has('Subnets');
  const vpc = m.vpcs.get(vpcId);
  const account = vpc?.ownerId ? { accountId: vpc.ownerId } : {};
  const region = vpc?.region ? { region: vpc.region } : {};
  const blocked = (resourceId: string, msg: string, extra: { subnetId?: string } = {}): UnownedFinding => ({
    blocker: {
      layer: 'network-interface', resourceId, direction, code: 'NO_INTERFACE_POSSIBLE', explanation: msg,
      evidence: { decidingRule: null, evaluated: [], summary: msg }, vpcId, ...extra, ...account, ...region,
      facts: { kind: 'no-interface', addr, vpcId, nearest, reason: `no interface can hold ${addr.text}: ask about an address in use${nearest[0] ? ` (${nearest[0]}?)` : ''}` },
    },
  });
  if (!subnet && allSubnetsKnown) {
    const ranges = subnets.flatMap((s) => s.cidrs.filter((c) => c.family === addr.family).map((c) => `${c.text} (${s.name ?? s.id})`));
    return blocked(vpcId, `${addr.text} (the ${role}) is inside ${vpcId}${vpc?.name ? ` (${vpc.name})` : ''} but in none of its subnets${ranges.length ? ` (${ranges.slice(0, 6).join(', ')}${ranges.length > 6 ? ', …' : ''})` : ''}: no interface can have this address, so nothing ${role === 'source' ? 'sends from' : 'answers on'} it.${didYouMean}`);
  }
  if (subnet) {
    const c = subnet.cidrs.find((x) => x.family === addr.family && x.first <= addr.value && addr.value <= x.last)!;
    const why = reservedWhy(c, addr);
    if (why) {
      return blocked(subnet.id, `${addr.text} (the ${role}) is ${why} in ${subnet.id}${subnet.name ? ` (${subnet.name})` : ''} ${c.text}: AWS never gives it to an interface.${didYouMean}`, { subnetId: subnet.id });
    }
  }
  return {
    unknown: {
      layer: 'network-interface', path: 'forward', code: 'UNOWNED_ADDRESS', resourceId: subnet?.id ?? vpcId,
      message: `No network interface in the data owns ${addr.text} (the ${role}), although it is inside ${subnet ? `${subnet.id}${subnet.name ? ` (${subnet.name})` : ''} of ` : ''}${vpcId}. Nothing may be running there, or the data is incomplete.${didYouMean}`,
      missing: shellCommand(['aws', 'ec2', 'describe-network-interfaces', '--filters', `Name=addresses.private-ip-address,Values=${addr.text}`]),
    },
  };
}
