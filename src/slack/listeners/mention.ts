/** @sgwhy … in a channel: answered in the mention's thread (Bolt acks events itself). */
import type { App } from '@slack/bolt';
import type { Runner } from '../runner.js';
import { newRequestId } from '../request-id.js';

export function registerMention(app: App, runner: Runner): void {
  app.event('app_mention', async ({ event, body }) => {
    if (!event.user) return;
    runner.dispatch({
      kind: 'message',
      input: {
        requestId: newRequestId(), via: 'mention', text: event.text, userId: event.user, channel: event.channel,
        messageTs: event.ts, ...(event.thread_ts ? { threadTs: event.thread_ts } : {}),
        ...(body.team_id ? { teamId: body.team_id } : {}), ...(body.event_id ? { deliveryId: `event:${body.event_id}` } : {}),
      },
    });
  });
}
