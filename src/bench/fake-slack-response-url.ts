/**
 * `response_url`s, as Slack hands them out with slash commands and interactions
 * (docs.slack.dev/interactivity/handling-user-interaction, "Message responses"): a URL bound to one
 * user and channel that takes a JSON message up to 5 times within 30 minutes. `response_type`
 * `ephemeral` (the default) shows it to that user only, `in_channel` posts it for everyone;
 * from an interaction, `replace_original` / `delete_original` change the message that was clicked.
 * The message is checked like chat.postMessage's (blocks, text length, no_text). The HTTP status of
 * a refusal (404 for a spent or unknown URL, 400 for bad content) is this fake's choice.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkContent, type Directory, type Reply } from './fake-slack-methods.js';
import type { SlackStore } from './fake-slack-store.js';

export interface ResponseUrlTarget {
  channel: string;
  user: string;
  /** For an interaction: the message the user clicked (what replace/delete_original act on). */
  messageTs?: string;
  /** Thread an in_channel response goes to. */
  threadTs?: string;
}

interface Issued extends ResponseUrlTarget { uses: number; issuedAt: number }

export const RESPONSE_URL_USES = 5;
export const RESPONSE_URL_TTL_MS = 30 * 60 * 1000;

export class ResponseUrls {
  private readonly issued = new Map<string, Issued>();
  private seq = 0;

  constructor(private readonly store: SlackStore, private readonly dir: Directory) {}

  /** A new URL under `baseUrl` for this user and channel. */
  issue(baseUrl: string, t: ResponseUrlTarget): string {
    this.seq += 1;
    const id = `${this.dir.team.id}/${1000 + this.seq}/fake${this.seq.toString(36)}`;
    this.issued.set(id, { ...t, uses: 0, issuedAt: performance.now() });
    return `${baseUrl}/commands/${id}`;
  }

  /** Answer a POST to `/commands/<id>`; the arguments as read, for the call record. */
  answer(id: string, raw: Buffer): { reply: Reply; args: Record<string, unknown> } {
    let args: Record<string, unknown> = {};
    try {
      const v: unknown = JSON.parse(raw.toString('utf8') || '{}');
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) args = v as Record<string, unknown>;
    } catch {
      return { reply: { status: 400, body: { ok: false, error: 'invalid_payload' } }, args };
    }
    const t = this.issued.get(id);
    if (!t) return { reply: { status: 404, body: { ok: false, error: 'invalid_url' } }, args };
    if (performance.now() - t.issuedAt > RESPONSE_URL_TTL_MS) return { reply: { status: 404, body: { ok: false, error: 'expired_url' } }, args };
    if (t.uses >= RESPONSE_URL_USES) return { reply: { status: 404, body: { ok: false, error: 'used_url' } }, args };
    const truthy = (v: unknown) => v === true || v === 'true';
    if (truthy(args.delete_original)) {
      t.uses += 1;
      if (t.messageTs) this.store.delete(t.channel, t.messageTs);
      return { reply: { status: 200, body: { ok: true } }, args };
    }
    const c = checkContent(args, this.dir, true);
    if (c.reply) return { reply: { ...c.reply, status: 400 }, args };
    t.uses += 1; // a refused message does not count as one of the 5 uses
    const original = truthy(args.replace_original) && t.messageTs ? this.store.find(t.channel, t.messageTs) : undefined;
    if (original) {
      original.text = c.text ?? '';
      if (c.blocks?.length) original.blocks = c.blocks;
      else delete original.blocks;
      original.updates += 1;
    } else if (args.response_type === 'in_channel') {
      const threadTs = typeof args.thread_ts === 'string' ? args.thread_ts : t.threadTs;
      this.store.post({
        channel: t.channel, text: c.text ?? '', ...(c.blocks ? { blocks: c.blocks } : {}), user: this.dir.bot.userId, bot_id: this.dir.bot.botId,
        ...(threadTs ? { thread_ts: threadTs } : {}),
      });
    } else {
      this.store.ephemerals.push({ channel: t.channel, user: t.user, message_ts: this.store.nextTs(), text: c.text ?? '', ...(c.blocks ? { blocks: c.blocks } : {}) });
    }
    return { reply: { status: 200, body: { ok: true } }, args };
  }
}

export async function handleResponseUrl(urls: ResponseUrls, req: IncomingMessage, res: ServerResponse, id: string, raw: Buffer): Promise<{ reply: Reply; args: Record<string, unknown> }> {
  const out = req.method === 'POST' ? urls.answer(id, raw) : { reply: { status: 405, body: { ok: false, error: 'method_not_allowed' } }, args: {} };
  res.writeHead(out.reply.status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(out.reply.body));
  return out;
}
