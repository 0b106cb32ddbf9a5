/**
 * The Web API methods the fake Slack answers, with the arguments, results and error codes of
 * Slack's method reference (docs.slack.dev/reference/methods/<method>):
 * - chat.postMessage: `channel` required; `text` or `blocks` (else `no_text`); "Slack will truncate
 *   messages containing more than 40,000 characters" — here `msg_too_long`; `invalid_blocks` (with
 *   `errors` and `response_metadata.messages`), `invalid_blocks_format` (blocks not a JSON array),
 *   `invalid_thread_ts`, `channel_not_found`.
 * - chat.update: `channel` + `ts` of a message in that channel (else `message_not_found`), only the
 *   app's own messages (`cant_update_message`); `blocks` omitted keeps the old blocks, `[]` removes them.
 * - chat.delete: `message_not_found`, `cant_delete_message`. chat.postEphemeral: `channel`, `user`.
 * - files.getUploadURLExternal (`filename`, `length`) → `upload_url`, `file_id`; the bytes are POSTed
 *   to `upload_url`; files.completeUploadExternal (`files` = [{id, title}], `channel_id`, `thread_ts`,
 *   `initial_comment`) shares them (`file_not_found` for an id never uploaded).
 * - users.info (`user_not_found`), conversations.info (`channel_not_found`),
 *   usergroups.users.list (`no_such_subteam`), auth.test, views.open (`invalid_arguments` with
 *   messages, as Slack answers a bad view), apps.connections.open (app-level `xapp-` token only,
 *   else `not_allowed_token_type`).
 */
import { validateBlocks, validateView } from './fake-slack-blocks.js';
import { SlackStore, TS_PATTERN, type StoredMessage } from './fake-slack-store.js';

export type Args = Record<string, unknown>;
export interface Reply {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

export interface Directory {
  team: { id: string; name: string; domain: string };
  bot: { userId: string; botId: string; name: string; appId: string };
  /** Known users; when undefined any id that looks like a user id (U…/W…) exists. */
  users?: Record<string, { name?: string; real_name?: string; tz?: string; is_bot?: boolean; team_id?: string }>;
  /** Known channels; when undefined every channel exists (ids, names, user ids for DMs; D… ids are DMs). */
  channels?: Record<string, { name?: string; is_private?: boolean; is_im?: boolean; is_archived?: boolean; is_member?: boolean }>;
  usergroups: Record<string, string[]>;
  /** chat.* `text` limit (40,000 in Slack's documentation). */
  maxTextLength: number;
}

export interface MethodContext {
  store: SlackStore;
  dir: Directory;
  /** Base URL of the fake (for upload URLs), without a trailing slash. */
  baseUrl: string;
  token: string | undefined;
  socketUrl: () => string | undefined;
}

const ok = (body: Record<string, unknown> = {}): Reply => ({ status: 200, body: { ok: true, ...body } });
export const fail = (error: string, extra: Record<string, unknown> = {}): Reply => ({ status: 200, body: { ok: false, error, ...extra } });
const invalid = (error: string, errors: string[]): Reply => fail(error, { errors, response_metadata: { messages: errors.map((e) => `[ERROR] ${e}`) } });

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);

/** `blocks` as posted: a JSON string (form bodies) or an array (JSON bodies). */
function parseJsonArg(v: unknown): { value?: unknown; bad: boolean } {
  if (v === undefined || v === '') return { bad: false };
  if (typeof v !== 'string') return { value: v, bad: false };
  try {
    return { value: JSON.parse(v), bad: false };
  } catch {
    return { bad: true };
  }
}

function channelExists(dir: Directory, channel: string): boolean {
  return dir.channels ? channel in dir.channels : channel.length > 0;
}

/** Why the bot cannot write to a channel it knows: archived, or not a member (`not_in_channel`). */
export function writeRefusal(dir: Directory, channel: string): Reply | undefined {
  if (!channelExists(dir, channel)) return fail('channel_not_found');
  const c = dir.channels?.[channel];
  if (c?.is_archived) return fail('is_archived');
  if (c?.is_member === false) return fail('not_in_channel');
  return undefined;
}

/** The checks chat.postMessage and chat.update share; the parsed blocks when the content is valid. */
export function checkContent(a: Args, dir: Directory, requireContent: boolean): { reply?: Reply; blocks?: unknown[]; text?: string } {
  const parsed = parseJsonArg(a.blocks);
  if (parsed.bad || (parsed.value !== undefined && !Array.isArray(parsed.value))) return { reply: fail('invalid_blocks_format') };
  const blocks = parsed.value as unknown[] | undefined;
  const text = typeof a.text === 'string' ? a.text : undefined;
  const hasAttachments = a.attachments !== undefined && a.attachments !== '' && a.attachments !== '[]';
  if (requireContent && !text && !(blocks && blocks.length) && !hasAttachments) return { reply: fail('no_text') };
  if (text !== undefined && text.length > dir.maxTextLength) return { reply: fail('msg_too_long') };
  if (blocks) {
    const errors = validateBlocks(blocks, 'message');
    if (errors.length) return { reply: invalid('invalid_blocks', errors) };
  }
  return { blocks, text };
}

const publicMessage = (m: StoredMessage, dir: Directory) => ({
  type: 'message', user: m.user, ...(m.bot_id ? { bot_id: m.bot_id, app_id: dir.bot.appId } : {}), team: dir.team.id, ts: m.ts,
  text: m.text, ...(m.blocks ? { blocks: m.blocks } : {}), ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}),
  ...(m.edited ? { edited: m.edited } : {}), ...(m.files ? { files: m.files } : {}),
});

type Handler = (a: Args, ctx: MethodContext) => Reply;

const chatPostMessage: Handler = (a, { store, dir }) => {
  const channel = str(a.channel);
  if (!channel) return fail('channel_not_found');
  const refused = writeRefusal(dir, channel);
  if (refused) return refused;
  const threadTs = str(a.thread_ts);
  if (threadTs !== undefined && !TS_PATTERN.test(threadTs)) return fail('invalid_thread_ts');
  const c = checkContent(a, dir, true);
  if (c.reply) return c.reply;
  const m = store.post({ channel, text: c.text ?? '', ...(c.blocks ? { blocks: c.blocks } : {}), ...(threadTs ? { thread_ts: threadTs } : {}), user: dir.bot.userId, bot_id: dir.bot.botId });
  return ok({ channel, ts: m.ts, message: publicMessage(m, dir) });
};

const chatUpdate: Handler = (a, { store, dir }) => {
  const channel = str(a.channel);
  const ts = str(a.ts);
  if (!channel || !channelExists(dir, channel)) return fail('channel_not_found');
  const m = ts ? store.find(channel, ts) : undefined;
  if (!m) return fail('message_not_found');
  if (m.user !== dir.bot.userId) return fail('cant_update_message');
  const c = checkContent(a, dir, true);
  if (c.reply) return c.reply;
  if (c.text !== undefined) m.text = c.text;
  if (c.blocks !== undefined) {
    if (c.blocks.length) m.blocks = c.blocks;
    else delete m.blocks;
  }
  m.updates += 1;
  m.edited = { user: dir.bot.userId, ts: store.nextTs() };
  return ok({ channel, ts: m.ts, text: m.text, message: publicMessage(m, dir) });
};

const chatDelete: Handler = (a, { store, dir }) => {
  const channel = str(a.channel);
  const ts = str(a.ts);
  if (!channel || !channelExists(dir, channel)) return fail('channel_not_found');
  const m = ts ? store.find(channel, ts) : undefined;
  if (!m || !ts) return fail('message_not_found');
  if (m.user !== dir.bot.userId) return fail('cant_delete_message');
  store.delete(channel, ts);
  return ok({ channel, ts });
};

const chatPostEphemeral: Handler = (a, { store, dir }) => {
  const channel = str(a.channel);
  const user = str(a.user);
  if (!channel) return fail('channel_not_found');
  const refused = writeRefusal(dir, channel);
  if (refused) return refused;
  if (!user || !userExists(dir, user)) return fail('user_not_found');
  const c = checkContent(a, dir, true);
  if (c.reply) return c.reply;
  const message_ts = store.nextTs();
  const threadTs = str(a.thread_ts);
  store.ephemerals.push({ channel, user, message_ts, text: c.text ?? '', ...(c.blocks ? { blocks: c.blocks } : {}), ...(threadTs ? { thread_ts: threadTs } : {}) });
  return ok({ message_ts });
};

function userExists(dir: Directory, id: string): boolean {
  return dir.users ? id in dir.users : /^[UW][A-Z0-9]+$/.test(id);
}

const usersInfo: Handler = (a, { dir }) => {
  const id = str(a.user);
  if (!id || !userExists(dir, id)) return fail('user_not_found');
  const u = dir.users?.[id] ?? {};
  const name = u.name ?? id.toLowerCase();
  return ok({
    user: {
      id, team_id: u.team_id ?? dir.team.id, name, deleted: false, real_name: u.real_name ?? name, tz: u.tz ?? 'Europe/London',
      is_bot: u.is_bot ?? false, is_admin: false, is_owner: false, is_restricted: false, is_ultra_restricted: false,
      profile: { real_name: u.real_name ?? name, display_name: name, team: u.team_id ?? dir.team.id },
    },
  });
};

const conversationsInfo: Handler = (a, { dir }) => {
  const id = str(a.channel);
  if (!id || !channelExists(dir, id)) return fail('channel_not_found');
  const c = dir.channels?.[id] ?? {};
  const isIm = c.is_im ?? id.startsWith('D');
  return ok({
    channel: {
      id, name: isIm ? undefined : (c.name ?? id.toLowerCase()), is_channel: !isIm && !c.is_private, is_group: !isIm && !!c.is_private,
      is_im: isIm, is_private: isIm || !!c.is_private, is_archived: !!c.is_archived, is_member: c.is_member ?? true, context_team_id: dir.team.id,
    },
  });
};

const usergroupsUsersList: Handler = (a, { dir }) => {
  const id = str(a.usergroup);
  if (!id || !(id in dir.usergroups)) return fail('no_such_subteam');
  return ok({ users: dir.usergroups[id] });
};

const authTest: Handler = (_a, { dir }) =>
  ok({ url: `https://${dir.team.domain}.slack.com/`, team: dir.team.name, user: dir.bot.name, team_id: dir.team.id, user_id: dir.bot.userId, bot_id: dir.bot.botId, is_enterprise_install: false });

const appsConnectionsOpen: Handler = (_a, { token, socketUrl }) => {
  if (token !== undefined && !token.startsWith('xapp-')) return fail('not_allowed_token_type');
  const url = socketUrl();
  return url ? ok({ url }) : fail('internal_error', { detail: 'no Socket Mode fake is attached to this fake Web API' });
};

const filesGetUploadURLExternal: Handler = (a, { store, baseUrl }) => {
  const filename = str(a.filename);
  const length = Number(a.length);
  if (!filename || a.length === undefined) return fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] missing required field: filename or length'] } });
  // "missing_argument: … Typically only occurs when the `length` provided is 0" (method reference)
  if (!Number.isInteger(length) || length <= 0) return fail('missing_argument');
  const id = store.nextId('F');
  store.files.set(id, { id, filename, length, completed: false });
  return ok({ upload_url: `${baseUrl}/upload/v1/${id}`, file_id: id });
};

const filesCompleteUploadExternal: Handler = (a, { store, dir }) => {
  const parsed = parseJsonArg(a.files);
  if (parsed.bad || !Array.isArray(parsed.value) || parsed.value.length === 0) return fail('invalid_arguments');
  const wanted = parsed.value as Array<{ id?: unknown; title?: unknown }>;
  const files = wanted.map((w) => (typeof w.id === 'string' ? store.files.get(w.id) : undefined));
  if (files.some((f) => !f || f.content === undefined)) return fail('file_not_found');
  const channel = str(a.channel_id);
  const refused = channel !== undefined ? writeRefusal(dir, channel) : undefined;
  if (refused) return refused;
  const threadTs = str(a.thread_ts);
  if (threadTs !== undefined && !TS_PATTERN.test(threadTs)) return fail('invalid_thread_ts');
  const out = files.map((f, i) => {
    const file = f!;
    file.completed = true;
    const title = typeof wanted[i]!.title === 'string' ? (wanted[i]!.title as string) : file.filename;
    file.title = title;
    return { id: file.id, name: file.filename, title, size: file.content!.length };
  });
  if (channel) {
    const comment = typeof a.initial_comment === 'string' ? a.initial_comment : '';
    store.post({ channel, text: comment, user: dir.bot.userId, bot_id: dir.bot.botId, files: out.map(({ id, name, title }) => ({ id, name, title })), ...(threadTs ? { thread_ts: threadTs } : {}) });
  }
  return ok({ files: out });
};

const viewsOpen: Handler = (a, { store, dir }) => {
  if (!str(a.trigger_id)) return fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] missing required field: trigger_id'] } });
  const parsed = parseJsonArg(a.view);
  if (parsed.bad) return fail('invalid_arguments');
  const errors = validateView(parsed.value);
  if (errors.length) return invalid('invalid_arguments', errors);
  const view = { id: store.nextId('V'), team_id: dir.team.id, app_id: dir.bot.appId, bot_id: dir.bot.botId, ...(parsed.value as Record<string, unknown>) };
  store.views.push(view);
  return ok({ view });
};

export const METHODS: Record<string, Handler> = {
  'auth.test': authTest,
  'chat.postMessage': chatPostMessage,
  'chat.update': chatUpdate,
  'chat.delete': chatDelete,
  'chat.postEphemeral': chatPostEphemeral,
  'files.getUploadURLExternal': filesGetUploadURLExternal,
  'files.completeUploadExternal': filesCompleteUploadExternal,
  'usergroups.users.list': usergroupsUsersList,
  'users.info': usersInfo,
  'conversations.info': conversationsInfo,
  'apps.connections.open': appsConnectionsOpen,
  'views.open': viewsOpen,
};
