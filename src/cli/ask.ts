/**
 * sgwhy ask "<question>" [--snapshot DIR | live] [--format text|json|slack] [--verbose] [--flow-logs]
 * From a snapshot folder, or live from the configured accounts (no --snapshot).
 */
import { parseArgs } from 'node:util';
import type { Answer } from '../answer/types.js';
import { ask } from '../engine/ask.js';
import { SgwhyError } from '../errors/errors.js';
import { buildModel } from '../model/build.js';
import { parseQuestion } from '../question/parse.js';
import { renderJson } from '../render/json.js';
import { renderSlackAnswer } from '../render/slack.js';
import { renderText } from '../render/text.js';
import { readSnapshotDir } from '../snapshot/read.js';
import { EXIT, type Io } from './io.js';
import { LIVE_OPTIONS } from './live-options.js';

export async function runAsk(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true, strict: true,
    options: {
      snapshot: { type: 'string', short: 's' },
      format: { type: 'string', short: 'f', default: 'text' },
      'skip-bad-files': { type: 'boolean', default: false },
      'no-hops': { type: 'boolean', default: false },
      verbose: { type: 'boolean', short: 'v', default: false },
      'flow-logs': { type: 'boolean', default: false },
      ...LIVE_OPTIONS,
    },
  });
  if (positionals.length === 0) throw new SgwhyError('BAD_USAGE', 'ask needs a question, e.g. sgwhy ask "why can\'t 10.0.2.100 reach 10.0.1.50:443" --snapshot DIR');
  if (values.format !== 'text' && values.format !== 'json' && values.format !== 'slack') throw new SgwhyError('BAD_USAGE', `--format must be text, json or slack, not ${values.format}`);
  const question = parseQuestion(positionals.join(' '));
  const print = (a: Answer) => io.out(values.format === 'json' ? renderJson(a) : values.format === 'slack' ? renderSlackPreview(a) : renderText(a, { color: io.color === true, hops: !values['no-hops'] }));

  if (values.snapshot) {
    if (values['flow-logs']) throw new SgwhyError('BAD_USAGE', '--flow-logs reads CloudWatch Logs: use it without --snapshot.');
    const { docs, skipped } = await readSnapshotDir(values.snapshot, { skipBadFiles: values['skip-bad-files'] });
    const model = buildModel(docs, { skipBad: values['skip-bad-files'] });
    for (const s of skipped) model.warnings.push(`skipped ${s}`);
    const answer = ask(model, question);
    print(answer);
    return EXIT[answer.verdict];
  }

  const { askLive } = await import('./ask-live.js');
  return askLive(question, {
    config: values.config, account: values.account, region: values.region, as: values.as,
    verbose: values.verbose, flowLogs: values['flow-logs'], json: values.format === 'json',
  }, io, print);
}

/**
 * --format slack: the messages the bot would post for this answer (without its footer of request
 * id and data source), one JSON document per message: the first is the channel message and pastes
 * into Block Kit Builder as it is; any others continue in its thread. Snippets are listed last.
 */
function renderSlackPreview(a: Answer): string {
  const { messages, snippets } = renderSlackAnswer(a);
  const docs: unknown[] = messages.map((m) => ({ text: m.text, blocks: m.blocks }));
  if (snippets.length) docs.push({ snippets });
  return docs.map((d) => `${JSON.stringify(d, null, 2)}\n`).join('');
}
