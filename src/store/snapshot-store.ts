/**
 * Snapshot cache: the raw describe-* documents of a collection, stored compressed under a key
 * (account/region scope, or a question's targeted collection) with a time to live.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { isSgwhyError, SgwhyError } from '../errors/errors.js';
import type { RawDoc } from '../model/raw.js';

/** Largest decompressed value accepted (a gzip bomb in the cache is corrupt data, not a crash). */
export const MAX_DECODED_BYTES = 1024 * 1024 * 1024;

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

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A cached value back into a snapshot. Everything read from the cache is untrusted: a value that
 * is not gzip, is truncated, is not JSON or does not have the stored shape is a CACHE_CORRUPT
 * error (callers drop it and collect fresh data: getOrCollect), never a crash or a wrong answer.
 */
export function decodeSnapshot(buf: Buffer, maxBytes = MAX_DECODED_BYTES): StoredSnapshot {
  let value: unknown;
  try {
    value = JSON.parse(gunzipSync(buf, { maxOutputLength: maxBytes }).toString('utf8'));
  } catch (e) {
    throw new SgwhyError('CACHE_CORRUPT', `The cached snapshot cannot be decoded (${(e as Error).message}).`, { cause: e });
  }
  const docs = isObj(value) ? value.docs : undefined;
  if (!isObj(value) || typeof value.collectedAt !== 'number' || !Number.isFinite(value.collectedAt) || !Array.isArray(docs)
    || !docs.every((d) => isObj(d) && typeof d.file === 'string' && isObj(d.data)
      && (d.accountId === undefined || typeof d.accountId === 'string') && (d.region === undefined || typeof d.region === 'string'))) {
    throw new SgwhyError('CACHE_CORRUPT', 'The cached snapshot does not have the stored shape ({collectedAt, docs: [{file, data}]}).');
  }
  return value as unknown as StoredSnapshot;
}

/**
 * The cached snapshot under `key`, or fresh data: when the value is missing, or corrupt
 * (CACHE_CORRUPT, reported through `onCorrupt` and deleted), `collect` runs and its result is stored.
 */
export async function getOrCollect(store: SnapshotStore, key: string, ttlSeconds: number, collect: () => Promise<StoredSnapshot>,
  onCorrupt: (e: SgwhyError) => void = () => {}): Promise<{ snapshot: StoredSnapshot; cached: boolean }> {
  try {
    const hit = await store.get(key);
    if (hit) return { snapshot: hit, cached: true };
  } catch (e) {
    if (!isSgwhyError(e) || e.code !== 'CACHE_CORRUPT') throw e;
    onCorrupt(e);
    await store.delete(key);
  }
  const snapshot = await collect();
  await store.put(key, snapshot, ttlSeconds);
  return { snapshot, cached: false };
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
