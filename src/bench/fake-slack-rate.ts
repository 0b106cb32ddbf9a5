/**
 * Slack's Web API rate limits, enforced on request (opt-in: `rateLimits` when starting the fake).
 *
 * From Slack's "Rate limits" page (docs.slack.dev/apis/web-api/rate-limits): limits apply "per API
 * method per app per workspace"; Tier 1 is 1+ per minute, Tier 2 20+, Tier 3 50+, Tier 4 100+;
 * chat.postMessage (special tier) "generally allows posting one message per second per channel"
 * ("short bursts >1 allowed", with no guarantee). Over the limit Slack answers HTTP 429 with
 * `Retry-After` (seconds) and `{"ok":false,"error":"ratelimited"}`. The fake applies each tier's floor
 * (the strict reading) over a sliding window; refused calls do not count against the window.
 */
import type { Reply } from './fake-slack-methods.js';

export interface RateRule {
  /** Calls allowed per window. */
  limit: number;
  windowMs: number;
  /** Count per `channel` argument (chat.postMessage's one per second per channel). */
  perChannel?: boolean;
}

const perMinute = (limit: number): RateRule => ({ limit, windowMs: 60_000 });

/** The documented tiers of the methods the fake serves (each method's reference page). */
export const SLACK_RATE_LIMITS: Readonly<Record<string, RateRule>> = {
  'chat.postMessage': { limit: 1, windowMs: 1000, perChannel: true },
  'chat.update': perMinute(50), // Tier 3
  'chat.delete': perMinute(50), // Tier 3
  'chat.postEphemeral': perMinute(100), // Tier 4
  'views.open': perMinute(100), // Tier 4
  'users.info': perMinute(100), // Tier 4
  'conversations.info': perMinute(50), // Tier 3
  'usergroups.users.list': perMinute(20), // Tier 2
  'files.getUploadURLExternal': perMinute(100), // Tier 4
  'files.completeUploadExternal': perMinute(100), // Tier 4 (as its companion; the page was not checked)
  'apps.connections.open': perMinute(1), // Tier 1
};

export class RateLimiter {
  private readonly seen = new Map<string, number[]>();

  constructor(private rules: Record<string, RateRule> = {}) {}

  set(rules: Record<string, RateRule>): void {
    this.rules = rules;
    this.seen.clear();
  }

  /** A 429 when this call is over its method's limit; otherwise counts it. */
  check(method: string, args: Record<string, unknown>, now: number): Reply | undefined {
    const rule = this.rules[method];
    if (!rule) return undefined;
    const key = rule.perChannel ? `${method} ${String(args.channel ?? '')}` : method;
    const recent = (this.seen.get(key) ?? []).filter((t) => now - t < rule.windowMs);
    if (recent.length >= rule.limit) {
      this.seen.set(key, recent);
      const wait = Math.max(1, Math.ceil((recent[0]! + rule.windowMs - now) / 1000));
      return { status: 429, headers: { 'retry-after': String(wait) }, body: { ok: false, error: 'ratelimited' } };
    }
    recent.push(now);
    this.seen.set(key, recent);
    return undefined;
  }
}
