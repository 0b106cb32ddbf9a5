/**
 * Name tags as endpoints: "why can't web-1 reach orders-db:5432". A word becomes a name endpoint
 * only when the question has fewer than two addresses / ids, and only where an endpoint stands:
 * written with a port (orders-db:5432), next to a role word or an arrow ("from web-1", "to db",
 * "web-1 ->"), or as the subject ("why can't web-1 …"). The resolver matches names against the
 * Name tags of instances and interfaces, case-insensitively, and lists the candidates when a name
 * is ambiguous.
 */
import { lookupService } from './services.js';
import {
  DEST_PORT_WORDS, DEST_WORDS, HOSTNAME_TOKEN, NOT_SERVICE, PROTOCOL_WORDS, REVERSE_WORDS, SOURCE_PORT_WORDS, SOURCE_WORDS, type EndpointTok, type Tok,
} from './tokens.js';

const NAME = /^[a-z0-9][a-z0-9._-]{0,254}$/;
/** Words that start a question before its subject: "why can't X", "is X", "does X". */
const SUBJECT_BEFORE = new Set(['cant', 'cannot', 'can', 'couldnt', 'could', 'doesnt', 'does', 'is', 'isnt', 'wont', 'will', 'why']);
/** Words that are never a name, beyond the parser's other vocabularies. */
const NOT_NAME = new Set([
  'what', 'who', 'how', 'when', 'where', 'which', 'there', 'here', 'able', 'allowed', 'blocked', 'open', 'closed', 'down', 'up', 'working',
  'broken', 'failing', 'timing', 'timeout', 'out', 'back', 'anyone', 'someone', 'some', 'instance', 'instances', 'server', 'host', 'hosts',
  'machine', 'box', 'service', 'resolve', 'send', 'sending', 'go', 'going', 'through', 'inbound', 'outbound', 'ingress', 'egress', 'type',
  'code', 'see', 'seeing', 'talk', 'talking', 'get', 'getting', 'reachable', 'accessible', 'connected', 'after', 'since', 'today', 'yesterday',
]);

export function looksLikeName(w: string): boolean {
  return NAME.test(w) && /[a-z]/.test(w) && !HOSTNAME_TOKEN.test(w) && !NOT_SERVICE.has(w) && !NOT_NAME.has(w) && !PROTOCOL_WORDS.has(w)
    && !SOURCE_WORDS.has(w) && !DEST_WORDS.has(w) && !REVERSE_WORDS.has(w) && !DEST_PORT_WORDS.has(w) && !SOURCE_PORT_WORDS.has(w)
    && lookupService(w) === undefined && w !== 'ping';
}

/** How strongly the word at i stands where an endpoint would (0 = not at all). */
function strength(toks: readonly Tok[], i: number): number {
  const t = toks[i];
  if (t?.k !== 'word' || !looksLikeName(t.w)) return 0;
  if (t.portSpec !== undefined) return 3;
  const prev = toks[i - 1];
  const next = toks[i + 1];
  if (prev?.k === 'arrow' || prev?.k === 'larrow' || next?.k === 'arrow' || next?.k === 'larrow') return 2;
  if (prev?.k === 'word' && (SOURCE_WORDS.has(prev.w) || DEST_WORDS.has(prev.w) || REVERSE_WORDS.has(prev.w))) return 2;
  if (prev?.k === 'word' && SUBJECT_BEFORE.has(prev.w)) return 1;
  if (next?.k === 'word' && (DEST_WORDS.has(next.w) || REVERSE_WORDS.has(next.w))) return 1;
  return 0;
}

/** Turns the best-placed words into name endpoints when the question has fewer than two endpoints. */
export function promoteNames(toks: readonly Tok[]): Tok[] {
  const have = toks.filter((t) => t.k === 'ep').length;
  if (have >= 2) return [...toks];
  const candidates = toks
    .map((_, i) => ({ i, s: strength(toks, i) }))
    .filter((c) => c.s > 0)
    .sort((a, b) => b.s - a.s || a.i - b.i)
    .slice(0, 2 - have);
  const out = [...toks];
  for (const { i } of candidates) {
    const t = toks[i] as Extract<Tok, { k: 'word' }>;
    const ep: EndpointTok = { k: 'ep', ref: { kind: 'name', value: t.w } };
    if (t.portSpec !== undefined) ep.portSpec = t.portSpec;
    out[i] = ep;
  }
  return out;
}
