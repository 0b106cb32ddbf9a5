/** The live half of `sgwhy ask` (no --snapshot). Loaded only when used: it pulls in the AWS SDK. */
import type { Answer } from '../answer/types.js';
import { formatCallStats } from '../aws/call-stats.js';
import { answerLive } from '../aws/live-answer.js';
import { flowLogEvidence } from '../flowlogs/evidence.js';
import type { Question } from '../question/types.js';
import { EXIT, type Io } from './io.js';
import { withLive, type LiveFlags } from './live.js';

export interface LiveAskOptions extends LiveFlags {
  verbose: boolean;
  flowLogs: boolean;
  json: boolean;
}

export async function askLive(question: Question, opts: LiveAskOptions, io: Io, print: (a: Answer) => void): Promise<number> {
  return withLive(opts, async (clients, targets) => {
    const { answer, collection } = await answerLive(clients, targets, question);
    print(answer);
    if (opts.verbose) io.err(`${formatCallStats(collection.stats)}\n`);
    if (opts.flowLogs) {
      // A separate, slower step: the verdict above is already out.
      const ev = await flowLogEvidence(clients, targets, question, collection.endpoints, answer.verdict);
      if (ev) io.out(opts.json ? `${JSON.stringify({ flowLogs: ev }, null, 2)}\n` : `\nFlow logs (last ${ev.window.minutes} min)\n${ev.sentences.map((s) => `  ${s}`).join('\n')}\n  ${ev.agreement.message}\n`);
      else io.out('\nFlow logs: no address to look for (an endpoint was not found).\n');
    }
    return EXIT[answer.verdict];
  });
}
