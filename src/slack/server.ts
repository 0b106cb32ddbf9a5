/**
 * `sgwhy serve`: start the bot, and stop it cleanly. Stopping (SIGTERM): readiness fails at once,
 * no new work is taken, answers in flight finish (bounded by the grace period), locks are
 * released and connections closed.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '@slack/bolt';
import { LogLevel, WebClient } from '@slack/web-api';
import { slackErrorCode } from '../bot/poster.js';
import { SgwhyError } from '../errors/errors.js';
import { createSlackApp } from './app.js';
import { jsonLog, type JsonLog } from './logger.js';
import { InlineRunner, WorkerRunner, workerAvailable, type Runner } from './runner.js';
import { secretsOf, type BotSettings } from './settings.js';
import { wire, type BotIdentity } from './wiring.js';

export type Identity = BotIdentity;

/** auth.test once at start-up: the token is checked before anything is served, and Bolt needs no auth.test per request. */
async function whoAmI(settings: BotSettings): Promise<Identity> {
  const client = new WebClient(settings.botToken, { ...(settings.slackApiUrl ? { slackApiUrl: settings.slackApiUrl } : {}), logLevel: LogLevel.ERROR, retryConfig: { retries: 2 }, timeout: 10_000 });
  try {
    const r = await client.auth.test();
    if (typeof r.bot_id !== 'string' || typeof r.user_id !== 'string' || typeof r.team_id !== 'string') throw new Error('auth.test returned no bot identity');
    return { botId: r.bot_id, botUserId: r.user_id, teamId: r.team_id };
  } catch (e) {
    const code = slackErrorCode(e);
    throw new SgwhyError('CONFIG_INVALID', code
      ? `Slack refused SLACK_BOT_TOKEN (auth.test: ${code}).`
      : `Cannot reach Slack to check SLACK_BOT_TOKEN (auth.test: ${e instanceof Error ? e.message : String(e)}).`, {
      hints: ['Use the Bot User OAuth Token (xoxb-…) from the app\'s "OAuth & Permissions" page, after installing the app to the workspace.'],
    });
  }
}

export interface BotHandle {
  app: App;
  identity: Identity;
  /** The HTTP port (the health port in Socket Mode). */
  port: number;
  runner: Runner;
  stop(): Promise<void>;
}

export async function startBot(settings: BotSettings, opts: { log?: JsonLog } = {}): Promise<BotHandle> {
  const log = opts.log ?? jsonLog({ level: settings.logLevel, secrets: secretsOf(settings) });
  const identity = await whoAmI(settings);
  const useWorker = settings.worker ?? workerAvailable();
  // A worker that dies leaves nobody answering: exit (70) so the process is restarted.
  const runner: Runner = useWorker
    ? await WorkerRunner.start(settings, identity, log.event, () => process.exit(70))
    : new InlineRunner(await wire(settings, log.event, identity), log.event);
  let stopping = false;
  const { app, socket } = createSlackApp({ settings, runner, log: log.event, logger: log.bolt, isStopping: () => stopping, identity });
  const started = (await app.start(settings.port)) as unknown;
  const server = socket ? (socket as unknown as { httpServer?: Server }).httpServer : (started as Server);
  if (server && !server.listening) await new Promise((r) => server.once('listening', r));
  const addr = server?.address() as AddressInfo | null | undefined;
  const port = addr?.port ?? settings.port;
  log.event('started', { mode: settings.mode, port, team: identity.teamId, botUserId: identity.botUserId, worker: useWorker, redis: settings.redisUrl ? 'configured' : 'memory', source: settings.snapshotDir ? 'snapshot' : 'live' });

  let stopped: Promise<void> | undefined;
  return {
    app, port, runner, identity,
    stop() {
      stopped ??= (async () => {
        stopping = true;
        log.event('stopping', { graceMs: settings.shutdownGraceMs });
        await app.stop().catch((e) => log.event('stop_failed', { error: (e as Error).message }));
        const unfinished = await runner.drain(settings.shutdownGraceMs);
        await runner.close();
        log.event('stopped', { unfinished });
      })();
      return stopped;
    },
  };
}
