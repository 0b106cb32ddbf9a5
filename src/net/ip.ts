/**
 * IP addresses and CIDR blocks as integers (bigint for both families so that one code path
 * serves IPv4 and IPv6). Parsing uses ipaddr.js; matching is integer comparison, compiled once.
 */
import ipaddr from 'ipaddr.js';

export type Family = 4 | 6;

export interface Addr {
  family: Family;
  value: bigint;
  /** Canonical text: dotted quad, or compressed lower-case IPv6. */
  text: string;
}

export interface Cidr {
  family: Family;
  prefix: number;
  first: bigint;
  last: bigint;
  /** Canonical text with host bits cleared, e.g. "10.0.0.0/16". */
  text: string;
}

const BITS: Record<Family, number> = { 4: 32, 6: 128 };

function toBigInt(bytes: number[]): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

function fromBigInt(value: bigint, family: Family): string {
  const n = BITS[family] / 8;
  const bytes: number[] = new Array<number>(n);
  let v = value;
  for (let i = n - 1; i >= 0; i--) {
    bytes[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return ipaddr.fromByteArray(bytes).toString();
}

/** Strictly parses an address (no CIDR). IPv4 must be four decimal octets. */
export function parseAddr(text: string): Addr | null {
  const s = text.trim();
  if (s.includes('/')) return null;
  if (ipaddr.IPv4.isValidFourPartDecimal(s)) {
    const a = ipaddr.IPv4.parse(s);
    return { family: 4, value: toBigInt(a.toByteArray()), text: a.toString() };
  }
  if (s.includes(':') && ipaddr.IPv6.isValid(s)) {
    const a = ipaddr.IPv6.parse(s);
    if (a.zoneId) return null;
    return { family: 6, value: toBigInt(a.toByteArray()), text: a.toString() };
  }
  return null;
}

/** Parses a CIDR block; host bits are cleared (AWS stores the network address). */
export function parseCidr(text: string): Cidr | null {
  const s = text.trim();
  const slash = s.indexOf('/');
  if (slash < 0) return null;
  const addr = parseAddr(s.slice(0, slash));
  const pfxText = s.slice(slash + 1);
  if (!addr || !/^\d{1,3}$/.test(pfxText)) return null;
  const prefix = Number(pfxText);
  const bits = BITS[addr.family];
  if (prefix > bits) return null;
  const hostBits = BigInt(bits - prefix);
  const mask = ((1n << BigInt(bits)) - 1n) ^ ((1n << hostBits) - 1n);
  const first = addr.value & mask;
  const last = first | ((1n << hostBits) - 1n);
  return { family: addr.family, prefix, first, last, text: `${fromBigInt(first, addr.family)}/${prefix}` };
}

export function cidrContains(c: Cidr, a: Addr): boolean {
  return c.family === a.family && a.value >= c.first && a.value <= c.last;
}

/** True when every address of `inner` is inside `outer`. */
export function cidrCovers(outer: Cidr, inner: Cidr): boolean {
  return outer.family === inner.family && inner.first >= outer.first && inner.last <= outer.last;
}

/** The host route for an address: /32 or /128. */
export function hostCidr(a: Addr): string {
  return `${a.text}/${BITS[a.family]}`;
}

/** RFC 1918 / ULA / loopback / link-local: addresses that never cross the public internet. */
export function isPrivate(a: Addr): boolean {
  const range = ipaddr.parse(a.text).range();
  return range === 'private' || range === 'uniqueLocal' || range === 'loopback' || range === 'linkLocal' || range === 'carrierGradeNat';
}
