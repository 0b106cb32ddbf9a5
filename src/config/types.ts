/** The account configuration: which AWS accounts sgwhy may read, how, where, and for whom. Pure data. */

export interface AccountConfig {
  /** 12-digit AWS account id. null only for the implicit default-chain account (resolved with STS GetCallerIdentity). */
  id: string | null;
  /** Human name used in messages and in `--account` (the config key is `name`; `alias` is accepted). */
  name: string;
  /** Read-only role to assume in this account. Absent: use the default credential chain as-is. */
  roleArn?: string;
  externalId?: string;
  /** Regions to search. Empty only for the implicit default-chain account (the SDK's default region is used). */
  regions: string[];
  /** Slack channels (ids like C0123ABCD or names like #incidents) allowed to query this account; "*" = any. */
  slackChannels: string[];
  /** Role sgwhy assumes to apply approved fixes (separate from roleArn). Absent: approval hands the command to a person. */
  executionRoleArn?: string;
  /** Who may approve fixes in this account: Slack user ids (U…/W…) and user group ids (S…). None: nobody. */
  approvers?: { users: string[]; userGroups: string[] };
  /** Two distinct approvers; the requester may not approve their own fix. */
  twoPersonRule?: boolean;
}

export interface SgwhyConfig {
  /** Where it came from: a file path, or "default credential chain". */
  source: string;
  /** True when no config file was given and the default chain stands in as one account. */
  implicit: boolean;
  accounts: AccountConfig[];
  /** Approval settings: how long a proposed fix may be approved (default 24 h). */
  approvals?: { expiryHours: number };
}
