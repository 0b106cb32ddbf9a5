/** Drains an SDK v3 paginator into one response-shaped object (arrays concatenated across pages). */

export interface Drained {
  data: Record<string, unknown>;
  pages: number;
  /** True when maxPages stopped the paginator before the last page. */
  truncated: boolean;
}

export async function drainPages(pages: AsyncIterable<object>, maxPages = Number.POSITIVE_INFINITY): Promise<Drained> {
  const data: Record<string, unknown> = {};
  let n = 0;
  const it = pages[Symbol.asyncIterator]();
  for (;;) {
    if (n >= maxPages) {
      await it.return?.();
      return { data, pages: n, truncated: true };
    }
    const next = await it.next();
    if (next.done) break;
    n++;
    for (const [k, v] of Object.entries(next.value)) {
      if (k === '$metadata' || k === 'NextToken' || k === 'nextToken') continue;
      if (Array.isArray(v)) data[k] = [...((data[k] as unknown[] | undefined) ?? []), ...v];
      else if (!(k in data) && v !== undefined) data[k] = v;
    }
  }
  return { data, pages: n, truncated: false };
}
