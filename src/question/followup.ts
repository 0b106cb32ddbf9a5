/**
 * Follow-ups in a thread: what people type after a first answer. The thread's question is the
 * context; the follow-up changes part of it, and the result goes through the one question
 * parser (so every check and every wording it knows applies).
 *
 *   what about 5432?          and udp/53          from 10.0.3.7 instead        to i-0abc… ?
 *   re-check                  show trace          flow logs                    help
 *
 * A follow-up that is a whole question on its own is that question. Pure.
 */
import { isSgwhyError } from '../errors/errors.js';
import { parseQuestion } from './parse.js';
import { lookupService } from './services.js';
import type { EndpointRef, Question } from './types.js';

export type FollowUp =
  | { kind: 'recheck' }
  | { kind: 'trace' }
  | { kind: 'flow-logs' }
  | { kind: 'help' }
  /** A new question, and in words what changed ("port 5432", "source 10.0.3.7"). */
  | { kind: 'ask'; question: Question; changed: string }
  /** Not understood as a follow-up; `error` is the parser's reason when it tried. */
  | { kind: 'unclear'; error?: string };

const RECHECK = /^(?:re-?check|check\s+again|again|retry|refresh|re-?run|try\s+again|still\s+(?:blocked|broken)\??)$/;
const TRACE = /^(?:(?:show|full|the)\s+)*(?:full\s+)?(?:trace|path|hops|details)$/;
const FLOW_LOGS = /^(?:(?:show|check|get|any)\s+)*(?:the\s+)?(?:vpc\s+)?flow[\s-]?logs?$/;
const HELP = /^(?:help|\?|usage|examples?)$/;

/** Endpoint tokens the follow-up may name: IPv4, IPv6, instance and interface ids. */
const ENDPOINT = /(?:\b(?:i|eni)-[0-9a-f]{8,17}\b|\b\d{1,3}(?:\.\d{1,3}){3}\b|\[?[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}\]?)/gi;
const FILLER = /\b(?:what|how|about|and|also|instead|then|now|same|but|with|for|on|over|via|using|the|please|pls|try|check|what's|whats|ok|so)\b/g;

const PROTOCOL_WORDS = new Set(['tcp', 'udp', 'icmp', 'icmpv6', 'ping', 'ping6', 'esp', 'ah', 'gre', 'sctp', 'traceroute']);

const clean = (text: string) =>
  text
    .replace(/<@[A-Z0-9]+(?:\|[^>]*)?>/g, ' ') // mentions of the bot
    .replace(/[\u200b-\u200d\u2060\ufeff]/g, '')
    .replace(/[?!.,;]+(?=\s|$)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

const refText = (r: EndpointRef): string => (r.kind === 'ip' && r.value.includes(':') ? `[${r.value}]` : r.value);

/** The flow part of a question as the parser reads it back: "port 443/tcp", "ping", "port 53/udp". */
export function flowText(q: Question): string {
  if (q.protocol === 'icmp' || q.protocol === 'icmpv6') return q.protocol === 'icmpv6' ? 'icmpv6' : 'ping';
  return `port ${q.port}/${q.protocol}${q.sourcePort !== undefined ? ` source port ${q.sourcePort}` : ''}`;
}

function tryParse(text: string): Question | string {
  try {
    return parseQuestion(text);
  } catch (e) {
    if (isSgwhyError(e)) return e.message;
    throw e;
  }
}

export function interpretFollowUp(prev: Question, raw: string): FollowUp {
  const text = clean(raw);
  const lower = text.toLowerCase();
  if (lower === '') return { kind: 'help' };
  if (RECHECK.test(lower)) return { kind: 'recheck' };
  if (TRACE.test(lower)) return { kind: 'trace' };
  if (FLOW_LOGS.test(lower)) return { kind: 'flow-logs' };
  if (HELP.test(lower)) return { kind: 'help' };

  // A whole question on its own.
  const whole = tryParse(text);
  if (typeof whole !== 'string') return { kind: 'ask', question: whole, changed: 'a new question' };

  // Which endpoints does it name, and in which role? ("from X" is the source; otherwise the destination.)
  let source = refText(prev.source);
  let destination = refText(prev.destination);
  const changed: string[] = [];
  const found = [...text.matchAll(ENDPOINT)].filter((m) => /[0-9]/.test(m[0]) && /[.:-]/.test(m[0]));
  if (found.length > 2) return { kind: 'unclear', error: 'That names more than two endpoints; ask a whole question instead.' };
  for (const m of found) {
    const before = text.slice(0, m.index).toLowerCase().trim().split(' ').pop() ?? '';
    const value = m[0].replace(/^\[|\]$/g, '');
    const shown = value.includes(':') ? `[${value}]` : value;
    if (before === 'from' || before === 'source' || before === 'src') {
      source = shown;
      changed.push(`source ${value}`);
    } else {
      destination = shown;
      changed.push(`destination ${value}`);
    }
  }
  // What is left is the flow: ports, protocols, services.
  let rest = lower.replace(ENDPOINT, ' ').replace(/\b(?:from|to|source|src|dest|destination|dst)\b/g, ' ').replace(FILLER, ' ');
  rest = rest.replace(/^\s*(\d{1,5})\s*$/, 'port $1').replace(/\s+/g, ' ').trim();
  // Words that say nothing about a flow ("thanks a lot") are not a follow-up.
  const meaningful = /\d/.test(rest) || rest.split(' ').some((w) => PROTOCOL_WORDS.has(w) || lookupService(w) !== undefined);
  if (!meaningful) rest = '';
  const flow = rest === '' ? flowText(prev) : rest;
  if (rest !== '') changed.push(rest);
  if (changed.length === 0) return { kind: 'unclear' };

  const composed = `from ${source} to ${destination} ${flow}`;
  const parsed = tryParse(composed);
  if (typeof parsed === 'string') return { kind: 'unclear', error: parsed };
  return { kind: 'ask', question: { ...parsed, text: raw.trim().slice(0, 2000) || composed }, changed: changed.join(', ') };
}
