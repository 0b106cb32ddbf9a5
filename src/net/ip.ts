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
  if (family === 4) {
    const v = Number(value);
    return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
  }
  const n = BITS[family] / 8;
  const bytes: number[] = new Array<number>(n);
  let v = value;
  for (let i = n - 1; i >= 0; i--) {
    bytes[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return ipaddr.fromByteArray(bytes).toString();
}

const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);

/** Strictly parses an address (no CIDR). IPv4 must be four decimal octets without leading zeros. */
export function parseAddr(text: string): Addr | null {
  const s = text.trim();
  const m = IPV4.exec(s);
  if (m) {
    const v = ((Number(m[1]) << 24) >>> 0) + (Number(m[2]) << 16) + (Number(m[3]) << 8) + Number(m[4]);
    return { family: 4, value: BigInt(v), text: s };
  }
  if (s.includes('/')) return null;
  if (s.includes(':') && ipaddr.IPv6.isValid(s)) {
    const a = ipaddr.IPv6.parse(s);
    if (a.zoneId) return null;
    return { family: 6, value: toBigInt(a.toByteArray()), text: a.toString() };
  }
  return null;
}

const cidrCache = new Map<string, Cidr | null>();
const CIDR_CACHE_LIMIT = 100_000;

/** Parses a CIDR block; host bits are cleared (AWS stores the network address). Memoised: snapshots repeat CIDRs. */
export function parseCidr(text: string): Cidr | null {
  let c = cidrCache.get(text);
  if (c === undefined) {
    if (cidrCache.size >= CIDR_CACHE_LIMIT) cidrCache.clear();
    c = parseCidrUncached(text);
    cidrCache.set(text, c);
  }
  return c;
}

function parseCidrUncached(text: string): Cidr | null {
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
