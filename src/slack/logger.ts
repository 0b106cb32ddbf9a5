/**
 * Structured logs: one JSON object per line on stdout, for the bot's events and for Bolt's own
 * messages. Secrets never reach them: values that look like Slack tokens or signing secrets are
 * redacted wherever they appear.
 */
import { LogLevel, type Logger } from '@slack/bolt';
import type { EventLog } from '../bot/deps.js';

const TOKEN = /\b(xox[abposr]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+)\b/g;
const ORDER: Record<string, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export function redact(s: string, secrets: readonly string[] = []): string {
  let out = s.replace(TOKEN, '[redacted]');
  for (const x of secrets) if (x.length >= 8) out = out.split(x).join('[redacted]');
  return out;
}

export interface JsonLog {
  event: EventLog;
  bolt: Logger;
}

export function jsonLog(opts: { level?: string; write?: (line: string) => void; secrets?: readonly string[]; now?: () => number; fields?: Record<string, unknown> } = {}): JsonLog {
  const write = opts.write ?? ((l: string) => process.stdout.write(l));
  const now = opts.now ?? Date.now;
  let level = opts.level ?? 'info';
  const enabled = (lvl: string) => (ORDER[lvl] ?? 1) >= (ORDER[level] ?? 1);
  const emit = (lvl: string, event: string, fields: Record<string, unknown>) => {
    if (!enabled(lvl)) return;
    const line = JSON.stringify({ t: new Date(now()).toISOString(), level: lvl, event, ...opts.fields, ...fields }, (_k, v) => (typeof v === 'string' ? redact(v, opts.secrets) : v));
    write(`${line}\n`);
  };
  const text = (args: unknown[]) => redact(args.map((a) => (a instanceof Error ? a.message : typeof a === 'string' ? a : JSON.stringify(a))).join(' '), opts.secrets);
  const bolt: Logger = {
    // Bolt logs at debug on every request: its arguments are formatted only when the level shows them.
    debug: (...a) => enabled('debug') && emit('debug', 'bolt', { msg: text(a) }),
    info: (...a) => enabled('info') && emit('info', 'bolt', { msg: text(a) }),
    warn: (...a) => enabled('warn') && emit('warn', 'bolt', { msg: text(a) }),
    error: (...a) => enabled('error') && emit('error', 'bolt', { msg: text(a) }),
    setLevel: (l: LogLevel) => { level = l; },
    getLevel: () => level as LogLevel,
    setName: () => {},
  };
  return {
    event: (event, fields) => emit(/failed|error|refused/.test(event) ? 'warn' : 'info', event, fields),
    bolt,
  };
}
