/**
 * The bot's settings, read from the environment once at start-up and validated as a whole: one
 * error names every missing or invalid variable (exit 64). Secrets are kept out of messages.
 *
 *   SLACK_BOT_TOKEN        xoxb-…  (required)
 *   SLACK_SIGNING_SECRET   HTTP mode (required unless SLACK_APP_TOKEN is set)
 *   SLACK_APP_TOKEN        xapp-…  Socket Mode: no public URL needed
 *   PORT                   HTTP port; in Socket Mode the health port (default 3000)
 *   SLACK_API_URL          Web API base URL (tests, Slack-compatible gateways)
 *   REDIS_URL              redis://… shared state for replicas (default: in memory)
 *   SGWHY_REDIS_PREFIX     key prefix (default sgwhy:)
 *   SGWHY_CONFIG           account config (live mode); SGWHY_SNAPSHOT or --snapshot DIR: answer from a snapshot
 *   SGWHY_CACHE_TTL_SECONDS collected data cache (default 60)
 *   SGWHY_THREAD_TTL_DAYS  thread state (default 7)
 *   SGWHY_SHUTDOWN_GRACE_SECONDS answers in flight at SIGTERM (default 20)
 *   SGWHY_LOG_LEVEL        debug | info | warn | error (default info)
 *   SGWHY_WORKER           1: answer in a worker thread (default when built), 0: in the main thread
 */
import { SgwhyError } from '../errors/errors.js';

export interface BotSettings {
  mode: 'http' | 'socket';
  botToken: string;
  signingSecret?: string;
  appToken?: string;
  port: number;
  slackApiUrl?: string;
  redisUrl?: string;
  redisPrefix: string;
  configPath?: string;
  snapshotDir?: string;
  cacheTtlMs: number;
  threadTtlMs: number;
  shutdownGraceMs: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  worker?: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

export function readBotSettings(env: Env, flags: { snapshot?: string; port?: number } = {}): BotSettings {
  const problems: string[] = [];
  const get = (k: string) => {
    const v = env[k]?.trim();
    return v === '' ? undefined : v;
  };
  const num = (k: string, def: number, min: number, max: number): number => {
    const v = get(k);
    if (v === undefined) return def;
    const n = Number(v);
    if (!/^\d+(\.\d+)?$/.test(v) || n < min || n > max) {
      problems.push(`${k} must be a number from ${min} to ${max} (got "${v.slice(0, 20)}")`);
      return def;
    }
    return n;
  };

  const botToken = get('SLACK_BOT_TOKEN');
  if (!botToken) problems.push('SLACK_BOT_TOKEN is missing (the bot token, xoxb-…, from "OAuth & Permissions")');
  else if (!/^xoxb-[A-Za-z0-9-]+$/.test(botToken)) problems.push('SLACK_BOT_TOKEN must be a bot token starting with xoxb-');
  const appToken = get('SLACK_APP_TOKEN');
  if (appToken !== undefined && !/^xapp-[A-Za-z0-9-]+$/.test(appToken)) problems.push('SLACK_APP_TOKEN must be an app-level token starting with xapp- (with the connections:write scope)');
  const signingSecret = get('SLACK_SIGNING_SECRET');
  const mode = appToken ? 'socket' : 'http';
  if (mode === 'http' && !signingSecret) problems.push('SLACK_SIGNING_SECRET is missing (from "Basic Information"; or set SLACK_APP_TOKEN for Socket Mode)');
  else if (signingSecret !== undefined && !/^[A-Za-z0-9]{16,128}$/.test(signingSecret)) problems.push('SLACK_SIGNING_SECRET does not look like a signing secret (16-128 letters and digits)');

  const port = flags.port ?? num('PORT', 3000, 0, 65535);
  const slackApiUrl = get('SLACK_API_URL');
  if (slackApiUrl !== undefined && !/^https?:\/\/[^\s]+\/$/.test(slackApiUrl)) problems.push('SLACK_API_URL must be an http(s) URL ending in / (e.g. https://slack.com/api/)');
  const redisUrl = get('REDIS_URL');
  if (redisUrl !== undefined && !/^rediss?:\/\/[^\s]+$/.test(redisUrl)) problems.push('REDIS_URL must be a redis:// or rediss:// URL');
  const redisPrefix = get('SGWHY_REDIS_PREFIX') ?? 'sgwhy:';
  if (!/^[A-Za-z0-9:_.-]{1,64}$/.test(redisPrefix)) problems.push('SGWHY_REDIS_PREFIX may hold only letters, digits and : _ . - (at most 64)');
  const snapshotDir = flags.snapshot ?? get('SGWHY_SNAPSHOT');
  const configPath = get('SGWHY_CONFIG');
  if (snapshotDir && configPath) problems.push('Set either --snapshot/SGWHY_SNAPSHOT (answer from a snapshot) or SGWHY_CONFIG (live accounts), not both');
  const logLevel = (get('SGWHY_LOG_LEVEL') ?? 'info').toLowerCase();
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) problems.push('SGWHY_LOG_LEVEL must be debug, info, warn or error');
  const workerText = get('SGWHY_WORKER');
  if (workerText !== undefined && !['0', '1', 'true', 'false'].includes(workerText)) problems.push('SGWHY_WORKER must be 1 or 0');

  const settings: BotSettings = {
    mode, botToken: botToken ?? '', port,
    ...(signingSecret ? { signingSecret } : {}), ...(appToken ? { appToken } : {}),
    ...(slackApiUrl ? { slackApiUrl } : {}), ...(redisUrl ? { redisUrl } : {}), redisPrefix,
    ...(configPath ? { configPath } : {}), ...(snapshotDir ? { snapshotDir } : {}),
    cacheTtlMs: num('SGWHY_CACHE_TTL_SECONDS', 60, 0, 86_400) * 1000,
    threadTtlMs: num('SGWHY_THREAD_TTL_DAYS', 7, 1, 90) * 86_400_000,
    shutdownGraceMs: num('SGWHY_SHUTDOWN_GRACE_SECONDS', 20, 0, 600) * 1000,
    logLevel: logLevel as BotSettings['logLevel'],
    ...(workerText !== undefined ? { worker: workerText === '1' || workerText === 'true' } : {}),
  };
  if (problems.length) {
    throw new SgwhyError('CONFIG_INVALID', `Cannot start the Slack bot: ${problems.length} setting${problems.length === 1 ? ' is' : 's are'} missing or invalid.`, {
      hints: problems.map((p) => `- ${p}`),
    });
  }
  return settings;
}

/** The secrets, for log redaction. */
export const secretsOf = (s: BotSettings) => [s.botToken, s.signingSecret, s.appToken].filter((x): x is string => Boolean(x));
