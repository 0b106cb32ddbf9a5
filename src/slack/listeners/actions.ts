/** The answer's buttons: ack, then hand the click to the runner (which trusts nothing in it but the signed ids). */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { ActionKind } from '../../bot/actions.js';
import { ACTION } from '../../render/slack.js';
import { APPROVAL_ACTION } from '../../render/slack-approvals.js';
import type { Runner } from '../runner.js';
import { newRequestId } from '../request-id.js';

const KIND: Record<string, ActionKind> = {
  [ACTION.recheck]: 'recheck', [ACTION.trace]: 'trace', [ACTION.flowLogs]: 'flow-logs',
  [APPROVAL_ACTION.approve]: 'approve', [APPROVAL_ACTION.reject]: 'reject', [APPROVAL_ACTION.approveAll]: 'approve-all', [APPROVAL_ACTION.revert]: 'revert',
};
export const ACTION_PATTERN = new RegExp(`^(${Object.keys(KIND).join('|')})(:[A-Za-z0-9-]{1,16})?$`);

export function registerActions(app: App, runner: Runner): void {
  app.action<BlockAction<ButtonAction>>(ACTION_PATTERN, async ({ ack, body, action }) => {
    await ack();
    const kind = KIND[action.action_id.split(':')[0]!];
    const channel = body.channel?.id ?? body.container?.channel_id;
    const messageTs = body.container?.message_ts ?? body.message?.ts;
    if (!kind || !channel || !messageTs) return;
    const threadTs = body.container?.thread_ts ?? body.message?.thread_ts;
    const teamId = body.user.team_id ?? body.team?.id;
    runner.dispatch({
      kind: 'action',
      input: {
        requestId: newRequestId(), kind, userId: body.user.id, channel, messageTs,
        ...(typeof threadTs === 'string' ? { threadTs } : {}), ...(teamId ? { teamId } : {}),
        ...(typeof body.channel?.name === 'string' ? { channelName: body.channel.name } : {}),
        ...(typeof action.value === 'string' ? { value: action.value.slice(0, 100) } : {}),
      },
    });
  });
}
