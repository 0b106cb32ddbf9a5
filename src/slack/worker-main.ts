/**
 * The answering worker thread: it wires its own stores, answer source and Web API client from
 * the settings it is given, then runs the jobs the main thread forwards (see runner.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isSgwhyError } from '../errors/errors.js';
import { jsonLog } from './logger.js';
import { InlineRunner } from './runner.js';
import { secretsOf, type BotSettings } from './settings.js';
import { wire, type BotIdentity } from './wiring.js';

const port = parentPort;
if (!port) throw new Error('worker-main.ts runs as a worker thread');
const { settings, identity } = workerData as { settings: BotSettings; identity: BotIdentity };
const log = jsonLog({ level: settings.logLevel, secrets: secretsOf(settings), fields: { thread: 'worker' } });

try {
  const wired = await wire(settings, log.event, identity);
  const runner = new InlineRunner(wired, log.event);
  port.on('message', (m: { type: string; id?: number; job?: never; timeoutMs?: number }) => {
    if (m.type === 'job' && m.job) runner.dispatch(m.job);
    else if (m.type === 'ready') void runner.ready().then((readiness) => port.postMessage({ type: 'ready', id: m.id, readiness }));
    else if (m.type === 'drain') void runner.drain(m.timeoutMs ?? 0).then((unfinished) => port.postMessage({ type: 'drained', id: m.id, unfinished }));
    else if (m.type === 'close') void runner.close().finally(() => port.postMessage({ type: 'closed' }));
  });
  port.postMessage({ type: 'started' });
} catch (e) {
  port.postMessage({ type: 'start-failed', message: e instanceof Error ? e.message : String(e), ...(isSgwhyError(e) ? { code: e.code, hints: [...e.hints] } : {}) });
}
