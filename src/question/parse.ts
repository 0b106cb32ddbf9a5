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
import { bad, exampleQuestions, shorten } from './examples.js';
import type { ServiceDef } from './services.js';
import { promoteNames } from './names.js';
import { classify, clean, tokenize } from './tokens.js';
import { isPorted, protocolNumber, type EndpointRef, type Protocol, type Question } from './types.js';
import { walk, type Facts, type Occurrence, type PortValue } from './walk.js';

export { exampleQuestions } from './examples.js';

export const MAX_QUESTION_LENGTH = 2000;

// ---------------------------------------------------------------------------------------------
// Resolution

const display = (r: EndpointRef): string => r.value;
const family = (r: EndpointRef): 4 | 6 | undefined => (r.kind !== 'ip' ? undefined : r.value.includes(':') ? 6 : 4);
const distinct = <T>(xs: readonly T[]): T[] => [...new Set(xs)];

function needEndpoints(f: Facts): SgwhyError {
  if (f.hostnames.length > 0)
    return bad(
      `I need a source and a destination as IP addresses, instance ids (i-…), ENI ids (eni-…), Name tags or load balancers (alb/NAME); I can't look up DNS names like ${shorten(f.hostnames[0]!)}.`,
    );
  if (f.endpoints.length === 1)
    return bad(
      `I need a source and a destination (IP address, instance id, ENI id or Name tag), but found only ${display(f.endpoints[0]!.tok.ref)}.`,
    );
  return bad('I need a source and a destination (IP address, instance id, ENI id or Name tag), and found neither.');
}

/**
 * A Name tag (or load balancer name) as the user typed it: the tokens are lower-cased, but AWS filters
 * (live mode) match the exact value, so the original spelling is taken back from the text. The snapshot resolver
 * compares case-insensitively either way.
 */
function asTyped(ref: EndpointRef, text: string): EndpointRef {
  if (ref.kind !== 'name' && ref.kind !== 'load-balancer') return ref;
  const at = text.toLowerCase().indexOf(ref.value);
  const typed = at >= 0 ? text.slice(at, at + ref.value.length) : ref.value;
  return typed.toLowerCase() === ref.value ? { kind: ref.kind, value: typed } : ref;
}

const portText = (v: PortValue): string => (v.to !== undefined ? `${v.port}-${v.to}` : `${v.port}`);
const samePort = (a: PortValue, b: PortValue): boolean => a.port === b.port && a.to === b.to;

function parseUnchecked(text: string): Question {
  if (typeof text !== 'string') throw bad('The question must be text.');
  if (text.length > MAX_QUESTION_LENGTH)
    throw new SgwhyError(
      'INPUT_TOO_LARGE',
      `The question is ${text.length.toLocaleString('en-US')} characters long; the limit is ${MAX_QUESTION_LENGTH.toLocaleString('en-US')}.`,
      { hints: exampleQuestions() },
    );
  if (text.trim() === '') throw bad('The question is empty; ask about a source, a destination and a port.');

  const toks = promoteNames(tokenize(clean(text)).map(classify));
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
  let directionCue: string | undefined;
  if ((a.role === 'destination' && b.role !== 'destination') || (b.role === 'source' && a.role !== 'source')) {
    src = b;
    dst = a;
    // The wording, not the order, decided: the answer's first line says which way was checked.
    directionCue = b.role === 'source' ? b.cue : a.cue;
  }
  const source = asTyped(src.tok.ref, text);
  const destination = asTyped(dst.tok.ref, text);
  if (source.kind === destination.kind && source.value === destination.value)
    throw bad(`The source and the destination are both ${display(source)}; ask about two different endpoints.`);
  const fs = family(source);
  const fd = family(destination);
  if (fs !== undefined && fd !== undefined && fs !== fd)
    throw bad(
      `${display(source)} is IPv${fs} but ${display(destination)} is IPv${fd}; ask about two addresses of the same family (an IPv6 address with a port is written [${display(fs === 6 ? source : destination)}]:443).`,
    );
  const hints = exampleQuestions(display(source), display(destination));

  if (dst.port) f.destPorts.push([dst.port, dst.index]);
  if (src.port) {
    // "unreachable from X port 8443": a port written after the source, when the question has no
    // other destination port, is the port being asked about; "X:40000 -> Y:443" names a source port.
    if (src.portLoose && f.destPorts.length === 0) f.destPorts.push([src.port, src.index]);
    else f.sourcePorts.push([src.port, src.index]);
  }
  const inOrder = (ps: Array<[PortValue, number]>): PortValue[] => {
    const out: PortValue[] = [];
    for (const [v] of [...ps].sort((x, y) => x[1] - y[1])) if (!out.some((o) => samePort(o, v))) out.push(v);
    return out;
  };
  const destPorts = inOrder(f.destPorts);
  const sourcePorts = inOrder(f.sourcePorts);
  const protocols = distinct(f.protocols);
  const services = distinct(f.services);
  if (destPorts.length > 1)
    throw bad(`I see more than one destination port (${destPorts.map(portText).join(', ')}); ask about one port or one range (ports 8080-8090) at a time.`, hints);
  if (sourcePorts.length > 1)
    throw bad(`I see more than one source port (${sourcePorts.map(portText).join(', ')}); name at most one.`, hints);
  if (protocols.length > 1) throw bad(`I see more than one protocol (${protocols.join(', ')}); ask about one at a time.`, hints);

  const explicit = protocols[0];
  const destPortValue = destPorts[0];
  const destPort = destPortValue?.port;
  const v6 = fs === 6 || fd === 6;
  const q: Question = { source, destination, protocol: 'tcp', text };
  if (directionCue !== undefined) q.directionCue = directionCue;

  if (explicit !== undefined && !isPorted(explicit) && explicit !== 'icmp' && explicit !== 'icmpv6') {
    // ESP, AH, GRE, SCTP, any protocol number: no ports to match (AWS matches all ports for them).
    if (destPortValue !== undefined || sourcePorts.length > 0)
      throw bad(`${explicit.toUpperCase()} (IP protocol ${protocolNumber(explicit)}) has no ports that security groups or network ACLs match; ask without a port.`, hints);
    q.protocol = explicit;
    return q;
  }
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
  if (destPortValue?.to !== undefined) q.portTo = destPortValue.to;
  if (sourcePorts[0] !== undefined) q.sourcePort = sourcePorts[0].port;
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

