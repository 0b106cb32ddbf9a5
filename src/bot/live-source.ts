/**
 * Live answers for the bot: the accounts the channel may query, collected for the question and
 * cached in the key-value store for a short time (default 60 s) with single flight across
 * replicas: ten people asking about the same outage cause one collection. The cache key is the
 * accounts and regions searched plus the two endpoints (what the targeted collection depends
 * on; ports do not change what is collected), so "what about 5432?" reuses it too. Re-check
 * (`fresh`) always collects again and refreshes the cache.
 */
import { createHash, randomUUID } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Answer } from '../answer/types.js';
import { AwsSession, type AwsClients } from '../aws/clients.js';
import { collectForQuestion, type QuestionCollection } from '../aws/collect-question.js';
import { withGaps } from '../aws/gaps.js';
import { scopeKey, type Target } from '../aws/target.js';
import { resolveTargets } from '../aws/targets.js';
import { selectAccounts } from '../config/select.js';
import type { SgwhyConfig } from '../config/types.js';
import { ask } from '../engine/ask.js';
import { flowLogEvidence } from '../flowlogs/evidence.js';
import { buildModel } from '../model/build.js';
import type { Question } from '../question/types.js';
import type { FlowLogView } from '../render/slack-notes.js';
import type { Kv } from '../store/kv.js';
import type { AnswerSource, AskContext, SourcedAnswer } from './answer-source.js';

export interface LiveSourceOptions {
  cacheTtlMs: number;
  /** How long a collection may hold the lock (others wait at most this long, then collect themselves). */
  lockTtlMs?: number;
  now?: () => number;
  onEvent?: (event: string, fields: Record<string, unknown>) => void;
}

interface Cached {
  v: 1;
  collectedAt: number;
  collection: Pick<QuestionCollection, 'docs' | 'gaps' | 'endpoints'> & { calls: number; roundTrips: number };
}

/** A cached collection larger than this is treated as corrupt (a targeted collection is kilobytes). */
const MAX_CACHED_BYTES = 64 * 1024 * 1024;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function isCached(x: unknown): x is Cached {
  const c = x as Cached | null;
  return typeof c === 'object' && c !== null && c.v === 1 && typeof c.collectedAt === 'number' && typeof c.collection === 'object' && c.collection !== null
    && Array.isArray(c.collection.docs) && Array.isArray(c.collection.gaps) && typeof c.collection.endpoints === 'object' && c.collection.endpoints !== null;
}

export class LiveSource implements AnswerSource {
  readonly flowLogs = true;
  readonly description: string;
  private readonly session: AwsSession;
  private readonly inFlight = new Map<string, Promise<Cached>>();
  private readonly heldLocks = new Map<string, string>();
  private readonly targetCache = new Map<string, { at: number; targets: Promise<Target[]> }>();
  private readonly now: () => number;

  constructor(private readonly config: SgwhyConfig, private readonly kv: Kv, private readonly opts: LiveSourceOptions, session?: AwsSession) {
    this.session = session ?? new AwsSession();
    this.now = opts.now ?? Date.now;
    this.description = config.implicit ? 'live AWS (default credentials)' : `live AWS (${config.accounts.length} account${config.accounts.length === 1 ? '' : 's'})`;
  }

  private clients(ctx: AskContext): AwsClients {
    return this.session.forQuestion({ asker: `slack-${ctx.userId}` });
  }

  /** The channel's accounts as (account, region) targets; resolved once per few minutes. */
  private async targets(ctx: AskContext): Promise<Target[]> {
    const accounts = selectAccounts(this.config, { slackChannel: { id: ctx.channelId, ...(ctx.channelName ? { name: ctx.channelName } : {}) } });
    const key = accounts.map((a) => a.id ?? a.name).join(',');
    const hit = this.targetCache.get(key);
    if (hit && this.now() - hit.at < 5 * 60_000) return hit.targets;
    const targets = resolveTargets(this.clients(ctx), accounts);
    this.targetCache.set(key, { at: this.now(), targets });
    targets.catch(() => this.targetCache.delete(key));
    return targets;
  }

  private cacheKey(targets: Target[], q: Question): string {
    const scope = targets.map(scopeKey).sort().join(',');
    const h = createHash('sha256').update(`${scope}|${q.source.kind}:${q.source.value}|${q.destination.kind}:${q.destination.value}`).digest('hex').slice(0, 32);
    return `collect:${h}`;
  }

  private async readCache(key: string): Promise<Cached | null> {
    const buf = await this.kv.getBuffer(key);
    if (!buf) return null;
    try {
      const v: unknown = JSON.parse(gunzipSync(buf, { maxOutputLength: MAX_CACHED_BYTES }).toString('utf8'));
      if (isCached(v)) return v;
    } catch {
      /* corrupt: fall through */
    }
    this.opts.onEvent?.('cache_corrupt', { key });
    await this.kv.del(key);
    return null;
  }

  private async collect(key: string, targets: Target[], q: Question, ctx: AskContext): Promise<Cached> {
    const c = await collectForQuestion(this.clients(ctx), targets, q);
    const cached: Cached = {
      v: 1,
      collectedAt: this.now(),
      collection: { docs: c.docs, gaps: c.gaps, endpoints: c.endpoints, calls: c.stats.calls, roundTrips: c.stats.roundTrips },
    };
    await this.kv.set(key, gzipSync(JSON.stringify(cached)), this.opts.cacheTtlMs);
    this.opts.onEvent?.('collected', { requestId: ctx.requestId, key, awsCalls: cached.collection.calls, roundTrips: cached.collection.roundTrips });
    return cached;
  }

  /** One collection per key at a time: in this process (a shared promise) and across replicas (a lock). */
  private async collection(key: string, targets: Target[], q: Question, ctx: AskContext, fresh: boolean): Promise<{ c: Cached; cacheHit: boolean }> {
    if (!fresh) {
      const hit = await this.readCache(key);
      if (hit) return { c: hit, cacheHit: true };
    }
    const mine = this.inFlight.get(key);
    if (mine) return { c: await mine, cacheHit: !fresh };
    const job = this.collectOnce(key, targets, q, ctx, fresh);
    this.inFlight.set(key, job);
    try {
      return { c: await job, cacheHit: false };
    } finally {
      this.inFlight.delete(key);
    }
  }

  private async collectOnce(key: string, targets: Target[], q: Question, ctx: AskContext, fresh: boolean): Promise<Cached> {
    const lockKey = `lock:${key}`;
    const lockTtl = this.opts.lockTtlMs ?? 30_000;
    const deadline = this.now() + lockTtl;
    const startedWaiting = this.now();
    for (;;) {
      const token = randomUUID();
      if (await this.kv.setIfAbsent(lockKey, token, lockTtl)) {
        this.heldLocks.set(lockKey, token);
        try {
          // Another replica may have finished while we were acquiring.
          if (!fresh) {
            const hit = await this.readCache(key);
            if (hit) return hit;
          }
          return await this.collect(key, targets, q, ctx);
        } finally {
          this.heldLocks.delete(lockKey);
          await this.kv.delIfEquals(lockKey, token).catch(() => false);
        }
      }
      // Someone else is collecting: wait for their result.
      await sleep(50);
      const hit = await this.readCache(key);
      if (hit && (!fresh || hit.collectedAt >= startedWaiting)) return hit;
      if (this.now() > deadline) return this.collect(key, targets, q, ctx);
    }
  }

  async answer(q: Question, ctx: AskContext, opts: { fresh: boolean }): Promise<SourcedAnswer> {
    const started = this.now();
    const targets = await this.targets(ctx);
    const key = this.cacheKey(targets, q);
    const { c, cacheHit } = await this.collection(key, targets, q, ctx, opts.fresh);
    const collected = this.now();
    const answer: Answer = withGaps(ask(buildModel(c.collection.docs), q), c.collection.gaps);
    const age = Math.round((this.now() - c.collectedAt) / 1000);
    const when = new Date(c.collectedAt).toISOString().slice(11, 19);
    return {
      answer,
      docs: c.collection.docs,
      dataNote: `live · collected ${when} UTC${cacheHit ? ` (${age} s ago, cached)` : ''} · ${c.collection.calls} AWS calls · ${targets.length} account/region${targets.length === 1 ? '' : 's'} searched`,
      stats: { collectMs: collected - started, engineMs: this.now() - collected, cacheHit, awsCalls: cacheHit ? 0 : c.collection.calls, fresh: opts.fresh },
    };
  }

  async flowLogEvidence(q: Question, ctx: AskContext, verdict: Answer['verdict']): Promise<FlowLogView | undefined> {
    const targets = await this.targets(ctx);
    const { c } = await this.collection(this.cacheKey(targets, q), targets, q, ctx, false);
    return flowLogEvidence(this.clients(ctx), targets, q, c.collection.endpoints, verdict);
  }

  async ready(): Promise<void> {
    // Credentials resolvable: the implicit account resolves through STS; configured roles are assumed per account.
    await resolveTargets(this.session.forQuestion({ asker: 'sgwhy-readyz' }), this.config.accounts.slice(0, 1));
  }

  async close(): Promise<void> {
    for (const [k, token] of this.heldLocks) await this.kv.delIfEquals(k, token).catch(() => false);
    this.heldLocks.clear();
    this.session.destroy();
  }
}
