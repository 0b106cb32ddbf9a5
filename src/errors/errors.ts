/**
 * Typed errors with stable codes. Every error a user can cause carries a code,
 * a message written for a human, and (optionally) hints such as examples.
 * The CLI maps codes to exit statuses; the bot maps them to friendly replies.
 */
export type ErrorCode =
  | 'BAD_QUESTION' // the question could not be parsed
  | 'BAD_USAGE' // CLI flags wrong
  | 'BAD_SNAPSHOT' // a snapshot file is not valid JSON / not describe-* output
  | 'SNAPSHOT_NOT_FOUND' // the snapshot directory does not exist / has no JSON
  | 'SNAPSHOT_UNREADABLE' // a snapshot file or folder cannot be read (permissions, dangling link); details.file names it
  | 'CACHE_CORRUPT' // a cached value cannot be decoded (corrupt, truncated, wrong shape): use fresh data
  | 'ENDPOINT_NOT_FOUND' // an instance / ENI id is not in the data
  | 'AMBIGUOUS_ENDPOINT' // an address matches several interfaces (overlapping CIDRs)
  | 'INPUT_TOO_LARGE'
  | 'CONFIG_INVALID'
  | 'AWS_ACCESS_DENIED'
  | 'AWS_ASSUME_ROLE_FAILED'
  | 'AWS_ERROR'
  // approvals and execution (src/approval, src/execute)
  | 'FIX_NOT_FOUND' // an unknown (or deleted) fix id
  | 'FIX_EXPIRED' // the fix was proposed too long ago to approve
  | 'ALREADY_DECIDED' // someone else decided first (or a retried click)
  | 'NOT_AUTHORISED' // the clicker may not approve / reject / revert this fix
  | 'FIX_STALE' // the configuration changed since the fix was planned
  | 'EXECUTION_REFUSED' // not on the write allow-list, or no inverse to revert with
  | 'EXECUTION_FAILED'; // AWS rejected the change (DryRun or the real call)

export class SgwhyError extends Error {
  readonly code: ErrorCode;
  readonly hints: readonly string[];
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, opts: { hints?: readonly string[]; details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'SgwhyError';
    this.code = code;
    this.hints = opts.hints ?? [];
    this.details = opts.details;
  }
}

export const isSgwhyError = (e: unknown): e is SgwhyError => e instanceof SgwhyError;
