/**
 * The fix simulator's shared parts: the call and option types, input validation, CIDR keys and
 * copy-on-write over documents. The operations themselves live in simulate-*.ts by kind of API
 * call; simulate.ts dispatches them.
 * Pure: no SDK, no I/O, no clock.
 */
import ipaddr from 'ipaddr.js';
import { SgwhyError } from '../errors/errors.js';
import type { RawDoc } from '../model/raw.js';

export interface ApiCall {
  operation: string;
  input: Record<string, unknown>;
}

export interface SimulateOptions {
  /**
   * Inbound (or outbound) rules per security group, counted per address family as AWS does;
   * an authorize that would go past it fails with RulesPerSecurityGroupLimitExceeded. Default
   * 60, the AWS default quota. A group that already has more is taken as proof of a raised
   * quota and is not limited.
   */
  rulesPerSecurityGroup?: number;
}

export const DEFAULT_RULES_PER_SECURITY_GROUP = 60;

export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const objects = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);

export const usage = (message: string): SgwhyError => new SgwhyError('BAD_USAGE', message);
export const notInSnapshot = (what: string, id: string): SgwhyError =>
  new SgwhyError('BAD_SNAPSHOT', `${what} ${id} is not in the snapshot, so the fix cannot be simulated.`, { details: { resourceId: id } });
export const awsError = (code: string, message: string): SgwhyError =>
  new SgwhyError('AWS_ERROR', `${code}: ${message}`, { details: { awsErrorCode: code } });

// ---------------------------------------------------------------------------------------------
// Input validation

export class Input {
  constructor(
    readonly op: string,
    readonly raw: Obj,
  ) {}

  only(allowed: readonly string[]): this {
    for (const k of Object.keys(this.raw))
      if (!allowed.includes(k) && k !== 'DryRun' && k !== 'TagSpecifications')
        throw usage(`UnknownParameter: ${this.op} has no parameter ${k} that sgwhy can simulate.`);
    return this;
  }

  has(key: string): boolean {
    return this.raw[key] !== undefined && this.raw[key] !== null;
  }

  str(key: string): string {
    const v = this.raw[key];
    if (typeof v !== 'string' || v === '') throw usage(`MissingParameter: ${this.op} needs ${key} (a non-empty string).`);
    return v;
  }

  optStr(key: string): string | undefined {
    return this.has(key) ? this.str(key) : undefined;
  }

  bool(key: string): boolean {
    const v = this.raw[key];
    if (typeof v !== 'boolean') throw usage(`MissingParameter: ${this.op} needs ${key} (true or false).`);
    return v;
  }

  int(key: string, min: number, max: number): number {
    return intIn(this.raw[key], `${this.op} ${key}`, min, max);
  }
}

export function intIn(v: unknown, what: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
    throw usage(`InvalidParameterValue: ${what} must be an integer from ${min} to ${max}.`);
  return v;
}

/** Canonical text of a CIDR for comparisons (IPv6 compressed); the stored text stays as given. */
export function cidrKey(cidr: string, family: 'ipv4' | 'ipv6', what: string): string {
  // Strict dotted decimal for IPv4: ipaddr.js would also read "10.0.00.0" or "0x0a.0.0.0".
  const valid = family === 'ipv4' ? ipaddr.IPv4.isValidCIDRFourPartDecimal(cidr) : ipaddr.IPv6.isValidCIDR(cidr);
  if (!valid) {
    const other = family === 'ipv4' ? ipaddr.IPv6.isValidCIDR(cidr) : ipaddr.IPv4.isValidCIDRFourPartDecimal(cidr);
    throw usage(
      other
        ? `InvalidParameterValue: ${what} ${cidr} is not an ${family === 'ipv4' ? 'IPv4' : 'IPv6'} CIDR block.`
        : `InvalidParameterValue: ${what} ${JSON.stringify(cidr)} is not a valid CIDR block.`,
    );
  }
  const [addr, len] = ipaddr.parseCIDR(cidr);
  return `${addr.kind() === 'ipv6' ? (addr as ipaddr.IPv6).toRFC5952String() : addr.toString()}/${len}`;
}

/** A lenient key for CIDRs already in the snapshot (never throws). */
export function storedCidrKey(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  try {
    const [addr, len] = ipaddr.parseCIDR(v);
    return `${addr.kind() === 'ipv6' ? (addr as ipaddr.IPv6).toRFC5952String() : addr.toString()}/${len}`;
  } catch {
    return v.toLowerCase();
  }
}

// ---------------------------------------------------------------------------------------------
// Copy-on-write over documents

/**
 * For every document whose data `touches` says is affected, deep-copy it and `edit` the copy.
 * Returns the new list and how many documents changed.
 */
export function rewrite(docs: readonly RawDoc[], touches: (data: Obj) => boolean, edit: (data: Obj, doc: RawDoc) => void): { docs: RawDoc[]; changed: number } {
  let changed = 0;
  const out = docs.map((doc) => {
    if (!isObj(doc.data) || !touches(doc.data)) return doc;
    const copy = structuredClone(doc) as RawDoc;
    edit(copy.data, copy);
    changed += 1;
    return copy;
  });
  return { docs: out, changed };
}

/** Items of data[key] (a describe-* list) whose idKey is id. */
export const itemsById = (data: Obj, key: string, idKey: string, id: string): Obj[] => objects(data[key]).filter((o) => o[idKey] === id);

/** Every copy of one object across documents (read-only view of the input). */
export const allCopies = (docs: readonly RawDoc[], key: string, idKey: string, id: string): Obj[] =>
  docs.flatMap((d) => (isObj(d.data) ? itemsById(d.data, key, idKey, id) : []));

export function rewriteItems(docs: readonly RawDoc[], key: string, idKey: string, id: string, edit: (item: Obj, doc: RawDoc) => void): RawDoc[] {
  return rewrite(
    docs,
    (data) => itemsById(data, key, idKey, id).length > 0,
    (data, doc) => {
      for (const item of itemsById(data, key, idKey, id)) edit(item, doc);
    },
  ).docs;
}

export function arrayField(o: Obj, key: string): unknown[] {
  const v = o[key];
  if (Array.isArray(v)) return v;
  const fresh: unknown[] = [];
  o[key] = fresh;
  return fresh;
}

/** A protocol given as its IANA number. */
export const PROTOCOL_NUMBER = /^\d{1,3}$/;
