/**
 * Where the bot's answers come from: a snapshot folder (try it without AWS) or the live accounts
 * a channel may query. Both answer a parsed Question with the same engine as the CLI.
 */
import type { Answer } from '../answer/types.js';
import { ask } from '../engine/ask.js';
import { buildModel } from '../model/build.js';
import type { RawDoc } from '../model/raw.js';
import type { Model } from '../model/types.js';
import type { Question } from '../question/types.js';
import type { FlowLogView } from '../render/slack-notes.js';
import { readSnapshotDir } from '../snapshot/read.js';

export interface AskContext {
  requestId: string;
  userId: string;
  teamId?: string;
  channelId: string;
  channelName?: string;
}

export interface SourcedAnswer {
  answer: Answer;
  /** Shown under the answer: where the data came from and when. */
  dataNote: string;
  /** Timings and AWS calls, for the logs. */
  stats?: Record<string, number | string | boolean>;
  /** The describe-* documents the answer was computed from (fix proposals are planned and simulated on them). */
  docs: readonly RawDoc[];
}

export interface AnswerSource {
  /** "snapshot examples/incident" or "live AWS (3 accounts)". */
  readonly description: string;
  /** Whether flow-log evidence can be had (live only). */
  readonly flowLogs: boolean;
  /** `fresh`: ignore cached data (Re-check). */
  answer(q: Question, ctx: AskContext, opts: { fresh: boolean }): Promise<SourcedAnswer>;
  flowLogEvidence?(q: Question, ctx: AskContext, verdict: Answer['verdict']): Promise<FlowLogView | undefined>;
  /** Readiness: credentials resolvable / data loaded. Throws with the reason. */
  ready(): Promise<void>;
  /** SIGTERM: release what this process holds (locks), close clients. */
  close(): Promise<void>;
}

const clock = (ms: number) => new Date(ms).toISOString().slice(11, 19);

/** Answers from a snapshot folder, loaded at start; Re-check reads the folder again. */
export class SnapshotSource implements AnswerSource {
  readonly flowLogs = false;
  readonly description: string;
  private loadedAt = 0;

  private constructor(private readonly dir: string, private readonly label: string, private docs: RawDoc[], private model: Model, private readonly now: () => number) {
    this.description = `snapshot ${label}`;
    this.loadedAt = now();
  }

  static async load(dir: string, label: string, now: () => number = Date.now): Promise<SnapshotSource> {
    const { docs } = await readSnapshotDir(dir);
    return new SnapshotSource(dir, label, docs, buildModel(docs), now);
  }

  async answer(q: Question, _ctx: AskContext, opts: { fresh: boolean }): Promise<SourcedAnswer> {
    const started = this.now();
    if (opts.fresh) {
      const { docs } = await readSnapshotDir(this.dir);
      this.docs = docs;
      this.model = buildModel(docs);
      this.loadedAt = this.now();
    }
    const answer = ask(this.model, q);
    return { answer, docs: this.docs, dataNote: `${this.description} · read ${clock(this.loadedAt)} UTC`, stats: { engineMs: this.now() - started, fresh: opts.fresh } };
  }

  async ready() {}
  async close() {}
}
