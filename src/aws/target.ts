/** Where an API call goes: one account in one region, and how to get credentials for it. */
export interface Target {
  accountId: string;
  accountName: string;
  region: string;
  /** Read-only role to assume; absent = the default credential chain as-is. */
  roleArn?: string;
  externalId?: string;
}

/** An (account, region) pair; every collected object lives in exactly one. */
export interface Scope {
  accountId: string;
  region: string;
}

export const scopeKey = (s: Scope): string => `${s.accountId}/${s.region}`;

export const describeTarget = (t: Target): string =>
  t.accountName && t.accountName !== t.accountId ? `${t.accountName} (${t.accountId}) ${t.region}` : `${t.accountId} ${t.region}`;
