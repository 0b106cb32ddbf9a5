import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cidrContains, cidrCovers, hostCidr, parseAddr, parseCidr } from './ip.js';

/** Reference: an address as a string of bits; containment is a prefix comparison. */
const bits4 = (o: number[]) => o.map((x) => x.toString(2).padStart(8, '0')).join('');
const bits6 = (w: number[]) => w.map((x) => x.toString(2).padStart(16, '0')).join('');

const octets = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 });
const words = fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 });

describe('IPv4 / IPv6 matching', () => {
  it('IPv4 containment agrees with a bit-prefix reference', () => {
    fc.assert(fc.property(octets, octets, fc.integer({ min: 0, max: 32 }), (a, net, prefix) => {
      const c = parseCidr(`${net.join('.')}/${prefix}`)!;
      const addr = parseAddr(a.join('.'))!;
      const want = bits4(a).slice(0, prefix) === bits4(net).slice(0, prefix);
      expect(cidrContains(c, addr)).toBe(want);
    }), { numRuns: 2000 });
  });

  it('IPv6 containment agrees with a bit-prefix reference', () => {
    fc.assert(fc.property(words, words, fc.integer({ min: 0, max: 128 }), (a, net, prefix) => {
      const c = parseCidr(`${net.map((x) => x.toString(16)).join(':')}/${prefix}`)!;
      const addr = parseAddr(a.map((x) => x.toString(16)).join(':'))!;
      const want = bits6(a).slice(0, prefix) === bits6(net).slice(0, prefix);
      expect(cidrContains(c, addr)).toBe(want);
    }), { numRuns: 2000 });
  });

  it('never matches across families', () => {
    fc.assert(fc.property(octets, words, (a, w) => {
      expect(cidrContains(parseCidr(`${a.join('.')}/0`)!, parseAddr(w.map((x) => x.toString(16)).join(':'))!)).toBe(false);
      expect(cidrContains(parseCidr('::/0')!, parseAddr(a.join('.'))!)).toBe(false);
    }));
  });

  it('a CIDR covers exactly the CIDRs whose every address it contains', () => {
    fc.assert(fc.property(octets, fc.integer({ min: 0, max: 32 }), fc.integer({ min: 0, max: 32 }), (net, p1, p2) => {
      const outer = parseCidr(`${net.join('.')}/${p1}`)!;
      const inner = parseCidr(`${net.join('.')}/${p2}`)!;
      expect(cidrCovers(outer, inner)).toBe(p1 <= p2);
    }));
  });

  it('canonicalises text and clears host bits', () => {
    expect(parseCidr('10.0.1.77/16')!.text).toBe('10.0.0.0/16');
    expect(parseAddr('2600:1F18:0:0::0001')!.text).toBe('2600:1f18::1');
    expect(hostCidr(parseAddr('10.0.2.100')!)).toBe('10.0.2.100/32');
    expect(hostCidr(parseAddr('2600:1f18::1')!)).toBe('2600:1f18::1/128');
  });

  it('rejects what is not an address', () => {
    for (const bad of ['10.0.0.256', '10.0.0', '10.0.0.1/24', '1.2.3.4.5', 'fe80::1%eth0', '', 'abc', '0x0a000001']) expect(parseAddr(bad)).toBeNull();
    for (const bad of ['10.0.0.0/33', '10.0.0.0/', '/16', '::/129', '10.0.0.0/-1', '10.0.0.0/1.5']) expect(parseCidr(bad)).toBeNull();
  });
});
