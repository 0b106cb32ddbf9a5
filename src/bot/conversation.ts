/**
 * The bot's conversation use cases: a question from /sgwhy, a mention or a direct message, and
 * follow-ups in an answer's thread. Each posts "Investigating…" at once, replaces it with the
 * verdict, continues long answers in the thread, remembers the thread, and adds flow-log
 * evidence when it arrives. Slack-agnostic: it talks to a SlackPoster and renders with the
 * pure renderers.
 */
import type { Question } from '../question/types.js';
import { interpretFollowUp } from '../question/followup.js';
import { parseQuestion } from '../question/parse.js';
import { renderSlackAnswer } from '../render/slack.js';
import { errorMessage, flowLogMessage, helpMessage, investigatingMessage, noticeMessage, traceMessage } from '../render/slack-notes.js';
import type { SlackMessage } from '../render/slack-blocks.js';
import type { AskContext } from './answer-source.js';
import type { BotDeps, Origin } from './deps.js';
import { proposeTurn } from './approvals.js';
import { errorFields, errorView } from './errors.js';
import { slackErrorCode } from './poster.js';
import { latestTurn, withTurn, type ThreadState, type Turn } from './thread-state.js';

export interface MessageInput extends Origin {
  text: string;
  via: 'command' | 'mention' | 'dm';
  /** Mention / DM: the user's message and its thread, if it was posted in one. */
  messageTs?: string;
  threadTs?: string;
  /** Slash command: its reply URL (works even where the bot is not a member). */
  responseUrl?: string;
  /** Slack's delivery id (event_id, trigger_id): a retried delivery is answered once, on any replica. */
  deliveryId?: string;
}

const DELIVERY_TTL_MS = 60 * 60_000;
export const FOLLOW_UP_EXAMPLES = ['what about 5432?', 'and udp/53', 'from 10.0.3.7 instead', 're-check', 'show trace', 'flow logs'];

export const askContext = (o: Origin): AskContext => ({
  requestId: o.requestId, userId: o.userId, channelId: o.channel,
  ...(o.teamId ? { teamId: o.teamId } : {}), ...(o.channelName ? { channelName: o.channelName } : {}),
});

export function questionLabel(q: Question): string {
  const port = q.port !== undefined ? `/${q.port}` : '';
  return `${q.source.value} → ${q.destination.value} ${q.protocol}${port}`;
}

/** Where replies go: a mention is answered in its thread; a slash command starts one; a DM stays flat unless threaded. */
function replyThread(input: MessageInput): string | undefined {
  if (input.via === 'command') return undefined;
  if (input.threadTs) return input.threadTs;
  return input.via === 'mention' ? input.messageTs : undefined;
}

async function say(deps: BotDeps, input: MessageInput, msg: SlackMessage): Promise<void> {
  if (input.via === 'command') await deps.poster.ephemeral(input.channel, input.userId, msg);
  else await deps.poster.post(input.channel, msg, replyThread(input));
}

/** Entry point for every message addressed to the bot. */
export async function handleMessage(deps: BotDeps, input: MessageInput): Promise<void> {
  const base = { requestId: input.requestId, team: input.teamId, user: input.userId, channel: input.channel, via: input.via };
  if (input.deliveryId && !(await deps.kv.setIfAbsent(`delivery:${input.deliveryId}`, input.requestId, DELIVERY_TTL_MS))) {
    deps.log('duplicate_delivery', { ...base, deliveryId: input.deliveryId });
    return;
  }
  // Mentions of the bot ("@sgwhy why can't …") are not part of the question.
  const text = input.text.replace(/<@[A-Z0-9]+(\|[^>]*)?>/g, ' ').trim();
  deps.log('message', { ...base, question: text.slice(0, 300) });
  if (text === '' || /^(help|\?|usage)$/i.test(text)) return say(deps, input, helpMessage(deps.source.description));

  const state = input.threadTs ? await deps.threads.get(input.channel, input.threadTs) : null;
  const turn = state ? latestTurn(state) : undefined;
  if (state && turn) {
    const f = interpretFollowUp(turn.question, text);
    deps.log('follow_up', { ...base, kind: f.kind });
    switch (f.kind) {
      case 'recheck': return recheck(deps, input, state, turn);
      case 'trace': return postTrace(deps, input, state, turn);
      case 'flow-logs': return postFlowLogs(deps, input, state, turn);
      case 'help': return say(deps, input, helpMessage(deps.source.description));
      case 'ask': return answerQuestion(deps, input, f.question, state);
      case 'unclear':
        return say(deps, input, errorMessage({
          message: f.error ? `I read that as a follow-up to ${questionLabel(turn.question)}, but: ${f.error}` : `I didn't understand that as a follow-up to ${questionLabel(turn.question)}.`,
          examples: FOLLOW_UP_EXAMPLES, requestId: input.requestId,
        }));
    }
  }
  let q: Question;
  try {
    q = parseQuestion(text);
  } catch (e) {
    deps.log('bad_question', { ...base, ...errorFields(e) });
    return say(deps, input, errorMessage(errorView(e, input.requestId)));
  }
  return answerQuestion(deps, input, q, null);
}

/** Posts "Investigating…", answers, replaces it with the verdict, remembers the thread. */
export async function answerQuestion(deps: BotDeps, input: MessageInput, q: Question, state: ThreadState | null): Promise<void> {
  const started = deps.now();
  const base = { requestId: input.requestId, team: input.teamId, user: input.userId, channel: input.channel };
  const inThread = state?.threadTs ?? replyThread(input);
  let ts: string;
  try {
    ts = await deps.poster.post(input.channel, investigatingMessage(questionLabel(q)), inThread);
  } catch (e) {
    const code = slackErrorCode(e);
    deps.log('post_failed', { ...base, ...errorFields(e) });
    if ((code === 'not_in_channel' || code === 'channel_not_found') && input.via === 'command') {
      const msg = noticeMessage('I can\'t post in this channel yet: invite me with /invite @sgwhy (or ask me in a direct message).', input.requestId);
      if (input.responseUrl && deps.poster.respond) await deps.poster.respond(input.responseUrl, msg, { ephemeral: true });
      else await deps.poster.ephemeral(input.channel, input.userId, msg).catch(() => {});
      return;
    }
    throw e;
  }
  const investigatingAt = deps.now();
  const root = inThread ?? ts;

  let sourced;
  try {
    await deps.turn?.();
    sourced = await deps.source.answer(q, askContext(input), { fresh: false });
  } catch (e) {
    deps.log('answer_failed', { ...base, question: questionLabel(q), ...errorFields(e), ms: deps.now() - started });
    await deps.poster.update(input.channel, ts, errorMessage(errorView(e, input.requestId)));
    return;
  }
  const { answer } = sourced;
  const turn: Turn = {
    messageTs: ts, question: q, answer, dataNote: sourced.dataNote, requestId: input.requestId, askedBy: input.userId, at: deps.now(),
    fixes: answer.fixes.map((f) => ({ id: f.id })),
  };
  const approvals = await proposeTurn(deps, input, turn, sourced.docs, root).catch((e: unknown) => {
    deps.log('propose_failed', { ...base, ...errorFields(e) });
    return undefined;
  });
  const rendered = renderSlackAnswer(answer, { requestId: input.requestId, dataNote: sourced.dataNote, flowLogs: deps.source.flowLogs, ...(approvals ? { approvals } : {}) });
  await deps.poster.update(input.channel, ts, rendered.messages[0]!);
  const verdictAt = deps.now();
  for (const m of rendered.messages.slice(1)) await deps.poster.post(input.channel, m, root);
  for (const s of rendered.snippets) await deps.poster.upload(input.channel, root, s);

  const prev: ThreadState = state ?? { v: 1, channel: input.channel, threadTs: root, requester: input.userId, turns: [], updatedAt: deps.now(), ...(input.teamId ? { teamId: input.teamId } : {}) };
  await deps.threads.put(withTurn(prev, turn, deps.now())).catch((e) => deps.log('thread_state_failed', { ...base, ...errorFields(e) }));
  deps.log('answered', {
    ...base, question: questionLabel(q), verdict: answer.verdict, blockers: answer.blockers.map((b) => `${b.layer}:${b.resourceId}`),
    fixes: answer.fixes.length, messages: rendered.messages.length, snippets: rendered.snippets.length,
    investigatingMs: investigatingAt - started, verdictMs: verdictAt - started, ...sourced.stats,
  });

  if (deps.source.flowLogs) await flowLogsInto(deps, input, root, turn);
}

async function flowLogsInto(deps: BotDeps, o: Origin, root: string, turn: Turn, note?: string): Promise<void> {
  const started = deps.now();
  const ts = note ?? (await deps.poster.post(o.channel, noticeMessage('📜 Reading VPC Flow Logs for this flow (this takes a few seconds)…'), root));
  try {
    const ev = await deps.source.flowLogEvidence!(turn.question, askContext(o), turn.answer.verdict);
    await deps.poster.update(o.channel, ts, flowLogMessage(ev, o.requestId));
    deps.log('flow_logs', { requestId: o.requestId, channel: o.channel, agreement: ev?.agreement.status ?? 'none', ms: deps.now() - started });
  } catch (e) {
    deps.log('flow_logs_failed', { requestId: o.requestId, channel: o.channel, ...errorFields(e) });
    await deps.poster.update(o.channel, ts, errorMessage({ ...errorView(e, o.requestId), message: `Flow logs: ${errorView(e, o.requestId).message}` }));
  }
}

/** Re-check with fresh data: the answer message is replaced, and the thread says what changed. */
export async function recheck(deps: BotDeps, o: Origin, state: ThreadState, turn: Turn): Promise<void> {
  const busy = `busy:recheck:${state.channel}:${turn.messageTs}`;
  if (!(await deps.kv.setIfAbsent(busy, o.requestId, 30_000))) {
    await deps.poster.ephemeral(o.channel, o.userId, noticeMessage('Already re-checking this one: the answer will update in a moment.', o.requestId), state.threadTs);
    return;
  }
  try {
    const note = await deps.poster.post(o.channel, noticeMessage(`🔄 Re-checking ${questionLabel(turn.question)} with fresh data…`, o.requestId), state.threadTs);
    let sourced;
    try {
      await deps.turn?.();
      sourced = await deps.source.answer(turn.question, askContext(o), { fresh: true });
    } catch (e) {
      deps.log('recheck_failed', { requestId: o.requestId, channel: o.channel, ...errorFields(e) });
      await deps.poster.update(o.channel, note, errorMessage(errorView(e, o.requestId)));
      return;
    }
    const a = sourced.answer;
    const next: Turn = { ...turn, answer: a, dataNote: sourced.dataNote, requestId: o.requestId, at: deps.now(), fixes: a.fixes.map((f) => ({ id: f.id })) };
    const approvals = await proposeTurn(deps, o, next, sourced.docs, state.threadTs).catch((e: unknown) => {
      deps.log('propose_failed', { requestId: o.requestId, ...errorFields(e) });
      return undefined;
    });
    const rendered = renderSlackAnswer(a, { requestId: o.requestId, dataNote: sourced.dataNote, flowLogs: deps.source.flowLogs, ...(approvals ? { approvals } : {}) });
    await deps.poster.update(o.channel, turn.messageTs, rendered.messages[0]!);
    for (const m of rendered.messages.slice(1)) await deps.poster.post(o.channel, m, state.threadTs);
    const was = turn.answer.verdict.toUpperCase();
    const now = a.verdict.toUpperCase();
    const when = new Date(deps.now()).toISOString().slice(11, 19);
    const what = was === now ? `still ${now}` : `was ${was}, now ${now}`;
    const detail = a.blockers.length ? ` (${a.blockers.map((b) => `${b.layer} ${b.resourceId}`).join('; ')})` : '';
    await deps.poster.update(o.channel, note, noticeMessage(`🔄 Re-checked at ${when} UTC with fresh data: ${what}${detail}.`, o.requestId));
    await deps.threads.put(withTurn(state, next, deps.now()));
    deps.log('rechecked', { requestId: o.requestId, channel: o.channel, user: o.userId, question: questionLabel(turn.question), was: turn.answer.verdict, verdict: a.verdict, ...sourced.stats });
  } finally {
    await deps.kv.del(busy).catch(() => {});
  }
}

export async function postTrace(deps: BotDeps, o: Origin, state: ThreadState, turn: Turn): Promise<void> {
  const { message, snippet } = traceMessage(turn.answer, o.requestId);
  await deps.poster.post(o.channel, message, state.threadTs);
  if (snippet) await deps.poster.upload(o.channel, state.threadTs, snippet);
  deps.log('trace', { requestId: o.requestId, channel: o.channel, snippet: Boolean(snippet) });
}

export async function postFlowLogs(deps: BotDeps, o: Origin, state: ThreadState, turn: Turn): Promise<void> {
  if (!deps.source.flowLogs || !deps.source.flowLogEvidence) {
    await deps.poster.ephemeral(o.channel, o.userId, noticeMessage(`Flow logs are read from live AWS accounts; this bot answers from ${deps.source.description}.`, o.requestId), state.threadTs);
    return;
  }
  await flowLogsInto(deps, o, state.threadTs, turn);
}
