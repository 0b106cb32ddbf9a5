/** A short id per request, shown to users with every error and on every log line. */
import { randomUUID } from 'node:crypto';

/** "r" and 10 random hex digits (a v4 UUID's first 40 bits: randomUUID draws from a buffered pool, not a system call per id). */
export const newRequestId = () => {
  const u = randomUUID();
  return `r${u.slice(0, 8)}${u.slice(9, 11)}`;
};
