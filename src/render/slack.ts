/**
 * Slack rendering of an Answer: the verdict at a glance, the path as a compact hop chain with
 * the blocking hop marked, each blocker with its evidence and near misses, the fixes as exact
 * commands, and the buttons. A long answer becomes several messages (the first in the channel,
 * the rest in its thread) and over-long commands become snippets: it never breaks Block Kit's
 * limits. Knows nothing about Bolt or the Web API; the bot posts what this returns.
 */
import type { Answer, Blocker, Fix, Hop } from '../answer/types.js';
import { approvalButtons, fixApprovalBlocks, simulationBlock, type ApprovalView } from './slack-approvals.js';
import {
  actions, button, confirmDialog, context, divider, fitsPreformatted, header, pack, preformatted, section, truncate, untrusted,
  LIMITS, type Block, type Button, type SlackMessage, type Snippet,
} from './slack-blocks.js';

export { LIMITS, truncate, type Block, type SlackMessage, type Snippet } from './slack-blocks.js';

/** Action ids of the answer's buttons (the Slack app registers one listener per kind). */
export const ACTION = {
  recheck: 'sgwhy_recheck',
  trace: 'sgwhy_trace',
  flowLogs: 'sgwhy_flow_logs',
  /** Per fix: `sgwhy_approve:F1`; the button value is the fix id, looked up server-side. */
  approve: 'sgwhy_approve',
} as const;

export interface SlackRenderOptions {
  /** Shown in the footer, and quoted by users when they report a problem. */
  requestId?: string;
  /** Where the data came from: "snapshot examples/incident" or "live · collected 12:03:04 UTC · 11 AWS calls". */
  dataNote?: string;
  /** Buttons (default yes; `sgwhy ask --format slack` keeps them so the preview is exact). */
  interactive?: boolean;
  /** Offer the Flow logs button (live data only). */
  flowLogs?: boolean;
  /** Approvals enabled: per-fix state and opaque ids (without it, Approve says approvals are not enabled). */
  approvals?: ApprovalView;
}

export interface RenderedAnswer {
  /** The first message goes to the channel (or replaces "Investigating…"), the others in its thread. */
  messages: SlackMessage[];
  /** Files to upload in the thread (commands too long to show in a block). */
  snippets: Snippet[];
}

const VERDICT: Record<Answer['verdict'], { emoji: string; word: string }> = {
  reachable: { emoji: '✅', word: 'REACHABLE' },
  blocked: { emoji: '⛔', word: 'BLOCKED' },
  unknown: { emoji: '❔', word: 'UNKNOWN' },
};

const STEP_LABEL: Record<string, string> = {
  SOURCE_ENI: 'source', SG_EGRESS: 'SG out', NACL_OUTBOUND: 'NACL out', ROUTE: 'route', PEERING: 'peering', TRANSIT_GATEWAY: 'TGW',
  INTERNET_GATEWAY: 'IGW', NAT_GATEWAY: 'NAT', VPC_ENDPOINT: 'endpoint', NACL_INBOUND: 'NACL in', SG_INGRESS: 'SG in',
  SG_CONNECTION_TRACKED: 'SG (stateful)', DESTINATION_ENI: 'destination',
};

const stepLabel = (h: Hop) => STEP_LABEL[h.step] ?? h.step.toLowerCase().replace(/_/g, ' ');
const bad = (h: Hop) => h.decision === 'deny' || h.decision === 'drop';

/** "10.0.2.100 → 10.0.1.50 tcp/443" */
export function flowLabel(q: Answer['question']): string {
  const proto = q.port !== undefined ? `${q.protocol}/${q.port}${q.portTo !== undefined ? `-${q.portTo}` : ''}` : q.protocol === 'icmp' || q.protocol === 'icmpv6' ? `${q.protocol} (ping)` : q.protocol;
  return `${q.source} → ${q.destination} ${proto}`;
}

/** The path in one or two lines: ✓/✗/? per hop, the blocking hops in bold. */
export function hopChain(hops: readonly Hop[]): string {
  const leg = (path: Hop['path']) =>
    hops.filter((h) => h.path === path).map((h) => {
      const mark = bad(h) ? '✗' : h.decision === 'unknown' ? '?' : '✓';
      const t = `${stepLabel(h)} ${mark}`;
      return bad(h) ? `*${t}*` : h.decision === 'unknown' ? `_${t}_` : t;
    }).join(' → ');
  const fwd = leg('forward');
  const ret = leg('return');
  return [fwd && `→ ${fwd}`, ret && `↩ ${ret}`].filter(Boolean).join('\n');
}

/** One line per part (interface, zone or port piece) with its verdict. */
function partsText(parts: NonNullable<Answer['parts']>): string {
  const lines = parts.slice(0, 12).map((p) => `${VERDICT[p.verdict].emoji} ${untrusted(p.label)}: *${p.verdict}*${p.blockerIds.length ? ` (${p.blockerIds.join(', ')})` : ''}`);
  if (parts.length > 12) lines.push(`…and ${parts.length - 12} more (full trace)`);
  return `*Per part*\n${lines.join('\n')}`;
}

function endpointLine(label: string, e: Answer['endpoints']['source']): string {
  if (!e) return `*${label}*`;
  const bits = [e.name ? `*${untrusted(e.name)}*` : '', `\`${untrusted(e.ip)}\``];
  const ids = [e.instanceId, e.networkInterfaceId, e.subnetId, e.vpcId].filter(Boolean).map((x) => untrusted(x!));
  if (ids.length) bits.push(ids.join(' · '));
  if (e.securityGroupIds?.length) bits.push(`groups ${e.securityGroupIds.map(untrusted).join(', ')}`);
  if (e.accountId) bits.push(`account ${untrusted(e.accountId)}${e.region ? ` ${untrusted(e.region)}` : ''}`);
  if (e.kind === 'external') bits.push('_(not an interface in the data)_');
  return `*${label}* ${bits.filter(Boolean).join('  ')}`;
}

function blockerText(a: Answer, b: Blocker): string {
  const name = b.resourceName ? ` (${untrusted(b.resourceName)})` : '';
  const lines = [
    `*${b.id} · ${b.layer}* \`${untrusted(b.resourceId)}\`${name} · ${b.direction}${b.path === 'return' ? ', return traffic' : ''}`,
    untrusted(b.explanation),
  ];
  const ev = b.evidence;
  if (ev.decidingRule) lines.push(`Deciding rule: \`${untrusted(ev.decidingRule.text)}\``);
  else if (ev.summary) lines.push(`Evidence: ${untrusted(ev.summary)}${ev.evaluated.length ? ` (${ev.evaluated.length} rule${ev.evaluated.length === 1 ? '' : 's'} evaluated)` : ''}`);
  for (const n of a.nearMisses.filter((x) => x.blockerId === b.id).slice(0, 3)) lines.push(`🔎 ${untrusted(n.message)}`);
  if (b.fixIds.length === 0 && b.noFixReason) lines.push(`_No automatic fix: ${untrusted(b.noFixReason)}_`);
  return lines.join('\n');
}

function fixGroup(f: Fix, snippets: Snippet[], o: SlackRenderOptions): Block[] {
  const where = f.accountId ? ` _(account ${untrusted(f.accountId)}${f.region ? `, ${untrusted(f.region)}` : ''})_` : '';
  const blocks: Block[] = [section(`*${f.id} · ${untrusted(f.title)}*${where}`)];
  if (fitsPreformatted(f.cli)) blocks.push(preformatted(f.cli));
  else {
    const filename = `sgwhy-${f.id}.sh`;
    snippets.push({ filename, title: `${f.id}: ${truncate(f.title, 200)}`, content: `${f.cli}\n` });
    blocks.push(section(`_The command is ${f.cli.length.toLocaleString('en-US')} characters long: it is attached in the thread as \`${filename}\`, exactly as it must be run._`));
  }
  if (f.notes.length) blocks.push(context(...f.notes.slice(0, 3).map((n) => `• ${untrusted(n)}`)));
  const v = o.approvals?.byLabel[f.id];
  if (v) blocks.push(...fixApprovalBlocks(v));
  return blocks;
}

function buttons(a: Answer, o: SlackRenderOptions): Button[] {
  const out = [button('🔄 Re-check', ACTION.recheck, 'recheck'), button('🧭 Full trace', ACTION.trace, 'trace')];
  if (o.flowLogs) out.push(button('📜 Flow logs', ACTION.flowLogs, 'flow-logs'));
  if (o.approvals) return [...out, ...approvalButtons(a.fixes, o.approvals)];
  for (const f of a.fixes.slice(0, LIMITS.actionsElements - out.length)) {
    const where = f.accountId ? `account ${f.accountId}${f.region ? ` (${f.region})` : ''}` : 'its account';
    out.push(button(`✅ Approve ${f.id}`, `${ACTION.approve}:${f.id}`, f.id, {
      style: 'primary',
      confirm: confirmDialog(`Approve ${f.id}?`, `${untrusted(truncate(f.title, 150))}\nin ${untrusted(where)}`, 'Approve'),
    }));
  }
  return out;
}

export function renderSlackAnswer(a: Answer, o: SlackRenderOptions = {}): RenderedAnswer {
  const v = VERDICT[a.verdict];
  const snippets: Snippet[] = [];
  const top: Block[] = [
    header(`${v.emoji} ${v.word} · ${flowLabel(a.question)}`),
    section(`${untrusted(a.summary)}\n${endpointLine('From', a.endpoints.source)}\n${endpointLine('To', a.endpoints.destination)}`),
  ];
  if (a.interpretation?.length) top.push(context(...a.interpretation.slice(0, 3).map((t) => `ℹ️ ${untrusted(t)}`)));
  if (a.parts?.length) top.push(section(partsText(a.parts)));
  const chain = hopChain(a.hops);
  if (chain) top.push(section(`*Path*${a.parts?.length ? ' (the first part not reachable)' : ''}\n${chain}`));
  const groups: Block[][] = [top];
  for (const b of a.blockers) groups.push([section(blockerText(a, b))]);
  if (a.blockers.length && !a.fixes.length && a.blockers.some((b) => !b.noFixReason)) groups.push([section('_No automatic fix: the full trace shows every rule evaluated._')]);
  a.fixes.forEach((f, i) => groups.push(i === 0 ? [divider(), ...fixGroup(f, snippets, o)] : fixGroup(f, snippets, o)));
  if (o.approvals?.simulation && a.fixes.length) groups.push([simulationBlock(o.approvals.simulation)]);
  if (a.unknowns.length) {
    groups.push([section(`*Cannot decide*\n${a.unknowns.slice(0, 8).map((u) => `• ${untrusted(u.message)}`).join('\n')}`)]);
    const cmds = a.unknowns.filter((u) => u.missing).map((u) => u.missing!);
    if (cmds.length) groups.push([section('_To decide, collect:_'), preformatted(truncate(cmds.join('\n'), LIMITS.preformatted))]);
  }
  if (a.hostChecks.length) {
    groups.push([section(`*The network allows it. If it still fails, check the hosts:*\n${a.hostChecks.map((h) => `• _${h.where}_: ${untrusted(h.what)}`).join('\n')}`)]);
    const cmds = a.hostChecks.filter((h) => h.command).map((h) => h.command!);
    if (cmds.length) groups.push([preformatted(truncate(cmds.join('\n'), LIMITS.preformatted))]);
  }
  if (a.warnings.length) groups.push([context(...a.warnings.slice(0, 3).map((w) => `⚠️ ${untrusted(w)}`))]);

  const interactive = o.interactive !== false;
  const tail: Block[] = [];
  if (interactive) tail.push(...actions(buttons(a, o), 'sgwhy-answer'));
  const foot = [o.dataNote ? untrusted(o.dataNote) : '', o.requestId ? `request ${untrusted(o.requestId)}` : ''].filter(Boolean);
  if (foot.length) tail.push(context(foot.join(' · ')));

  const packed = pack(groups, tail.length + 1);
  const messages: SlackMessage[] = packed.map((blocks, i) => {
    const text = i === 0 ? `${v.word}: ${untrusted(a.summary)}` : `${v.word} (continued ${i + 1}/${packed.length})`;
    const withTail = i === 0 ? [...blocks, ...(packed.length > 1 ? [context(`_Continued in the thread (${packed.length - 1} more message${packed.length > 2 ? 's' : ''})._`)] : []), ...tail] : blocks;
    return { text: truncate(text, LIMITS.fallbackText), blocks: withTail };
  });
  return { messages, snippets };
}

/** The first message only (previews and callers that post one message). */
export function renderSlack(a: Answer, o: SlackRenderOptions = {}): SlackMessage {
  return renderSlackAnswer(a, o).messages[0]!;
}
