/**
 * Requests as Slack sends them to an app's HTTP endpoint (Request URL), for driving the real Bolt
 * receiver in tests: bodies for slash commands, Events API callbacks, interactive payloads and
 * url_verification, signed the way Slack signs them, plus Slack's retry headers and the bad cases
 * (stale timestamp, forged signature, no signature).
 *
 * Signing (docs.slack.dev/authentication/verifying-requests-from-slack): `X-Slack-Signature` is
 * `v0=` + hex HMAC-SHA256 of `v0:<X-Slack-Request-Timestamp>:<raw body>` with the signing secret;
 * apps must refuse timestamps more than five minutes old. Retries (Events API): `X-Slack-Retry-Num`
 * and `X-Slack-Retry-Reason` (`http_timeout`, `http_error`, …). Interactivity: the body is
 * form-encoded with one field, `payload`, holding the JSON.
 */
import { createHmac } from 'node:crypto';

export const FORM = 'application/x-www-form-urlencoded';
export const JSON_TYPE = 'application/json';

/** Headers Slack sends: v0 HMAC-SHA256 of "v0:<timestamp>:<body>" with the signing secret. */
export function slackSignature(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  const sig = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': sig };
}

export interface Team { teamId?: string; teamDomain?: string; appId?: string }

export function slashCommandBody(text: string, channel: string, user = 'U123', o: Team & { command?: string; channelName?: string; triggerId?: string; responseUrl?: string } = {}): string {
  return new URLSearchParams({
    token: 'legacy', team_id: o.teamId ?? 'T1', team_domain: o.teamDomain ?? 'acme', channel_id: channel, channel_name: o.channelName ?? 'incident',
    user_id: user, user_name: 'alice', command: o.command ?? '/sgwhy', text, api_app_id: o.appId ?? 'A1',
    response_url: o.responseUrl ?? 'http://127.0.0.1:9/unused', trigger_id: o.triggerId ?? 't1',
  }).toString();
}

/** The same slash command as an object (a Socket Mode `slash_commands` envelope's payload). */
export function slashCommandPayload(text: string, channel: string, user = 'U123', o: Parameters<typeof slashCommandBody>[3] = {}): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(slashCommandBody(text, channel, user, o)));
}

let eventSeq = 0;
/** A unique Events API `event_id` (Slack's look: Ev + alphanumerics). */
export function newEventId(): string {
  eventSeq += 1;
  return `Ev${Date.now().toString(36).toUpperCase()}${String(eventSeq).padStart(4, '0')}`;
}

export interface EventOptions extends Team { eventId?: string; eventTime?: number; botUserId?: string }

/** An Events API `event_callback` envelope (the JSON body of an HTTP event, or a Socket Mode payload). */
export function eventCallback(event: Record<string, unknown>, o: EventOptions = {}): Record<string, unknown> {
  const teamId = o.teamId ?? 'T1';
  return {
    token: 'legacy', team_id: teamId, context_team_id: teamId, api_app_id: o.appId ?? 'A1', event, type: 'event_callback',
    event_id: o.eventId ?? newEventId(), event_time: o.eventTime ?? Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: teamId, user_id: o.botUserId ?? 'UBOT', is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false, event_context: `4-fake-${teamId}`,
  };
}

export interface MessageFields { channel: string; user?: string; text: string; ts: string; threadTs?: string; teamId?: string }

/** `app_mention`: someone wrote @bot in a channel (or in a thread: `thread_ts`). */
export function appMentionEvent(m: MessageFields): Record<string, unknown> {
  return {
    type: 'app_mention', user: m.user ?? 'U123', text: m.text, ts: m.ts, channel: m.channel, event_ts: m.ts, team: m.teamId ?? 'T1',
    ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
  };
}

/** `message` in a direct message with the bot (`message.im`, `channel_type: im`). */
export function imMessageEvent(m: MessageFields): Record<string, unknown> {
  return {
    type: 'message', channel_type: 'im', user: m.user ?? 'U123', text: m.text, ts: m.ts, channel: m.channel, event_ts: m.ts, team: m.teamId ?? 'T1',
    ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
  };
}

/** `message` replying in a thread of a channel (`thread_ts` set, `channel_type: channel`). */
export function threadReplyEvent(m: MessageFields & { threadTs: string; channelType?: 'channel' | 'group' | 'im' }): Record<string, unknown> {
  return {
    type: 'message', channel_type: m.channelType ?? 'channel', user: m.user ?? 'U123', text: m.text, ts: m.ts, thread_ts: m.threadTs,
    parent_user_id: 'UBOT', channel: m.channel, event_ts: m.ts, team: m.teamId ?? 'T1',
  };
}

export function eventBody(event: Record<string, unknown>, o: EventOptions = {}): string {
  return JSON.stringify(eventCallback(event, o));
}

/** Slack's check of a new Request URL: the app must answer with the challenge. */
export function urlVerificationBody(challenge = 'fake-challenge-3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P'): string {
  return JSON.stringify({ token: 'legacy', challenge, type: 'url_verification' });
}

export interface ButtonClick extends Team {
  actionId: string;
  value?: string;
  blockId?: string;
  userId?: string;
  userName?: string;
  channel: string;
  /** ts of the message holding the button. */
  messageTs: string;
  /** Thread the message is in (`container.thread_ts`), if any. */
  threadTs?: string;
  /** The message's blocks and text, as Slack echoes them back. */
  message?: { text?: string; blocks?: unknown[] };
  triggerId?: string;
  responseUrl?: string;
}

/** A `block_actions` payload for a button click (the object inside `payload=`, or a Socket Mode payload). */
export function blockActionsPayload(c: ButtonClick): Record<string, unknown> {
  const teamId = c.teamId ?? 'T1';
  const now = (Date.now() / 1000).toFixed(6);
  return {
    type: 'block_actions',
    user: { id: c.userId ?? 'U123', username: c.userName ?? 'alice', name: c.userName ?? 'alice', team_id: teamId },
    api_app_id: c.appId ?? 'A1', token: 'legacy',
    container: { type: 'message', message_ts: c.messageTs, channel_id: c.channel, is_ephemeral: false, ...(c.threadTs ? { thread_ts: c.threadTs } : {}) },
    trigger_id: c.triggerId ?? `${Date.now()}.${teamId}.fake`,
    team: { id: teamId, domain: c.teamDomain ?? 'acme' },
    enterprise: null, is_enterprise_install: false,
    channel: { id: c.channel, name: 'incident' },
    message: {
      type: 'message', user: 'UBOT', bot_id: 'BBOT', ts: c.messageTs, text: c.message?.text ?? '', ...(c.message?.blocks ? { blocks: c.message.blocks } : {}),
      ...(c.threadTs ? { thread_ts: c.threadTs } : {}),
    },
    state: { values: {} },
    response_url: c.responseUrl ?? 'http://127.0.0.1:9/unused',
    actions: [{
      type: 'button', action_id: c.actionId, block_id: c.blockId ?? 'actions', text: { type: 'plain_text', text: c.actionId, emoji: true },
      ...(c.value !== undefined ? { value: c.value } : {}), action_ts: now,
    }],
  };
}

/** The HTTP body of an interaction: form-encoded `payload=<JSON>`. */
export function blockActionsBody(c: ButtonClick): string {
  return new URLSearchParams({ payload: JSON.stringify(blockActionsPayload(c)) }).toString();
}

export interface SignedPost {
  secret: string;
  body: string;
  contentType: string;
  /**
   * 'valid' (default); 'none' (no signature headers); 'forged' (signed with another secret);
   * 'stale' (correct signature over a timestamp ten minutes old, which Slack apps must refuse).
   */
  signature?: 'valid' | 'none' | 'forged' | 'stale';
  /** Slack's redelivery headers (Events API). */
  retry?: { num: number; reason?: string };
  timestamp?: number;
}

/** The headers of a request as Slack would send it (or as an attacker would). */
export function slackHeaders(p: SignedPost): Record<string, string> {
  const sig = p.signature ?? 'valid';
  const now = p.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = { 'content-type': p.contentType, 'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)' };
  if (sig === 'valid') Object.assign(headers, slackSignature(p.secret, p.body, now));
  if (sig === 'forged') Object.assign(headers, slackSignature(`${p.secret}-forged`, p.body, now));
  if (sig === 'stale') Object.assign(headers, slackSignature(p.secret, p.body, now - 600));
  if (p.retry) {
    headers['x-slack-retry-num'] = String(p.retry.num);
    headers['x-slack-retry-reason'] = p.retry.reason ?? 'http_timeout';
  }
  return headers;
}

/** POST a request the way Slack does; the status, the answer's text and the time to the answer. */
export async function postToApp(url: string, p: SignedPost): Promise<{ status: number; text: string; headers: Headers; ms: number }> {
  const s = performance.now();
  const r = await fetch(url, { method: 'POST', body: p.body, headers: slackHeaders(p) });
  const text = await r.text();
  return { status: r.status, text, headers: r.headers, ms: performance.now() - s };
}
