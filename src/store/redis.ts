/**
 * One ioredis connection configured for a bot that must keep answering when Redis is away:
 * no offline queue (a command fails at once instead of waiting for a reconnect), a command
 * timeout, and reconnection in the background.
 */
import { Redis } from 'ioredis';

export function connectRedis(url: string, opts: { commandTimeoutMs?: number } = {}): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    commandTimeout: opts.commandTimeoutMs ?? 1000,
    retryStrategy: (times) => Math.min(100 * times, 2000),
    lazyConnect: true,
  });
  // Errors surface through the commands that fail; without a listener ioredis would print them.
  redis.on('error', () => {});
  return redis;
}

/** Connects, waiting at most `ms`; false when Redis is not there (the bot starts degraded). */
export async function waitForRedis(redis: Redis, ms = 3000): Promise<boolean> {
  try {
    await Promise.race([redis.connect(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);
    return true;
  } catch {
    return false;
  }
}
