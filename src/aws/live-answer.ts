/**
 * `sgwhy ask` without --snapshot: collect what the question needs from the live accounts, then
 * answer with the same engine as for a snapshot. Shared by the CLI and the Slack bot.
 */
import type { Answer } from '../answer/types.js';
import { ask } from '../engine/ask.js';
import { buildModel } from '../model/build.js';
import type { Question } from '../question/types.js';
import type { AwsClients } from './clients.js';
import { collectForQuestion, type QuestionCollection } from './collect-question.js';
import { withGaps } from './gaps.js';
import type { LocateWithin } from './locate.js';
import type { Target } from './target.js';

export interface LiveAnswer {
  answer: Answer;
  /** The docs, gaps, call stats and located endpoints (for --verbose and the flow-log step). */
  collection: QuestionCollection;
}

export async function answerLive(
  clients: AwsClients,
  targets: readonly Target[],
  question: Question,
  opts: { within?: { source?: LocateWithin; destination?: LocateWithin } } = {},
): Promise<LiveAnswer> {
  const collection = await collectForQuestion(clients, targets, question, opts);
  const answer = withGaps(ask(buildModel(collection.docs), question), collection.gaps);
  return { answer, collection };
}
