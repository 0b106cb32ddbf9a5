/**
 * The use case the Slack listeners call: a question's text in, an Answer out. From a snapshot
 * model loaded once, or live from the accounts a channel may query.
 */
import type { Answer } from '../answer/types.js';
import { AwsSession } from '../aws/clients.js';
import { answerLive } from '../aws/live-answer.js';
import { resolveTargets } from '../aws/targets.js';
import type { SgwhyConfig } from '../config/types.js';
import { selectAccounts } from '../config/select.js';
import { ask } from '../engine/ask.js';
import { SgwhyError } from '../errors/errors.js';
import type { Model } from '../model/types.js';
import { parseQuestion } from '../question/parse.js';

export interface AskContext {
  userId: string;
  channelId: string;
  channelName?: string;
}

export type Answerer = (text: string, ctx: AskContext) => Promise<Answer>;

export function snapshotAnswerer(model: Model): Answerer {
  return async (text) => ask(model, parseQuestion(text));
}

export function liveAnswerer(config: SgwhyConfig, session: AwsSession): Answerer {
  return async (text, ctx) => {
    const question = parseQuestion(text);
    const accounts = selectAccounts(config, { slackChannel: { id: ctx.channelId, ...(ctx.channelName ? { name: ctx.channelName } : {}) } });
    if (accounts.length === 0) throw new SgwhyError('CONFIG_INVALID', 'No account is configured for this channel: ask an admin to add it to slackChannels.');
    const clients = session.forQuestion({ asker: `slack-${ctx.userId}` });
    const targets = await resolveTargets(clients, accounts);
    return (await answerLive(clients, targets, question)).answer;
  };
}
