/**
 * Approve, Reject, Approve all and Revert from the answer's buttons, over the approval service
 * (src/approval): the button's value is only an opaque id, checked against the fixes this turn
 * proposed; the service authorises the clicker, moves the fix exactly once, applies it (DryRun
 * first) and re-checks. The answer message is then re-rendered with who decided and when (the
 * buttons gone), and the thread gets the result: the command to run, the proof, or the reason.
 */
import type { ApprovalService } from '../approval/service.js';
import type { StoredFix } from '../approval/types.js';
import { isSgwhyError, SgwhyError } from '../errors/errors.js';
import type { FixApprovalView, ApprovalView } from '../render/slack-approvals.js';
import { mention } from '../render/slack-approvals.js';
import { renderSlackAnswer } from '../render/slack.js';
import { context, preformatted, section, truncate, untrusted, LIMITS, type SlackMessage } from '../render/slack-blocks.js';
import { noticeMessage } from '../render/slack-notes.js';
import type { BotDeps, Origin } from './deps.js';
import { errorFields } from './errors.js';
import { withTurn, type ThreadState, type Turn } from './thread-state.js';

export type ApprovalAction = 'approve' | 'reject' | 'approve-all' | 'revert';

/** The view of a stored fix for the renderer. */
export function viewOf(f: StoredFix, execution: 'automatic' | 'manual', approvalsRequired: number): FixApprovalView {
  const v = f.execution?.verification;
  const outcome = f.stale ? `stale: ${f.stale.reason}`
    : f.execution?.error ? `failed: ${f.execution.error.message}`
    : v ? `re-check: ${v.verdict}${v.blockers.length ? ` (still: ${v.blockers.join('; ')})` : ''}` : undefined;
  return {
    id: f.id, state: f.state, execution, approvalsRequired, expiresAt: f.expiresAt, terraform: f.terraform,
    approvals: f.approvals.map((a) => ({ userId: a.by.userId, at: a.at })),
    ...(f.decision ? { decision: { kind: f.decision.kind, userId: f.decision.by.userId, at: f.decision.at, ...(f.decision.reason ? { reason: f.decision.reason } : {}) } } : {}),
    ...(f.revert ? { decision: { kind: 'reverted', userId: f.revert.by.userId, at: f.revert.finishedAt ?? f.revert.startedAt } } : {}),
    ...(outcome ? { outcome } : {}),
    iac: f.iac.map(iacText),
  };
}

const iacText = (m: StoredFix['iac'][number]) => `${m.resourceId} is managed by ${m.tool}${m.stack ? ` (stack ${m.stack})` : ''} (tag ${m.evidence}).`;

/** Proposes every fix of a fresh turn; returns the view for the first render (or undefined without approvals). */
export async function proposeTurn(deps: BotDeps, o: Origin, turn: Turn, docs: Parameters<ApprovalService['propose']>[0]['docs'], root: string): Promise<ApprovalView | undefined> {
  const svc = deps.approvals;
  if (!svc || !turn.answer.fixes.length || !o.teamId) return undefined;
  const { proposals, refused, simulation } = await svc.propose({
    answer: turn.answer, docs, question: turn.question, requester: { userId: o.userId, teamId: o.teamId }, channel: o.channel, thread: root,
  });
  const byLabel: Record<string, FixApprovalView> = {};
  for (const p of proposals) {
    const f = turn.fixes.find((x) => x.id === p.label);
    if (f) f.proposalId = p.id;
    // Just proposed: nobody has decided anything yet.
    byLabel[p.label] = {
      id: p.id, state: 'proposed', execution: p.execution, approvalsRequired: p.approvalsRequired, approvals: [], expiresAt: p.expiresAt,
      terraform: p.terraform, iac: p.iac.map(iacText),
    };
  }
  if (refused.length) deps.log('fix_not_proposed', { requestId: o.requestId, refused });
  return { byLabel, simulation: simulation.text };
}

/** The current view of a turn's fixes, from the store (the truth, whichever replica decided). */
export async function currentView(svc: ApprovalService, turn: Turn): Promise<ApprovalView> {
  const byLabel: Record<string, FixApprovalView> = {};
  for (const f of turn.fixes) {
    if (!f.proposalId) continue;
    try {
      const stored = await svc.get(f.proposalId);
      byLabel[f.id] = viewOf(stored, svc.canExecute(stored) ? 'automatic' : 'manual', svc.approvalsRequired(stored));
    } catch {
      /* expired record: no buttons for it */
    }
  }
  return { byLabel };
}

async function refresh(deps: BotDeps, svc: ApprovalService, state: ThreadState, turn: Turn): Promise<void> {
  const view = await currentView(svc, turn);
  const rendered = renderSlackAnswer(turn.answer, { requestId: turn.requestId, dataNote: turn.dataNote, flowLogs: deps.source.flowLogs, approvals: view });
  await deps.poster.update(state.channel, turn.messageTs, rendered.messages[0]!);
}

function outcomeMessage(f: StoredFix, verb: string, by: string, commands?: string[]): SlackMessage {
  const who = mention(by);
  const blocks = [];
  if (commands) {
    blocks.push(section(`✅ *${f.label}* approved by ${who}. No execution role is configured for this account, so nothing was changed by sgwhy: run it yourself${f.accountId ? ` in account ${untrusted(f.accountId)}${f.region ? ` (${untrusted(f.region)})` : ''}` : ''}:`));
    blocks.push(preformatted(truncate(commands.join('\n'), LIMITS.preformatted)));
  } else {
    const ex = f.revert ?? f.execution;
    const v = ex?.verification;
    const lines = [`${verb === 'revert' ? '↩️' : '🛠️'} *${f.label}* ${verb === 'revert' ? 'reverted' : 'applied'} by ${who}${f.accountId ? ` in account ${untrusted(f.accountId)}${f.region ? ` (${untrusted(f.region)})` : ''}` : ''}.`];
    if (ex?.error) lines.push(`❌ ${untrusted(ex.error.message)}`);
    else if (ex) lines.push(`DryRun passed, then ${ex.applied.length} call${ex.applied.length === 1 ? '' : 's'} made.`);
    if (f.stale) lines.push(`Not applied: ${untrusted(f.stale.reason)}`);
    if (v) lines.push(`Re-checked with fresh data (${v.attempts} attempt${v.attempts === 1 ? '' : 's'}): *${v.verdict.toUpperCase()}*${v.blockers.length ? ` — still blocked by ${untrusted(v.blockers.join('; '))}` : ''}.`);
    for (const w of ex?.warnings ?? []) lines.push(`⚠️ ${untrusted(w)}`);
    blocks.push(section(lines.join('\n')));
    if (ex?.applied.length) blocks.push(preformatted(truncate(ex.applied.map((c) => `${c.operation} ${JSON.stringify(c.input)}`).join('\n'), LIMITS.preformatted)));
  }
  blocks.push(context(`sgwhy approvals · fix ${untrusted(f.label)}`));
  return { text: `${f.label}: ${f.state}`, blocks };
}

/** A thread note whose dynamic parts are escaped here (user ids become real mentions). */
const note = (mrkdwn: string, requestId: string): SlackMessage => ({
  text: mrkdwn.replace(/<@[A-Z0-9]+>/g, 'someone').slice(0, 300), blocks: [section(mrkdwn), context(`sgwhy · request ${untrusted(requestId)}`)],
});

/** Typed refusals become a private answer; anything else is re-thrown. */
async function refuse(deps: BotDeps, o: Origin, root: string, e: unknown): Promise<void> {
  if (!isSgwhyError(e)) throw e;
  deps.log('approval_refused', { requestId: o.requestId, user: o.userId, team: o.teamId, channel: o.channel, ...errorFields(e) });
  // What happened to the fix itself concerns everyone in the thread; a refusal of one person's click does not.
  if (e.code === 'FIX_STALE' || e.code === 'EXECUTION_FAILED') {
    await deps.poster.post(o.channel, note(`⚠️ ${untrusted(e.message)} (clicked by ${mention(o.userId)})`, o.requestId), root);
    return;
  }
  await deps.poster.ephemeral(o.channel, o.userId, noticeMessage(e.message, o.requestId), root);
}

export async function handleApproval(deps: BotDeps, o: Origin, kind: ApprovalAction, value: string | undefined, state: ThreadState, turn: Turn): Promise<void> {
  const svc = deps.approvals!;
  const root = state.threadTs;
  if (!o.teamId) return refuse(deps, o, root, new SgwhyError('NOT_AUTHORISED', 'Slack did not say which workspace you are in; nothing was changed.'));
  const actor = { userId: o.userId, teamId: o.teamId };
  // The value must be the opaque id of a fix this very answer proposed.
  const ids = kind === 'approve-all' ? turn.fixes.map((f) => f.proposalId).filter((x): x is string => !!x) : [value ?? ''];
  const known = new Set(turn.fixes.map((f) => f.proposalId).filter(Boolean));
  if (!ids.length || ids.some((id) => !known.has(id))) {
    return refuse(deps, o, root, new SgwhyError('FIX_NOT_FOUND', 'That button does not match a fix of this answer; nothing was changed.'));
  }
  try {
    if (kind === 'reject') {
      const f = await svc.reject({ id: ids[0]!, actor });
      await deps.poster.post(o.channel, note(`✋ *${untrusted(f.label)}* rejected by ${mention(o.userId)}; nothing was changed.`, o.requestId), root);
    } else if (kind === 'revert') {
      const r = await svc.revert({ id: ids[0]!, actor });
      if (r.status === 'awaiting-approval') await deps.poster.post(o.channel, note(`↩️ Revert of *${untrusted(r.fix.label)}* approved by ${mention(o.userId)} (${r.approvals.length} of ${r.required}); it needs another approver.`, o.requestId), root);
      else await deps.poster.post(o.channel, outcomeMessage(r.fix, 'revert', o.userId), root);
    } else {
      const pending = [];
      for (const id of ids) pending.push(await svc.get(id));
      const todo = kind === 'approve-all' ? pending.filter((f) => f.state === 'proposed').map((f) => f.id) : ids;
      const results = kind === 'approve-all' ? await svc.approveAll({ ids: todo, actor }) : [{ id: todo[0]!, outcome: await svc.approve({ id: todo[0]!, actor }) }];
      for (const r of results) {
        if (r.error) {
          await refuse(deps, o, root, r.error);
          continue;
        }
        const out = r.outcome!;
        if (out.status === 'awaiting-approval') await deps.poster.post(o.channel, note(`🛂 *${untrusted(out.fix.label)}* approved by ${mention(o.userId)} (${out.approvals.length} of ${out.required}); it needs another approver before anything changes.`, o.requestId), root);
        else if (out.status === 'approved-manual') await deps.poster.post(o.channel, outcomeMessage(out.fix, 'approve', o.userId, out.commands), root);
        else await deps.poster.post(o.channel, outcomeMessage(out.fix, 'approve', o.userId), root);
      }
    }
    deps.log('approval', { requestId: o.requestId, user: o.userId, team: o.teamId, channel: o.channel, kind, fixes: ids.length });
  } catch (e) {
    await refuse(deps, o, root, e);
  } finally {
    await refresh(deps, svc, state, turn).catch((e) => deps.log('approval_refresh_failed', { requestId: o.requestId, ...errorFields(e) }));
    await deps.threads.put(withTurn(state, turn, deps.now())).catch(() => {});
  }
}
