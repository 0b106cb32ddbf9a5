/**
 * The re-check after a change: re-collect fresh data and re-ask the engine, retrying for a few
 * seconds while the answer is not yet the expected one (security group changes are eventually
 * consistent). The last answer is reported whatever it says: the loop is closed by evidence.
 */
import type { Answer } from '../answer/types.js';
import { ask } from '../engine/ask.js';
import { buildModel } from '../model/build.js';
import type { RawDoc } from '../model/raw.js';
import type { Question } from '../question/types.js';

export type Collect = (question: Question) => Promise<RawDoc[]>;

export interface RecheckOptions {
  /** Give up after this long. Default 8 s. */
  timeoutMs?: number;
  /** Between attempts. Default 1 s. */
  intervalMs?: number;
  now: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface Recheck {
  answer: Answer;
  attempts: number;
  docs: RawDoc[];
}

export async function recheckUntil(collect: Collect, question: Question, done: (a: Answer) => boolean, o: RecheckOptions): Promise<Recheck> {
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = o.now() + (o.timeoutMs ?? 8_000);
  let attempts = 0;
  for (;;) {
    attempts++;
    const docs = await collect(question);
    const answer = ask(buildModel(docs), question);
    if (done(answer) || o.now() + (o.intervalMs ?? 1_000) > deadline) return { answer, attempts, docs };
    await sleep(o.intervalMs ?? 1_000);
  }
}
