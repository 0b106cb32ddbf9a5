/** What the user asked, normalised. Pure data. */
export type Protocol = 'tcp' | 'udp' | 'icmp' | 'icmpv6';

/** An endpoint as typed: an address, an instance id or an ENI id. */
export type EndpointRef =
  | { kind: 'ip'; value: string } // normalised textual form (IPv6 compressed, lower-case)
  | { kind: 'instance'; value: string } // i-…
  | { kind: 'eni'; value: string }; // eni-…

export interface Question {
  source: EndpointRef;
  destination: EndpointRef;
  protocol: Protocol;
  /** Destination port for tcp/udp; undefined for icmp. */
  port?: number;
  /** Source port if the user named one; otherwise the client picks an ephemeral port (1024-65535). */
  sourcePort?: number;
  /** ICMP type/code for icmp/icmpv6 (echo request by default). */
  icmpType?: number;
  icmpCode?: number;
  /** The service name the user typed (ssh, postgres, dns…), for messages. */
  service?: string;
  /** The original text. */
  text: string;
}
