/**
 * Runs one collection call; if it fails (after the SDK's retries) the failure becomes a Gap and the
 * collection goes on. Internal errors (a bug, an unlisted operation) still throw.
 */
import { classifyAwsError } from './aws-errors.js';
import { makeGap, type Gap } from './gaps.js';
import type { OperationName } from './operations.js';
import type { Scope } from './target.js';
import { isSgwhyError } from '../errors/errors.js';

export async function guardedCall<T>(gaps: Gap[], operation: OperationName, scope: Scope, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (e) {
    if (isSgwhyError(e) && e.code !== 'AWS_ASSUME_ROLE_FAILED') throw e;
    const c = classifyAwsError(e);
    gaps.push(makeGap(operation, scope, c.reason, c.code, c.message));
    return undefined;
  }
}
