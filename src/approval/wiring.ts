/**
 * Builds the approval service the bot uses from its configuration: Redis store and audit stream
 * when Redis is there (memory otherwise: one process only), policies and execution roles per
 * account, user-group membership through the bot's Slack client (cached), the execution writer
 * when any account has an execution role, and a fresh, uncached live collection for the stale
 * check and the re-check.
 */
import type { Redis } from 'ioredis';
import { MemoryAuditLog, RedisAuditLog } from '../audit/audit-log.js';
import type { AwsSession } from '../aws/clients.js';
import { collectForQuestion } from '../aws/collect-question.js';
import type { Target } from '../aws/target.js';
import { resolveTargets } from '../aws/targets.js';
import type { SgwhyConfig } from '../config/types.js';
import type { Collect } from '../execute/recheck.js';
import { SdkEc2Writer } from '../execute/writer.js';
import { approvalPolicies, fixExpirySeconds } from './from-config.js';
import { CachedGroupMembers, type GroupMembers } from './policy.js';
import { ApprovalService } from './service.js';
import { MemoryApprovalStore, RedisApprovalStore } from './store.js';

export interface ApprovalWiring {
  config: SgwhyConfig;
  /** The bot's Redis (shared by replicas); absent: in-memory store and audit (single process). */
  redis?: Redis;
  /** Key prefix (SGWHY_REDIS_PREFIX), default "sgwhy:". */
  prefix?: string;
  /** The read session (also used for STS AssumeRole of the execution roles). */
  session: AwsSession;
  workspaceTeamId: string;
  /** Members of a Slack user group (usergroups.users.list). */
  userGroupMembers?: GroupMembers;
  /** Fresh, uncached collection for a question; default: the live collector over every configured account. */
  collect?: Collect;
  now?: () => number;
}

export function approvalServiceFromConfig(w: ApprovalWiring): { service: ApprovalService; close: () => void } {
  const now = w.now ?? Date.now;
  const policies = approvalPolicies(w.config);
  const anyRole = [...policies.values()].some((p) => p.executionRoleArn);
  const writer = anyRole ? new SdkEc2Writer(w.session, { asker: 'sgwhy-approval' }) : undefined;
  let targets: Promise<Target[]> | undefined;
  const collect: Collect = w.collect ?? (async (q) => {
    const clients = w.session.forQuestion({ asker: 'sgwhy-recheck' });
    targets ??= resolveTargets(clients, w.config.accounts).catch((e: unknown) => {
      targets = undefined;
      throw e;
    });
    return (await collectForQuestion(clients, await targets, q)).docs;
  });
  const service = new ApprovalService({
    store: w.redis ? new RedisApprovalStore(w.redis, w.prefix ?? 'sgwhy:') : new MemoryApprovalStore(now),
    audit: w.redis ? new RedisAuditLog(w.redis, w.prefix ?? 'sgwhy:') : new MemoryAuditLog(),
    policies,
    ...(w.userGroupMembers ? { groups: new CachedGroupMembers(w.userGroupMembers, now) } : {}),
    workspaceTeamId: w.workspaceTeamId,
    now,
    expirySeconds: fixExpirySeconds(w.config),
    collect,
    ...(writer ? { writer } : {}),
  });
  return { service, close: () => writer?.destroy() };
}
