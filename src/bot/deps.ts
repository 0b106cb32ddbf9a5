/** What the bot's use cases run on; built once per process by src/slack/server.ts. */
import type { ApprovalService } from '../approval/service.js';
import type { Kv } from '../store/kv.js';
import type { AnswerSource } from './answer-source.js';
import type { SlackPoster } from './poster.js';
import type { ThreadStore } from './thread-state.js';

/** One structured log line per event (JSON); never secrets. */
export type EventLog = (event: string, fields: Record<string, unknown>) => void;

export interface BotDeps {
  source: AnswerSource;
  threads: ThreadStore;
  kv: Kv;
  poster: SlackPoster;
  log: EventLog;
  now: () => number;
  /** Approvals and execution (live accounts with a configuration); absent: Approve says it is not enabled. */
  approvals?: ApprovalService;
  /**
   * Resolves when this job may run its CPU-heavy step (answering and rendering): one such step
   * per event-loop turn, in order, so the light steps of other jobs ("Investigating…", their
   * Redis and Slack replies) go first. Absent: at once. (The thread state is written as soon as
   * the verdict is posted, without waiting for a turn: the answer's memory is released sooner.)
   */
  turn?: () => Promise<void>;
}

/** Who asked, where: every use case's input carries it. */
export interface Origin {
  requestId: string;
  teamId?: string;
  userId: string;
  channel: string;
  channelName?: string;
}
