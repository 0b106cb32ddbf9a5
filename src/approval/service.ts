/**
 * The approval use cases the Slack listeners call: propose, approve (then apply, prove), reject,
 * revert. Exactly-once: every change of a fix is a compare-and-set on its version, so of twenty
 * concurrent approvals (on any replica) one moves the fix and the others are told who decided.
 * Everything is recorded in the audit log.
 */
import { randomBytes } from 'node:crypto';
import type { Answer } from '../answer/types.js';
import type { AuditEvent, AuditLog } from '../audit/audit-log.js';
import { SgwhyError } from '../errors/errors.js';
import { commandFor } from '../fix/inverse.js';
import { iacManaged, terraformFor, type IacMarker } from '../fix/terraform.js';
import type { RawDoc } from '../model/raw.js';
import type { Question } from '../question/types.js';
import { assertAllowedCall } from '../execute/operations.js';
import type { Collect } from '../execute/recheck.js';
import { fingerprints, stepsOfFix } from '../execute/stale.js';
import type { Ec2Writer, WriteTarget } from '../execute/writer.js';
import { approveFix, revertFix } from './approve.js';
import { authorise, policiesFor, type AccountApprovalPolicy, type CachedGroupMembers } from './policy.js';
import { simulateFixes, type SimulationResult } from './simulate.js';
import type { ApprovalStore } from './store.js';
import type { Actor, Decision, PlannedStep, StoredFix } from './types.js';

export interface ApprovalServiceDeps {
  store: ApprovalStore;
  audit: AuditLog;
  /** Approval policy (and execution role) per account id. */
  policies: ReadonlyMap<string, AccountApprovalPolicy>;
  /** User-group membership (usergroups.users.list, cached). */
  groups?: CachedGroupMembers;
  /** The workspace the bot is installed in: clicks from other teams are refused. */
  workspaceTeamId: string;
  now: () => number;
  newId?: () => string;
  /** How long a proposal may be approved. Default 24 h. */
  expirySeconds?: number;
  /** How long the record (and the way back) is kept. Default 30 days. */
  retentionSeconds?: number;
  /** Fresh, uncached read-only collection for a question (stale check and re-check). */
  collect?: Collect;
  /** Absent: nothing is executed anywhere; approvals hand the command to a person. */
  writer?: Ec2Writer;
  recheck?: { timeoutMs?: number; intervalMs?: number; sleep?: (ms: number) => Promise<void> };
}

export interface Proposal {
  /** Opaque id: the only thing a button carries. */
  id: string;
  label: string;
  title: string;
  /** The exact AWS CLI commands, in order. */
  commands: string[];
  terraform: string;
  /** Objects an IaC tool manages: warn before approval. */
  iac: IacMarker[];
  expiresAt: number;
  /** automatic: sgwhy applies it on approval; manual: approval hands the commands to a person. */
  execution: 'automatic' | 'manual';
  /** Distinct approvals needed (2 under the two-person rule). */
  approvalsRequired: number;
}

export interface ProposeInput {
  answer: Answer;
  /** The data the answer was computed from (the fixes are planned on it). */
  docs: readonly RawDoc[];
  question: Question;
  requester: Actor;
  channel?: string;
  thread?: string;
}

export type ApproveOutcome =
  | { status: 'awaiting-approval'; fix: StoredFix; approvals: Decision[]; required: number }
  | { status: 'approved-manual'; fix: StoredFix; commands: string[] }
  | { status: 'applied'; fix: StoredFix };

export type RevertOutcome =
  | { status: 'awaiting-approval'; fix: StoredFix; approvals: Decision[]; required: number }
  | { status: 'reverted'; fix: StoredFix };

const DAY = 86_400;

/** The objects the blocker's verdict rests on (its interface, groups, table…): a change there makes the plan stale. */
function relatedIds(answer: Answer, blockerId: string): string[] {
  const b = answer.blockers.find((x) => x.id === blockerId);
  if (!b) return [];
  return [b.resourceId, b.networkInterfaceId, ...(b.securityGroupIds ?? []), b.routeTableId].filter((x): x is string => typeof x === 'string' && x.length > 0);
}

function blockerOf(answer: Answer, blockerId: string): { blocker?: NonNullable<StoredFix['blocker']> } {
  const b = answer.blockers.find((x) => x.id === blockerId);
  return b ? { blocker: { layer: b.layer, resourceId: b.resourceId, direction: b.direction, path: b.path } } : {};
}

export function alreadyDecided(fix: StoredFix): SgwhyError {
  const who = fix.decision ? ` by <@${fix.decision.by.userId}>` : '';
  return new SgwhyError('ALREADY_DECIDED', `${fix.label} is already ${fix.state}${who}.`, { details: { state: fix.state, decision: fix.decision, fixId: fix.id } });
}

export class ApprovalService {
  readonly expirySeconds: number;
  readonly retentionSeconds: number;
  private readonly newId: () => string;

  constructor(readonly deps: ApprovalServiceDeps) {
    this.expirySeconds = deps.expirySeconds ?? DAY;
    this.retentionSeconds = Math.max(deps.retentionSeconds ?? 30 * DAY, this.expirySeconds);
    this.newId = deps.newId ?? (() => randomBytes(16).toString('base64url'));
  }

  /** "After F1 and F2: reachable" on the collected data (pure; show it before anyone approves). */
  simulate(input: Pick<ProposeInput, 'answer' | 'docs' | 'question'>, fixLabels?: readonly string[]): SimulationResult {
    return simulateFixes(input.docs, input.question, input.answer.fixes, fixLabels);
  }

  /** Stores every fix of the answer server-side and returns what the buttons need. Fixes outside the allow-list are not proposed. */
  async propose(input: ProposeInput): Promise<{ proposals: Proposal[]; refused: Array<{ label: string; reason: string }>; simulation: SimulationResult }> {
    const now = this.deps.now();
    const proposals: Proposal[] = [];
    const refused: Array<{ label: string; reason: string }> = [];
    for (const fix of input.answer.fixes) {
      const steps: PlannedStep[] = stepsOfFix(fix).map((s) => ({
        service: (s as { service?: string }).service ?? fix.service, operation: s.operation, input: s.input, cli: s.cli, ...(s.title ? { title: s.title } : {}), ...(s.output ? { output: s.output } : {}),
        ...((s.accountId ?? fix.accountId) ? { accountId: s.accountId ?? fix.accountId } : {}), ...((s.region ?? fix.region) ? { region: s.region ?? fix.region } : {}),
      }));
      try {
        for (const s of steps) assertAllowedCall(s, { service: s.service });
      } catch (e) {
        refused.push({ label: fix.id, reason: (e as Error).message });
        continue;
      }
      const stored: StoredFix = {
        id: this.newId(), label: fix.id, version: 1, state: 'proposed', createdAt: now, expiresAt: now + this.expirySeconds * 1000,
        requester: input.requester, question: input.question, ...blockerOf(input.answer, fix.blockerId), title: fix.title, notes: fix.notes, blockerId: fix.blockerId,
        ...(input.channel ? { channel: input.channel } : {}), ...(input.thread ? { thread: input.thread } : {}),
        ...(fix.accountId ? { accountId: fix.accountId } : {}), ...(fix.region ? { region: fix.region } : {}),
        steps, plannedOn: fingerprints(steps, input.docs, relatedIds(input.answer, fix.blockerId)), iac: iacManaged(steps, input.docs),
        terraform: terraformFor(steps, `sgwhy_${fix.id}`, input.docs), approvals: [], revertApprovals: [],
      };
      if (!(await this.deps.store.create(stored, this.retentionSeconds))) throw new SgwhyError('AWS_ERROR', 'Internal: fix id collision.');
      await this.record('proposed', stored, input.requester);
      const required = this.approvalsRequired(stored);
      proposals.push({ id: stored.id, label: stored.label, title: stored.title, commands: steps.map((s) => s.cli), terraform: stored.terraform, iac: stored.iac,
        expiresAt: stored.expiresAt, execution: this.canExecute(stored) ? 'automatic' : 'manual', approvalsRequired: required });
    }
    return { proposals, refused, simulation: this.simulate(input) };
  }

  async get(id: string): Promise<StoredFix> {
    const fix = typeof id === 'string' && id.length <= 64 ? await this.deps.store.get(id) : null;
    if (!fix) throw new SgwhyError('FIX_NOT_FOUND', 'This fix is unknown or its record has expired; nothing was changed. Ask again for a fresh one.');
    return fix;
  }

  /** Distinct approvals a fix needs: 2 when any account it touches has the two-person rule. */
  approvalsRequired(fix: Pick<StoredFix, 'steps' | 'accountId'>): number {
    try {
      return policiesFor(fix, this.deps.policies).some((p) => p.twoPersonRule) ? 2 : 1;
    } catch {
      return 1; // no policy: nobody may approve; the approve call says so
    }
  }

  /** True when every account the fix touches has an execution role and sgwhy can write and re-collect. */
  canExecute(fix: Pick<StoredFix, 'steps' | 'accountId'>): boolean {
    if (!this.deps.writer || !this.deps.collect) return false;
    try {
      return policiesFor(fix, this.deps.policies).every((p) => !!p.executionRoleArn);
    } catch {
      return false;
    }
  }

  /** @internal The execution role for a write. */
  targetFor(accountId: string, region: string): WriteTarget {
    const p = this.deps.policies.get(accountId);
    if (!p?.executionRoleArn) throw new SgwhyError('EXECUTION_REFUSED', `Account ${accountId} has no execution role configured.`);
    return { accountId, region, executionRoleArn: p.executionRoleArn, ...(p.externalId ? { externalId: p.externalId } : {}) };
  }

  /** Read-modify-compare-and-set until it sticks; `fn` throws to refuse. */
  async update(id: string, fn: (cur: StoredFix) => StoredFix): Promise<StoredFix> {
    for (let i = 0; i < 100; i++) {
      const cur = await this.get(id);
      const next = { ...fn(cur), version: cur.version + 1 };
      if (await this.deps.store.compareAndSet(next, cur.version)) return next;
    }
    throw new SgwhyError('ALREADY_DECIDED', 'Too many concurrent changes to this fix; try again.');
  }

  async record(type: AuditEvent['type'], fix: StoredFix, actor?: Actor, result?: Record<string, unknown>, calls?: AuditEvent['calls']): Promise<void> {
    await this.deps.audit.append({
      type, at: this.deps.now(), fixId: fix.id, fixLabel: fix.label, question: fix.question.text,
      ...(actor ? { actor } : {}), ...(fix.channel ? { channel: fix.channel } : {}), ...(fix.thread ? { thread: fix.thread } : {}),
      ...(fix.accountId ? { accountId: fix.accountId } : {}), ...(fix.region ? { region: fix.region } : {}),
      calls: calls ?? fix.steps.map((s) => ({ operation: s.operation, input: s.input, command: s.cli,
        ...(s.accountId ? { accountId: s.accountId } : {}), ...(s.region ? { region: s.region } : {}) })),
      ...(result ? { result } : {}),
    });
  }

  /** Authorises, or records the refusal and throws it. */
  async authorise(fix: StoredFix, actor: Actor, action: 'approve' | 'reject' | 'revert'): Promise<number> {
    try {
      return (await authorise({ actor, fix, action, workspaceTeamId: this.deps.workspaceTeamId, policies: this.deps.policies,
        ...(this.deps.groups ? { groups: this.deps.groups } : {}) })).required;
    } catch (e) {
      await this.record('refused', fix, actor, { action, code: (e as SgwhyError).code, reason: (e as Error).message });
      throw e;
    }
  }

  /** Approve: records the approval; with enough approvals, applies the fix (or hands the commands to a person) and re-checks. */
  approve(input: { id: string; actor: Actor; recheck?: boolean }): Promise<ApproveOutcome> {
    return approveFix(this, input);
  }

  /** "Approve all": each fix in order; stops at the first that is refused or fails. */
  async approveAll(input: { ids: readonly string[]; actor: Actor }): Promise<Array<{ id: string; outcome?: ApproveOutcome; error?: SgwhyError }>> {
    const out: Array<{ id: string; outcome?: ApproveOutcome; error?: SgwhyError }> = [];
    for (const [i, id] of input.ids.entries()) {
      try {
        // Re-check once, after the last: the path is reachable only when every fix is in.
        out.push({ id, outcome: await this.approve({ id, actor: input.actor, recheck: i === input.ids.length - 1 }) });
      } catch (e) {
        if (!(e instanceof SgwhyError)) throw e;
        out.push({ id, error: e });
        break;
      }
    }
    return out;
  }

  /** Revert an applied fix under the same approval rules; re-checks afterwards. */
  revert(input: { id: string; actor: Actor }): Promise<RevertOutcome> {
    return revertFix(this, input);
  }

  async reject(input: { id: string; actor: Actor; reason?: string }): Promise<StoredFix> {
    const fix = await this.get(input.id);
    await this.authorise(fix, input.actor, 'reject');
    const now = this.deps.now();
    const next = await this.update(input.id, (cur) => {
      if (cur.state !== 'proposed') throw alreadyDecided(cur);
      return { ...cur, state: 'rejected', decision: { kind: 'rejected', by: input.actor, at: now, ...(input.reason ? { reason: input.reason.slice(0, 500) } : {}) } };
    });
    await this.record('rejected', next, input.actor, input.reason ? { reason: input.reason.slice(0, 500) } : undefined);
    return next;
  }

  /** The CLI commands of calls that ran (for the audit log). */
  static calls(list: ReadonlyArray<{ operation: string; input: Record<string, unknown>; accountId: string; region: string }>): NonNullable<AuditEvent['calls']> {
    return list.map((c) => ({ operation: c.operation, input: c.input, accountId: c.accountId, region: c.region, command: commandFor(c, c.region) }));
  }
}
