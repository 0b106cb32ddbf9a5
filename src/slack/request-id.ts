/** A short id per request, shown to users with every error and on every log line. */
import { randomBytes } from 'node:crypto';

export const newRequestId = () => `r${randomBytes(5).toString('hex')}`;
