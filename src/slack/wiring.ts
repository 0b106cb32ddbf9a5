/**
 * Builds what the use cases run on from the settings: the key-value store (Redis with a memory
 * fallback, or memory), thread state, the answer source (snapshot or live) and the Web API poster.
 * Used by the main thread (inline mode) and by the answering worker thread alike.
 */
import { basename } from 'node:path';
import { WebClient, LogLevel } from '@slack/web-api';
import { SnapshotSource, type AnswerSource } from '../bot/answer-source.js';
import type { ApprovalService } from '../approval/service.js';
import type { BotDeps, EventLog } from '../bot/deps.js';
import { ThreadStore } from '../bot/thread-state.js';
import { loadConfig } from '../config/load.js';
import { MemoryKv, RedisKv, ResilientKv, type Kv, type KvHealth } from '../store/kv.js';
import { connectRedis, waitForRedis } from '../store/redis.js';
import type { BotSettings } from './settings.js';
import { SlackWebApi } from './web-api.js';
import { WebPoster } from './web-poster.js';

export interface Wired {
  deps: BotDeps;
  /** Redis: 'redis' | 'degraded'; no Redis: 'memory'. */
  kvHealth(): KvHealth;
  /** Readiness: Redis answers (when configured) and the answer source is usable. */
  ready(): Promise<{ ok: boolean; redis: KvHealth['state']; source: string; detail?: string }>;
  close(): Promise<void>;
}

/** Who the bot is in its workspace (auth.test at start-up). */
export interface BotIdentity {
  botId: string;
  botUserId: string;
  teamId: string;
}

export async function wire(settings: BotSettings, log: EventLog, identity?: BotIdentity, now: () => number = Date.now): Promise<Wired> {
  let kv: Kv;
  let kvHealth: () => KvHealth = () => ({ state: 'memory' });
  let closeRedis = async () => {};
  let redisClient: import('ioredis').Redis | undefined;
  const memory = new MemoryKv(now);
  const sweeper = setInterval(() => memory.sweep(), 60_000);
  sweeper.unref();
  if (settings.redisUrl) {
    const redis = connectRedis(settings.redisUrl);
    redisClient = redis;
    const up = await waitForRedis(redis);
    const resilient = new ResilientKv(new RedisKv(redis, settings.redisPrefix), memory, {
      now, onChange: (h) => log(h.state === 'degraded' ? 'redis_degraded' : 'redis_recovered', { ...h }),
    });
    if (!up) log('redis_degraded', { state: 'degraded', lastError: 'not reachable at start-up' });
    kv = resilient;
    kvHealth = () => resilient.health();
    closeRedis = async () => { await redis.quit().catch(() => redis.disconnect()); };
  } else {
    kv = memory;
  }

  const client = new WebClient(settings.botToken, {
    ...(settings.slackApiUrl ? { slackApiUrl: settings.slackApiUrl } : {}),
    logLevel: LogLevel.ERROR,
  });
  const api = new SlackWebApi(settings.botToken, settings.slackApiUrl ? { baseUrl: settings.slackApiUrl } : {});
  let source: AnswerSource;
  let approvals: ApprovalService | undefined;
  let closeApprovals = () => {};
  if (settings.snapshotDir) {
    source = await SnapshotSource.load(settings.snapshotDir, basename(settings.snapshotDir.replace(/\/+$/, '')) || settings.snapshotDir, now);
  } else {
    // Loaded only in live mode: it pulls in the AWS SDK.
    const { LiveSource } = await import('../bot/live-source.js');
    const { AwsSession } = await import('../aws/clients.js');
    const config = await loadConfig(settings.configPath ? { path: settings.configPath } : {});
    const session = new AwsSession();
    source = new LiveSource(config, kv, { cacheTtlMs: settings.cacheTtlMs, now, onEvent: log }, session);
    // Approvals: when an account names its approvers (Slack users or user groups).
    if (identity && config.accounts.some((a) => (a.approvers?.users.length ?? 0) + (a.approvers?.userGroups.length ?? 0) > 0)) {
      const { approvalServiceFromConfig } = await import('../approval/wiring.js');
      const built = approvalServiceFromConfig({
        config, session, workspaceTeamId: identity.teamId, now, prefix: settings.redisPrefix,
        ...(redisClient ? { redis: redisClient } : {}),
        userGroupMembers: async (usergroup) => (await client.usergroups.users.list({ usergroup })).users ?? [],
      });
      approvals = built.service;
      closeApprovals = built.close;
      log('approvals_enabled', { accounts: config.accounts.filter((a) => a.approvers).map((a) => a.id ?? a.name), execution: config.accounts.filter((a) => a.executionRoleArn).map((a) => a.id ?? a.name) });
    }
  }

  const responseOrigins = ['https://hooks.slack.com', ...(settings.slackApiUrl ? [new URL(settings.slackApiUrl).origin] : [])];
  const deps: BotDeps = {
    source, threads: new ThreadStore(kv, settings.threadTtlMs, (key, why) => log('thread_state_corrupt', { key, why })), kv, poster: new WebPoster(api, client, responseOrigins), log, now,
    ...(approvals ? { approvals } : {}),
  };

  return {
    deps,
    kvHealth,
    async ready() {
      let redis = kvHealth().state;
      if (redis !== 'memory') {
        try {
          await kv.ping();
          redis = 'redis';
        } catch {
          redis = 'degraded';
        }
      }
      try {
        await source.ready();
        return { ok: true, redis, source: source.description };
      } catch (e) {
        return { ok: false, redis, source: source.description, detail: (e as Error).message };
      }
    },
    async close() {
      clearInterval(sweeper);
      closeApprovals();
      await source.close();
      await closeRedis();
      api.close();
    },
  };
}
