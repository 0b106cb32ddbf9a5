/** The approval policies and fix expiry from the account configuration. Pure. */
import type { SgwhyConfig } from '../config/types.js';
import type { AccountApprovalPolicy } from './policy.js';

export function approvalPolicies(config: SgwhyConfig): Map<string, AccountApprovalPolicy> {
  const out = new Map<string, AccountApprovalPolicy>();
  for (const a of config.accounts) {
    if (!a.id) continue;
    out.set(a.id, {
      accountId: a.id,
      approvers: a.approvers ?? { users: [], userGroups: [] },
      twoPersonRule: a.twoPersonRule ?? false,
      ...(a.executionRoleArn ? { executionRoleArn: a.executionRoleArn } : {}),
      ...(a.externalId ? { externalId: a.externalId } : {}),
    });
  }
  return out;
}

/** Seconds a proposed fix may be approved (default 24 h). */
export function fixExpirySeconds(config: SgwhyConfig): number {
  return Math.round((config.approvals?.expiryHours ?? 24) * 3600);
}
