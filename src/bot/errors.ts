/**
 * Errors as users see them: short and useful in the thread, with examples written with their
 * own addresses for a bad question; every detail goes to the logs, and the request id links the two.
 */
import { isSgwhyError } from '../errors/errors.js';
import type { ErrorView } from '../render/slack-notes.js';
import { slackErrorCode } from './poster.js';

export function errorView(e: unknown, requestId: string): ErrorView {
  if (isSgwhyError(e)) {
    switch (e.code) {
      case 'BAD_QUESTION':
      case 'INPUT_TOO_LARGE':
        return { message: e.message, examples: e.hints, requestId };
      case 'ENDPOINT_NOT_FOUND':
      case 'AMBIGUOUS_ENDPOINT':
        return { message: e.message, ...(e.hints.length ? { next: e.hints.slice(0, 5).join('\n') } : {}), requestId };
      case 'AWS_ACCESS_DENIED': // a channel refusal says nothing about what exists in accounts it may not see
      case 'AWS_ASSUME_ROLE_FAILED':
      case 'CONFIG_INVALID':
      case 'BAD_SNAPSHOT':
      case 'SNAPSHOT_NOT_FOUND':
        return { message: e.message, ...(e.hints[0] ? { next: e.hints[0] } : {}), requestId };
      default:
        return { message: e.message, requestId };
    }
  }
  const slack = slackErrorCode(e);
  if (slack) return { message: `Slack refused a message (${slack}).`, next: 'The details are in the bot\'s logs.', requestId };
  return { message: 'Something went wrong on my side; nothing was changed.', next: 'The details are in the bot\'s logs under this request id.', requestId };
}

/** Fields for the log line of an error (the stack only for unexpected ones). */
export function errorFields(e: unknown): Record<string, unknown> {
  if (isSgwhyError(e)) return { errorCode: e.code, error: e.message };
  const slack = slackErrorCode(e);
  if (slack) return { errorCode: `slack:${slack}`, error: (e as Error).message };
  return { errorCode: 'INTERNAL', error: e instanceof Error ? e.message : String(e), stack: e instanceof Error ? e.stack : undefined };
}
