/**
 * The small key-value store the bot's state lives in: thread state, delivery de-duplication,
 * locks and the collection cache. One interface, three implementations:
 * - MemoryKv: one process, an injected clock (tests, a bot without REDIS_URL);
 * - RedisKv: shared by every replica (ioredis);
 * - ResilientKv: Redis first; when Redis fails, it logs, reports itself degraded and carries on
 *   in memory, and goes back to Redis as soon as Redis answers again.
 * Values are strings or Buffers; everything read back is untrusted (callers validate it).
 */
import type { Redis } from 'ioredis';

export interface Kv {
  get(key: string): Promise<string | null>;
  getBuffer(key: string): Promise<Buffer | null>;
  set(key: string, value: string | Buffer, ttlMs: number): Promise<void>;
  /** Sets only when absent; true when this call set it (a lock, a first delivery). */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  del(key: string): Promise<void>;
  /** Deletes only when the value is still `value` (releasing a lock this process holds). */
  delIfEquals(key: string, value: string): Promise<boolean>;
  ping(): Promise<void>;
}

export class MemoryKv implements Kv {
  private readonly items = new Map<string, { value: string | Buffer; expires: number }>();
  constructor(private readonly now: () => number) {}

  private live(key: string) {
    const it = this.items.get(key);
    if (it && it.expires <= this.now()) {
      this.items.delete(key);
      return undefined;
    }
    return it;
  }

  async get(key: string) {
    const it = this.live(key);
    return it === undefined ? null : Buffer.isBuffer(it.value) ? it.value.toString('utf8') : it.value;
  }

  async getBuffer(key: string) {
    const it = this.live(key);
    return it === undefined ? null : Buffer.isBuffer(it.value) ? it.value : Buffer.from(it.value);
  }

  async set(key: string, value: string | Buffer, ttlMs: number) {
    this.items.set(key, { value, expires: this.now() + Math.max(1, ttlMs) });
  }

  async setIfAbsent(key: string, value: string, ttlMs: number) {
    if (this.live(key)) return false;
    await this.set(key, value, ttlMs);
    return true;
  }

  async del(key: string) {
    this.items.delete(key);
  }

  async delIfEquals(key: string, value: string) {
    const it = this.live(key);
    if (!it || String(it.value) !== value) return false;
    this.items.delete(key);
    return true;
  }

  async ping() {}

  /** Drops expired items (called now and then by long-lived processes). */
  sweep(): void {
    for (const k of [...this.items.keys()]) this.live(k);
  }
}

const DEL_IF_EQUALS = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/** Redis, every key under `prefix` (tests use their own prefix and delete only their keys). */
export class RedisKv implements Kv {
  constructor(readonly redis: Redis, readonly prefix = 'sgwhy:') {}

  async get(key: string) {
    return this.redis.get(this.prefix + key);
  }

  async getBuffer(key: string) {
    return this.redis.getBuffer(this.prefix + key);
  }

  async set(key: string, value: string | Buffer, ttlMs: number) {
    await this.redis.set(this.prefix + key, value, 'PX', Math.max(1, Math.round(ttlMs)));
  }

  async setIfAbsent(key: string, value: string, ttlMs: number) {
    return (await this.redis.set(this.prefix + key, value, 'PX', Math.max(1, Math.round(ttlMs)), 'NX')) === 'OK';
  }

  async del(key: string) {
    await this.redis.del(this.prefix + key);
  }

  async delIfEquals(key: string, value: string) {
    return Number(await this.redis.eval(DEL_IF_EQUALS, 1, this.prefix + key, value)) === 1;
  }

  async ping() {
    await this.redis.ping();
  }
}

export interface KvHealth {
  /** 'memory': no Redis configured; 'redis': Redis answering; 'degraded': Redis configured but failing. */
  state: 'memory' | 'redis' | 'degraded';
  lastError?: string;
}

/**
 * Redis with a memory fallback. A failed Redis call is answered from memory, logged once per
 * outage, and Redis is tried again on the next call after `retryMs`. While degraded, state is
 * per replica (a retry landing on another replica may be answered twice): the log says so.
 */
export class ResilientKv implements Kv {
  private down = false;
  private retryAt = 0;
  private lastError: string | undefined;

  constructor(
    private readonly primary: Kv,
    private readonly fallback: Kv,
    private readonly opts: { now: () => number; retryMs?: number; onChange?: (h: KvHealth) => void },
  ) {}

  health(): KvHealth {
    return this.down ? { state: 'degraded', ...(this.lastError ? { lastError: this.lastError } : {}) } : { state: 'redis' };
  }

  private up(): void {
    if (!this.down) return;
    this.down = false;
    this.lastError = undefined;
    this.opts.onChange?.(this.health());
  }

  private failed(e: unknown): void {
    const first = !this.down;
    this.down = true;
    this.lastError = e instanceof Error ? e.message : String(e);
    this.retryAt = this.opts.now() + (this.opts.retryMs ?? 1000);
    if (first) this.opts.onChange?.(this.health());
  }

  private async run<T>(op: (kv: Kv) => Promise<T>): Promise<T> {
    if (this.down && this.opts.now() < this.retryAt) return op(this.fallback);
    try {
      const r = await op(this.primary);
      this.up();
      return r;
    } catch (e) {
      this.failed(e);
      return op(this.fallback);
    }
  }

  get(key: string) { return this.run((kv) => kv.get(key)); }
  getBuffer(key: string) { return this.run((kv) => kv.getBuffer(key)); }
  set(key: string, value: string | Buffer, ttlMs: number) { return this.run((kv) => kv.set(key, value, ttlMs)); }
  setIfAbsent(key: string, value: string, ttlMs: number) { return this.run((kv) => kv.setIfAbsent(key, value, ttlMs)); }
  del(key: string) { return this.run((kv) => kv.del(key)); }
  delIfEquals(key: string, value: string) { return this.run((kv) => kv.delIfEquals(key, value)); }

  /** Readiness: asks Redis itself (never the fallback). */
  async ping() {
    try {
      await this.primary.ping();
      this.up();
    } catch (e) {
      this.failed(e);
      throw e;
    }
  }
}
