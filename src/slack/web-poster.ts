/**
 * SlackPoster over the Web API client. Rate limits are the client's business: it waits for
 * Retry-After and tries again (nothing is dropped). Links and media are never unfurled.
 */
import type { WebClient } from '@slack/web-api';
import type { SlackPoster } from '../bot/poster.js';
import type { SlackMessage, Snippet } from '../render/slack-blocks.js';

export class WebPoster implements SlackPoster {
  /** `responseOrigins`: the only origins a slash command's response_url may have. */
  constructor(private readonly client: WebClient, private readonly responseOrigins: readonly string[] = ['https://hooks.slack.com']) {}

  async post(channel: string, msg: SlackMessage, threadTs?: string): Promise<string> {
    const r = await this.client.chat.postMessage({
      channel, text: msg.text, blocks: msg.blocks as never, unfurl_links: false, unfurl_media: false, ...(threadTs ? { thread_ts: threadTs } : {}),
    });
    if (typeof r.ts !== 'string') throw new Error('chat.postMessage returned no ts');
    return r.ts;
  }

  async update(channel: string, ts: string, msg: SlackMessage): Promise<void> {
    await this.client.chat.update({ channel, ts, text: msg.text, blocks: msg.blocks as never });
  }

  async ephemeral(channel: string, user: string, msg: SlackMessage, threadTs?: string): Promise<void> {
    await this.client.chat.postEphemeral({ channel, user, text: msg.text, blocks: msg.blocks as never, ...(threadTs ? { thread_ts: threadTs } : {}) });
  }

  async upload(channel: string, threadTs: string, s: Snippet): Promise<void> {
    await this.client.files.uploadV2({ channel_id: channel, thread_ts: threadTs, filename: s.filename, title: s.title, content: s.content });
  }

  async respond(responseUrl: string, msg: SlackMessage, opts: { ephemeral: boolean }): Promise<void> {
    let origin: string;
    try {
      origin = new URL(responseUrl).origin;
    } catch {
      throw new Error('response_url is not a URL');
    }
    if (!this.responseOrigins.includes(origin)) throw new Error(`response_url origin ${origin} is not Slack's`);
    const r = await fetch(responseUrl, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: opts.ephemeral ? 'ephemeral' : 'in_channel', text: msg.text, blocks: msg.blocks }),
      signal: AbortSignal.timeout(5000),
    });
    if (!r.ok) throw new Error(`response_url answered ${r.status}`);
  }
}
