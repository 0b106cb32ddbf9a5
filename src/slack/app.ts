/**
 * The Slack app: Bolt over HTTP (every request's signature and timestamp verified) or Socket
 * Mode, health routes, and one thin listener per file. Listeners ack and dispatch; the Runner
 * answers (src/slack/runner.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, SocketModeReceiver, type Logger } from '@slack/bolt';
import type { EventLog } from '../bot/deps.js';
import { registerActions } from './listeners/actions.js';
import { registerCommand } from './listeners/command.js';
import { registerDirectMessage } from './listeners/direct-message.js';
import { registerMention } from './listeners/mention.js';
import type { Runner } from './runner.js';
import type { BotSettings } from './settings.js';

export interface SlackAppOptions {
  settings: BotSettings;
  runner: Runner;
  log: EventLog;
  logger: Logger;
  /** While shutting down, readiness fails so load balancers stop sending work. */
  isStopping?: () => boolean;
  /** From auth.test at start-up: Bolt then never calls auth.test on the path that acks. */
  identity?: { botId: string; botUserId: string };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

export function healthRoutes(runner: Runner, isStopping: () => boolean) {
  return [
    { path: '/healthz', method: ['GET'], handler: (_req: IncomingMessage, res: ServerResponse) => json(res, 200, { status: 'ok' }) },
    {
      path: '/readyz',
      method: ['GET'],
      handler: (_req: IncomingMessage, res: ServerResponse) => {
        if (isStopping()) return json(res, 503, { status: 'stopping' });
        void runner.ready().then(
          (r) => json(res, r.ok ? 200 : 503, { status: !r.ok ? 'not-ready' : r.redis === 'degraded' ? 'degraded' : 'ready', redis: r.redis, source: r.source, ...(r.detail ? { detail: r.detail } : {}) }),
          () => json(res, 503, { status: 'not-ready' }),
        );
      },
    },
  ];
}

/** Every listener the app registers (the manifest test records them through this one function). */
export function registerListeners(app: App, runner: Runner): void {
  registerCommand(app, runner);
  registerMention(app, runner);
  registerDirectMessage(app, runner);
  registerActions(app, runner);
}

export interface SlackApp {
  app: App;
  /** Socket Mode: the receiver (its httpServer serves the health routes). */
  socket?: SocketModeReceiver;
}

export function createSlackApp(opts: SlackAppOptions): SlackApp {
  const s = opts.settings;
  const customRoutes = healthRoutes(opts.runner, opts.isStopping ?? (() => false));
  const clientOptions = s.slackApiUrl ? { slackApiUrl: s.slackApiUrl } : {};
  // Socket Mode: the receiver opens the WebSocket through apps.connections.open (at SLACK_API_URL
  // when set) and serves the health routes on PORT.
  const socket = s.mode === 'socket'
    ? new SocketModeReceiver({ appToken: s.appToken!, customRoutes, installerOptions: { port: s.port, clientOptions }, logger: opts.logger })
    : undefined;
  // convoStore: false — Bolt's conversation store would read and write per event; the bot keeps
  // its own thread state (src/bot/thread-state.ts).
  const who = { convoStore: false as const, ...(opts.identity ? { botId: opts.identity.botId, botUserId: opts.identity.botUserId } : {}) };
  const app = socket
    ? new App({ token: s.botToken, ...who, receiver: socket, logger: opts.logger, clientOptions, tokenVerificationEnabled: false })
    : new App({ token: s.botToken, ...who, signingSecret: s.signingSecret!, customRoutes, logger: opts.logger, clientOptions, tokenVerificationEnabled: false });
  app.error(async (e) => opts.log('bolt_error', { error: e.message, code: (e as { code?: string }).code }));
  registerListeners(app, opts.runner);
  return { app, ...(socket ? { socket } : {}) };
}
