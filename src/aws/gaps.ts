/**
 * Gaps: API calls that failed (denied, throttled past the retry budget, timed out) while the rest
 * of the collection went on. A gap names the permission to grant and the answer layers it leaves
 * undecided; `gapsToUnknowns` turns gaps into the answer's `unknowns`. Pure.
 */
import type { Answer, Layer, UnknownItem } from '../answer/types.js';
import { operationSpec, type OperationName } from './operations.js';
import type { Scope } from './target.js';

export type GapReason = 'access-denied' | 'throttled' | 'timeout' | 'assume-role-failed' | 'error';

export interface Gap {
  operation: OperationName;
  /** The IAM permission that was missing (or whose call failed), e.g. "ec2:DescribeNetworkAcls". */
  permission: string;
  accountId: string;
  region: string;
  reason: GapReason;
  /** The AWS error code (AccessDenied, UnauthorizedOperation, RequestLimitExceeded, TimeoutError…). */
  errorCode: string;
  message: string;
  /** Answer layers left undecided by this gap. */
  layers: Layer[];
}

export function makeGap(operation: OperationName, scope: Scope, reason: GapReason, errorCode: string, message: string): Gap {
  const spec = operationSpec(operation);
  const permission = reason === 'assume-role-failed' ? 'sts:AssumeRole' : spec.iamAction;
  return { operation, permission, accountId: scope.accountId, region: scope.region, reason, errorCode, message, layers: [...spec.layers] };
}

const REASON_TEXT: Record<GapReason, string> = {
  'access-denied': 'access denied',
  throttled: 'throttled (retries exhausted)',
  timeout: 'timed out (retries exhausted)',
  'assume-role-failed': 'could not assume the read-only role',
  error: 'failed',
};

/** One line per gap, for warnings and --verbose. */
export function describeGap(g: Gap): string {
  const fix = g.reason === 'access-denied' ? `; grant ${g.permission}` : g.reason === 'assume-role-failed' ? '' : '; try again';
  return `${g.operation} in ${g.accountId} ${g.region}: ${REASON_TEXT[g.reason]} (${g.errorCode})${fix}`;
}

/** Keeps one gap per (operation, account, region, reason). */
export function dedupeGaps(gaps: readonly Gap[]): Gap[] {
  const seen = new Set<string>();
  return gaps.filter((g) => {
    const k = `${g.operation}|${g.accountId}|${g.region}|${g.reason}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Answer unknowns for the gaps that leave a layer undecided (one per gap and layer). */
export function gapsToUnknowns(gaps: readonly Gap[]): UnknownItem[] {
  const out: UnknownItem[] = [];
  for (const g of dedupeGaps(gaps)) {
    for (const layer of g.layers) {
      out.push({
        layer,
        path: 'forward',
        code: 'MISSING_DATA',
        message: `${g.operation} ${REASON_TEXT[g.reason]} in account ${g.accountId} ${g.region}: ${g.message}`,
        missing: g.permission,
      });
    }
  }
  return out;
}

/**
 * The answer with the collection's gaps folded in. Every gap becomes a warning. When the verdict is
 * not `reachable`, each gap also becomes an `unknown` naming the missing permission for each layer
 * it affects (one round of fixes must not leave a hidden blocker behind a denied call). The engine
 * itself never says `reachable` over data that is absent, so a `reachable` verdict stands: the
 * denied call was not on the path. Pure (returns a new object).
 */
export function withGaps(answer: Answer, gaps: readonly Gap[]): Answer {
  if (gaps.length === 0) return answer;
  const unique = dedupeGaps(gaps);
  return {
    ...answer,
    unknowns: answer.verdict === 'reachable' ? answer.unknowns : [...answer.unknowns, ...gapsToUnknowns(unique)],
    warnings: [...answer.warnings, ...unique.map(describeGap)],
  };
}
