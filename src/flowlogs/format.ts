/**
 * Flow-log LogFormat handling: formats are parsed by field names (`${srcaddr} ${dstaddr} …`), so
 * custom formats (v3-v5 fields, any order, any subset) work like the default one. Pure.
 */
import type { FlowRecord } from './types.js';

export const DEFAULT_LOG_FORMAT =
  '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}';

/** Field names in order; throws on text that is not a sequence of ${field} tokens. */
export function parseLogFormat(format: string | undefined): string[] {
  const text = (format ?? '').trim() || DEFAULT_LOG_FORMAT;
  const tokens = text.split(/\s+/);
  const fields: string[] = [];
  for (const t of tokens) {
    const m = /^\$\{([a-z0-9-]+)\}$/.exec(t);
    if (!m) throw new Error(`Flow-log format token "${t}" is not \${field-name}`);
    fields.push(m[1] as string);
  }
  return fields;
}

/** Fields a format must have to match records of a flow. */
export const REQUIRED_FIELDS = ['srcaddr', 'dstaddr', 'action'] as const;

export const missingFields = (fields: readonly string[]): string[] => REQUIRED_FIELDS.filter((f) => !fields.includes(f));

const int = (v: string | undefined): number | undefined => (v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined);
const text = (v: string | undefined): string | undefined => (v === undefined || v === '-' ? undefined : v);

/** Parses one record by the format's field names; undefined when the field count does not match. */
export function parseRecord(fields: readonly string[], line: string, extra: { timestamp?: number; flowLogId?: string } = {}): FlowRecord | undefined {
  const values = line.trim().split(/\s+/);
  if (values.length !== fields.length) return undefined;
  const byName: Record<string, string> = {};
  fields.forEach((f, i) => (byName[f] = values[i] as string));
  const action = byName['action'];
  const dir = byName['flow-direction'];
  const rec: FlowRecord = { fields: byName };
  const set = <K extends keyof FlowRecord>(k: K, v: FlowRecord[K] | undefined): void => {
    if (v !== undefined) rec[k] = v;
  };
  set('interfaceId', text(byName['interface-id']));
  set('srcaddr', text(byName['srcaddr']));
  set('dstaddr', text(byName['dstaddr']));
  set('srcport', int(byName['srcport']));
  set('dstport', int(byName['dstport']));
  set('protocol', int(byName['protocol']));
  set('packets', int(byName['packets']));
  set('bytes', int(byName['bytes']));
  set('start', int(byName['start']));
  set('end', int(byName['end']));
  set('action', action === 'ACCEPT' || action === 'REJECT' ? action : undefined);
  set('logStatus', text(byName['log-status']));
  set('flowDirection', dir === 'ingress' || dir === 'egress' ? dir : undefined);
  set('timestamp', extra.timestamp);
  set('flowLogId', extra.flowLogId);
  return rec;
}

export const PROTOCOL_NUMBERS: Readonly<Record<string, number>> = { tcp: 6, udp: 17, icmp: 1, icmpv6: 58 };
