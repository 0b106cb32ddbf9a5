/** Narrows the configured accounts/regions for one request (CLI --account/--region, a Slack channel). Pure. */
import { SgwhyError } from '../errors/errors.js';
import type { AccountConfig, SgwhyConfig } from './types.js';

export interface Selection {
  /** Account ids or names (case-insensitive for names). Empty/absent: all accounts. */
  accounts?: readonly string[];
  /** Regions to keep. Empty/absent: each account's own regions. */
  regions?: readonly string[];
  /** Only accounts this Slack channel may query (channel id like C0123ABCD, or #name). */
  slackChannel?: { id?: string; name?: string };
}

/** True if the channel is listed for the account ("*" = any channel). Names compare without "#", case-insensitively. */
export function channelAllowed(account: AccountConfig, channel: { id?: string; name?: string }): boolean {
  const name = channel.name?.replace(/^#/, '').toLowerCase();
  return account.slackChannels.some(
    (c) => c === '*' || (channel.id !== undefined && c === channel.id) || (name !== undefined && c.startsWith('#') && c.slice(1).toLowerCase() === name),
  );
}

export function selectAccounts(config: SgwhyConfig, sel: Selection = {}): AccountConfig[] {
  let accounts = config.accounts;
  if (sel.accounts && sel.accounts.length > 0) {
    const wanted = sel.accounts.map((a) => a.trim()).filter(Boolean);
    const unknown = wanted.filter((w) => !accounts.some((a) => a.id === w || a.name.toLowerCase() === w.toLowerCase()));
    if (unknown.length > 0) {
      throw new SgwhyError('CONFIG_INVALID', `Unknown account ${unknown.map((u) => `"${u}"`).join(', ')} (from ${config.source})`, {
        hints: [`Configured accounts: ${config.accounts.map((a) => (a.id ? `${a.name} (${a.id})` : a.name)).join(', ')}`],
      });
    }
    accounts = accounts.filter((a) => wanted.some((w) => a.id === w || a.name.toLowerCase() === w.toLowerCase()));
  }
  if (sel.slackChannel) {
    const ch = sel.slackChannel;
    accounts = accounts.filter((a) => channelAllowed(a, ch));
    if (accounts.length === 0) {
      throw new SgwhyError('AWS_ACCESS_DENIED', `This channel may not query any configured AWS account.`, {
        hints: ['Add the channel to slackChannels of an account in the sgwhy config.'],
        details: { channel: ch },
      });
    }
  }
  if (sel.regions && sel.regions.length > 0) {
    const regions = sel.regions.map((r) => r.trim()).filter(Boolean);
    // The implicit account has no region list (the SDK default applies); an explicit --region replaces it.
    accounts = accounts
      .map((a) => ({ ...a, regions: a.regions.length === 0 ? [...regions] : a.regions.filter((r) => regions.includes(r)) }))
      .filter((a) => a.regions.length > 0);
    if (accounts.length === 0) {
      throw new SgwhyError('CONFIG_INVALID', `No selected account is configured for region ${regions.join(', ')} (from ${config.source})`);
    }
  }
  return accounts;
}
