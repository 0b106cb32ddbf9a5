/** Classifies errors thrown by SDK calls (after the SDK's own retries) into gap reasons. Pure. */
import { isSgwhyError } from '../errors/errors.js';
import type { GapReason } from './gaps.js';

export const ACCESS_DENIED_CODES = [
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnauthorizedAccess',
  'UnrecognizedClientException',
  'AuthFailure',
  'InvalidClientTokenId',
  'ExpiredToken',
  'ExpiredTokenException',
];

export const THROTTLING_CODES = [
  'Throttling',
  'ThrottlingException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'EC2ThrottledException',
  'ThrottledException',
  'LimitExceededException',
];

const TIMEOUT_CODES = ['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'ETIMEDOUT', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'];

export interface ClassifiedError {
  reason: GapReason;
  code: string;
  message: string;
}

/** The AWS error code of an SDK error (its name), or a Node.js network code. */
export function awsErrorCode(e: unknown): string {
  if (typeof e !== 'object' || e === null) return 'Error';
  const o = e as { name?: unknown; code?: unknown; Code?: unknown };
  if (typeof o.Code === 'string') return o.Code;
  if (typeof o.code === 'string' && /^E[A-Z]+$/.test(o.code)) return o.code;
  if (typeof o.name === 'string' && o.name !== 'Error') return o.name;
  if (typeof o.code === 'string') return o.code;
  return 'Error';
}

export function classifyAwsError(e: unknown): ClassifiedError {
  if (isSgwhyError(e)) {
    return { reason: e.code === 'AWS_ASSUME_ROLE_FAILED' ? 'assume-role-failed' : 'error', code: e.code, message: e.message };
  }
  const code = awsErrorCode(e);
  const message = e instanceof Error ? e.message || code : String(e);
  if (ACCESS_DENIED_CODES.includes(code)) return { reason: 'access-denied', code, message };
  if (THROTTLING_CODES.includes(code) || (e as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode === 429) {
    return { reason: 'throttled', code, message };
  }
  if (TIMEOUT_CODES.includes(code) || (e instanceof Error && /timed? ?out/i.test(e.message))) return { reason: 'timeout', code, message };
  return { reason: 'error', code, message };
}
