/** CloudWatch Logs filter patterns for flow-log records, built from the LogFormat's field names. Pure. */

/** A field name usable in a CloudWatch space-delimited pattern ("log-status" → "log_status"). */
export const patternFieldName = (f: string): string => f.replace(/[^A-Za-z0-9_]/g, '_');

/**
 * A CloudWatch Logs space-delimited filter pattern that selects records of one direction of the
 * flow, e.g. [version, account_id, interface_id, srcaddr="10.0.2.100", dstaddr="10.0.1.50",
 * srcport, dstport=443, protocol=6, …]. Conditions are only a pre-filter: records are re-checked
 * after parsing (IPv6 text forms vary, so IPv6 addresses are matched client-side only).
 */
export function buildFilterPattern(fields: readonly string[], match: { srcaddr?: string; dstaddr?: string; srcport?: number; dstport?: number; protocol?: number }): string {
  const parts = fields.map((f) => {
    const name = patternFieldName(f);
    const v = (match as Record<string, string | number | undefined>)[f];
    if (v === undefined) return name;
    if (typeof v === 'number') return Number.isInteger(v) ? `${name}=${v}` : name;
    // Only a dotted-quad goes into the pattern (IPv6 text forms vary; anything else could break out of the quotes).
    if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(v)) return name;
    return `${name}="${v}"`;
  });
  return `[${parts.join(', ')}]`;
}
