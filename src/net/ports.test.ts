import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { intersect, normalize, size, subtract, type Interval } from './ports.js';

const DOMAIN = 120;
const interval = fc.tuple(fc.integer({ min: 0, max: DOMAIN }), fc.integer({ min: 0, max: DOMAIN })).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as Interval);
const toSet = (list: readonly Interval[]) => {
  const s = new Set<number>();
  for (const [a, b] of list) for (let i = a; i <= b; i++) s.add(i);
  return s;
};
const sorted = (s: Set<number>) => [...s].sort((a, b) => a - b);

describe('port intervals (against a set-of-ports reference)', () => {
  it('normalize keeps the same ports, sorted and disjoint', () => {
    fc.assert(fc.property(fc.array(interval, { maxLength: 8 }), (list) => {
      const n = normalize(list);
      expect(sorted(toSet(n))).toEqual(sorted(toSet(list)));
      for (let i = 1; i < n.length; i++) expect(n[i]![0]).toBeGreaterThan(n[i - 1]![1] + 1);
      expect(size(n)).toBe(toSet(list).size);
    }));
  });

  it('intersect and subtract partition the ports', () => {
    fc.assert(fc.property(fc.array(interval, { maxLength: 6 }), interval, (list, r) => {
      const base = normalize(list);
      const inside = toSet(intersect(base, r));
      const outside = toSet(subtract(base, r));
      const want = toSet(base);
      const rset = toSet([r]);
      expect(sorted(inside)).toEqual(sorted(want).filter((p) => rset.has(p)));
      expect(sorted(outside)).toEqual(sorted(want).filter((p) => !rset.has(p)));
    }));
  });
});
