/**
 * The Slack app: Bolt over HTTP (it verifies every request's signature and timestamp), with one
 * thin listener per file. Listeners ack, call the use case, render.
 */
import { App, LogLevel } from '@slack/bolt';
import type { Answerer } from './answerer.js';
import { registerCommand } from './listeners/command.js';
import { registerMention } from './listeners/mention.js';
import { TurnQueue } from './turn-queue.js';

export interface SlackAppOptions {
  signingSecret: string;
  botToken: string;
  answer: Answerer;
  /** Slack Web API base URL (tests and benchmarks point it at a local stand-in). */
  slackApiUrl?: string;
  logLevel?: LogLevel;
}

export function createSlackApp(opts: SlackAppOptions): App {
  const app = new App({
    signingSecret: opts.signingSecret,
    token: opts.botToken,
    tokenVerificationEnabled: false,
    logLevel: opts.logLevel ?? LogLevel.WARN,
    ...(opts.slackApiUrl ? { clientOptions: { slackApiUrl: opts.slackApiUrl } } : {}),
  });
  const queue = new TurnQueue((e) => app.logger.error('answering failed', e));
  registerCommand(app, opts.answer, queue);
  registerMention(app, opts.answer, queue);
  return app;
}
