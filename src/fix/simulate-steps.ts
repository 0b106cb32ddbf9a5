/**
 * Applies a whole fix (its steps, in order) to a snapshot. A step that creates an object names
 * the response field later steps need (`output`); the string "${NAME}" anywhere in a later
 * step's input stands for it, exactly as the printed script's shell variable does.
 * Pure: no SDK, no I/O, no clock.
 */
import { SgwhyError } from '../errors/errors.js';
import type { RawDoc } from '../model/raw.js';
import { applyApiCall, type ApiCall, type SimulateOptions } from './simulate.js';
import { createInternetGateway, createSecurityGroup, createVpcPeeringConnection, type CreateResult } from './simulate-create.js';
import { stepReference } from './shell.js';

export interface StepCall extends ApiCall {
  output?: { name: string; field: string };
}

const CREATES: Readonly<Record<string, (docs: readonly RawDoc[], input: Record<string, unknown>) => CreateResult>> = {
  CreateSecurityGroup: createSecurityGroup,
  CreateVpcPeeringConnection: createVpcPeeringConnection,
  CreateInternetGateway: createInternetGateway,
};

/** The operations a fix step can use: every one applyApiCall simulates, plus the creating ones. */
export const STEP_OPERATIONS: readonly string[] = Object.freeze(Object.keys(CREATES));

function substitute(v: unknown, vars: ReadonlyMap<string, string>): unknown {
  if (typeof v === 'string') {
    const ref = stepReference(v);
    if (ref === undefined) return v;
    const value = vars.get(ref);
    if (value === undefined) throw new SgwhyError('BAD_USAGE', `fix step uses \${${ref}}, which no earlier step sets.`);
    return value;
  }
  if (Array.isArray(v)) return v.map((x) => substitute(x, vars));
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, substitute(x, vars)]));
  return v;
}

function field(response: Record<string, unknown>, path: string): string {
  let cur: unknown = response;
  for (const k of path.split('.')) cur = typeof cur === 'object' && cur !== null ? (cur as Record<string, unknown>)[k] : undefined;
  if (typeof cur !== 'string') throw new SgwhyError('BAD_USAGE', `the response has no ${path}.`);
  return cur;
}

/** Applies the steps in order; the first failure throws (SgwhyError, as applyApiCall). */
export function applyFixSteps(docs: readonly RawDoc[], steps: readonly StepCall[], options: SimulateOptions = {}): RawDoc[] {
  const vars = new Map<string, string>();
  let out: RawDoc[] = [...docs];
  for (const step of steps) {
    const input = substitute(step.input, vars) as Record<string, unknown>;
    const create = Object.hasOwn(CREATES, step.operation) ? CREATES[step.operation] : undefined;
    if (create) {
      const r = create(out, input);
      out = r.docs;
      if (step.output) vars.set(step.output.name, field(r.response, step.output.field));
    } else {
      if (step.output) throw new SgwhyError('BAD_USAGE', `${step.operation} returns nothing sgwhy can pass to a later step.`);
      out = applyApiCall(out, { operation: step.operation, input }, options);
    }
  }
  return out;
}
