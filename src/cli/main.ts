/**
 * The sgwhy command line. Thin: dispatch to a command, map typed errors to exit codes.
 * Exit codes: 0 reachable, 1 blocked, 2 unknown, 64 bad usage or input, 69 AWS unavailable, 70 internal error.
 * With --format json an error is a JSON object on stdout, {"error": {"code", "message", "hints", "file"}}, with the same exit code.
 */
import { isSgwhyError, SgwhyError, type ErrorCode } from '../errors/errors.js';
import { runAsk } from './ask.js';
import { EXIT, type Io } from './io.js';
import { escapeTerminal, terminalSafe } from '../render/escape.js';
import { renderJsonError } from '../render/json.js';

export { EXIT, type Io } from './io.js';

const defaultIo: Io = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  color: process.stdout.isTTY === true && !process.env.NO_COLOR,
};

const USAGE = `sgwhy — why can't A reach B? Answers from AWS network configuration.

Usage:
  sgwhy ask "<question>" --snapshot DIR [--format text|json|slack] [--skip-bad-files] [--no-hops]
  sgwhy ask "<question>" [--config FILE] [--account ID]… [--region R]… [--verbose] [--flow-logs]
  sgwhy collect --out DIR [--config FILE] [--account ID]… [--region R]… [--force] [--verbose]
  sgwhy serve [--snapshot DIR] [--port N]      the Slack bot (settings from the environment: see README)
  sgwhy audit [--since 24h|ISO-TIME] [--account ID] [--format text|json|jsonl]   the approval audit trail (REDIS_URL)
  sgwhy --help | --version

Questions:
  "why can't 10.0.2.100 reach 10.0.1.50:443"
  "10.0.2.100 -> 10.0.1.50:53/udp"
  "can i-0abc1234567890def ping 10.0.1.50"
  "ssh from 10.0.2.100 to eni-0abc1234567890def"

--snapshot DIR reads every *.json file under DIR: the output of aws ec2 describe-* calls
(accounts/<account-id>/<region>/ sub-folders name the account and region; sgwhy collect writes them).
Without --snapshot, sgwhy asks AWS with the standard SDK configuration (AWS_PROFILE, AWS_REGION,
AWS_ENDPOINT_URL…), or the accounts in SGWHY_CONFIG / --config, assuming each one's read-only role.

Exit codes:
  0   reachable: every layer allows the flow, both ways
  1   blocked: at least one layer blocks it (the answer names each)
  2   unknown: the data cannot decide it (the answer says what to collect)
  64  bad usage or input: flags, a question that cannot be parsed, a snapshot file or folder that
      is missing, unreadable or malformed (named with its JSON path), an endpoint not in the data
  69  AWS or another service unavailable: access denied, assume-role failure, AWS errors
  70  internal error (a bug: please report it)
With --format json, errors are JSON on stdout: {"error": {"code", "message", "hints", "file"}}.
`;

const USAGE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'BAD_QUESTION', 'BAD_USAGE', 'BAD_SNAPSHOT', 'SNAPSHOT_NOT_FOUND', 'SNAPSHOT_UNREADABLE', 'ENDPOINT_NOT_FOUND', 'AMBIGUOUS_ENDPOINT', 'INPUT_TOO_LARGE', 'CONFIG_INVALID',
]);

/** Whether the command line asks for JSON output (--format json, --format=json, -f json, -fjson). */
export function wantsJson(argv: readonly string[]): boolean {
  return argv.some((a, i) => a === '--format=json' || a === '-fjson' || ((a === '--format' || a === '-f') && argv[i + 1] === 'json'));
}

/** Writes an error: JSON on stdout under --format json, else text on stderr (messages may quote AWS data: escaped). */
function writeError(io: Io, json: boolean, err: { code: string; message: string; hints: readonly string[]; file?: string }, extra = ''): void {
  if (json) {
    io.out(renderJsonError({ code: err.code, message: err.message, hints: [...err.hints], ...(err.file !== undefined ? { file: err.file } : {}) }));
    return;
  }
  io.err(`sgwhy: ${err.message.split('\n').map(escapeTerminal).join('\n')}\n`);
  if (err.hints.length) io.err(`${err.hints.map((h) => `  ${terminalSafe(h) ? h : escapeTerminal(h)}`).join('\n')}\n`);
  if (extra) io.err(extra);
}

function reportError(e: SgwhyError, io: Io, json: boolean): number {
  const file = e.details?.file;
  writeError(io, json, { code: e.code, message: e.message, hints: e.hints, ...(typeof file === 'string' ? { file } : {}) });
  return USAGE_CODES.has(e.code) ? EXIT.usage : EXIT.unavailable;
}

export async function main(argv: string[], io: Io = defaultIo): Promise<number> {
  const json = wantsJson(argv);
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
    if (cmd === 'collect') return await (await import('./collect.js')).runCollect(rest, io); // loads the AWS SDK only when needed
    if (cmd === 'serve') return await (await import('./serve.js')).runServe(rest, io);
    if (cmd === 'audit') return await (await import('./audit.js')).runAudit(rest, io);
    throw new SgwhyError('BAD_USAGE', `unknown command "${cmd}". Try: sgwhy ask "why can't 10.0.2.100 reach 10.0.1.50:443" --snapshot DIR`);
  } catch (e) {
    if (isSgwhyError(e)) return reportError(e, io, json);
    if (e instanceof TypeError && 'code' in e && String((e as { code: unknown }).code).startsWith('ERR_PARSE_ARGS')) {
      writeError(io, json, { code: 'BAD_USAGE', message: e.message, hints: ['sgwhy --help lists the commands and flags.'] }, `\n${USAGE}`);
      return EXIT.usage;
    }
    writeError(io, json, { code: 'INTERNAL', message: `internal error: ${(e as Error)?.message ?? String(e)}`, hints: [] });
    return EXIT.internal;
  }
}
