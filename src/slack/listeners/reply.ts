/** What every listener posts: the answer as Block Kit, or a friendly error with examples. */
import { isSgwhyError } from '../../errors/errors.js';
import { escapeMrkdwn, renderSlack, type SlackMessage } from '../../render/slack.js';
import type { Answerer, AskContext } from '../answerer.js';

export async function replyFor(answer: Answerer, text: string, ctx: AskContext): Promise<SlackMessage> {
  try {
    return renderSlack(await answer(text, ctx));
  } catch (e) {
    if (isSgwhyError(e)) {
      const hints = e.hints.length ? `\n${e.hints.map((h) => `• \`${escapeMrkdwn(h)}\``).join('\n')}` : '';
      const msg = `:warning: ${escapeMrkdwn(e.message)}${hints}`;
      return { text: e.message, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: msg.slice(0, 3000) } }] };
    }
    throw e;
  }
}

