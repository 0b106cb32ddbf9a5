/**
 * The proposal/decision store: one interface, Redis and in-memory implementations with the same
 * semantics. Every change is a compare-and-set on the record's version, atomic in Redis (a Lua
 * script), so concurrent clicks, Slack retries and several replicas yield exactly one decision:
 * whoever moves the version first wins; everyone else reads the new state and is told who decided.
 */
import type { Redis } from 'ioredis';
import type { StoredFix } from './types.js';

export interface ApprovalStore {
  /** Stores a new fix, kept for `ttlSeconds` (the retention, beyond the approval expiry). False if the id exists. */
  create(fix: StoredFix, ttlSeconds: number): Promise<boolean>;
  get(id: string): Promise<StoredFix | null>;
  /** Replaces the fix if its stored version is still `expectedVersion` (next.version must be expectedVersion + 1). */
  compareAndSet(next: StoredFix, expectedVersion: number): Promise<boolean>;
}

export class MemoryApprovalStore implements ApprovalStore {
  private readonly items = new Map<string, { json: string; version: number; expires: number }>();
  constructor(private readonly now: () => number) {}

  async create(fix: StoredFix, ttlSeconds: number): Promise<boolean> {
    const cur = this.items.get(fix.id);
    if (cur && cur.expires > this.now()) return false;
    this.items.set(fix.id, { json: JSON.stringify(fix), version: fix.version, expires: this.now() + ttlSeconds * 1000 });
    return true;
  }

  async get(id: string): Promise<StoredFix | null> {
    const cur = this.items.get(id);
    if (!cur) return null;
    if (cur.expires <= this.now()) {
      this.items.delete(id);
      return null;
    }
    return JSON.parse(cur.json) as StoredFix;
  }

  async compareAndSet(next: StoredFix, expectedVersion: number): Promise<boolean> {
    const cur = this.items.get(next.id);
    if (!cur || cur.expires <= this.now() || cur.version !== expectedVersion) return false;
    this.items.set(next.id, { json: JSON.stringify(next), version: next.version, expires: cur.expires });
    return true;
  }
}

/** Stored as a hash {v: version, json: record}; the TTL set at creation is kept by every update. */
const CREATE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[1], 'json', ARGV[2])
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[3]))
return 1`;

const CAS = `
local v = redis.call('HGET', KEYS[1], 'v')
if not v then return -1 end
if tonumber(v) ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[2], 'json', ARGV[3])
return 1`;

export class RedisApprovalStore implements ApprovalStore {
  constructor(private readonly redis: Pick<Redis, 'eval' | 'hget'>, private readonly prefix = 'sgwhy:') {}

  key(id: string): string {
    return `${this.prefix}fix:${id}`;
  }

  async create(fix: StoredFix, ttlSeconds: number): Promise<boolean> {
    const r = await this.redis.eval(CREATE, 1, this.key(fix.id), String(fix.version), JSON.stringify(fix), String(Math.max(1, Math.ceil(ttlSeconds))));
    return Number(r) === 1;
  }

  async get(id: string): Promise<StoredFix | null> {
    const json = await this.redis.hget(this.key(id), 'json');
    return json ? (JSON.parse(json) as StoredFix) : null;
  }

  async compareAndSet(next: StoredFix, expectedVersion: number): Promise<boolean> {
    const r = await this.redis.eval(CAS, 1, this.key(next.id), String(expectedVersion), String(next.version), JSON.stringify(next));
    return Number(r) === 1;
  }
}
