/** /sgwhy <question>: ack at once, hand the question to the runner. */
import type { App } from '@slack/bolt';
import type { Runner } from '../runner.js';
import { newRequestId } from '../request-id.js';

export const COMMAND = '/sgwhy';

export function registerCommand(app: App, runner: Runner): void {
  app.command(COMMAND, async ({ command: c, ack }) => {
    await ack();
    runner.dispatch({
      kind: 'message',
      input: {
        requestId: newRequestId(), via: 'command', text: c.text ?? '', userId: c.user_id, channel: c.channel_id,
        ...(c.team_id ? { teamId: c.team_id } : {}), ...(c.channel_name ? { channelName: c.channel_name } : {}),
        ...(c.response_url ? { responseUrl: c.response_url } : {}),
      },
    });
  });
}
