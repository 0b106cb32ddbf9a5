/**
 * Slack Block Kit rendering of an Answer. The only code that knows Block Kit's limits:
 * 50 blocks per message, 3,000 characters per section text, 150 per header, 10 context elements.
 * Nothing from AWS data can inject mentions or links: &, < and > are escaped as Slack requires.
 */
import type { Answer, Blocker, Fix } from '../answer/types.js';

export const LIMITS = { blocks: 50, sectionText: 3000, headerText: 150, contextElements: 10, fallbackText: 3000 } as const;

export type Block =
  | { type: 'header'; text: { type: 'plain_text'; text: string; emoji?: boolean } }
  | { type: 'section'; text: { type: 'mrkdwn'; text: string } }
  | { type: 'context'; elements: Array<{ type: 'mrkdwn'; text: string }> }
  | { type: 'divider' };

export interface SlackMessage {
  /** Plain fallback for notifications and clients without blocks. */
  text: string;
  blocks: Block[];
}

/** Slack's mrkdwn escaping: only &, < and > (https://api.slack.com/reference/surfaces/formatting#escaping). */
export function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Inside a code span or block, backticks would end it. */
const code = (s: string) => escapeMrkdwn(s).replace(/`/g, "'");

export function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

const section = (text: string): Block => ({ type: 'section', text: { type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) } });

const EMOJI: Record<Answer['verdict'], string> = { reachable: ':white_check_mark:', blocked: ':no_entry:', unknown: ':grey_question:' };

function blockerText(a: Answer, b: Blocker): string {
  const name = b.resourceName ? ` (${escapeMrkdwn(b.resourceName)})` : '';
  const lines = [`*${b.id} · ${b.layer}* \`${code(b.resourceId)}\`${name} · ${b.direction}, ${b.path} path · \`${b.code}\``, escapeMrkdwn(b.explanation)];
  if (b.evidence.decidingRule) lines.push(`Deciding rule: \`${code(b.evidence.decidingRule.text)}\``);
  for (const n of a.nearMisses.filter((x) => x.blockerId === b.id).slice(0, 4)) lines.push(`:mag: ${escapeMrkdwn(n.message)}`);
  return lines.join('\n');
}

function fixText(f: Fix): string {
  const where = f.accountId ? ` _(account ${f.accountId}${f.region ? `, ${f.region}` : ''})_` : '';
  return `*${f.id} · ${escapeMrkdwn(f.title)}*${where}\n\`\`\`${code(f.cli)}\`\`\``;
}

export function renderSlack(a: Answer): SlackMessage {
  const blocks: Block[] = [];
  blocks.push({ type: 'header', text: { type: 'plain_text', text: truncate(`${a.verdict.toUpperCase()}: ${a.question.source} → ${a.question.destination}${a.question.port !== undefined ? `:${a.question.port}` : ''} ${a.question.protocol}`, LIMITS.headerText) } });
  blocks.push(section(`${EMOJI[a.verdict]} ${escapeMrkdwn(a.summary)}`));
  for (const b of a.blockers) blocks.push(section(blockerText(a, b)));
  if (a.fixes.length) {
    blocks.push({ type: 'divider' });
    for (const f of a.fixes) blocks.push(section(fixText(f)));
  }
  if (a.unknowns.length) blocks.push(section(`*Cannot decide*\n${a.unknowns.map((u) => `• ${escapeMrkdwn(u.message)}${u.missing ? `\n   to decide: \`${code(u.missing)}\`` : ''}`).join('\n')}`));
  if (a.hostChecks.length) blocks.push(section(`*The network configuration allows it. If it still fails, check the hosts:*\n${a.hostChecks.map((h) => `• _${h.where}_: ${escapeMrkdwn(h.what)}${h.command ? `\n   \`${code(h.command)}\`` : ''}`).join('\n')}`));
  const hops = a.hops.map((h) => `${h.decision === 'deny' || h.decision === 'drop' ? '✗' : h.decision === 'unknown' ? '?' : '✓'} ${h.path === 'return' ? '↩ ' : ''}${h.step}`);
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: truncate(escapeMrkdwn(hops.join('  ')), LIMITS.sectionText) }] });

  // Keep within the block limit: the summary, the first blockers and fixes matter most.
  let out = blocks;
  if (out.length > LIMITS.blocks) {
    const dropped = out.length - (LIMITS.blocks - 1);
    out = [...out.slice(0, LIMITS.blocks - 2), section(`…and ${dropped} more items: ask with \`--format json\` for the full answer.`), out[out.length - 1]!];
  }
  return { text: truncate(`${a.verdict.toUpperCase()}: ${a.summary}`, LIMITS.fallbackText), blocks: out };
}
