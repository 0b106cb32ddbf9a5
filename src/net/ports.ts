/** Inclusive integer intervals, used for port ranges (and ICMP type sets). Kept sorted and disjoint. */
export type Interval = readonly [number, number];

export function normalize(list: readonly Interval[]): Interval[] {
  const sorted = list.filter(([a, b]) => a <= b).map(([a, b]) => [a, b] as Interval).sort((x, y) => x[0] - y[0]);
  const out: Array<[number, number]> = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

export function intersect(list: readonly Interval[], [lo, hi]: Interval): Interval[] {
  const out: Interval[] = [];
  for (const [a, b] of list) {
    const x = Math.max(a, lo);
    const y = Math.min(b, hi);
    if (x <= y) out.push([x, y]);
  }
  return out;
}

export function subtract(list: readonly Interval[], [lo, hi]: Interval): Interval[] {
  const out: Interval[] = [];
  for (const [a, b] of list) {
    if (b < lo || a > hi) {
      out.push([a, b]);
      continue;
    }
    if (a < lo) out.push([a, lo - 1]);
    if (b > hi) out.push([hi + 1, b]);
  }
  return out;
}

export function size(list: readonly Interval[]): number {
  return list.reduce((n, [a, b]) => n + (b - a + 1), 0);
}

export function formatIntervals(list: readonly Interval[]): string {
  return list.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(', ');
}
