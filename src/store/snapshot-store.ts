/**
 * Snapshot cache: the raw describe-* documents of a collection, stored compressed under a key
 * (account/region scope, or a question's targeted collection) with a time to live.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { RawDoc } from '../model/raw.js';

export interface StoredSnapshot {
  docs: RawDoc[];
  /** When it was collected (ms since epoch), as the caller gave it. */
  collectedAt: number;
}

export interface SnapshotStore {
  put(key: string, snapshot: StoredSnapshot, ttlSeconds: number): Promise<{ bytes: number; rawBytes: number }>;
  get(key: string): Promise<StoredSnapshot | null>;
  delete(key: string): Promise<void>;
}

export function encodeSnapshot(s: StoredSnapshot): { buf: Buffer; rawBytes: number } {
  const json = Buffer.from(JSON.stringify(s));
  return { buf: gzipSync(json, { level: 6 }), rawBytes: json.length };
}

export function decodeSnapshot(buf: Buffer): StoredSnapshot {
  return JSON.parse(gunzipSync(buf).toString('utf8')) as StoredSnapshot;
}

/** In-memory store for tests and single-process use. Expiry is checked against an injected clock. */
export class MemorySnapshotStore implements SnapshotStore {
  private readonly items = new Map<string, { buf: Buffer; expires: number }>();
  constructor(private readonly now: () => number) {}

  async put(key: string, snapshot: StoredSnapshot, ttlSeconds: number) {
    const { buf, rawBytes } = encodeSnapshot(snapshot);
    this.items.set(key, { buf, expires: this.now() + ttlSeconds * 1000 });
    return { bytes: buf.length, rawBytes };
  }

  async get(key: string) {
    const it = this.items.get(key);
    if (!it) return null;
    if (it.expires <= this.now()) {
      this.items.delete(key);
      return null;
    }
    return decodeSnapshot(it.buf);
  }

  async delete(key: string) {
    this.items.delete(key);
  }
}

/** The subset of an ioredis client the store uses. */
export interface RedisLike {
  set(key: string, value: Buffer, mode: 'EX', seconds: number): Promise<unknown>;
  getBuffer(key: string): Promise<Buffer | null>;
  del(...keys: string[]): Promise<number>;
}

export class RedisSnapshotStore implements SnapshotStore {
  constructor(private readonly redis: RedisLike, private readonly prefix = 'sgwhy:snapshot:') {}

  async put(key: string, snapshot: StoredSnapshot, ttlSeconds: number) {
    const { buf, rawBytes } = encodeSnapshot(snapshot);
    await this.redis.set(this.prefix + key, buf, 'EX', Math.max(1, Math.round(ttlSeconds)));
    return { bytes: buf.length, rawBytes };
  }

  async get(key: string) {
    const buf = await this.redis.getBuffer(this.prefix + key);
    return buf ? decodeSnapshot(buf) : null;
  }

  async delete(key: string) {
    await this.redis.del(this.prefix + key);
  }
}
