import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryKv, RedisKv, ResilientKv, type Kv } from './kv.js';
import { connectRedis, waitForRedis } from './redis.js';

const prefix = `sgwhy-test-kv-${randomBytes(4).toString('hex')}:`;
const redis = connectRedis('redis://127.0.0.1:6379');
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

function contract(name: string, make: () => Promise<{ kv: Kv; advance: (ms: number) => Promise<void> }>) {
  describe(`${name}: the key-value contract`, () => {
    it('sets, gets (string and bytes) and deletes', async () => {
      const { kv } = await make();
      await kv.set('a', 'x', 60_000);
      expect(await kv.get('a')).toBe('x');
      await kv.set('b', Buffer.from([0, 1, 2]), 60_000);
      expect([...(await kv.getBuffer('b'))!]).toEqual([0, 1, 2]);
      await kv.del('a');
      expect(await kv.get('a')).toBeNull();
    });

    it('setIfAbsent is a lock: one winner, released only by its holder, gone after its time', async () => {
      const { kv, advance } = await make();
      expect(await kv.setIfAbsent('lock', 'me', 200)).toBe(true);
      expect(await kv.setIfAbsent('lock', 'you', 200)).toBe(false);
      expect(await kv.delIfEquals('lock', 'you')).toBe(false);
      expect(await kv.get('lock')).toBe('me');
      expect(await kv.delIfEquals('lock', 'me')).toBe(true);
      expect(await kv.setIfAbsent('lock', 'you', 100)).toBe(true);
      await advance(250);
      expect(await kv.get('lock')).toBeNull();
      expect(await kv.setIfAbsent('lock', 'again', 100)).toBe(true);
    });
  });
}

let t = 0;
contract('MemoryKv', async () => {
  const kv = new MemoryKv(() => t);
  return { kv, advance: async (ms) => { t += ms; } };
});
contract('RedisKv', async () => {
  await waitForRedis(redis);
  return { kv: new RedisKv(redis, prefix), advance: (ms) => new Promise((r) => setTimeout(r, ms)) };
});

describe('ResilientKv', () => {
  it('answers from memory while Redis fails, says so once, and goes back to Redis when it answers', async () => {
    let failing = true;
    const inner = new MemoryKv(() => 0);
    const flaky: Kv = new Proxy(inner, {
      get(target, prop) {
        const v = Reflect.get(target, prop) as unknown;
        return typeof v === 'function' ? (...args: unknown[]) => (failing ? Promise.reject(new Error('ECONNREFUSED')) : (v as (...a: unknown[]) => unknown).apply(target, args)) : v;
      },
    });
    let now = 0;
    const changes: string[] = [];
    const kv = new ResilientKv(flaky, new MemoryKv(() => now), { now: () => now, retryMs: 1000, onChange: (h) => changes.push(h.state) });
    await kv.set('k', 'v', 60_000);
    expect(await kv.get('k')).toBe('v'); // from the fallback
    expect(kv.health()).toMatchObject({ state: 'degraded', lastError: 'ECONNREFUSED' });
    await kv.get('k');
    expect(changes).toEqual(['degraded']);
    failing = false;
    now += 1500;
    expect(await kv.get('k')).toBeNull(); // Redis again (it never saw the value)
    expect(kv.health()).toEqual({ state: 'redis' });
    expect(changes).toEqual(['degraded', 'redis']);
    await expect(new ResilientKv(flaky, new MemoryKv(() => 0), { now: () => 0 }).ping()).resolves.toBeUndefined();
  });
});
