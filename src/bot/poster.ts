/**
 * What the bot's use cases need from Slack: post, update, ephemeral, upload. Implemented over
 * the Web API client in src/slack/web-poster.ts; tests may use any implementation.
 */
import type { SlackMessage, Snippet } from '../render/slack-blocks.js';

export interface SlackPoster {
  /** Posts a message; returns its ts. */
  post(channel: string, msg: SlackMessage, threadTs?: string): Promise<string>;
  update(channel: string, ts: string, msg: SlackMessage): Promise<void>;
  ephemeral(channel: string, user: string, msg: SlackMessage, threadTs?: string): Promise<void>;
  /** A file in the thread (long traces and commands). */
  upload(channel: string, threadTs: string, snippet: Snippet): Promise<void>;
  /** The slash command's own reply URL (works where the bot is not a channel member). */
  respond?(responseUrl: string, msg: SlackMessage, opts: { ephemeral: boolean }): Promise<void>;
}

/** A Slack Web API error code (`not_in_channel`, `channel_not_found`, …) from an error, if it is one. */
export function slackErrorCode(e: unknown): string | undefined {
  const data = (e as { data?: { error?: unknown } } | null)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}
