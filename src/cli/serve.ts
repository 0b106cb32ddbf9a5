/**
 * `sgwhy serve [--snapshot DIR] [--port N]`: the Slack bot. Settings come from the environment
 * (src/slack/settings.ts); every problem is reported at once (exit 64). SIGTERM and SIGINT stop
 * it cleanly: no new work, answers in flight finish (bounded), locks released.
 */
import { parseArgs } from 'node:util';
import { SgwhyError } from '../errors/errors.js';
import type { Io } from './io.js';

export async function runServe(argv: string[], io: Io, env: Readonly<Record<string, string | undefined>> = process.env): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { snapshot: { type: 'string' }, port: { type: 'string' } }, allowPositionals: false });
  let port: number | undefined;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!/^\d{1,5}$/.test(values.port) || port > 65535) throw new SgwhyError('BAD_USAGE', `--port must be a port number (got "${values.port.slice(0, 20)}")`);
  }
  // Loaded only here: Bolt and the Web API client are not needed by the other commands.
  const { readBotSettings } = await import('../slack/settings.js');
  const { startBot } = await import('../slack/server.js');
  const settings = readBotSettings(env, { ...(values.snapshot ? { snapshot: values.snapshot } : {}), ...(port !== undefined ? { port } : {}) });
  const bot = await startBot(settings);
  io.err(`sgwhy serve: ${settings.mode === 'socket' ? 'Socket Mode' : 'HTTP'} on port ${bot.port}${settings.mode === 'http' ? ' (Slack request URL: /slack/events)' : ' (health only)'}\n`);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      io.err(`sgwhy serve: ${signal}, finishing answers in flight…\n`);
      void bot.stop().then(resolve);
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  return 0;
}
