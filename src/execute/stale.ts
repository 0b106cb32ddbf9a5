/**
 * Stale plans. A fix is planned on data that may be minutes or hours old when someone approves it.
 * Before applying, sgwhy re-collects and compares: the objects the fix changes (their
 * fingerprints), whether AWS would still accept the exact calls (simulated on the fresh data: the
 * rule now exists, the NACL rule number is taken…), and whether the engine, asked again, still
 * proposes exactly this change. Anything else is refused with the reason and the re-planned fix.
 */
import { createHash } from 'node:crypto';
import type { Answer, Fix } from '../answer/types.js';
import { ask } from '../engine/ask.js';
import { isSgwhyError } from '../errors/errors.js';
import { findObjects, touchedBy } from '../fix/inverse.js';
import { applyApiCalls, SIMULATED_OPERATIONS, type ApiCall } from '../fix/simulate.js';
import { buildModel } from '../model/build.js';
import type { RawDoc } from '../model/raw.js';
import type { Question } from '../question/types.js';

type Obj = Record<string, unknown>;

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Obj)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

const BY_PREFIX: ReadonlyArray<[string, string, string]> = [
  ['tgw-rtb-', 'TransitGatewayRouteTables', 'TransitGatewayRouteTableId'],
  ['tgw-attach-', 'TransitGatewayVpcAttachments', 'TransitGatewayAttachmentId'],
  ['sg-', 'SecurityGroups', 'GroupId'],
  ['eni-', 'NetworkInterfaces', 'NetworkInterfaceId'],
  ['acl-', 'NetworkAcls', 'NetworkAclId'],
  ['rtb-', 'RouteTables', 'RouteTableId'],
  ['pcx-', 'VpcPeeringConnections', 'VpcPeeringConnectionId'],
];

function fingerprintOf(docs: readonly RawDoc[], key: string, idField: string, id: string): string {
  const objs = findObjects(docs, key, idField, id);
  if (key === 'TransitGatewayRouteTables') objs.push(...findObjects(docs, 'TransitGatewayStaticRoutes', idField, id));
  return objs.length ? createHash('sha256').update(canonical(objs)).digest('hex').slice(0, 32) : 'absent';
}

/**
 * A fingerprint per object: those the calls change, plus `related` ids (the interface and groups
 * of the blocker…). "absent" when the data does not hold it. Step references are skipped.
 */
export function fingerprints(calls: readonly ApiCall[], docs: readonly RawDoc[], related: readonly string[] = []): Record<string, string> {
  const ids = new Set<string>();
  for (const c of calls) for (const t of touchedBy(c)) if (t.id && !t.id.startsWith('${')) ids.add(t.id);
  for (const id of related) ids.add(id);
  return fingerprintIds([...ids], docs);
}

/** Fingerprints of objects named by id (the kind from the id's prefix); unknown kinds are skipped. */
export function fingerprintIds(ids: readonly string[], docs: readonly RawDoc[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const id of ids) {
    const kind = BY_PREFIX.find(([p]) => id.startsWith(p));
    if (kind) out[id] = fingerprintOf(docs, kind[1], kind[2], id);
  }
  return out;
}

/** The steps of a fix (a single-call fix is a list of one). Works with and without Fix.steps. */
export function stepsOfFix(fix: Fix): Array<ApiCall & { accountId?: string; region?: string; cli: string; title?: string; output?: { name: string; field: string } }> {
  const steps = (fix as Fix & { steps?: Array<ApiCall & { accountId?: string; region?: string; cli: string; title?: string; output?: { name: string; field: string } }> }).steps;
  if (Array.isArray(steps) && steps.length > 0) return steps.map((s) => ({ ...s }));
  return [{ operation: fix.operation, input: fix.input, cli: fix.cli, title: fix.title,
    ...(fix.accountId ? { accountId: fix.accountId } : {}), ...(fix.region ? { region: fix.region } : {}) }];
}

const sameCalls = (a: readonly ApiCall[], b: readonly ApiCall[]): boolean =>
  a.length === b.length && a.every((c, i) => c.operation === b[i]!.operation && canonical(c.input) === canonical(b[i]!.input));

export type Staleness =
  | { stale: false; answer: Answer; changed: string[] }
  | { stale: true; reason: string; answer: Answer; replanned?: Fix };

/**
 * Compares a stored fix with fresh data. `changed` lists objects whose fingerprint moved although
 * the engine re-plans exactly the same change (safe to apply: e.g. an unrelated rule was added).
 */
export function checkStale(
  stored: { steps: readonly ApiCall[]; plannedOn: Record<string, string>; blockerId: string },
  fresh: readonly RawDoc[],
  question: Question,
): Staleness {
  const answer = ask(buildModel(fresh), question);
  const now = fingerprintIds(Object.keys(stored.plannedOn), fresh);
  const changed = Object.keys(stored.plannedOn).filter((id) => now[id] !== stored.plannedOn[id]);
  const replanned = answer.fixes.find((f) => sameCalls(stepsOfFix(f), stored.steps));
  const other = answer.fixes.find((f) => f.blockerId === stored.blockerId) ?? answer.fixes[0];
  const withOther = (r: string): Staleness => ({ stale: true, reason: r, answer, ...(other ? { replanned: other } : {}) });
  if (answer.verdict === 'reachable') return { stale: true, reason: 'The path is already reachable on fresh data: nothing to change.', answer };
  const missing = changed.filter((id) => now[id] === 'absent');
  if (missing.length) return withOther(`${missing.join(', ')} no longer exist${missing.length === 1 ? 's' : ''} (or is not visible).`);
  try {
    // Steps that use an earlier step's output, or that the simulator cannot model (creating a group), are checked by DryRun instead.
    applyApiCalls(fresh, stored.steps.filter((s) => SIMULATED_OPERATIONS.includes(s.operation) && !JSON.stringify(s.input).includes('${')));
  } catch (e) {
    const msg = isSgwhyError(e) ? e.message : String(e);
    return withOther(`AWS would now refuse the change: ${msg}`);
  }
  if (!replanned) {
    const why = changed.length ? `${changed.join(', ')} changed since the fix was planned` : 'the blockers changed since the fix was planned';
    return withOther(`${why}, and the engine now proposes a different change${other ? ` (${other.title})` : ''}.`);
  }
  return { stale: false, answer, changed };
}
