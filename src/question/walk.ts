/** The left-to-right walk over the tokens: endpoints with their roles, ports, protocols and services. */
import { bad, shorten } from './examples.js';
import { lookupService, type ServiceDef } from './services.js';
import { protocolOf, type Protocol } from './types.js';
import {
  DEST_PORT_WORDS, DEST_WORDS, HOSTNAME_TOKEN, NOT_SERVICE, NUMBER_TOKEN, PORT_RANGE_TOKEN, PROTOCOL_WORDS, REVERSE_WORDS, SOURCE_PORT_WORDS,
  SOURCE_WORDS, type EndpointTok, type Tok,
} from './tokens.js';

// ---------------------------------------------------------------------------------------------
// Ports

export interface PortValue {
  port: number;
  /** The last port of a range ("8080-8090"). */
  to?: number;
  service?: ServiceDef;
}

function portNumber(spec: string, what: 'Port' | 'Source port'): number {
  const n = spec.length > 6 ? Infinity : Number(spec);
  if (!(n >= 1 && n <= 65535)) throw bad(`${what} ${shorten(spec)} is out of range; ports are 1-65535.`);
  return n;
}

/** A port number, a range ("8080-8090"), or a service name standing where the port goes ("port https", "10.0.1.50:ssh"). */
function portValue(spec: string, what: 'Port' | 'Source port'): PortValue {
  if (NUMBER_TOKEN.test(spec)) return { port: portNumber(spec, what) };
  const range = PORT_RANGE_TOKEN.exec(spec);
  if (range) {
    const from = portNumber(range[1]!, what);
    const to = portNumber(range[2]!, what);
    if (from > to) throw bad(`${what} range ${shorten(spec)} runs backwards; write the lower port first.`);
    if (what === 'Source port' && from !== to) throw bad(`Source port ${shorten(spec)}: name one source port, not a range.`);
    return from === to ? { port: from } : { port: from, to };
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

export type Role = 'source' | 'destination';

export interface Occurrence {
  tok: EndpointTok;
  index: number;
  role?: Role;
  /** The word (or arrow) that gave the role: "from", "rejecting", "<-". */
  cue?: string;
  port?: PortValue;
  /** The port followed the endpoint as separate words ("X port 8443"), not written against it ("X:8443"). */
  portLoose?: boolean;
}

export interface Facts {
  endpoints: Occurrence[];
  /** Ports with the token index they were read at, so messages list them in the order typed. */
  destPorts: Array<[PortValue, number]>;
  sourcePorts: Array<[PortValue, number]>;
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

/**
 * The role words nearest before an endpoint (up to 4 tokens back, not past another endpoint or
 * number): "from X" and "rejecting X" make X the source, "to X" / "-> X" the destination, "<- X"
 * the source; "X ->" makes X the source and "X <-" the destination.
 */
export function roleOf(toks: readonly Tok[], i: number): { role: Role; cue: string } | undefined {
  for (let j = i - 1; j >= 0 && j >= i - 4; j--) {
    const t = toks[j]!;
    if (t.k === 'arrow') return { role: 'destination', cue: '->' };
    if (t.k === 'larrow') return { role: 'source', cue: '<-' };
    if (t.k !== 'word') break;
    if (SOURCE_WORDS.has(t.w) || REVERSE_WORDS.has(t.w)) return { role: 'source', cue: t.w };
    if (DEST_WORDS.has(t.w)) return { role: 'destination', cue: t.w };
  }
  const next = toks[i + 1]?.k;
  if (next === 'arrow') return { role: 'source', cue: '->' };
  if (next === 'larrow') return { role: 'destination', cue: '<-' };
  return undefined;
}

export function walk(toks: readonly Tok[]): Facts {
  const f: Facts = { endpoints: [], destPorts: [], sourcePorts: [], protocols: [], services: [], ping: false, unknownServices: [], hostnames: [] };
  const addPort = (spec: string, source: boolean, at: number): void => {
    const v = portValue(spec, source ? 'Source port' : 'Port');
    (source ? f.sourcePorts : f.destPorts).push([v, at]);
    if (v.service && !source) f.services.push(v.service);
  };
  /** A port at i: a number or a known service name ("port https"); undefined if there is none. */
  const specAt = (i: number): string | undefined => {
    const t = toks[i];
    if (t?.k === 'num') return t.text;
    if (t?.k === 'word' && lookupService(t.w)) return t.w;
    return undefined;
  };
  /** "8080 to 8090", "8080 through 8090" at j: a range written in words (after "ports"). */
  const rangeAt = (j: number): { spec: string; used: number } | undefined => {
    const lo = toks[j];
    const joiner = wordAt(toks, j + 1);
    const hi = toks[j + 2];
    if (lo?.k !== 'num' || hi?.k !== 'num' || !NUMBER_TOKEN.test(lo.text) || !NUMBER_TOKEN.test(hi.text)) return undefined;
    if (joiner !== 'to' && joiner !== 'through' && joiner !== 'thru' && joiner !== 'until') return undefined;
    return { spec: `${lo.text}-${hi.text}`, used: 3 };
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
        if (role) {
          occ.role = role.role;
          occ.cue = role.cue;
        }
        if (t.proto) f.protocols.push(t.proto);
        let spec = t.portSpec;
        if (spec === undefined) {
          // "10.0.1.50 443" and "10.0.1.50 port 443" attach the port to that endpoint.
          const next = toks[i + 1];
          if (next?.k === 'num') {
            spec = next.text;
            occ.portLoose = true;
            i += 1;
          } else if (next?.k === 'word' && next.w === 'ports' && rangeAt(i + 2)) {
            const r = rangeAt(i + 2)!;
            spec = r.spec;
            occ.portLoose = true;
            i += 1 + r.used;
          } else if (next?.k === 'word' && DEST_PORT_WORDS.has(next.w) && specAt(i + 2) !== undefined) {
            spec = specAt(i + 2);
            occ.portLoose = true;
            i += 2;
          } else if (next?.k === 'hash') {
            spec = next.text;
            occ.portLoose = true;
            i += 1;
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
      case 'hash':
        addPort(t.text, false, i); // "#8443"
        break;
      case 'proto':
        f.protocols.push(t.proto); // "esp/50"
        break;
      case 'arrow':
      case 'larrow':
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
          const r = w === 'ports' ? rangeAt(i + 1) : undefined;
          const spec = r?.spec ?? specAt(i + 1);
          if (spec !== undefined) {
            const prev = wordAt(toks, i - 1);
            addPort(spec, SOURCE_PORT_WORDS.has(w) || (prev !== undefined && SOURCE_WORDS.has(prev)), i);
            i += r ? r.used : 1;
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
        } else if (w === 'ping6') {
          f.ping = true;
          f.protocols.push('icmpv6');
        } else if (w === 'proto' || w === 'protocol') {
          // "protocol 50", "ip proto gre"
          const n = toks[i + 1];
          if (n?.k === 'num' && NUMBER_TOKEN.test(n.text)) {
            const num = n.text.length > 3 ? Infinity : Number(n.text);
            if (!(num >= 0 && num <= 255)) throw bad(`IP protocol ${shorten(n.text)} is out of range; protocol numbers are 0-255.`);
            f.protocols.push(protocolOf(num));
            i += 1;
          } else if (n?.k === 'word' && PROTOCOL_WORDS.has(n.w)) {
            f.protocols.push(PROTOCOL_WORDS.get(n.w)!);
            i += 1;
          }
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

