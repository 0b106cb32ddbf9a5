/**
 * The approval side of an answer in Slack: per fix its buttons (Approve / Reject, Revert once
 * applied, "Approve all" when a flow needs several), a confirm dialog showing the exact change
 * and the account, the decision once made (who, when; the buttons gone), the simulation
 * ("after F1 and F2: reachable"), IaC warnings and the Terraform equivalent. A button carries only
 * the fix's opaque id; everything else is looked up server-side. Pure.
 */
import type { Fix } from '../answer/types.js';
import { button, confirmDialog, context, preformatted, section, truncate, untrusted, LIMITS, type Block, type Button } from './slack-blocks.js';

export const APPROVAL_ACTION = {
  approve: 'sgwhy_approve',
  reject: 'sgwhy_reject',
  approveAll: 'sgwhy_approve_all',
  revert: 'sgwhy_revert',
} as const;

export interface FixApprovalView {
  /** Opaque id (the only thing the buttons carry). */
  id: string;
  state: 'proposed' | 'rejected' | 'approved' | 'executing' | 'applied' | 'failed' | 'stale' | 'reverting' | 'reverted' | 'revert-failed';
  execution: 'automatic' | 'manual';
  approvalsRequired: number;
  approvals: Array<{ userId: string; at: number }>;
  decision?: { kind: string; userId: string; at: number; reason?: string };
  /** "re-check: reachable", "failed: …", "stale: …" */
  outcome?: string;
  /** IaC warnings, one sentence each. */
  iac: string[];
  terraform?: string;
  expiresAt: number;
}

export interface ApprovalView {
  byLabel: Record<string, FixApprovalView>;
  /** "After F1 and F2: reachable." on the collected data. */
  simulation?: string;
}

const USER_ID = /^[UW][A-Z0-9]{2,20}$/;
/** A mention of a Slack user id that Slack itself gave us (anything else is shown as text). */
export const mention = (userId: string) => (USER_ID.test(userId) ? `<@${userId}>` : untrusted(userId));
/** HH:MM UTC of a timestamp (arithmetic: the renderer reads no clock). */
const hhmm = (ms: number) => {
  const minutes = Math.floor(ms / 60_000) % 1440;
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')} UTC`;
};

const STATE_TEXT: Record<FixApprovalView['state'], string> = {
  proposed: 'awaiting approval', rejected: 'rejected', approved: 'approved', executing: 'being applied', applied: 'applied', failed: 'failed',
  stale: 'not applied: the configuration changed', reverting: 'being reverted', reverted: 'reverted', 'revert-failed': 'revert failed',
};

/** One line under the fix: its state and who decided, when. */
export function fixStatusText(v: FixApprovalView): string {
  const parts = [`*${STATE_TEXT[v.state]}*`];
  if (v.state === 'proposed' && v.approvals.length) parts.push(`${v.approvals.length} of ${v.approvalsRequired} approvals (${v.approvals.map((x) => mention(x.userId)).join(', ')})`);
  if (v.decision) parts.push(`${v.decision.kind} by ${mention(v.decision.userId)} at ${hhmm(v.decision.at)}${v.decision.reason ? ` (${untrusted(truncate(v.decision.reason, 200))})` : ''}`);
  if (v.outcome) parts.push(untrusted(v.outcome));
  if (v.state === 'proposed') parts.push(v.execution === 'automatic' ? 'sgwhy applies it on approval (DryRun first), then re-checks' : 'approval hands the command to a person (no execution role for this account)');
  return `🛂 ${parts.join(' · ')}`;
}

/** The blocks the approval adds to a fix's group: status, IaC warnings, Terraform. */
export function fixApprovalBlocks(v: FixApprovalView): Block[] {
  const out: Block[] = [context(fixStatusText(v))];
  if (v.iac.length) out.push(section(`⚠️ *Managed as code:* ${v.iac.slice(0, 3).map(untrusted).join(' ')} A change made here drifts from that code: change it there too.`));
  if (v.terraform && v.state === 'proposed' && v.terraform.length <= LIMITS.preformatted) out.push(context('_The same change in Terraform:_'), preformatted(v.terraform));
  return out;
}

function confirmFor(f: Fix, verb: string): ReturnType<typeof confirmDialog> {
  const where = f.accountId ? `account ${f.accountId}${f.region ? ` (${f.region})` : ''}` : 'its account';
  const cmd = f.steps?.length ? f.steps.map((s) => s.cli).join('\n') : f.cli;
  return confirmDialog(`${verb} ${f.id}?`, `*${untrusted(truncate(f.title, 80))}* in ${untrusted(where)}:\n${untrusted(truncate(cmd, 170))}`, verb);
}

/** Buttons per fix for its current state; "Approve all" when more than one awaits approval. */
export function approvalButtons(fixes: readonly Fix[], view: ApprovalView): Button[] {
  const out: Button[] = [];
  const pending: Fix[] = [];
  for (const f of fixes) {
    const v = view.byLabel[f.id];
    if (!v) continue;
    if (v.state === 'proposed') {
      pending.push(f);
      out.push(button(`✅ Approve ${f.id}`, `${APPROVAL_ACTION.approve}:${f.id}`, v.id, { style: 'primary', confirm: confirmFor(f, 'Approve') }));
      out.push(button(`✋ Reject ${f.id}`, `${APPROVAL_ACTION.reject}:${f.id}`, v.id));
    } else if (v.state === 'applied') {
      out.push(button(`↩️ Revert ${f.id}`, `${APPROVAL_ACTION.revert}:${f.id}`, v.id, { style: 'danger', confirm: confirmFor(f, 'Revert') }));
    }
  }
  if (pending.length > 1) {
    out.unshift(button(`✅ Approve all (${pending.map((f) => f.id).join(', ')})`, APPROVAL_ACTION.approveAll, 'all', {
      style: 'primary',
      confirm: confirmDialog('Approve every fix?', `${pending.map((f) => `${f.id} · ${untrusted(truncate(f.title, 60))}`).join('\n')}`.slice(0, 280), 'Approve all'),
    }));
  }
  return out;
}

/** The simulation line shown before anyone approves. */
export const simulationBlock = (text: string): Block => context(`🧪 Simulated on the collected data: ${untrusted(text)}`);
