import { describe, expect, it } from 'vitest';
import { TurnQueue } from './turn-queue.js';

describe('TurnQueue', () => {
  it('runs one job per event-loop turn, so I/O and timers get a turn between jobs', async () => {
    const order: string[] = [];
    const q = new TurnQueue((e) => { throw e; });
    for (let i = 0; i < 3; i++) q.push(async () => { order.push(`job${i}`); });
    // An immediate queued after the jobs: with one job per turn it runs before the second job.
    setImmediate(() => order.push('other'));
    await new Promise((r) => setTimeout(r, 20));
    expect(order).toEqual(['job0', 'other', 'job1', 'job2']);
    expect(q.pending).toBe(0);
  });

  it('reports a failing job and keeps going', async () => {
    const errors: unknown[] = [];
    const done: number[] = [];
    const q = new TurnQueue((e) => errors.push(e));
    q.push(async () => { throw new Error('boom'); });
    q.push(async () => { done.push(1); });
    await new Promise((r) => setTimeout(r, 20));
    expect(errors).toHaveLength(1);
    expect(done).toEqual([1]);
  });
});

describe('TurnQueue.turn', () => {
  it('resolves callers one per event-loop turn, in order, with other callbacks between them', async () => {
    const order: string[] = [];
    const q = new TurnQueue((e) => { throw e; });
    const step = async (name: string) => {
      await q.turn();
      order.push(name);
    };
    const all = Promise.all([step('a'), step('b'), step('c')]);
    setImmediate(() => order.push('io'));
    await all;
    expect(order).toEqual(['a', 'io', 'b', 'c']);
  });
});
