/** Shared by the live commands: configuration, accounts, a session for one asker. */
import { userInfo } from 'node:os';
import { AwsSession, type AwsClients } from '../aws/clients.js';
import type { Target } from '../aws/target.js';
import { resolveTargets } from '../aws/targets.js';
import { loadConfig } from '../config/load.js';
import { selectAccounts } from '../config/select.js';

export interface LiveFlags {
  config?: string | undefined;
  account?: string[] | undefined;
  region?: string[] | undefined;
  as?: string | undefined;
}

export async function withLive<T>(flags: LiveFlags, fn: (clients: AwsClients, targets: Target[]) => Promise<T>): Promise<T> {
  const config = await loadConfig(flags.config ? { path: flags.config } : {});
  const session = new AwsSession();
  try {
    let asker = flags.as;
    if (!asker) {
      try {
        asker = userInfo().username;
      } catch {
        asker = 'sgwhy-cli';
      }
    }
    // Targets are resolved once (the bot does it at start-up); the question's clients count only its own calls.
    const targets = await resolveTargets(session.forQuestion({ asker }), selectAccounts(config, { ...(flags.account ? { accounts: flags.account } : {}), ...(flags.region ? { regions: flags.region } : {}) }));
    return await fn(session.forQuestion({ asker }), targets);
  } finally {
    session.destroy();
  }
}
