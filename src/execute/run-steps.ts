/**
 * Runs the calls of a fix (or of a revert), in order: each is checked against the allow-list,
 * sent with DryRun first (EC2's own check of permissions and validity), then for real. The
 * inverse of every applied call is computed from the data taken just before the change. If a call
 * fails, the calls already applied are undone (in reverse order) so a fix never stays half-done.
 */
import { awsErrorCode } from '../aws/aws-errors.js';
import { isSgwhyError, SgwhyError } from '../errors/errors.js';
import { commandFor, inverseOf } from '../fix/inverse.js';
import type { RawDoc } from '../model/raw.js';
import type { ResolvedCall } from '../approval/types.js';
import { assertAllowedCall } from './operations.js';
import type { Ec2Writer, WriteTarget } from './writer.js';

type Obj = Record<string, unknown>;

export interface StepToRun {
  operation: string;
  input: Obj;
  accountId: string;
  region: string;
  output?: { name: string; field: string };
  /** Service as stored (anything but ec2 is refused). */
  service?: unknown;
}

export interface RunResult {
  applied: ResolvedCall[];
  /** Undo calls in the order to run them; null when some applied call has none. */
  inverse: ResolvedCall[] | null;
  inverseRefusal?: string;
  warnings: string[];
  error?: { code: string; message: string; operation?: string };
  /** After a failure: whether the calls already applied were undone. */
  rolledBack?: boolean;
}

export interface RunOptions {
  writer: Ec2Writer;
  /** The execution role for an account (throws EXECUTION_REFUSED when none is configured). */
  targetFor: (accountId: string, region: string) => WriteTarget;
  /** The data just before the change (for inverses). */
  before: readonly RawDoc[];
  /** Compute inverses (false when running a revert). */
  inverses?: boolean;
}

const REF = /^\$\{([A-Z][A-Z0-9_]{0,40})\}$/;

/** Replaces every "${NAME}" string by the value an earlier step produced; an unknown name is refused. */
export function substitute(value: unknown, vars: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') {
    const m = REF.exec(value);
    if (!m) return value;
    const v = vars.get(m[1]!);
    if (v === undefined) throw new SgwhyError('EXECUTION_REFUSED', `Refused: ${value} refers to no earlier step's output.`);
    return v;
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, vars));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, vars)]));
  return value;
}

function field(out: Obj, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (typeof o === 'object' && o !== null ? (o as Obj)[k] : undefined), out);
}

const isDryRunOk = (e: unknown): boolean => awsErrorCode(e) === 'DryRunOperation';

async function sendChecked(o: RunOptions, call: ResolvedCall, warnings: string[]): Promise<Obj> {
  const target = o.targetFor(call.accountId, call.region);
  let dryApplied: Obj | undefined;
  try {
    dryApplied = await o.writer.send(target, call.operation, { ...call.input, DryRun: true });
  } catch (e) {
    if (!isDryRunOk(e)) throw e;
  }
  if (dryApplied) {
    // Real EC2 answers DryRunOperation; an endpoint that ignores the flag has made the change.
    warnings.push(`${call.operation}: the endpoint ignored DryRun and applied the change with the DryRun request; it was not sent again.`);
    return dryApplied;
  }
  return o.writer.send(target, call.operation, call.input);
}

const errorOf = (e: unknown, operation?: string) => ({
  code: isSgwhyError(e) ? e.code : awsErrorCode(e),
  message: (e as Error)?.message ?? String(e),
  ...(operation ? { operation } : {}),
});

export async function runSteps(steps: readonly StepToRun[], o: RunOptions): Promise<RunResult> {
  const vars = new Map<string, string>();
  const applied: ResolvedCall[] = [];
  const undo: ResolvedCall[][] = [];
  const warnings: string[] = [];
  const refusals: string[] = [];
  for (const step of steps) {
    let call: ResolvedCall | undefined;
    try {
      const input = substitute(step.input, vars) as Obj;
      assertAllowedCall({ operation: step.operation, input }, { service: step.service });
      call = { operation: step.operation, input, accountId: step.accountId, region: step.region, command: commandFor({ operation: step.operation, input }, step.region) };
      const out = await sendChecked(o, call, warnings);
      applied.push(call);
      if (step.output) {
        const v = field(out, step.output.field);
        if (typeof v !== 'string' || !v) throw new SgwhyError('EXECUTION_FAILED', `${step.operation} returned no ${step.output.field}.`);
        vars.set(step.output.name, v);
      }
      if (o.inverses !== false) {
        const inv = inverseOf({ operation: call.operation, input }, o.before, out);
        if (inv.ok) undo.push(inv.calls.map((c) => ({ ...c, accountId: step.accountId, region: step.region, command: commandFor(c, step.region) })));
        else refusals.push(inv.reason);
      }
    } catch (e) {
      const error = errorOf(e, step.operation);
      let rolledBack: boolean | undefined;
      if (applied.length) {
        rolledBack = refusals.length === 0;
        for (const c of undo.reverse().flat()) {
          try {
            await o.writer.send(o.targetFor(c.accountId, c.region), c.operation, c.input);
          } catch (re) {
            rolledBack = false;
            warnings.push(`Undoing ${c.operation} failed: ${awsErrorCode(re)}: ${(re as Error).message}`);
          }
        }
      }
      return { applied, inverse: null, warnings, error, ...(rolledBack !== undefined ? { rolledBack } : {}), ...(refusals.length ? { inverseRefusal: refusals.join(' ') } : {}) };
    }
  }
  if (o.inverses === false) return { applied, inverse: null, warnings };
  if (refusals.length) return { applied, inverse: null, inverseRefusal: refusals.join(' '), warnings };
  return { applied, inverse: undo.reverse().flat(), warnings };
}
