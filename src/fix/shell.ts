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
