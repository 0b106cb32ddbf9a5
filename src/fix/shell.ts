/**
 * POSIX shell quoting for the commands sgwhy prints. Anything outside a small safe alphabet is
 * single-quoted, with embedded single quotes closed, escaped and reopened, so no value taken
 * from AWS data (ids, names, descriptions) can break out of its argument.
 */
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
