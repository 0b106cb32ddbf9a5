/** Both stores against the same behaviour; the Redis one against the real Redis on 127.0.0.1:6379. */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySnapshotStore, RedisSnapshotStore, type SnapshotStore } from './snapshot-store.js';

const sample = {
  collectedAt: 1_700_000_000_000,
  docs: [{ file: 'accounts/123456789012/us-east-1/describe-security-groups.json', accountId: '123456789012', region: 'us-east-1',
    data: { SecurityGroups: Array.from({ length: 200 }, (_, i) => ({ GroupId: `sg-${i}`, GroupName: `app-${i}`, IpPermissions: [] })) } }],
};

const prefix = `sgwhy-test:${process.pid}:${Date.now()}:`;
let redis: Redis;
beforeAll(() => {
  redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: false, maxRetriesPerRequest: 2 });
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

function contract(name: string, make: () => { store: SnapshotStore; advance: (ms: number) => Promise<void> }) {
  describe(name, () => {
    it('round-trips a snapshot, compressed', async () => {
      const { store } = make();
      const { bytes, rawBytes } = await store.put('a', sample, 60);
      expect(bytes).toBeLessThan(rawBytes / 3);
      expect(await store.get('a')).toEqual(sample);
    });
    it('misses for unknown and deleted keys', async () => {
      const { store } = make();
      expect(await store.get('nope')).toBeNull();
      await store.put('b', sample, 60);
      await store.delete('b');
      expect(await store.get('b')).toBeNull();
    });
    it('expires after its time to live', async () => {
      const { store, advance } = make();
      await store.put('c', sample, 1);
      await advance(1100);
      expect(await store.get('c')).toBeNull();
    }, 10_000);
  });
}

let clock = 0;
contract('MemorySnapshotStore', () => ({ store: new MemorySnapshotStore(() => clock), advance: async (ms) => { clock += ms; } }));
contract('RedisSnapshotStore (real Redis)', () => ({
  store: new RedisSnapshotStore(redis, prefix),
  advance: (ms) => new Promise((r) => setTimeout(r, ms + 200)),
}));
