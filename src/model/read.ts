/**
 * Shared readers for the model builder: typed access to untrusted JSON objects, problem
 * collection (file + JSON path), and CIDR/address parsing that reports instead of throwing.
 */
import { parseAddr, parseCidr, type Addr, type Cidr } from '../net/ip.js';
import type { Proto } from './types.js';

export type Obj = Record<string, unknown>;

export const MAX_PROBLEMS = 25;

export class Problems {
  readonly list: string[] = [];
  add(file: string, pointer: string, msg: string): void {
    if (this.list.length < MAX_PROBLEMS) this.list.push(`${file}: ${pointer}: ${msg}`);
    else if (this.list.length === MAX_PROBLEMS) this.list.push('… more problems not shown');
  }
}

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (o: Obj, k: string): string | undefined => (typeof o[k] === 'string' ? (o[k] as string) : undefined);
export const num = (o: Obj, k: string): number | undefined => {
  const v = o[k];
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  return undefined;
};
export const list = (o: Obj, k: string): Obj[] => (Array.isArray(o[k]) ? (o[k] as unknown[]).filter(isObj) : []);
export const nameTag = (o: Obj): string | undefined => {
  for (const t of [...list(o, 'Tags'), ...list(o, 'TagSet')]) if (str(t, 'Key') === 'Name') return str(t, 'Value');
  return undefined;
};
export const regionOfAz = (az: string | undefined): string | undefined => az?.match(/^([a-z]{2}(?:-[a-z]+)+-\d+)/)?.[1];

/** Maps AWS protocol spellings ("-1", "tcp", "6", "icmpv6", "58", "all") to a Proto. */
export function parseProto(v: unknown): Proto | undefined {
  const s = String(v ?? '').toLowerCase();
  if (s === '-1' || s === 'all') return 'all';
  if (s === 'tcp') return 6;
  if (s === 'udp') return 17;
  if (s === 'icmp') return 1;
  if (s === 'icmpv6') return 58;
  if (/^\d{1,3}$/.test(s) && Number(s) <= 255) return Number(s);
  return undefined;
}

export const isPorted = (p: Proto): boolean => p === 6 || p === 17;
export const isIcmp = (p: Proto): boolean => p === 1 || p === 58;

export interface Ctx {
  file: string;
  accountId: string | undefined;
  region: string | undefined;
  problems: Problems;
}

export function requireId(o: Obj, key: string, ptr: string, ctx: Ctx): string | undefined {
  const id = str(o, key);
  if (!id) ctx.problems.add(ctx.file, ptr, `missing ${key}`);
  return id;
}

/** Pointers are built only when there is a problem to report. */
export type Ptr = string | (() => string);
export const ptrText = (p: Ptr) => (typeof p === 'string' ? p : p());

export function cidrOrProblem(text: string | undefined, ptr: Ptr, ctx: Ctx): Cidr | undefined {
  if (text === undefined) return undefined;
  const c = parseCidr(text);
  if (!c) ctx.problems.add(ctx.file, ptrText(ptr), `invalid CIDR block ${JSON.stringify(text)}`);
  return c ?? undefined;
}

export function addrOrProblem(text: string | undefined, ptr: Ptr, ctx: Ctx): Addr | undefined {
  if (text === undefined) return undefined;
  const a = parseAddr(text);
  if (!a) ctx.problems.add(ctx.file, ptrText(ptr), `invalid IP address ${JSON.stringify(text)}`);
  return a ?? undefined;
}

/** A list of CIDR blocks without repeats (AWS lists the primary block twice: CidrBlock and the association set). */
export function cidrList(): { cidrs: Cidr[]; push: (c: Cidr | undefined) => void } {
  const cidrs: Cidr[] = [];
  const seen = new Set<string>();
  return {
    cidrs,
    push: (c) => {
      if (c && !seen.has(c.text)) {
        seen.add(c.text);
        cidrs.push(c);
      }
    },
  };
}
