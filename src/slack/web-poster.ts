/**
 * SlackPoster over the Web API: messages through the lean client (web-api.ts), file uploads
 * through `@slack/web-api`'s WebClient (files.uploadV2 is three calls). Rate limits are the
 * clients' business: they wait for Retry-After and try again (nothing is dropped). Links and
 * media are never unfurled.
 */
import type { WebClient } from '@slack/web-api';
import type { SlackPoster } from '../bot/poster.js';
import type { SlackMessage, Snippet } from '../render/slack-blocks.js';
import type { SlackWebApi } from './web-api.js';

export class WebPoster implements SlackPoster {
  /** `responseOrigins`: the only origins a slash command's response_url may have. */
  constructor(private readonly api: SlackWebApi, private readonly client: WebClient, private readonly responseOrigins: readonly string[] = ['https://hooks.slack.com']) {}

  async post(channel: string, msg: SlackMessage, threadTs?: string): Promise<string> {
    const r = await this.api.call('chat.postMessage', {
      channel, text: msg.text, blocks: msg.blocks, unfurl_links: false, unfurl_media: false, ...(threadTs ? { thread_ts: threadTs } : {}),
    });
    if (typeof r.ts !== 'string') throw new Error('chat.postMessage returned no ts');
    return r.ts;
  }

  async update(channel: string, ts: string, msg: SlackMessage): Promise<void> {
    await this.api.call('chat.update', { channel, ts, text: msg.text, blocks: msg.blocks });
  }

  async ephemeral(channel: string, user: string, msg: SlackMessage, threadTs?: string): Promise<void> {
    await this.api.call('chat.postEphemeral', { channel, user, text: msg.text, blocks: msg.blocks, ...(threadTs ? { thread_ts: threadTs } : {}) });
  }

  async upload(channel: string, threadTs: string, s: Snippet): Promise<void> {
    await this.client.files.uploadV2({ channel_id: channel, thread_ts: threadTs, filename: s.filename, title: s.title, content: s.content });
  }

  async respond(responseUrl: string, msg: SlackMessage, opts: { ephemeral: boolean }): Promise<void> {
    let url: URL;
    try {
      url = new URL(responseUrl);
    } catch {
      throw new Error('response_url is not a URL');
    }
    if (!this.responseOrigins.includes(url.origin)) throw new Error(`response_url origin ${url.origin} is not Slack's`);
    await this.api.postJson(url, { response_type: opts.ephemeral ? 'ephemeral' : 'in_channel', text: msg.text, blocks: msg.blocks });
  }
}
