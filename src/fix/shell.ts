/**
 * POSIX shell quoting for the commands sgwhy prints. Anything outside a small safe alphabet is
 * single-quoted, with embedded single quotes closed, escaped and reopened, so no value taken
 * from AWS data (ids, names, descriptions) can break out of its argument.
 */
import { SgwhyError } from '../errors/errors.js';
import { isAwsId, type AwsIdPrefix } from '../model/validate.js';

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function shellQuote(value: string): string {
  if (value !== '' && SAFE.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Characters AWS accepts in a security-group rule description. */
const DESCRIPTION_ALLOWED = /[^a-zA-Z0-9. _\-:/()#,@[\]+=&;{}!$*]/g;

export function ruleDescription(text: string): string {
  return text.replace(DESCRIPTION_ALLOWED, ' ').replace(/\s+/g, ' ').trim().slice(0, 255);
}

/** A fix step's reference to an earlier step's result: the exact string "${NAME}". */
const STEP_REF = /^\$\{([A-Z][A-Z0-9_]{0,40})\}$/;

/** The variable name when `value` is a step reference, else undefined. */
export function stepReference(value: string): string | undefined {
  return STEP_REF.exec(value)?.[1];
}

/**
 * One shell argument: a step reference becomes "$NAME" (the variable the earlier step set; the
 * name is from a closed alphabet, so it cannot break out), anything else goes through shellQuote.
 */
export function shellArgument(value: string): string {
  const ref = stepReference(value);
  return ref ? `"$${ref}"` : shellQuote(value);
}

/**
 * A command line from an argument list, every argument through shellQuote: the one way sgwhy
 * builds a command it prints (fix, "to decide" hint, host check, flow-log filter, error hint).
 * A `ShellExpansion` (only the constants below, never data) is inserted as written.
 */
export function shellCommand(args: ReadonlyArray<string | ShellExpansion>): string {
  return args.map((a) => (a instanceof ShellExpansion ? a.text : shellQuote(a))).join(' ');
}

/** Commands run one after the other ("a; b"), each from its argument list. */
export function shellSequence(commands: ReadonlyArray<ReadonlyArray<string | ShellExpansion>>): string {
  return commands.map(shellCommand).join('; ');
}

/** Shell text sgwhy writes itself on purpose (an arithmetic expansion); cannot be built from data. */
export class ShellExpansion {
  private constructor(readonly text: string) {}
  /** Milliseconds since the epoch 30 minutes ago, computed by the shell that runs the command. */
  static readonly START_30_MIN_AGO_MS = new ShellExpansion('"$(( ($(date +%s) - 1800) * 1000 ))"');
}

/**
 * An id taken from data, checked before it enters a command: "<prefix>-" then 1 to 64 lower-case
 * letters or digits (isAwsId). Anything else throws BAD_SNAPSHOT naming the value (JSON-escaped).
 */
export function awsId(prefix: AwsIdPrefix, value: unknown): string {
  if (isAwsId(prefix, value)) return value;
  throw new SgwhyError('BAD_SNAPSHOT', `${JSON.stringify(value) ?? String(value)} is not a ${prefix}- id; refusing to put it in a command.`);
}
