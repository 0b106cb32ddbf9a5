/**
 * The question parser: turns what an on-call engineer types into a Question.
 *
 *   why can't 10.0.2.100 reach 10.0.1.50:443        10.0.2.100 -> 10.0.1.50:53/udp
 *   ssh from i-0abc12345678 to 10.0.1.50             can 10.0.2.100 ping 10.0.1.50
 *
 * Pipeline: clean (Slack markup, entities, arrows, punctuation) → tokens → one left-to-right
 * walk that collects endpoints, ports, protocols and service words → resolve roles and
 * defaults. Unknown words are ignored, so free text around the facts does not matter.
 * Every failure is an SgwhyError (BAD_QUESTION, or INPUT_TOO_LARGE) with example questions
 * in `hints`. Pure: no I/O, no clock; every pattern is compiled once at module load.
 */
import ipaddr from 'ipaddr.js';
import { SgwhyError, isSgwhyError } from '../errors/errors.js';
import { lookupService, type ServiceDef } from './services.js';
import type { EndpointRef, Protocol, Question } from './types.js';

export const MAX_QUESTION_LENGTH = 2000;

const DEFAULT_SRC = '10.0.2.100';
const DEFAULT_DST = '10.0.1.50';

/** Three short example questions, using the user's own endpoints when we have them. */
export function exampleQuestions(src: string = DEFAULT_SRC, dst: string = DEFAULT_DST): string[] {
  const withPort = (a: string, p: number): string => (a.includes(':') ? `[${a}]:${p}` : `${a}:${p}`);
  return [`why can't ${src} reach ${withPort(dst, 443)}`, `ssh from ${src} to ${dst}`, `${src} -> ${withPort(dst, 53)}/udp`];
}

const bad = (message: string, hints: readonly string[] = exampleQuestions()): SgwhyError =>
  new SgwhyError('BAD_QUESTION', message, { hints });

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
const HOSTNAME_TOKEN = /^(?=.*[a-z])[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}$/;
const NUMBER_TOKEN = /^\d+$/;
const PORT_PROTO_TOKEN = /^(\d+)\/(tcp|udp)$/;
const PROTO_PORT_TOKEN = /^(tcp|udp)\/(\d+)$/;
const KEYWORD_COLON = /^(port|ports|dport|sport|srcport|dstport|src-port|dst-port|source-port|destination-port|tcp|udp|proto|protocol|src|dst|source|destination|from|to|type|code):(.+)$/;
const LEADING_JUNK = /^\.+/;
const TRAILING_JUNK = /(?:\.+|(?<!:):)$/;

const DEST_PORT_WORDS = new Set(['port', 'ports', 'dport', 'dstport', 'dst-port', 'destination-port']);
const SOURCE_PORT_WORDS = new Set(['sport', 'srcport', 'src-port', 'source-port']);
const SOURCE_WORDS = new Set(['from', 'src', 'source', 'client']);
const DEST_WORDS = new Set(['to', 'reach', 'reaching', 'into', 'dst', 'dest', 'destination', 'ping', 'access', 'hit', 'towards', 'toward']);
const PROTOCOL_WORDS: ReadonlyMap<string, Protocol> = new Map<string, Protocol>([
  ['tcp', 'tcp'],
  ['udp', 'udp'],
  ['icmp', 'icmp'],
  ['icmpv4', 'icmp'],
  ['icmpv6', 'icmpv6'],
  ['icmp6', 'icmpv6'],
  ['ipv6-icmp', 'icmpv6'],
]);
/** Words that are never a service name, even where one could stand ("traffic from A to B", "over the vpn"). */
const NOT_SERVICE = new Set([
  'why', 'can', 'cant', 'cannot', 'couldnt', 'could', 'does', 'doesnt', 'is', 'isnt', 'will', 'wont', 'please', 'pls', 'plz', 'hey',
  'hi', 'the', 'a', 'an', 'my', 'our', 'traffic', 'connection', 'connections', 'connect', 'connecting', 'packets', 'packet', 'access',
  'reach', 'test', 'check', 'trace', 'route', 'routing', 'vpn', 'tgw', 'peering', 'internet', 'nat', 'ipv4', 'ipv6', 'ip', 'network',
  'vpc', 'link', 'it', 'this', 'that', 'port', 'ports', 'anything', 'everything', 'all', 'any', 'ping', 'and', 'or', 'but', 'not',
  'direct', 'tunnel', 'transit', 'gateway', 'endpoint', 'privatelink', 'from', 'to', 'on', 'at', 'in', 'of', 'for', 'with', 'over',
  'via', 'using', 'me', 'us', 'you', 'i', 'we', 'still', 'now', 'anymore', 'suddenly', 'again', 'source', 'destination', 'src', 'dst',
]);

// ---------------------------------------------------------------------------------------------
// Cleaning

function slackAngle(_m: string, inner: string): string {
  const c = inner.charAt(0);
  if (c === '@' || c === '#' || c === '!') return ' '; // user/channel mention, <!here>
  const bar = inner.indexOf('|');
  return ` ${bar >= 0 ? inner.slice(bar + 1) : inner} `;
}

function clean(text: string): string {
  return text
    .replace(ZERO_WIDTH, '')
    .replace(SLACK_ANGLE, slackAngle)
    .replace(ENTITY, (e) => ENTITIES[e.toLowerCase()] ?? e)
    .toLowerCase()
    .replace(APOSTROPHES, '')
    .replace(URL_RE, (_m, scheme: string, host: string) => ` ${scheme} ${host} `)
    .replace(ARROW_RE, ' \u2192 ')
    .replace(SEPARATORS, ' ');
}

function tokenize(cleaned: string): string[] {
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

interface EndpointTok {
  k: 'ep';
  ref: EndpointRef;
  /** Port or service word written against the endpoint (10.0.1.50:443, [::1]:https, "X port 80"). */
  portSpec?: string;
  proto?: Protocol;
}
type Tok =
  | EndpointTok
  | { k: 'num'; text: string }
  | { k: 'arrow' }
  | { k: 'pp'; port: string; proto: 'tcp' | 'udp' }
  | { k: 'word'; w: string };

const shorten = (s: string): string => (s.length > 40 ? `${s.slice(0, 40)}…` : s);

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

function classify(tok: string): Tok {
  if (tok === '\u2192') return { k: 'arrow' };
  if (NUMBER_TOKEN.test(tok)) return { k: 'num', text: tok };
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
  return { k: 'word', w: tok };
}

// ---------------------------------------------------------------------------------------------
// Ports

interface PortValue {
  port: number;
  service?: ServiceDef;
}

/** A port number, or a service name standing where the port goes ("port https", "10.0.1.50:ssh"). */
function portValue(spec: string, what: 'Port' | 'Source port'): PortValue {
  if (NUMBER_TOKEN.test(spec)) {
    const n = spec.length > 6 ? Infinity : Number(spec);
    if (!(n >= 1 && n <= 65535)) throw bad(`${what} ${shorten(spec)} is out of range; ports are 1-65535.`);
    return { port: n };
  }
  const svc = lookupService(spec);
  if (svc) return { port: svc.port, service: svc };
  throw bad(`I don't know which port "${shorten(spec)}" is; use a number from 1 to 65535 or a service name such as https.`);
}

function icmpNumber(spec: string, what: 'type' | 'code'): number {
  const n = spec.length > 4 ? Infinity : Number(spec);
  if (!(n >= 0 && n <= 255)) throw bad(`ICMP ${what} ${shorten(spec)} is out of range; it must be 0-255.`);
  return n;
}

// ---------------------------------------------------------------------------------------------
// The walk

type Role = 'source' | 'destination';

interface Occurrence {
  tok: EndpointTok;
  index: number;
  role?: Role;
  port?: PortValue;
}

interface Facts {
  endpoints: Occurrence[];
  /** Ports with the token index they were read at, so messages list them in the order typed. */
  destPorts: Array<[number, number]>;
  sourcePorts: Array<[number, number]>;
  protocols: Protocol[];
  services: ServiceDef[];
  ping: boolean;
  icmpType?: number;
  icmpCode?: number;
  /** Unknown words standing where a service name would ("over grpc", "grpc from A to B"). */
  unknownServices: string[];
  hostnames: string[];
}

const wordAt = (toks: readonly Tok[], i: number): string | undefined => {
  const t = toks[i];
  return t?.k === 'word' ? t.w : undefined;
};

/** The role words nearest before an endpoint (up to 4 tokens back, not past another endpoint or number). */
function roleOf(toks: readonly Tok[], i: number): Role | undefined {
  for (let j = i - 1; j >= 0 && j >= i - 4; j--) {
    const t = toks[j]!;
    if (t.k === 'arrow') return 'destination';
    if (t.k !== 'word') break;
    if (SOURCE_WORDS.has(t.w)) return 'source';
    if (DEST_WORDS.has(t.w)) return 'destination';
  }
  return toks[i + 1]?.k === 'arrow' ? 'source' : undefined;
}

function walk(toks: readonly Tok[]): Facts {
  const f: Facts = { endpoints: [], destPorts: [], sourcePorts: [], protocols: [], services: [], ping: false, unknownServices: [], hostnames: [] };
  const addPort = (spec: string, source: boolean, at: number): void => {
    const v = portValue(spec, source ? 'Source port' : 'Port');
    (source ? f.sourcePorts : f.destPorts).push([v.port, at]);
    if (v.service && !source) f.services.push(v.service);
  };
  /** A port at i: a number or a known service name ("port https"); undefined if there is none. */
  const specAt = (i: number): string | undefined => {
    const t = toks[i];
    if (t?.k === 'num') return t.text;
    if (t?.k === 'word' && lookupService(t.w)) return t.w;
    return undefined;
  };
  /** An unknown word at i that stands where a service name would ("over grpc", "port foo"). */
  const unknownAt = (i: number): string | undefined => {
    const t = toks[i];
    return t?.k === 'word' && !NOT_SERVICE.has(t.w) && !PROTOCOL_WORDS.has(t.w) && !lookupService(t.w) && !HOSTNAME_TOKEN.test(t.w)
      ? t.w
      : undefined;
  };

  let firstContentWord = true;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    switch (t.k) {
      case 'ep': {
        const occ: Occurrence = { tok: t, index: i };
        const role = roleOf(toks, i);
        if (role) occ.role = role;
        if (t.proto) f.protocols.push(t.proto);
        let spec = t.portSpec;
        if (spec === undefined) {
          // "10.0.1.50 443" and "10.0.1.50 port 443" attach the port to that endpoint.
          const next = toks[i + 1];
          if (next?.k === 'num') {
            spec = next.text;
            i += 1;
          } else if (next?.k === 'word' && DEST_PORT_WORDS.has(next.w) && specAt(i + 2) !== undefined) {
            spec = specAt(i + 2);
            i += 2;
          }
        }
        if (spec !== undefined) {
          occ.port = portValue(spec, 'Port');
          if (occ.port.service) f.services.push(occ.port.service);
        }
        f.endpoints.push(occ);
        firstContentWord = false;
        break;
      }
      case 'pp':
        addPort(t.port, false, i);
        f.protocols.push(t.proto);
        break;
      case 'num': {
        const next = wordAt(toks, i + 1);
        if (next === 'tcp' || next === 'udp') addPort(t.text, false, i); // "53 udp"; the word sets the protocol next
        break;
      }
      case 'arrow':
        break;
      case 'word': {
        const w = t.w;
        const next = wordAt(toks, i + 1);
        const two = next === undefined ? undefined : lookupService(`${w} ${next}`);
        if (two) {
          f.services.push(two);
          i += 1;
          firstContentWord = false;
          break;
        }
        const proto = PROTOCOL_WORDS.get(w);
        if (proto) {
          f.protocols.push(proto);
          const n = toks[i + 1];
          if ((proto === 'tcp' || proto === 'udp') && n?.k === 'num') {
            addPort(n.text, false, i); // "tcp 443"
            i += 1;
          }
        } else if (DEST_PORT_WORDS.has(w) || SOURCE_PORT_WORDS.has(w)) {
          const spec = specAt(i + 1);
          if (spec !== undefined) {
            const prev = wordAt(toks, i - 1);
            addPort(spec, SOURCE_PORT_WORDS.has(w) || (prev !== undefined && SOURCE_WORDS.has(prev)), i);
            i += 1;
          } else {
            const unknown = unknownAt(i + 1);
            if (unknown !== undefined) f.unknownServices.push(unknown);
          }
        } else if (w === 'on' || w === 'at') {
          const n = toks[i + 1];
          if (n?.k === 'num') {
            addPort(n.text, false, i); // "on 5432"
            i += 1;
          }
        } else if (w === 'ping') {
          f.ping = true;
        } else if (w === 'type' || w === 'code') {
          const n = toks[i + 1];
          if (n?.k === 'num') {
            if (w === 'type') f.icmpType = icmpNumber(n.text, 'type');
            else f.icmpCode = icmpNumber(n.text, 'code');
            i += 1;
          }
        } else if (w === 'over' || w === 'via' || w === 'using') {
          const unknown = unknownAt(i + 1);
          if (unknown !== undefined) f.unknownServices.push(unknown);
        } else {
          const svc = lookupService(w);
          if (svc) f.services.push(svc);
          else if (HOSTNAME_TOKEN.test(w)) f.hostnames.push(w);
          else if (firstContentWord && unknownAt(i) !== undefined && wordAt(toks, i + 1) === 'from') f.unknownServices.push(w);
        }
        if (!NOT_SERVICE.has(w)) firstContentWord = false;
        break;
      }
    }
  }
  return f;
}

// ---------------------------------------------------------------------------------------------
// Resolution

const display = (r: EndpointRef): string => r.value;
const family = (r: EndpointRef): 4 | 6 | undefined => (r.kind !== 'ip' ? undefined : r.value.includes(':') ? 6 : 4);
const distinct = <T>(xs: readonly T[]): T[] => [...new Set(xs)];

function needEndpoints(f: Facts): SgwhyError {
  if (f.hostnames.length > 0)
    return bad(
      `I need a source and a destination as IP addresses, instance ids (i-…) or ENI ids (eni-…); I can't look up names like ${shorten(f.hostnames[0]!)}.`,
    );
  if (f.endpoints.length === 1)
    return bad(
      `I need a source and a destination (IP address, instance id or ENI id), but found only ${display(f.endpoints[0]!.tok.ref)}.`,
    );
  return bad('I need a source and a destination (IP address, instance id or ENI id), and found neither.');
}

function parseUnchecked(text: string): Question {
  if (typeof text !== 'string') throw bad('The question must be text.');
  if (text.length > MAX_QUESTION_LENGTH)
    throw new SgwhyError(
      'INPUT_TOO_LARGE',
      `The question is ${text.length.toLocaleString('en-US')} characters long; the limit is ${MAX_QUESTION_LENGTH.toLocaleString('en-US')}.`,
      { hints: exampleQuestions() },
    );
  if (text.trim() === '') throw bad('The question is empty; ask about a source, a destination and a port.');

  const toks = tokenize(clean(text)).map(classify);
  const f = walk(toks);

  if (f.endpoints.length < 2) throw needEndpoints(f);
  if (f.endpoints.length > 2)
    throw bad(
      `I found ${f.endpoints.length} endpoints (${f.endpoints.slice(0, 4).map((e) => display(e.tok.ref)).join(', ')}); ask about one source and one destination.`,
    );

  // Roles: explicit words win ("to X from Y"); otherwise the first endpoint is the source.
  const [a, b] = f.endpoints as [Occurrence, Occurrence];
  let src = a;
  let dst = b;
  if ((a.role === 'destination' && b.role !== 'destination') || (b.role === 'source' && a.role !== 'source')) {
    src = b;
    dst = a;
  }
  const source = src.tok.ref;
  const destination = dst.tok.ref;
  if (source.kind === destination.kind && source.value === destination.value)
    throw bad(`The source and the destination are both ${display(source)}; ask about two different endpoints.`);
  const fs = family(source);
  const fd = family(destination);
  if (fs !== undefined && fd !== undefined && fs !== fd)
    throw bad(
      `${display(source)} is IPv${fs} but ${display(destination)} is IPv${fd}; ask about two addresses of the same family (an IPv6 address with a port is written [${display(fs === 6 ? source : destination)}]:443).`,
    );
  const hints = exampleQuestions(display(source), display(destination));

  if (dst.port) f.destPorts.push([dst.port.port, dst.index]);
  if (src.port) f.sourcePorts.push([src.port.port, src.index]);
  const inOrder = (ps: Array<[number, number]>): number[] => distinct([...ps].sort((x, y) => x[1] - y[1]).map((p) => p[0]));
  const destPorts = inOrder(f.destPorts);
  const sourcePorts = inOrder(f.sourcePorts);
  const protocols = distinct(f.protocols);
  const services = distinct(f.services);
  if (destPorts.length > 1)
    throw bad(`I see more than one destination port (${destPorts.join(', ')}); ask about one port at a time.`, hints);
  if (sourcePorts.length > 1)
    throw bad(`I see more than one source port (${sourcePorts.join(', ')}); name at most one.`, hints);
  if (protocols.length > 1) throw bad(`I see more than one protocol (${protocols.join(', ')}); ask about one at a time.`, hints);

  const explicit = protocols[0];
  const destPort = destPorts[0];
  const v6 = fs === 6 || fd === 6;
  const q: Question = { source, destination, protocol: 'tcp', text };

  const icmp =
    explicit === 'icmp' || explicit === 'icmpv6' || (f.ping && explicit === undefined && destPort === undefined && services.length === 0);
  if (icmp) {
    if (explicit === 'icmpv6' && (fs === 4 || fd === 4))
      throw bad(`ICMPv6 needs IPv6 addresses, but ${fs === 4 ? display(source) : display(destination)} is IPv4.`, hints);
    // "icmp" between IPv6 addresses means ICMPv6.
    const protocol: Protocol = explicit === 'icmpv6' || v6 ? 'icmpv6' : 'icmp';
    q.protocol = protocol;
    q.icmpType = f.icmpType ?? (protocol === 'icmpv6' ? 128 : 8);
    q.icmpCode = f.icmpCode ?? 0;
    return q;
  }

  let service: ServiceDef | undefined;
  if (destPort !== undefined) service = services.find((s) => s.port === destPort) ?? services[0];
  else if (services.length > 1)
    throw bad(
      `Which port? I see more than one service (${services.map((s) => `${s.name} ${s.port}`).join(', ')}); name one or give the port.`,
      hints,
    );
  else service = services[0];

  const port = destPort ?? service?.port;
  if (port === undefined) {
    const unknown = f.unknownServices[0];
    throw bad(
      unknown !== undefined
        ? `Which port? I don't know which port "${shorten(unknown)}" uses, so add one such as "port 8443".`
        : `Which port? Add one, e.g. "${dst.tok.ref.kind === 'ip' && fd === 6 ? `[${display(destination)}]` : display(destination)}:443", "port 5432" or a service name such as ssh.`,
      hints,
    );
  }
  q.protocol = explicit ?? service?.protocol ?? 'tcp';
  q.port = port;
  if (sourcePorts[0] !== undefined) q.sourcePort = sourcePorts[0];
  if (service) q.service = service.name;
  return q;
}

/**
 * Parse a question. Returns a Question or throws SgwhyError (BAD_QUESTION; INPUT_TOO_LARGE over
 * 2,000 characters) whose message says what is wrong and whose hints are example questions.
 * It never throws anything else.
 */
export function parseQuestion(text: string): Question {
  try {
    return parseUnchecked(text);
  } catch (e) {
    if (isSgwhyError(e)) throw e;
    // A bug, not the user's fault; still a typed error, and `details.internal` lets tests catch it.
    throw new SgwhyError('BAD_QUESTION', "I couldn't read that question.", { hints: exampleQuestions(), details: { internal: true }, cause: e });
  }
}
