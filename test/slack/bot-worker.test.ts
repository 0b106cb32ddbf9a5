/**
 * As deployed: the compiled bot (dist/, built by `npm test` before the tests run) answering in its
 * worker thread, from a generated account; a long trace goes to the thread as a file upload.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate, SIZES } from '../../src/bench/generate.js';
import { writeSnapshotFolder } from '../../src/bench/serve-process.js';
import { blockActionsBody, postToApp, slashCommandBody, startFakeSlackApi, type FakeSlackApi } from '../../src/bench/slack-harness.js';
import { ask } from '../../src/engine/ask.js';
import { buildModel } from '../../src/model/build.js';
import { parseQuestion } from '../../src/question/parse.js';
import { LIMITS } from '../../src/render/slack-blocks.js';
import { renderText } from '../../src/render/text.js';
import type { BotHandle } from '../../src/slack/server.js';
import { BOT, SECRET, settings } from './support.js';

const DIST = join(import.meta.dirname, '..', '..', 'dist', 'slack', 'server.js');
let api: FakeSlackApi;
let bot: BotHandle;
let dir: string;
let question = '';

beforeAll(async () => {
  const g = generate(SIZES.small!);
  const model = buildModel(g.docs);
  // The question with the longest full trace in this account.
  let longest = 0;
  for (let i = 0; i < 150; i++) {
    const q = `${g.addresses[(i * 7919) % g.addresses.length]![0]} -> ${g.addresses[(i * 104729 + 13) % g.addresses.length]![0]}:443`;
    try {
      const n = renderText(ask(model, parseQuestion(q)), { hops: true }).length;
      if (n > longest) [longest, question] = [n, q];
    } catch {
      /* same address twice, etc. */
    }
  }
  expect(longest).toBeGreaterThan(LIMITS.preformatted);
  dir = mkdtempSync(join(tmpdir(), 'sgwhy-bot-worker-'));
  writeSnapshotFolder(dir, g.docs);
  api = await startFakeSlackApi({ botToken: BOT });
  const { startBot } = (await import(DIST)) as typeof import('../../src/slack/server.js');
  bot = await startBot(settings({ slackApiUrl: api.url, snapshotDir: dir, worker: true }));
}, 60_000);
afterAll(async () => {
  await bot?.stop();
  await api?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the compiled bot, answering in a worker thread', () => {
  it('answers, and uploads a trace too long for a message as a file in the thread', async () => {
    const url = `http://127.0.0.1:${bot.port}/slack/events`;
    const r = await postToApp(url, { secret: SECRET, contentType: 'application/x-www-form-urlencoded', body: slashCommandBody(question, 'C-WORK', 'U1') });
    expect(r.status).toBe(200);
    const upd = await api.waitFor((c) => c.method === 'chat.update' && c.body.channel === 'C-WORK' && c.ok);
    const ts = upd.body.ts as string;
    await postToApp(url, { secret: SECRET, contentType: 'application/x-www-form-urlencoded', body: blockActionsBody({ actionId: 'sgwhy_trace', value: 'trace', channel: 'C-WORK', messageTs: ts, userId: 'U1' }) });
    const done = await api.waitFor((c) => c.method === 'files.completeUploadExternal' && c.ok);
    expect(done.body.thread_ts).toBe(ts);
    const files = [...api.files.values()];
    expect(files.some((f) => f.filename === 'sgwhy-trace.txt' && f.completed && (f.content?.toString('utf8').length ?? 0) > LIMITS.preformatted)).toBe(true);
    const note = api.calls.find((c) => c.method === 'chat.postMessage' && c.body.channel === 'C-WORK' && c.body.thread_ts === ts)!;
    expect(JSON.stringify(note.body.blocks)).toContain('attached as a file');
  });

  it('answers readiness from the worker', async () => {
    const r = await fetch(`http://127.0.0.1:${bot.port}/readyz`);
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ status: 'ready', redis: 'memory' });
  });
});

describe('the answering worker', () => {
  it('reports a worker that stops on its own (the process then exits to be restarted), and not one closed on purpose', async () => {
    const { WorkerRunner } = (await import(join(import.meta.dirname, '..', '..', 'dist', 'slack', 'runner.js'))) as typeof import('../../src/slack/runner.js');
    const identity = { botId: 'BBOT', botUserId: 'UBOT', teamId: 'T1' };
    const crashes: number[] = [];
    const logs: string[] = [];
    const crashing = await WorkerRunner.start(settings({ slackApiUrl: api.url }), identity, (e) => logs.push(e), (code) => crashes.push(code));
    await (crashing as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    await expect.poll(() => crashes.length).toBe(1);
    expect(logs).toContain('worker_exited');
    const closed = await WorkerRunner.start(settings({ slackApiUrl: api.url }), identity, () => {}, (code) => crashes.push(code));
    await closed.close();
    await new Promise((r) => setTimeout(r, 200));
    expect(crashes).toHaveLength(1);
  });
});
