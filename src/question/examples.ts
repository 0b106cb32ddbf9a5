/** Example questions for hints, and the BAD_QUESTION error that carries them. */
import { SgwhyError } from '../errors/errors.js';

const DEFAULT_SRC = '10.0.2.100';
const DEFAULT_DST = '10.0.1.50';

/** Three short example questions, using the user's own endpoints when we have them. */
export function exampleQuestions(src: string = DEFAULT_SRC, dst: string = DEFAULT_DST): string[] {
  const withPort = (a: string, p: number): string => (a.includes(':') ? `[${a}]:${p}` : `${a}:${p}`);
  return [`why can't ${src} reach ${withPort(dst, 443)}`, `ssh from ${src} to ${dst}`, `${src} -> ${withPort(dst, 53)}/udp`];
}

export const bad = (message: string, hints: readonly string[] = exampleQuestions()): SgwhyError =>
  new SgwhyError('BAD_QUESTION', message, { hints });

export const shorten = (s: string): string => (s.length > 40 ? `${s.slice(0, 40)}…` : s);
