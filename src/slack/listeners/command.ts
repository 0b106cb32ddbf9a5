/** /sgwhy <question>: ack at once, then answer in the channel (queued behind the acks). */
import type { App } from '@slack/bolt';
import type { Answerer } from '../answerer.js';
import type { TurnQueue } from '../turn-queue.js';
import { replyFor } from './reply.js';

export function registerCommand(app: App, answer: Answerer, queue: TurnQueue, command = '/sgwhy'): void {
  app.command(command, async ({ command: c, ack, client }) => {
    await ack();
    queue.push(async () => {
      const msg = await replyFor(answer, c.text, { userId: c.user_id, channelId: c.channel_id, channelName: c.channel_name });
      await client.chat.postMessage({ channel: c.channel_id, text: msg.text, blocks: msg.blocks });
    });
  });
}
