/**
 * Who may decide on a fix. Per account: Slack user ids and/or user groups (members resolved
 * through an injected function — the bot backs it with usergroups.users.list — and cached), an
 * optional two-person rule (two distinct approvers; the requester may not approve their own fix),
 * and the clicker's team must be the workspace's (Slack Connect channels hold other
 * organisations). No approvers configured means nobody may approve: fail closed.
 */
import { SgwhyError } from '../errors/errors.js';
import type { Actor, StoredFix } from './types.js';

export interface AccountApprovalPolicy {
  accountId: string;
  approvers: { users: string[]; userGroups: string[] };
  twoPersonRule: boolean;
  /** Role sgwhy assumes to apply fixes; absent: approval hands the command to a person. */
  executionRoleArn?: string;
  externalId?: string;
}

export type GroupMembers = (userGroupId: string) => Promise<readonly string[]>;

/** Caches group membership for `ttlMs` (default 5 minutes); concurrent lookups share one call. */
export class CachedGroupMembers {
  private readonly cache = new Map<string, { at: number; members: Promise<readonly string[]> }>();

  constructor(private readonly fetch: GroupMembers, private readonly now: () => number, private readonly ttlMs = 5 * 60_000) {}

  members(groupId: string): Promise<readonly string[]> {
    const hit = this.cache.get(groupId);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.members;
    const members = this.fetch(groupId);
    const entry = { at: this.now(), members };
    this.cache.set(groupId, entry);
    members.catch(() => {
      if (this.cache.get(groupId) === entry) this.cache.delete(groupId);
    });
    return members;
  }
}

const refuse = (message: string, details: Record<string, unknown> = {}): SgwhyError => new SgwhyError('NOT_AUTHORISED', message, { details });

/** The accounts a fix touches (every step's account; the fix's own when steps do not say). */
export function fixAccounts(fix: Pick<StoredFix, 'steps' | 'accountId'>): string[] {
  const ids = new Set<string>();
  for (const s of fix.steps) if (s.accountId ?? fix.accountId) ids.add((s.accountId ?? fix.accountId)!);
  return [...ids];
}

/** The policies that apply to a fix; an account without one refuses (fail closed). */
export function policiesFor(fix: Pick<StoredFix, 'steps' | 'accountId'>, policies: ReadonlyMap<string, AccountApprovalPolicy>): AccountApprovalPolicy[] {
  const accounts = fixAccounts(fix);
  if (accounts.length === 0) throw refuse('This fix does not say which AWS account it changes, so nobody may approve it.');
  return accounts.map((a) => {
    const p = policies.get(a);
    if (!p) throw refuse(`Account ${a} has no approvers configured, so nobody may approve changes there.`, { accountId: a });
    return p;
  });
}

export async function isApprover(actor: Actor, policy: AccountApprovalPolicy, groups: CachedGroupMembers | undefined): Promise<boolean> {
  if (policy.approvers.users.includes(actor.userId)) return true;
  for (const g of policy.approvers.userGroups) {
    if (!groups) continue;
    if ((await groups.members(g)).includes(actor.userId)) return true;
  }
  return false;
}

export interface AuthoriseInput {
  actor: Actor;
  fix: Pick<StoredFix, 'steps' | 'accountId' | 'requester' | 'label'>;
  action: 'approve' | 'reject' | 'revert';
  workspaceTeamId: string;
  policies: ReadonlyMap<string, AccountApprovalPolicy>;
  groups?: CachedGroupMembers;
}

/**
 * Throws NOT_AUTHORISED unless the actor may take the action. Returns how many distinct approvals
 * the action needs (2 under the two-person rule in any account the fix touches, else 1).
 */
export async function authorise(i: AuthoriseInput): Promise<{ required: number }> {
  if (!i.actor.teamId || i.actor.teamId !== i.workspaceTeamId) {
    throw refuse(`Only members of this workspace may ${i.action} fixes; your team (${i.actor.teamId || 'unknown'}) is another organisation.`, { teamId: i.actor.teamId });
  }
  const policies = policiesFor(i.fix, i.policies);
  const twoPerson = policies.some((p) => p.twoPersonRule);
  // The requester may withdraw their own proposal.
  if (i.action === 'reject' && i.actor.userId === i.fix.requester.userId && i.actor.teamId === i.fix.requester.teamId) return { required: 1 };
  for (const p of policies) {
    if (!(await isApprover(i.actor, p, i.groups))) {
      throw refuse(`You are not an approver for account ${p.accountId}.`, { accountId: p.accountId });
    }
  }
  if (i.action === 'approve' && twoPerson && i.actor.userId === i.fix.requester.userId) {
    throw refuse(`The two-person rule applies: you asked for ${i.fix.label}, so someone else must approve it.`);
  }
  return { required: twoPerson && i.action !== 'reject' ? 2 : 1 };
}
