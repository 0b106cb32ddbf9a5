/** @sgwhy why can't … : answer in the thread of the mention (Bolt acks events itself). */
import type { App } from '@slack/bolt';
import type { Answerer } from '../answerer.js';
import type { TurnQueue } from '../turn-queue.js';
import { replyFor } from './reply.js';

export function registerMention(app: App, answer: Answerer, queue: TurnQueue): void {
  app.event('app_mention', async ({ event, client }) => {
    const text = event.text.replace(/<@[A-Z0-9]+>/g, ' ').trim();
    queue.push(async () => {
      const msg = await replyFor(answer, text, { userId: event.user ?? 'unknown', channelId: event.channel });
      await client.chat.postMessage({ channel: event.channel, thread_ts: event.thread_ts ?? event.ts, text: msg.text, blocks: msg.blocks });
    });
  });
}
