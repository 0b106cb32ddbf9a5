/** A direct message to the bot: answered in the conversation (in its thread when threaded). */
import type { App } from '@slack/bolt';
import type { Runner } from '../runner.js';
import { newRequestId } from '../request-id.js';

export function registerDirectMessage(app: App, runner: Runner): void {
  app.message(async ({ message, body }) => {
    // Only people's own messages in a DM: no edits, joins, bots (the bot's own replies included).
    if (message.channel_type !== 'im' || message.subtype !== undefined || !('user' in message) || !message.user || 'bot_id' in message && message.bot_id) return;
    const text = typeof message.text === 'string' ? message.text : '';
    const b = body as { team_id?: string; event_id?: string };
    runner.dispatch({
      kind: 'message',
      input: {
        requestId: newRequestId(), via: 'dm', text, userId: message.user, channel: message.channel,
        messageTs: message.ts, ...(message.thread_ts ? { threadTs: message.thread_ts } : {}),
        ...(b.team_id ? { teamId: b.team_id } : {}), ...(b.event_id ? { deliveryId: `event:${b.event_id}` } : {}),
      },
    });
  });
}
