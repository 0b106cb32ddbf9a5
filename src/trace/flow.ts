/** A flow (one direction of a connection) as the tracer evaluates it. */
import type { Protocol } from '../question/types.js';
import type { Addr } from '../net/ip.js';
import type { Interval } from '../net/ports.js';

export interface Flow {
  src: Addr;
  dst: Addr;
  protocol: Protocol;
  /** IANA number of `protocol` (6 tcp, 17 udp, 1 icmp, 58 icmpv6, 50 esp, 47 gre, …). */
  proto: number;
  /** Destination ports (tcp/udp): one port forward, the client's ephemeral range on the return leg. */
  dstPorts: Interval | null;
  /** Source ports, for display only (NACL and SG rules match destination ports). */
  srcPorts: Interval | null;
  icmp: { type: number; code: number } | null;
}

/** ICMP (1) and ICMPv6 (58) carry a type and code; no other protocol does. */
export const isIcmpProto = (proto: number): boolean => proto === 1 || proto === 58;

/** The client's ephemeral source ports when the question names none (AWS's NACL guidance: 1024-65535). */
export const EPHEMERAL: Interval = [1024, 65535];

const ICMP_NAMES: Record<string, string> = { '1:8': 'echo-request', '1:0': 'echo-reply', '58:128': 'echo-request', '58:129': 'echo-reply' };

export function icmpName(proto: number, type: number): string {
  return ICMP_NAMES[`${proto}:${type}`] ?? `type ${type}`;
}

export function describePorts(ports: Interval | null): string | undefined {
  if (!ports) return undefined;
  return ports[0] === ports[1] ? `${ports[0]}` : `${ports[0]}-${ports[1]}`;
}

/** The reply to a flow: addresses swapped, ports swapped, ICMP echo-request becomes echo-reply. */
export function reverse(flow: Flow): Flow {
  return {
    ...flow,
    src: flow.dst,
    dst: flow.src,
    dstPorts: flow.srcPorts,
    srcPorts: flow.dstPorts,
    icmp: flow.icmp ? { type: flow.icmp.type === 8 ? 0 : flow.icmp.type === 128 ? 129 : flow.icmp.type, code: flow.icmp.code } : null,
  };
}

/** "tcp/443", "icmp echo-request", "udp/1024-65535". */
export function describeFlow(flow: Flow): string {
  if (flow.proto === 6 || flow.proto === 17) return `${flow.protocol}/${describePorts(flow.dstPorts)}`;
  return flow.icmp ? `${flow.protocol} ${icmpName(flow.proto, flow.icmp.type)}` : flow.protocol;
}
