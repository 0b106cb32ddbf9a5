/**
 * The JSON contract: the Answer as is, pretty-printed; and errors as data. Characters a terminal
 * could act on even inside a JSON string (C1 controls, bidirectional and invisible format
 * characters; JSON.stringify already escapes C0) are written as \u escapes: the same JSON value,
 * safe to `cat`.
 */
import type { Answer } from '../answer/types.js';

const TERMINAL_ACTIVE = /[\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/** JSON text with terminal-active characters \u-escaped (the parsed value is unchanged). */
export function safeJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2).replace(TERMINAL_ACTIVE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}

export function renderJson(answer: Answer): string {
  return safeJson(answer);
}

/** An error under --format json: `{"error": {"code", "message", "hints", "file"}}` (file: the file it concerns, when one does). */
export interface JsonError {
  code: string;
  message: string;
  hints: string[];
  file?: string;
}

export function renderJsonError(error: JsonError): string {
  return safeJson({ error: { code: error.code, message: error.message, hints: [...error.hints], ...(error.file !== undefined ? { file: error.file } : {}) } });
}
