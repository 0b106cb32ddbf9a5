/**
 * The sgwhy command line. Thin: dispatch to a command, map typed errors to exit codes.
 * Exit codes: 0 reachable, 1 blocked, 2 unknown, 64 bad usage or input, 69 AWS unavailable, 70 internal error.
 */
import { isSgwhyError, SgwhyError, type ErrorCode } from '../errors/errors.js';
import { runAsk } from './ask.js';
import { EXIT, type Io } from './io.js';

export { EXIT, type Io } from './io.js';

const defaultIo: Io = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  color: process.stdout.isTTY === true && !process.env.NO_COLOR,
};

const USAGE = `sgwhy — why can't A reach B? Answers from AWS network configuration.

Usage:
  sgwhy ask "<question>" --snapshot DIR [--format text|json] [--skip-bad-files] [--no-hops]
  sgwhy ask "<question>" [--config FILE] [--account ID]… [--region R]… [--verbose] [--flow-logs]
  sgwhy collect --out DIR [--config FILE] [--account ID]… [--region R]… [--force] [--verbose]
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

Exit codes: 0 reachable, 1 blocked, 2 unknown, 64 bad usage or input, 69 AWS unavailable.
`;

const USAGE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'BAD_QUESTION', 'BAD_USAGE', 'BAD_SNAPSHOT', 'SNAPSHOT_NOT_FOUND', 'ENDPOINT_NOT_FOUND', 'AMBIGUOUS_ENDPOINT', 'INPUT_TOO_LARGE', 'CONFIG_INVALID',
]);

function reportError(e: SgwhyError, io: Io): number {
  io.err(`sgwhy: ${e.message}\n`);
  if (e.hints.length) io.err(`${e.hints.map((h) => `  ${h}`).join('\n')}\n`);
  return USAGE_CODES.has(e.code) ? EXIT.usage : EXIT.unavailable;
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
    if (cmd === 'collect') return await (await import('./collect.js')).runCollect(rest, io); // loads the AWS SDK only when needed
    if (cmd === 'audit') return await (await import('./audit.js')).runAudit(rest, io);
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
