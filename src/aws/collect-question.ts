/**
 * Everything live that one question needs before the verdict: locate both endpoints (wave 1) and
 * collect the path between them (waves 2-3). The result feeds buildModel() exactly like a snapshot.
 * Flow-log evidence is a separate, later step (src/flowlogs) and never runs here.
 */
import type { RawDoc } from '../model/raw.js';
import type { Question } from '../question/types.js';
import type { CallStats } from './call-stats.js';
import type { AwsClients } from './clients.js';
import { collectTargeted } from './collect-targeted.js';
import { dedupeGaps, type Gap } from './gaps.js';
import { locateEndpoints, type LocateCandidate, type LocateOutcome, type LocateWithin } from './locate.js';
import type { Target } from './target.js';

export interface QuestionCollection {
  docs: RawDoc[];
  gaps: Gap[];
  stats: CallStats;
  endpoints: { source: LocateOutcome; destination: LocateOutcome };
}

export async function collectForQuestion(
  clients: AwsClients,
  targets: readonly Target[],
  question: Pick<Question, 'source' | 'destination'>,
  opts: { within?: { source?: LocateWithin; destination?: LocateWithin } } = {},
): Promise<QuestionCollection> {
  const located = await locateEndpoints(clients, targets, [question.source, question.destination], {
    within: [opts.within?.source, opts.within?.destination],
  });
  const [source, destination] = located.outcomes as [LocateOutcome, LocateOutcome];
  const candidate = (o: LocateOutcome): LocateCandidate | undefined => (o.status === 'found' ? o.candidate : undefined);
  const address = (o: LocateOutcome): string | undefined =>
    o.ref.kind === 'ip' ? o.ref.value : o.status === 'found' ? o.candidate.interfaces[0]?.privateIp : undefined;
  const src = candidate(source);
  const dst = candidate(destination);
  const sourceAddress = address(source);
  const destinationAddress = address(destination);
  const collected = await collectTargeted(
    clients,
    targets,
    {
      ...(src ? { source: src } : {}),
      ...(dst ? { destination: dst } : {}),
      ...(sourceAddress ? { sourceAddress } : {}),
      ...(destinationAddress ? { destinationAddress } : {}),
    },
    { docs: located.docs },
  );
  return {
    docs: collected.docs,
    gaps: dedupeGaps([...located.gaps, ...collected.gaps]),
    stats: collected.stats,
    endpoints: { source, destination },
  };
}

