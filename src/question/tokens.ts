/**
 * The question's words: cleaning (Slack markup, entities, arrows, punctuation), tokenizing, and
 * classifying each token (endpoint, number, arrow, port/protocol pair, word). Pure; every pattern is
 * compiled once at module load.
 */
import ipaddr from 'ipaddr.js';
import type { SgwhyError } from '../errors/errors.js';
import { bad, shorten } from './examples.js';
import { lookupService } from './services.js';
import { protocolNumber, type EndpointRef, type Protocol } from './types.js';

// ---------------------------------------------------------------------------------------------
// Patterns (compiled once)

const ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff\u00ad]/g;
/** Slack control sequences: <@U123>, <#C123|name>, <!here>, <http://x|label>, <http://x>. */
const SLACK_ANGLE = /<([^<>]*)>/g;
/** Slack escapes exactly these three in message text. */
const ENTITY = /&(?:gt|lt|amp);/gi;
const ENTITIES: Readonly<Record<string, string>> = { '&gt;': '>', '&lt;': '<', '&amp;': '&' };
const APOSTROPHES = /['\u2018\u2019\u02bc\u2032\u00b4]/g;
/** scheme://[user@]host[:port][/path…] → "scheme host[:port]"; the scheme may be a service (https://…). */
const URL_RE = /\b([a-z][a-z0-9+.-]{0,20}):\/\/(?:[^\s@/]*@)?(\[[^\]\s]*\](?::[a-z0-9]+)?|[^\s/?#[\]]+)[^\s]*/g;
/** ->, -->, =>, >, —>, → and friends. Normalised to a lone "→" token. */
const ARROW_RE = /[-=\u2013\u2014]*>|[\u2192\u27f6\u21d2\u27a1\u2794\u27f9\u279c\u21e2\u2799\u279e]/g;
/** <-, <--, <=, ←: the source is on the right ("10.0.1.50:443 <- 10.0.2.100"). Normalised to a lone "←" token. */
const LEFT_ARROW_RE = /<[-=\u2013\u2014]+(?![-=>])|[\u2190\u27f5\u21d0\u2b05]/g;
/** Everything that only ever decorates: Slack/markdown emphasis, quotes, brackets other than [ ], separators. */
const SEPARATORS = /[`*~"\u201c\u201d\u201e\u00ab\u00bb(){}<>,;=|_?!\u00bf\u00a1\\]/g;
const WHITESPACE = /\s+/;

const IPV4_TOKEN = /^(\d+(?:\.\d+){3})(?:\/(\d+))?(?::([a-z0-9-]+))?(?:\/(tcp|udp|icmpv6|icmp6|icmp))?$/;
const BRACKET_TOKEN = /^\[([0-9a-f:.]*)\](?::([a-z0-9-]+))?(?:\/(tcp|udp|icmpv6|icmp6|icmp))?$/;
const IPV6_TOKEN = /^([0-9a-f:.]+)(?:\/(\d+)|\/(tcp|udp|icmpv6|icmp6|icmp))?$/;
const ID_TOKEN = /^(i|eni)-([0-9a-z]+)(?::([a-z0-9-]+))?(?:\/(tcp|udp|icmpv6|icmp6|icmp))?$/;
const HEX = /^[0-9a-f]+$/;
/** EC2 private DNS names embed the address: ip-10-0-1-50.ec2.internal, ip-10-0-1-50.eu-west-1.compute.internal. */
const AWS_HOST_TOKEN = /^ip-(\d{1,3})-(\d{1,3})-(\d{1,3})-(\d{1,3})(?:\.[a-z0-9-]+)*(?::([a-z0-9-]+))?$/;
export const HOSTNAME_TOKEN = /^(?=.*[a-z])[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}$/;
export const NUMBER_TOKEN = /^\d+$/;
/** A port range, "8080-8090". */
export const PORT_RANGE_TOKEN = /^(\d+)-(\d+)$/;
/** "#8443": a port as people write it in chat. */
const HASH_PORT_TOKEN = /^#(\d+(?:-\d+)?)$/;
/** "esp/50", "gre/47", "sctp/132", "icmpv6/58": a protocol with its own number. */
const PROTO_NUMBER_TOKEN = /^(esp|ah|gre|sctp|icmpv6|icmp6|icmp)\/(\d+)$/;
/** alb/NAME, nlb/NAME (optionally :port). */
const LB_NAME_TOKEN = /^(alb|nlb|elb|gwlb)\/([a-z0-9][a-z0-9-]{0,31})(?::([a-z0-9-]+))?$/;
const LB_ARN_TOKEN = /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer\/(?:app|net|gwy)\/[a-z0-9-]+\/[0-9a-f]+$/;
/** An ELB DNS name: my-alb-123.us-east-1.elb.amazonaws.com, my-nlb-abc.elb.us-east-1.amazonaws.com (optionally :port). */
const LB_DNS_TOKEN = /^([a-z0-9-]+(?:\.[a-z0-9-]+)*\.elb(?:\.[a-z0-9-]+)*\.amazonaws\.com(?:\.cn)?)(?::([a-z0-9-]+))?$/;
/** A Name tag with a port: orders-db:5432, web-1:https. */
const NAME_PORT_TOKEN = /^([a-z0-9][a-z0-9._-]*):([a-z0-9-]+)$/;
const PORT_PROTO_TOKEN = /^(\d+)\/(tcp|udp)$/;
const PROTO_PORT_TOKEN = /^(tcp|udp)\/(\d+)$/;
const KEYWORD_COLON = /^(port|ports|dport|sport|srcport|dstport|src-port|dst-port|source-port|destination-port|tcp|udp|proto|protocol|src|dst|source|destination|from|to|type|code):(.+)$/;
const LEADING_JUNK = /^\.+/;
const TRAILING_JUNK = /(?:\.+|(?<!:):)$/;

export const DEST_PORT_WORDS = new Set(['port', 'ports', 'dport', 'dstport', 'dst-port', 'destination-port']);
export const SOURCE_PORT_WORDS = new Set(['sport', 'srcport', 'src-port', 'source-port']);
export const SOURCE_WORDS = new Set(['from', 'src', 'source', 'client']);
export const DEST_WORDS = new Set(['to', 'reach', 'reaching', 'into', 'dst', 'dest', 'destination', 'ping', 'ping6', 'access', 'hit', 'towards', 'toward']);
/** "why is X rejecting Y": the word's object is the source. */
export const REVERSE_WORDS = new Set(['rejecting', 'rejects', 'reject', 'refusing', 'refuses', 'refuse', 'blocking', 'blocks', 'dropping', 'drops',
  'denying', 'denies']);
export const PROTOCOL_WORDS: ReadonlyMap<string, Protocol> = new Map<string, Protocol>([
  ['tcp', 'tcp'],
  ['udp', 'udp'],
  ['icmp', 'icmp'],
  ['icmpv4', 'icmp'],
  ['icmpv6', 'icmpv6'],
  ['icmp6', 'icmpv6'],
  ['ipv6-icmp', 'icmpv6'],
  ['esp', 'esp'],
  ['ah', 'ah'],
  ['gre', 'gre'],
  ['sctp', 'sctp'],
]);
/** Words that are never a service name, even where one could stand ("traffic from A to B", "over the vpn"). */
export const NOT_SERVICE = new Set([
  'why', 'can', 'cant', 'cannot', 'couldnt', 'could', 'does', 'doesnt', 'is', 'isnt', 'will', 'wont', 'please', 'pls', 'plz', 'hey',
  'hi', 'the', 'a', 'an', 'my', 'our', 'traffic', 'connection', 'connections', 'connect', 'connecting', 'packets', 'packet', 'access',
  'reach', 'test', 'check', 'trace', 'route', 'routing', 'vpn', 'tgw', 'peering', 'internet', 'nat', 'ipv4', 'ipv6', 'ip', 'network',
  'vpc', 'link', 'it', 'this', 'that', 'port', 'ports', 'anything', 'everything', 'all', 'any', 'ping', 'and', 'or', 'but', 'not',
  'direct', 'tunnel', 'transit', 'gateway', 'endpoint', 'privatelink', 'from', 'to', 'on', 'at', 'in', 'of', 'for', 'with', 'over',
  'via', 'using', 'me', 'us', 'you', 'i', 'we', 'still', 'now', 'anymore', 'suddenly', 'again', 'source', 'destination', 'src', 'dst',
  'ping6', 'proto', 'protocol', 'be', 'reached', 'reachable', 'unreachable', 'get', 'talk', 'rejecting', 'refusing', 'blocking', 'dropping',
]);

// ---------------------------------------------------------------------------------------------
// Cleaning

function slackAngle(_m: string, inner: string): string {
  const c = inner.charAt(0);
  if (c === '@' || c === '#' || c === '!') return ' '; // user/channel mention, <!here>
  const bar = inner.indexOf('|');
  return ` ${bar >= 0 ? inner.slice(bar + 1) : inner} `;
}

export function clean(text: string): string {
  return text
    .replace(ZERO_WIDTH, '')
    .replace(SLACK_ANGLE, slackAngle)
    .replace(ENTITY, (e) => ENTITIES[e.toLowerCase()] ?? e)
    .toLowerCase()
    .replace(APOSTROPHES, '')
    .replace(URL_RE, (_m, scheme: string, host: string) => ` ${scheme} ${host} `)
    .replace(LEFT_ARROW_RE, ' \u2190 ')
    .replace(ARROW_RE, ' \u2192 ')
    .replace(SEPARATORS, ' ');
}

export function tokenize(cleaned: string): string[] {
  const out: string[] = [];
  for (let raw of cleaned.split(WHITESPACE)) {
    raw = raw.replace(LEADING_JUNK, '').replace(TRAILING_JUNK, '');
    if (raw === '' || raw.startsWith('@')) continue; // "@sgwhy" typed as plain text
    const at = raw.lastIndexOf('@');
    if (at > 0) raw = raw.slice(at + 1); // ec2-user@10.0.1.50
    const kw = KEYWORD_COLON.exec(raw);
    if (kw) out.push(kw[1]!, kw[2]!);
    else if (raw !== '') out.push(raw);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Tokens

export interface EndpointTok {
  k: 'ep';
  ref: EndpointRef;
  /** Port or service word written against the endpoint (10.0.1.50:443, [::1]:https, "X port 80"). */
  portSpec?: string;
  proto?: Protocol;
}
export type Tok =
  | EndpointTok
  | { k: 'num'; text: string }
  | { k: 'arrow' }
  | { k: 'larrow' }
  | { k: 'hash'; text: string }
  | { k: 'proto'; proto: Protocol }
  | { k: 'pp'; port: string; proto: 'tcp' | 'udp' }
  | { k: 'word'; w: string; /** a port written against it: a Name tag endpoint such as orders-db:5432 */ portSpec?: string };


function ipv4(text: string, octets: readonly string[]): string {
  const bytes = octets.map((o) => (o.length <= 3 ? Number(o) : 256));
  if (bytes.some((b) => b > 255))
    throw bad(`${shorten(text)} is not a valid IPv4 address: each of the four numbers must be 0-255.`);
  return ipaddr.fromByteArray(bytes).toString();
}

function ipv6(text: string): string | undefined {
  if (ipaddr.IPv6.isValid(text)) return ipaddr.IPv6.parse(text).toRFC5952String();
  return undefined;
}

const PROTO_SUFFIX = (s: string | undefined): Protocol | undefined => (s === undefined ? undefined : PROTOCOL_WORDS.get(s));

function cidrError(text: string): SgwhyError {
  return bad(`${shorten(text)} is a CIDR block; ask about one address in it, such as an instance's private IP.`);
}

function endpoint(ref: EndpointRef, portSpec: string | undefined, proto: string | undefined): EndpointTok {
  const t: EndpointTok = { k: 'ep', ref };
  if (portSpec !== undefined) t.portSpec = portSpec;
  const p = PROTO_SUFFIX(proto);
  if (p !== undefined) t.proto = p;
  return t;
}

export function classify(tok: string): Tok {
  if (tok === '\u2192') return { k: 'arrow' };
  if (tok === '\u2190') return { k: 'larrow' };
  if (NUMBER_TOKEN.test(tok) || PORT_RANGE_TOKEN.test(tok)) return { k: 'num', text: tok };
  let h = HASH_PORT_TOKEN.exec(tok);
  if (h) return { k: 'hash', text: h[1]! };
  h = PROTO_NUMBER_TOKEN.exec(tok);
  if (h) {
    const proto = PROTOCOL_WORDS.get(h[1]!)!;
    if (protocolNumber(proto) !== Number(h[2])) throw bad(`${shorten(tok)}: ${proto.toUpperCase()} is IP protocol ${protocolNumber(proto)}, not ${shorten(h[2]!)}.`);
    return { k: 'proto', proto };
  }
  h = LB_NAME_TOKEN.exec(tok);
  if (h) return endpoint({ kind: 'load-balancer', value: `${h[1]!}/${h[2]!}` }, h[3], undefined);
  if (LB_ARN_TOKEN.test(tok)) return endpoint({ kind: 'load-balancer', value: tok }, undefined, undefined);
  h = LB_DNS_TOKEN.exec(tok);
  if (h) return endpoint({ kind: 'load-balancer', value: h[1]! }, h[2], undefined);
  let m = PORT_PROTO_TOKEN.exec(tok);
  if (m) return { k: 'pp', port: m[1]!, proto: m[2] as 'tcp' | 'udp' };
  m = PROTO_PORT_TOKEN.exec(tok);
  if (m) return { k: 'pp', port: m[2]!, proto: m[1] as 'tcp' | 'udp' };

  m = IPV4_TOKEN.exec(tok);
  if (m) {
    const addr = m[1]!;
    const octets = addr.split('.');
    if (m[2] !== undefined) {
      ipv4(addr, octets); // a bad address is the better message
      throw cidrError(`${addr}/${m[2]}`);
    }
    return endpoint({ kind: 'ip', value: ipv4(addr, octets) }, m[3], m[4]);
  }
  m = BRACKET_TOKEN.exec(tok);
  if (m) {
    const inner = m[1]!;
    const v6 = ipv6(inner);
    if (v6 !== undefined) return endpoint({ kind: 'ip', value: v6 }, m[2], m[3]);
    const parts = inner.split('.');
    if (parts.length === 4 && parts.every((p) => NUMBER_TOKEN.test(p)))
      return endpoint({ kind: 'ip', value: ipv4(inner, parts) }, m[2], m[3]);
    throw bad(`[${shorten(inner)}] is not a valid IP address.`);
  }
  m = IPV6_TOKEN.exec(tok);
  if (m) {
    const addr = m[1]!;
    const colons = addr.length - addr.replaceAll(':', '').length;
    if (colons < 2) return { k: 'word', w: tok }; // "1.5", "10:30"
    const v6 = ipv6(addr);
    if (v6 !== undefined) {
      if (m[2] !== undefined) throw cidrError(`${addr}/${m[2]}`);
      return endpoint({ kind: 'ip', value: v6 }, undefined, m[3]);
    }
    // Only complain when it was clearly meant as an IPv6 address; "10:30:00" or a MAC address is just text.
    if (addr.includes('::') || colons >= 6 || m[2] !== undefined)
      throw bad(`${shorten(tok)} is not a valid IPv6 address.`);
    return { k: 'word', w: tok };
  }
  m = ID_TOKEN.exec(tok);
  if (m && HEX.test(m[2]!)) {
    const kind = m[1] === 'i' ? 'instance' : 'eni';
    const id = `${m[1]!}-${m[2]!}`;
    // Real ids have 8 or 17 hex digits; lengths in between are accepted (typos are reported by the resolver).
    if (m[2]!.length < 8 || m[2]!.length > 17)
      throw bad(
        `${shorten(id)} is not a valid ${kind === 'instance' ? 'instance id (i-' : 'ENI id (eni-'} followed by 8 or 17 hex digits).`,
      );
    return endpoint({ kind, value: id }, m[3], m[4]);
  }
  m = AWS_HOST_TOKEN.exec(tok);
  if (m) {
    const octets = [m[1]!, m[2]!, m[3]!, m[4]!];
    return endpoint({ kind: 'ip', value: ipv4(octets.join('.'), octets) }, m[5], undefined);
  }
  m = NAME_PORT_TOKEN.exec(tok);
  if (m && /[a-z]/.test(m[1]!) && (NUMBER_TOKEN.test(m[2]!) || PORT_RANGE_TOKEN.test(m[2]!) || lookupService(m[2]!))) return { k: 'word', w: m[1]!, portSpec: m[2]! };
  return { k: 'word', w: tok };
}
