/**
 * Approve → (second approval) → stale check on fresh data → DryRun, apply → re-check; and the way
 * back: Revert → (second approval) → check the inverse still applies → DryRun, apply → re-check.
 * Every step is a compare-and-set on the fix, so one click of many does the work.
 */
import type { Answer } from '../answer/types.js';
import { SgwhyError } from '../errors/errors.js';
import { applyApiCalls } from '../fix/simulate.js';
import { recheckUntil } from '../execute/recheck.js';
import { runSteps, type StepToRun } from '../execute/run-steps.js';
import { assertAllowedCall } from '../execute/operations.js';
import { checkStale } from '../execute/stale.js';
import { alreadyDecided, ApprovalService, type ApproveOutcome, type RevertOutcome } from './service.js';
import type { Actor, ExecutionRecord, StoredFix, Verification } from './types.js';

function stepsToRun(fix: StoredFix): StepToRun[] {
  return fix.steps.map((s) => {
    const accountId = s.accountId ?? fix.accountId;
    const region = s.region ?? fix.region;
    if (!accountId || !region) throw new SgwhyError('EXECUTION_REFUSED', `${fix.label}: a step does not say which account and region it changes.`);
    return { operation: s.operation, input: s.input, accountId, region, service: s.service, ...(s.output ? { output: s.output } : {}) };
  });
}

/** Refuses (and records) a fix whose stored calls are not on the allow-list, whatever the store says. */
async function assertRunnable(svc: ApprovalService, fix: StoredFix, actor: Actor): Promise<void> {
  try {
    for (const s of fix.steps) assertAllowedCall(s, { service: s.service });
  } catch (e) {
    await svc.record('refused', fix, actor, { code: (e as SgwhyError).code, reason: (e as Error).message });
    throw e;
  }
}

export async function approveFix(svc: ApprovalService, input: { id: string; actor: Actor; recheck?: boolean }): Promise<ApproveOutcome> {
  const { actor } = input;
  const fix = await svc.get(input.id);
  const required = await svc.authorise(fix, actor, 'approve');
  await assertRunnable(svc, fix, actor);
  const manual = !svc.canExecute(fix);
  const now = svc.deps.now();
  const updated = await svc.update(input.id, (cur) => {
    if (cur.state !== 'proposed') throw alreadyDecided(cur);
    if (now >= cur.expiresAt) throw new SgwhyError('FIX_EXPIRED', `${cur.label} expired ${new Date(cur.expiresAt).toISOString()}; nothing was changed. Ask again for a fresh fix.`, { details: { expiresAt: cur.expiresAt } });
    if (cur.approvals.some((a) => a.by.userId === actor.userId)) {
      throw new SgwhyError('ALREADY_DECIDED', `You already approved ${cur.label}; it needs another approver.`, { details: { state: cur.state, approvals: cur.approvals } });
    }
    const approvals = [...cur.approvals, { by: actor, at: now }];
    if (approvals.length < required) return { ...cur, approvals };
    return { ...cur, approvals, state: manual ? 'approved' : 'executing', decision: { kind: 'approved', by: actor, at: now } };
  }).catch(async (e: unknown) => {
    if (e instanceof SgwhyError && e.code === 'FIX_EXPIRED') await svc.record('refused', fix, actor, { code: e.code, reason: e.message });
    throw e;
  });
  await svc.record('approved', updated, actor, { approvals: updated.approvals.length, required, execution: manual ? 'manual' : 'automatic' });
  if (updated.state === 'proposed') return { status: 'awaiting-approval', fix: updated, approvals: updated.approvals, required };
  if (updated.state === 'approved') return { status: 'approved-manual', fix: updated, commands: updated.steps.map((s) => s.cli) };
  return { status: 'applied', fix: await execute(svc, updated, actor, input.recheck !== false) };
}

/** Moves the fix out of a transient state whatever happens, so it never stays "executing". */
async function settle(svc: ApprovalService, id: string, fn: (cur: StoredFix) => StoredFix): Promise<StoredFix> {
  return svc.update(id, fn);
}

const sameBlocker = (fix: StoredFix, a: Answer): boolean =>
  a.blockers.some((b) => fix.blocker !== undefined && b.layer === fix.blocker.layer && b.resourceId === fix.blocker.resourceId && b.direction === fix.blocker.direction && b.path === fix.blocker.path);

function verificationOf(fix: StoredFix, a: Answer, attempts: number, at: number): Verification {
  return { verdict: a.verdict, summary: a.summary, attempts, at, blockers: a.blockers.map((b) => `${b.layer} ${b.resourceId}`),
    blockerCleared: a.verdict === 'reachable' || (fix.blocker !== undefined && !sameBlocker(fix, a)) };
}

async function execute(svc: ApprovalService, fix: StoredFix, actor: Actor, recheck: boolean): Promise<StoredFix> {
  const collect = svc.deps.collect!;
  const writer = svc.deps.writer!;
  const startedAt = svc.deps.now();
  let record: ExecutionRecord = { startedAt, applied: [], inverse: null, warnings: [] };
  try {
    const fresh = await collect(fix.question);
    const st = checkStale({ steps: fix.steps, plannedOn: fix.plannedOn, blockerId: fix.blockerId }, fresh, fix.question);
    if (st.stale) {
      const next = await settle(svc, fix.id, (cur) => ({ ...cur, state: 'stale', stale: { reason: st.reason, at: svc.deps.now() } }));
      await svc.record('refused', next, actor, { code: 'FIX_STALE', reason: st.reason, ...(st.replanned ? { replanned: st.replanned.cli } : {}) });
      throw new SgwhyError('FIX_STALE', `${fix.label} was not applied: ${st.reason}`, { details: { reason: st.reason, ...(st.replanned ? { replanned: st.replanned } : {}), verdict: st.answer.verdict } });
    }
    const run = await runSteps(stepsToRun(fix), { writer, targetFor: (a, r) => ({ ...svc.targetFor(a, r), asker: `${actor.userId}@${actor.teamId}` }), before: fresh });
    record = { ...record, applied: run.applied, inverse: run.inverse, warnings: run.warnings, finishedAt: svc.deps.now(),
      ...(run.inverseRefusal ? { inverseRefusal: run.inverseRefusal } : {}), ...(run.error ? { error: run.error } : {}) };
    if (run.error) {
      const next = await settle(svc, fix.id, (cur) => ({ ...cur, state: 'failed', execution: record }));
      await svc.record('failed', next, actor, { ...run.error, rolledBack: run.rolledBack ?? false, warnings: run.warnings }, ApprovalService.calls(run.applied));
      throw new SgwhyError('EXECUTION_FAILED', `${fix.label} failed: ${run.error.code}: ${run.error.message}${run.applied.length ? (run.rolledBack ? ' (the steps already applied were undone)' : ' (some steps were applied and could not all be undone: see the audit log)') : ' (nothing was changed)'}`,
        { details: { error: run.error, applied: run.applied, rolledBack: run.rolledBack ?? false } });
    }
    let next = await settle(svc, fix.id, (cur) => ({ ...cur, state: 'applied', execution: record }));
    await svc.record('executed', next, actor, { warnings: run.warnings, revertable: run.inverse !== null }, ApprovalService.calls(run.applied));
    if (!recheck) return next;
    // Done when reachable, or when this fix's blocker is gone (other blockers are other fixes' business);
    // until then retry: security group changes are eventually consistent.
    const rc = await recheckUntil(collect, fix.question, (a) => verificationOf(fix, a, 0, 0).blockerCleared, { now: svc.deps.now, ...svc.deps.recheck });
    const verification = verificationOf(fix, rc.answer, rc.attempts, svc.deps.now());
    next = await settle(svc, fix.id, (cur) => ({ ...cur, execution: { ...cur.execution!, verification } }));
    await svc.record('verified', next, actor, { ...verification });
    return next;
  } catch (e) {
    if (e instanceof SgwhyError && (e.code === 'FIX_STALE' || e.code === 'EXECUTION_FAILED')) throw e;
    // Anything else (AWS down while re-collecting…): never leave the fix "executing".
    const error = { code: e instanceof SgwhyError ? e.code : 'Error', message: (e as Error).message ?? String(e) };
    const next = await settle(svc, fix.id, (cur) => (cur.state === 'executing' ? { ...cur, state: 'failed', execution: { ...record, error } } : cur)).catch(() => fix);
    await svc.record('failed', next, actor, error).catch(() => undefined);
    throw e instanceof SgwhyError ? e : new SgwhyError('EXECUTION_FAILED', `${fix.label}: ${error.message}`, { cause: e });
  }
}

export async function revertFix(svc: ApprovalService, input: { id: string; actor: Actor }): Promise<RevertOutcome> {
  const { actor } = input;
  const fix = await svc.get(input.id);
  const required = await svc.authorise(fix, actor, 'revert');
  const now = svc.deps.now();
  const updated = await svc.update(input.id, (cur) => {
    if (cur.state === 'reverting' || cur.state === 'reverted') throw alreadyDecided(cur);
    if (cur.state !== 'applied') throw new SgwhyError('EXECUTION_REFUSED', `${cur.label} is ${cur.state}: sgwhy only reverts changes it applied.`, { details: { state: cur.state } });
    if (!cur.execution?.inverse) throw new SgwhyError('EXECUTION_REFUSED', `${cur.label} cannot be reverted automatically: ${cur.execution?.inverseRefusal ?? 'no inverse was recorded'}`);
    if (cur.revertApprovals.some((a) => a.by.userId === actor.userId)) throw new SgwhyError('ALREADY_DECIDED', `You already approved reverting ${cur.label}; it needs another approver.`);
    const revertApprovals = [...cur.revertApprovals, { by: actor, at: now }];
    if (revertApprovals.length < required) return { ...cur, revertApprovals };
    return { ...cur, revertApprovals, state: 'reverting' };
  });
  await svc.record('approved', updated, actor, { action: 'revert', approvals: updated.revertApprovals.length, required }, ApprovalService.calls(updated.execution!.inverse!));
  if (updated.state === 'applied') return { status: 'awaiting-approval', fix: updated, approvals: updated.revertApprovals, required };
  const collect = svc.deps.collect;
  const writer = svc.deps.writer;
  const inverse = updated.execution!.inverse!;
  let record: ExecutionRecord = { startedAt: now, applied: [], inverse: null, warnings: [] };
  try {
    if (!collect || !writer) throw new SgwhyError('EXECUTION_REFUSED', 'Execution is not configured: run the revert commands by hand.', { details: { commands: inverse.map((c) => c.command) } });
    for (const c of inverse) assertAllowedCall(c);
    const fresh = await collect(updated.question);
    try {
      applyApiCalls(fresh, inverse);
    } catch (e) {
      const reason = `the configuration changed since ${updated.label} was applied: ${(e as Error).message}`;
      const back = await svc.update(updated.id, (cur) => ({ ...cur, state: 'applied', revertApprovals: [] }));
      await svc.record('refused', back, actor, { action: 'revert', code: 'FIX_STALE', reason });
      throw new SgwhyError('FIX_STALE', `Not reverted: ${reason}`, { details: { reason } });
    }
    const run = await runSteps(inverse, { writer, targetFor: (a, r) => ({ ...svc.targetFor(a, r), asker: `${actor.userId}@${actor.teamId}` }), before: fresh, inverses: false });
    record = { ...record, applied: run.applied, warnings: run.warnings, finishedAt: svc.deps.now(), ...(run.error ? { error: run.error } : {}) };
    if (run.error) {
      const next = await svc.update(updated.id, (cur) => ({ ...cur, state: 'revert-failed', revert: { ...record, by: actor } }));
      await svc.record('failed', next, actor, { action: 'revert', ...run.error }, ApprovalService.calls(run.applied));
      throw new SgwhyError('EXECUTION_FAILED', `Reverting ${updated.label} failed: ${run.error.code}: ${run.error.message}`, { details: { error: run.error, applied: run.applied } });
    }
    let next = await svc.update(updated.id, (cur) => ({ ...cur, state: 'reverted', revert: { ...record, by: actor } }));
    await svc.record('reverted', next, actor, { warnings: run.warnings }, ApprovalService.calls(run.applied));
    const rc = await recheckUntil(collect, updated.question, (a) => a.verdict !== 'reachable', { now: svc.deps.now, ...svc.deps.recheck });
    const verification = { ...verificationOf(updated, rc.answer, rc.attempts, svc.deps.now()), blockerCleared: false };
    next = await svc.update(updated.id, (cur) => ({ ...cur, revert: { ...cur.revert!, verification } }));
    await svc.record('verified', next, actor, { action: 'revert', ...verification });
    return { status: 'reverted', fix: next };
  } catch (e) {
    if (e instanceof SgwhyError && (e.code === 'FIX_STALE' || e.code === 'EXECUTION_FAILED')) throw e;
    const error = { code: e instanceof SgwhyError ? e.code : 'Error', message: (e as Error).message ?? String(e) };
    await svc.update(updated.id, (cur) => (cur.state === 'reverting' ? { ...cur, state: 'applied', revertApprovals: [], revert: { ...record, error, by: actor } } : cur)).catch(() => undefined);
    await svc.record('failed', updated, actor, { action: 'revert', ...error }).catch(() => undefined);
    throw e instanceof SgwhyError ? e : new SgwhyError('EXECUTION_FAILED', `Reverting ${updated.label}: ${error.message}`, { cause: e });
  }
}
