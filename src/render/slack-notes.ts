/**
 * The bot's other messages: "Investigating…", errors with examples, help, the full trace,
 * flow-log evidence, refusals and notices. Pure, like every renderer.
 */
import type { Answer } from '../answer/types.js';
import { renderText } from './text.js';
import { context, fitsPreformatted, header, preformatted, section, truncate, untrusted, LIMITS, type SlackMessage, type Snippet } from './slack-blocks.js';

const ref = (requestId?: string) => (requestId ? ` · request ${untrusted(requestId)}` : '');

export function investigatingMessage(flow: string, note?: string): SlackMessage {
  const text = `🔍 Investigating ${flow}…`;
  return { text: untrusted(text), blocks: [section(`${untrusted(text)}${note ? `\n_${untrusted(note)}_` : ''}`)] };
}

export interface ErrorView {
  /** One sentence for the user. */
  message: string;
  /** Example questions or commands to try (shown verbatim). */
  examples?: readonly string[];
  requestId?: string;
  /** What the user can do ("Ask an admin to …"). */
  next?: string;
}

export function errorMessage(e: ErrorView): SlackMessage {
  const blocks = [section(`⚠️ ${untrusted(e.message)}${e.next ? `\n${untrusted(e.next)}` : ''}`)];
  if (e.examples?.length) blocks.push(section('_Try for example:_'), preformatted(truncate(e.examples.slice(0, 5).join('\n'), LIMITS.preformatted)));
  blocks.push(context(`sgwhy${ref(e.requestId)}`));
  return { text: truncate(`⚠️ ${untrusted(e.message)}`, LIMITS.fallbackText), blocks };
}

export const HELP_EXAMPLES = [
  "/sgwhy why can't 10.0.2.100 reach 10.0.1.50:443",
  '/sgwhy 10.0.2.100 -> 10.0.1.50:53/udp',
  '/sgwhy ssh from i-0abc1234567890def to 10.0.1.50',
  '/sgwhy can 10.0.2.100 ping 10.0.1.50',
];

export function helpMessage(mode: string): SlackMessage {
  return {
    text: 'sgwhy: why can\'t A reach B? Ask with /sgwhy or @sgwhy.',
    blocks: [
      header('sgwhy — why can\'t A reach B?'),
      section('Ask about a source, a destination and a port (addresses, instance ids `i-…` or interface ids `eni-…`). I check security groups, network ACLs and routes both ways, exactly as AWS does, and answer with what blocks it, the evidence and the fix.'),
      preformatted(HELP_EXAMPLES.join('\n')),
      section('*In the answer\'s thread* you can follow up: `what about 5432?` · `and udp/53` · `from 10.0.3.7 instead` · `re-check` · `show trace` · `flow logs` (mention me in channels; in a direct message just type).'),
      context(`Answering from ${untrusted(mode)}.`),
    ],
  };
}

/** The long form of an answer (every hop and rule): in the thread when short, else as a snippet. */
export function traceMessage(a: Answer, requestId?: string): { message: SlackMessage; snippet?: Snippet } {
  const text = renderText(a, { color: false, hops: true });
  const title = `Full trace: ${a.question.source} → ${a.question.destination}`;
  if (fitsPreformatted(text)) {
    return { message: { text: untrusted(title), blocks: [section(`*${untrusted(title)}*`), preformatted(text), context(`sgwhy${ref(requestId)}`)] } };
  }
  return {
    message: { text: untrusted(title), blocks: [section(`*${untrusted(title)}*\n_${text.split('\n').length} lines: attached as a file._`), context(`sgwhy${ref(requestId)}`)] },
    snippet: { filename: 'sgwhy-trace.txt', title, content: text },
  };
}

/** What flow logs say about the flow (the shape src/flowlogs returns). */
export interface FlowLogView {
  window: { minutes: number };
  sentences: string[];
  agreement: { status: string; message: string };
  truncated?: boolean;
}

export function flowLogMessage(ev: FlowLogView | undefined, requestId?: string): SlackMessage {
  if (!ev) return { text: 'Flow logs: nothing to look for', blocks: [section('📜 *Flow logs*: an endpoint has no address to look for (it was not found), so there is nothing to search.'), context(`sgwhy${ref(requestId)}`)] };
  const icon = ev.agreement.status === 'agree' ? '✅' : ev.agreement.status === 'disagree' ? '⚠️' : '📜';
  const lines = ev.sentences.slice(0, 8).map((s) => `• ${untrusted(s)}`);
  return {
    text: truncate(`Flow logs: ${untrusted(ev.agreement.message)}`, LIMITS.fallbackText),
    blocks: [
      section(`📜 *Flow logs, last ${ev.window.minutes} minutes*\n${lines.join('\n')}${ev.truncated ? '\n_(more records than shown)_' : ''}`),
      section(`${icon} ${untrusted(ev.agreement.message)}`),
      context(`sgwhy${ref(requestId)}`),
    ],
  };
}

export function noticeMessage(text: string, requestId?: string): SlackMessage {
  return { text: truncate(untrusted(text), LIMITS.fallbackText), blocks: [section(untrusted(text)), context(`sgwhy${ref(requestId)}`)] };
}
