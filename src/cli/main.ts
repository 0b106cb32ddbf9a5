/**
 * The sgwhy command line. Thin: parse flags, call a use case, render, map to an exit code.
 *   sgwhy ask "<question>" --snapshot DIR [--format text|json] [--skip-bad-files] [--no-hops]
 * Exit codes: 0 reachable, 1 blocked, 2 unknown, 64 bad usage or input, 69 AWS unavailable, 70 internal error.
 */
import { parseArgs } from 'node:util';
import { isSgwhyError, SgwhyError, type ErrorCode } from '../errors/errors.js';
import type { Answer } from '../answer/types.js';
import { ask } from '../engine/ask.js';
import { buildModel } from '../model/build.js';
import { parseQuestion } from '../question/parse.js';
import { renderJson } from '../render/json.js';
import { renderText } from '../render/text.js';
import { readSnapshotDir } from '../snapshot/read.js';

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  /** Colour the text output (a TTY). */
  color?: boolean;
}

const defaultIo: Io = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  color: process.stdout.isTTY === true && !process.env.NO_COLOR,
};

export const EXIT = { reachable: 0, blocked: 1, unknown: 2, usage: 64, unavailable: 69, internal: 70 } as const;

const USAGE = `sgwhy — why can't A reach B? Answers from AWS network configuration.

Usage:
  sgwhy ask "<question>" --snapshot DIR [--format text|json] [--skip-bad-files] [--no-hops]
  sgwhy --help | --version

Questions:
  "why can't 10.0.2.100 reach 10.0.1.50:443"
  "10.0.2.100 -> 10.0.1.50:53/udp"
  "can i-0abc1234567890def ping 10.0.1.50"
  "ssh from 10.0.2.100 to eni-0abc1234567890def"

--snapshot DIR reads every *.json file under DIR: the output of aws ec2 describe-* calls
(accounts/<account-id>/<region>/ sub-folders name the account and region).

Exit codes: 0 reachable, 1 blocked, 2 unknown, 64 bad usage or input.
`;

const USAGE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'BAD_QUESTION', 'BAD_USAGE', 'BAD_SNAPSHOT', 'SNAPSHOT_NOT_FOUND', 'ENDPOINT_NOT_FOUND', 'AMBIGUOUS_ENDPOINT', 'INPUT_TOO_LARGE', 'CONFIG_INVALID',
]);

export function exitCodeFor(a: Answer): number {
  return EXIT[a.verdict];
}

function reportError(e: SgwhyError, io: Io): number {
  io.err(`sgwhy: ${e.message}\n`);
  if (e.hints.length) io.err(`${e.hints.map((h) => `  ${h}`).join('\n')}\n`);
  return USAGE_CODES.has(e.code) ? EXIT.usage : EXIT.unavailable;
}

async function runAsk(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true, strict: true,
    options: {
      snapshot: { type: 'string', short: 's' },
      format: { type: 'string', short: 'f', default: 'text' },
      'skip-bad-files': { type: 'boolean', default: false },
      'no-hops': { type: 'boolean', default: false },
    },
  });
  if (positionals.length === 0) throw new SgwhyError('BAD_USAGE', 'ask needs a question, e.g. sgwhy ask "why can\'t 10.0.2.100 reach 10.0.1.50:443" --snapshot DIR');
  if (values.format !== 'text' && values.format !== 'json') throw new SgwhyError('BAD_USAGE', `--format must be text or json, not ${values.format}`);
  const question = parseQuestion(positionals.join(' '));
  if (!values.snapshot) {
    throw new SgwhyError('BAD_USAGE', 'ask needs --snapshot DIR (a folder of aws ec2 describe-* JSON files).');
  }
  const { docs, skipped } = await readSnapshotDir(values.snapshot, { skipBadFiles: values['skip-bad-files'] });
  const model = buildModel(docs);
  for (const s of skipped) model.warnings.push(`skipped ${s}`);
  const answer = ask(model, question);
  io.out(values.format === 'json' ? renderJson(answer) : renderText(answer, { color: io.color === true, hops: !values['no-hops'] }));
  return exitCodeFor(answer);
}

export async function main(argv: string[], io: Io = defaultIo): Promise<number> {
  try {
    const [cmd, ...rest] = argv;
    if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
      (cmd ? io.out : io.err)(USAGE);
      return cmd ? 0 : EXIT.usage;
    }
    if (cmd === '--version' || cmd === 'version') {
      io.out('sgwhy 0.1.0\n');
      return 0;
    }
    if (cmd === 'ask') return await runAsk(rest, io);
    throw new SgwhyError('BAD_USAGE', `unknown command "${cmd}". Try: sgwhy ask "why can't 10.0.2.100 reach 10.0.1.50:443" --snapshot DIR`);
  } catch (e) {
    if (isSgwhyError(e)) return reportError(e, io);
    if (e instanceof TypeError && 'code' in e && String((e as { code: unknown }).code).startsWith('ERR_PARSE_ARGS')) {
      io.err(`sgwhy: ${e.message}\n\n${USAGE}`);
      return EXIT.usage;
    }
    io.err(`sgwhy: internal error: ${(e as Error).message}\n`);
    return EXIT.internal;
  }
}
