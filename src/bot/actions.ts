/**
 * Button clicks on an answer: Re-check, Full trace, Flow logs, Approve. A button's value is never
 * trusted: the thread and the turn are found from the message Slack says was clicked (a signed
 * request), and a fix id must name a fix of that answer. Double clicks produce one re-check.
 */
import { errorMessage, noticeMessage } from '../render/slack-notes.js';
import { context, fitsPreformatted, preformatted, section, untrusted } from '../render/slack-blocks.js';
import type { BotDeps, Origin } from './deps.js';
import { errorFields, errorView } from './errors.js';
import { handleApproval } from './approvals.js';
import { postFlowLogs, postTrace, recheck } from './conversation.js';
import { turnFor } from './thread-state.js';

export type ActionKind = 'recheck' | 'trace' | 'flow-logs' | 'approve' | 'reject' | 'approve-all' | 'revert';

export interface ActionInput extends Origin {
  kind: ActionKind;
  /** The clicked button's value (untrusted). */
  value?: string;
  /** The message the button is on, and its thread (from the signed payload's container). */
  messageTs: string;
  threadTs?: string;
}

const FIX_ID = /^F[1-9][0-9]{0,2}$/;

export async function handleAction(deps: BotDeps, input: ActionInput): Promise<void> {
  const base = { requestId: input.requestId, team: input.teamId, user: input.userId, channel: input.channel, action: input.kind };
  deps.log('action', base);
  const root = input.threadTs ?? input.messageTs;
  const state = await deps.threads.get(input.channel, root);
  const turn = state ? turnFor(state, input.messageTs) : undefined;
  if (!state || !turn) {
    await deps.poster.ephemeral(input.channel, input.userId, noticeMessage('I no longer have this answer (threads are kept for a few days, or it was asked elsewhere). Ask the question again and I will answer with fresh data.', input.requestId), root);
    return;
  }
  try {
    switch (input.kind) {
      case 'recheck': return await recheck(deps, input, state, turn);
      case 'trace': return await postTrace(deps, input, state, turn);
      case 'flow-logs': return await postFlowLogs(deps, input, state, turn);
      case 'reject':
      case 'approve-all':
      case 'revert':
        if (deps.approvals) return await handleApproval(deps, input, input.kind, input.value, state, turn);
        await deps.poster.ephemeral(input.channel, input.userId, noticeMessage('Approvals are not enabled in this deployment; nothing was recorded or changed.', input.requestId), root);
        return;
      case 'approve': {
        if (deps.approvals) return await handleApproval(deps, input, 'approve', input.value, state, turn);
        const id = input.value ?? '';
        const fix = FIX_ID.test(id) ? turn.answer.fixes.find((f) => f.id === id) : undefined;
        if (!fix) {
          deps.log('action_refused', { ...base, reason: 'unknown fix id' });
          await deps.poster.ephemeral(input.channel, input.userId, noticeMessage('That button does not match a fix of this answer; nothing was done.', input.requestId), root);
          return;
        }
        // Approvals are not enabled in this deployment: nothing is recorded, and the user is told so.
        await deps.poster.ephemeral(input.channel, input.userId, {
          text: `Approvals are not enabled: nothing was recorded or changed.`,
          blocks: [
            section(`Approvals are not enabled in this deployment, so *nothing was recorded or changed*. To apply *${fix.id} · ${untrusted(fix.title)}* yourself${fix.accountId ? ` in account ${untrusted(fix.accountId)}${fix.region ? ` (${untrusted(fix.region)})` : ''}` : ''}:`),
            // Exactly the command, or where it is when too long for a block (the answer attached it in the thread).
            fitsPreformatted(fix.cli) ? preformatted(fix.cli) : section(`_The command is attached in the thread as \`sgwhy-${fix.id}.sh\`._`),
            context(`sgwhy · request ${untrusted(input.requestId)}`),
          ],
        }, root);
        deps.log('approve_not_enabled', { ...base, fix: fix.id });
        return;
      }
    }
  } catch (e) {
    deps.log('action_failed', { ...base, ...errorFields(e) });
    await deps.poster.ephemeral(input.channel, input.userId, errorMessage(errorView(e, input.requestId)), root).catch(() => {});
  }
}
