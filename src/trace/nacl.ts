/**
 * Network ACL evaluation: entries in rule-number order, first match wins, implicit deny.
 * Works on a port range at once (the return leg's ephemeral ports), splitting it into the
 * parts each entry decides.
 */
import { cidrContains } from '../net/ip.js';
import { normalize, subtract, intersect, type Interval } from '../net/ports.js';
import type { NaclEntry, NetworkAcl } from '../model/types.js';
import type { Flow } from './flow.js';

export interface NaclSegment {
  ports: Interval | null;
  entry: NaclEntry | null; // null = the implicit "*" deny
  action: 'allow' | 'deny';
}

export interface NaclEvaluation {
  decision: 'allow' | 'deny' | 'partial';
  segments: NaclSegment[];
  allowed: Interval[];
  denied: Interval[];
  /** Entries that were compared, in order, up to the last deciding one. */
  evaluated: NaclEntry[];
}

/** Does the entry match everything but the port? */
export function entryMatchesExceptPorts(e: NaclEntry, flow: Flow, peerIsSource: boolean): boolean {
  const peer = peerIsSource ? flow.src : flow.dst;
  if (!cidrContains(e.cidr, peer)) return false;
  if (e.proto !== 'all' && e.proto !== flow.proto) return false;
  if (e.proto !== 'all' && e.icmp && flow.icmp) {
    if (e.icmp.type !== -1 && e.icmp.type !== flow.icmp.type) return false;
    if (e.icmp.code !== -1 && e.icmp.code !== flow.icmp.code) return false;
  }
  return true;
}

export function evaluateNacl(nacl: NetworkAcl, egress: boolean, flow: Flow): NaclEvaluation {
  const entries = egress ? nacl.outbound : nacl.inbound;
  // Inbound entries match the packet's source address; outbound entries its destination.
  const peerIsSource = !egress;
  const ported = flow.proto === 6 || flow.proto === 17;
  let remaining: Interval[] = ported && flow.dstPorts ? [flow.dstPorts] : [[0, 0]];
  const segments: NaclSegment[] = [];
  const evaluated: NaclEntry[] = [];
  for (const e of entries) {
    if (remaining.length === 0) break;
    evaluated.push(e);
    if (!entryMatchesExceptPorts(e, flow, peerIsSource)) continue;
    const range: Interval = ported && e.proto !== 'all' && e.ports ? [e.ports.from, e.ports.to] : [0, 65535];
    const hit = ported ? intersect(remaining, range) : remaining;
    for (const h of hit) {
      segments.push({ ports: ported ? h : null, entry: e, action: e.action });
      remaining = subtract(remaining, h);
    }
  }
  for (const r of remaining) segments.push({ ports: ported ? r : null, entry: null, action: 'deny' });
  const allowed = normalize(segments.filter((s) => s.action === 'allow' && s.ports).map((s) => s.ports as Interval));
  const denied = normalize(segments.filter((s) => s.action === 'deny' && s.ports).map((s) => s.ports as Interval));
  const anyAllow = segments.some((s) => s.action === 'allow');
  const anyDeny = segments.some((s) => s.action === 'deny');
  const decision = anyAllow && anyDeny ? 'partial' : anyAllow ? 'allow' : 'deny';
  return { decision, segments, allowed, denied, evaluated };
}
