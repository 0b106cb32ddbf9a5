/**
 * "After F1 and F2: reachable": the proposed fixes applied to the collected data with the fix
 * simulator, and the question asked again, so approvers see evidence before anything changes.
 * Pure (no SDK, no I/O, no clock).
 */
import type { Fix, Verdict } from '../answer/types.js';
import { ask } from '../engine/ask.js';
import { isSgwhyError } from '../errors/errors.js';
import { applyApiCalls } from '../fix/simulate.js';
import { buildModel } from '../model/build.js';
import type { RawDoc } from '../model/raw.js';
import type { Question } from '../question/types.js';
import { stepsOfFix } from '../execute/stale.js';

export interface SimulationResult {
  /** The fixes applied, in order (their labels: F1, F2…). */
  fixIds: string[];
  verdict: Verdict;
  summary: string;
  /** Blockers still there after the fixes. */
  remaining: string[];
  /** A fix the simulator could not apply (AWS would refuse it, or the data lacks the object). */
  error?: { fixId: string; message: string };
  /** One line for people: "After F1 and F2: reachable." */
  text: string;
}

const list = (ids: string[]): string => (ids.length <= 1 ? ids.join('') : `${ids.slice(0, -1).join(', ')} and ${ids[ids.length - 1]}`);

/** Applies the chosen fixes (all when `fixIds` is absent) to the docs and re-asks. */
export function simulateFixes(docs: readonly RawDoc[], question: Question, fixes: readonly Fix[], fixIds?: readonly string[]): SimulationResult {
  const chosen = fixIds ? fixes.filter((f) => fixIds.includes(f.id)) : [...fixes];
  const ids = chosen.map((f) => f.id);
  let state = [...docs];
  for (const f of chosen) {
    try {
      state = applyApiCalls(state, stepsOfFix(f).filter((s) => !JSON.stringify(s.input).includes('${')));
    } catch (e) {
      const message = isSgwhyError(e) ? e.message : String(e);
      return { fixIds: ids, verdict: 'unknown', summary: message, remaining: [], error: { fixId: f.id, message }, text: `${f.id} cannot be simulated: ${message}` };
    }
  }
  const a = ask(buildModel(state), question);
  const remaining = a.blockers.map((b) => `${b.layer} ${b.resourceId}`);
  const text = `After ${list(ids) || 'no fix'}: ${a.verdict}${a.verdict === 'blocked' ? ` (still blocked by ${remaining.join('; ')})` : ''}.`;
  return { fixIds: ids, verdict: a.verdict, summary: a.summary, remaining, text };
}
