/**
 * `sgwhy serve`: start the bot, and stop it cleanly. Stopping (SIGTERM): readiness fails at once,
 * no new work is taken, answers in flight finish (bounded by the grace period), locks are
 * released and connections closed.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '@slack/bolt';
import { createSlackApp } from './app.js';
import { jsonLog, type JsonLog } from './logger.js';
import { InlineRunner, WorkerRunner, workerAvailable, type Runner } from './runner.js';
import { secretsOf, type BotSettings } from './settings.js';
import { wire } from './wiring.js';

export interface BotHandle {
  app: App;
  /** The HTTP port (the health port in Socket Mode). */
  port: number;
  runner: Runner;
  stop(): Promise<void>;
}

export async function startBot(settings: BotSettings, opts: { log?: JsonLog } = {}): Promise<BotHandle> {
  const log = opts.log ?? jsonLog({ level: settings.logLevel, secrets: secretsOf(settings) });
  const useWorker = settings.worker ?? workerAvailable();
  const runner: Runner = useWorker ? await WorkerRunner.start(settings, log.event) : new InlineRunner(await wire(settings, log.event), log.event);
  let stopping = false;
  const { app, socket } = createSlackApp({ settings, runner, log: log.event, logger: log.bolt, isStopping: () => stopping });
  const started = (await app.start(settings.port)) as unknown;
  const server = socket ? (socket as unknown as { httpServer?: Server }).httpServer : (started as Server);
  if (server && !server.listening) await new Promise((r) => server.once('listening', r));
  const addr = server?.address() as AddressInfo | null | undefined;
  const port = addr?.port ?? settings.port;
  log.event('started', { mode: settings.mode, port, worker: useWorker, redis: settings.redisUrl ? 'configured' : 'memory', source: settings.snapshotDir ? 'snapshot' : 'live' });

  let stopped: Promise<void> | undefined;
  return {
    app, port, runner,
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
