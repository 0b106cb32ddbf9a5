/**
 * The field checker behind validate.ts: typed reads of untrusted JSON that record a problem
 * (JSON path + message) instead of guessing, and the AWS id shape. Pure.
 */
import { parseCidr } from '../net/ip.js';
import { ACCOUNT_ID } from './aws-names.js';
export type Obj = Record<string, unknown>;

export interface FieldProblem {
  /** JSON path inside the file, e.g. SecurityGroups[3].IpPermissions[0].FromPort */
  pointer: string;
  message: string;
}

/** The kinds of ids sgwhy reads from data and may print in a command. */
export type AwsIdPrefix =
  | 'sg' | 'eni' | 'acl' | 'rtb' | 'subnet' | 'vpc' | 'i' | 'pcx' | 'tgw' | 'tgw-attach' | 'tgw-rtb' | 'igw' | 'eigw'
  | 'nat' | 'pl' | 'vpce' | 'vgw' | 'lgw' | 'cagw' | 'vpn' | 'cgw';

const ID_BODY = /^[0-9a-z]{1,64}$/;

/** Whether `value` is an id of the given kind: "<prefix>-<1 to 64 lower-case letters or digits>". */
export function isAwsId(prefix: AwsIdPrefix, value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(`${prefix}-`) && ID_BODY.test(value.slice(prefix.length + 1));
}

/** Any AWS resource id ("igw-…", "tgw-attach-…"): lower-case words joined by "-", then the body. */
const ANY_ID = /^[a-z]{1,10}(?:-[a-z]{1,10})?-[0-9a-z]{1,64}$/;
const ARN = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:[A-Za-z0-9_+=,.@:/-]{1,1024}$/;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
export const show = (v: unknown): string => {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
};

/** Collects problems for one object. */
export class Checker {
  readonly problems: FieldProblem[] = [];
  constructor(private readonly base: string) {}

  add(path: string, message: string): void {
    this.problems.push({ pointer: path ? `${this.base}.${path}` : this.base, message });
  }

  id(o: Obj, key: string, prefix: AwsIdPrefix, path = '', required = true): string | undefined {
    const v = o[key];
    const at = path ? `${path}.${key}` : key;
    if (v === undefined) {
      if (required) this.add(path, `missing ${key}`);
      return undefined;
    }
    if (!isAwsId(prefix, v)) {
      this.add(at, `${key} ${show(v)} is not a ${prefix}- id`);
      return undefined;
    }
    return v;
  }

  string(o: Obj, key: string, path = '', required = false): string | undefined {
    const v = o[key];
    const at = path ? `${path}.${key}` : key;
    if (v === undefined) {
      if (required) this.add(path, `missing ${key}`);
      return undefined;
    }
    if (typeof v !== 'string') {
      this.add(at, `${key} must be a string, found ${show(v)}`);
      return undefined;
    }
    return v;
  }

  bool(o: Obj, key: string, path = '', required = false): boolean | undefined {
    const v = o[key];
    const at = path ? `${path}.${key}` : key;
    if (v === undefined) {
      if (required) this.add(path, `missing ${key}`);
      return undefined;
    }
    if (typeof v !== 'boolean') {
      this.add(at, `${key} must be true or false, found ${show(v)}`);
      return undefined;
    }
    return v;
  }

  int(o: Obj, key: string, min: number, max: number, path = ''): number | undefined {
    const v = o[key];
    const at = path ? `${path}.${key}` : key;
    if (v === undefined) {
      this.add(path, `missing ${key}`);
      return undefined;
    }
    if (!isInt(v) || v < min || v > max) {
      this.add(at, `${key} must be a whole number from ${min} to ${max}, found ${show(v)}`);
      return undefined;
    }
    return v;
  }

  /** An array of objects under `key`; absent is a problem only when required. */
  objects(o: Obj, key: string, path = '', required = false): Obj[] {
    const v = o[key];
    const at = path ? `${path}.${key}` : key;
    if (v === undefined) {
      if (required) this.add(path, `missing ${key}`);
      return [];
    }
    if (!Array.isArray(v)) {
      this.add(at, `${key} must be an array, found ${show(v)}`);
      return [];
    }
    const out: Obj[] = [];
    v.forEach((x, i) => (isObj(x) ? out.push(x) : this.add(`${at}[${i}]`, `expected an object, found ${show(x)}`)));
    return out;
  }

  cidr(o: Obj, key: string, family: 4 | 6, path = '', required = false): void {
    const v = this.string(o, key, path, required);
    if (v === undefined) return;
    const c = parseCidr(v);
    if (!c) this.add(path, `invalid CIDR block ${show(v)}`);
    else if (c.family !== family) this.add(path, `invalid CIDR block ${show(v)}: ${key} holds an IPv${family} block`);
  }

  /** An optional account id (OwnerId, UserId): 12 digits. */
  account(o: Obj, key: string, path = ''): void {
    const v = this.string(o, key, path);
    if (v !== undefined && !ACCOUNT_ID.test(v)) this.add(path ? `${path}.${key}` : key, `${key} ${show(v)} is not an account id`);
  }

  anyId(o: Obj, key: string, path: string): void {
    const v = this.string(o, key, path);
    if (v !== undefined && !ANY_ID.test(v) && !(key === 'GatewayId' && v === 'local') && !(key === 'CoreNetworkArn' && ARN.test(v))) {
      this.add(`${path}.${key}`, `${key} ${show(v)} is not an AWS id`);
    }
  }
}

