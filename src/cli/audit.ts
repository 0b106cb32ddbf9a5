/**
 * sgwhy audit [--since 24h|7d|<ISO time>] [--account ID] [--format text|json|jsonl]
 * Lists the approval audit trail (proposed, approved, rejected, refused, executed, failed, verified,
 * reverted) from the Redis stream the bot writes (REDIS_URL, SGWHY_REDIS_PREFIX as for the bot).
 * `--format jsonl` is the JSON Lines export: one event per line.
 */
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { RedisAuditLog, type AuditLog, type StoredAuditEvent } from '../audit/audit-log.js';
import { SgwhyError } from '../errors/errors.js';
import type { Io } from './io.js';

/** Control characters (terminal escapes) from stored data are shown, not interpreted. */
const escapeText = (s: string): string => s.replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** "24h", "30m", "7d" back from now, or an ISO 8601 time. */
export function parseSince(text: string, now: number): number {
  const rel = /^(\d{1,6})\s*([smhdw])$/.exec(text.trim());
  if (rel) return now - Number(rel[1]) * UNITS[rel[2]!]!;
  const t = /^\d{4}-\d{2}-\d{2}/.test(text.trim()) ? Date.parse(text.trim()) : NaN;
  if (Number.isNaN(t)) throw new SgwhyError('BAD_USAGE', `--since ${JSON.stringify(text)}: give a duration (30m, 24h, 7d) or a time (2026-12-01T09:00:00Z).`);
  return t;
}

export function formatEvent(e: StoredAuditEvent): string {
  const who = e.actor ? `${e.actor.userId}${e.actor.teamId ? `@${e.actor.teamId}` : ''}` : '-';
  const where = [e.accountId, e.region].filter(Boolean).join('/') || '-';
  const result = e.result ? ` ${JSON.stringify(e.result)}` : '';
  const lines = [`${new Date(e.at).toISOString()}  ${e.type.padEnd(8)}  ${e.fixLabel ?? ''} ${e.fixId}  by ${who}  in ${e.channel ?? '-'}  ${where}${result}`];
  for (const c of e.calls ?? []) lines.push(`    ${c.command}`);
  return escapeText(lines.join('\n'));
}

export interface AuditCommandDeps {
  /** Opens the log (tests pass a memory log); default: Redis from REDIS_URL. */
  open?: () => Promise<{ log: AuditLog; close: () => void }>;
  env?: Readonly<Record<string, string | undefined>>;
  now?: () => number;
}

async function openRedis(env: Readonly<Record<string, string | undefined>>): Promise<{ log: AuditLog; close: () => void }> {
  const url = env['REDIS_URL'];
  if (!url) throw new SgwhyError('CONFIG_INVALID', 'sgwhy audit reads the audit trail from Redis: set REDIS_URL (the bot\'s Redis).');
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 3000, enableOfflineQueue: false });
  redis.on('error', () => {});
  try {
    await redis.connect();
  } catch (e) {
    redis.disconnect();
    throw new SgwhyError('AWS_ERROR', `Cannot reach Redis at REDIS_URL: ${(e as Error).message}`);
  }
  return { log: new RedisAuditLog(redis, env['SGWHY_REDIS_PREFIX'] ?? 'sgwhy:'), close: () => redis.disconnect() };
}

export async function runAudit(args: string[], io: Io, deps: AuditCommandDeps = {}): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: false, strict: true,
    options: { since: { type: 'string' }, account: { type: 'string' }, format: { type: 'string', default: 'text' }, limit: { type: 'string' } },
  });
  if (positionals.length) throw new SgwhyError('BAD_USAGE', 'audit takes no arguments; e.g. sgwhy audit --since 24h --account 111122223333 --format jsonl');
  const format = values.format ?? 'text';
  if (!['text', 'json', 'jsonl'].includes(format)) throw new SgwhyError('BAD_USAGE', `--format ${format}: use text, json or jsonl`);
  if (values.account !== undefined && !/^\d{12}$/.test(values.account)) throw new SgwhyError('BAD_USAGE', `--account ${values.account}: give the 12-digit account id`);
  const limit = values.limit !== undefined ? Number(values.limit) : undefined;
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) throw new SgwhyError('BAD_USAGE', '--limit must be a positive whole number');
  const now = deps.now ?? Date.now;
  const sinceMs = values.since !== undefined ? parseSince(values.since, now()) : undefined;
  const { log, close } = await (deps.open ?? (() => openRedis(deps.env ?? process.env)))();
  try {
    const events = await log.list({ ...(sinceMs !== undefined ? { sinceMs } : {}), ...(values.account ? { accountId: values.account } : {}), ...(limit ? { limit } : {}) });
    if (format === 'json') io.out(`${JSON.stringify(events, null, 2)}\n`);
    else if (format === 'jsonl') for (const e of events) io.out(`${JSON.stringify(e)}\n`);
    else io.out(events.length ? `${events.map(formatEvent).join('\n')}\n` : 'no audit events\n');
    return 0;
  } finally {
    close();
  }
}
