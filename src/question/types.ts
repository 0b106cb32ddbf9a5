/** What the user asked, normalised. Pure data. */

/**
 * The IP protocol of the question: a name for the ones people type (and AWS shows), else
 * "proto-N" for IANA protocol number N. Only tcp and udp have ports (AWS security groups and
 * network ACLs match ports for those two only; any other protocol matches on all ports).
 */
export type Protocol = 'tcp' | 'udp' | 'icmp' | 'icmpv6' | 'esp' | 'ah' | 'gre' | 'sctp' | `proto-${number}`;

/**
 * An endpoint as typed: an address, an instance id, an ENI id, a Name tag (of an instance or an
 * interface), or a load balancer (alb/NAME, nlb/NAME, an ELBv2 ARN or its DNS name).
 */
export type EndpointRef =
  | { kind: 'ip'; value: string } // normalised textual form (IPv6 compressed, lower-case)
  | { kind: 'instance'; value: string } // i-…
  | { kind: 'eni'; value: string } // eni-…
  | { kind: 'name'; value: string } // a Name tag, spelled as typed (snapshot lookups ignore case; AWS tag filters do not)
  | { kind: 'load-balancer'; value: string }; // "alb/name", "nlb/name", an ELBv2 ARN, or a *.elb.amazonaws.com DNS name (lower case)

export interface Question {
  source: EndpointRef;
  destination: EndpointRef;
  protocol: Protocol;
  /** Destination port for tcp/udp (the first port of a range); undefined for other protocols. */
  port?: number;
  /** The last port when the user asked about a range ("ports 8080-8090"); the answer says which ports pass. */
  portTo?: number;
  /** Source port if the user named one; otherwise the client picks an ephemeral port (1024-65535). */
  sourcePort?: number;
  /** ICMP type/code for icmp/icmpv6 (echo request by default). */
  icmpType?: number;
  icmpCode?: number;
  /** The service name the user typed (ssh, postgres, dns…), for messages. */
  service?: string;
  /**
   * Set when the wording, not the order, decided which endpoint is the source ("X is unreachable
   * from Y", "why is X rejecting Y", "X <- Y"): the words that decided, for the answer's first line.
   */
  directionCue?: string;
  /** The original text. */
  text: string;
}

/** IANA numbers of the named protocols. */
export const PROTOCOL_NUMBERS: Readonly<Record<string, number>> = Object.freeze({
  tcp: 6, udp: 17, icmp: 1, icmpv6: 58, esp: 50, ah: 51, gre: 47, sctp: 132,
});

/** The IANA number of a protocol. */
export function protocolNumber(p: Protocol): number {
  const named = PROTOCOL_NUMBERS[p];
  if (named !== undefined) return named;
  return Number(p.slice('proto-'.length));
}

/** The protocol for an IANA number: its name when it has one here, else "proto-N". */
export function protocolOf(n: number): Protocol {
  for (const [name, num] of Object.entries(PROTOCOL_NUMBERS)) if (num === n) return name as Protocol;
  return `proto-${n}`;
}

/** Only TCP and UDP carry ports that security groups and network ACLs match. */
export const isPorted = (p: Protocol): boolean => p === 'tcp' || p === 'udp';
