/**
 * A local stand-in for Slack's Web API (loopback only) for the bot's tests and the benchmark.
 * Point a WebClient / Bolt app at `url` (`slackApiUrl`). It answers like Slack: HTTP 200 with
 * `{ok:false, error}` for method errors, 429 with `Retry-After` when rate limited (on demand),
 * form-encoded, JSON and multipart bodies, the token from `Authorization: Bearer` or `token`.
 * It records every call and keeps the messages, so a test reads the final state of a thread.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fail, METHODS, type Args, type Directory, type Reply } from './fake-slack-methods.js';
import { RateLimiter, type RateRule } from './fake-slack-rate.js';
import { handleResponseUrl, ResponseUrls, type ResponseUrlTarget } from './fake-slack-response-url.js';
import { SlackStore, type StoredEphemeral, type StoredFile, type StoredMessage } from './fake-slack-store.js';

export interface RecordedCall {
  /** The Web API method, or `response_url` for a POST to a URL from `responseUrl()`. */
  method: string;
  /** The arguments as sent (JSON-valued ones such as `blocks`, `view` and `files` parsed). */
  body: Record<string, unknown>;
  /** performance.now() when the request arrived. */
  at: number;
  token?: string;
  /** HTTP status answered (200, or 429 when rate limited). */
  status: number;
  /** `ok` of the answer. */
  ok: boolean;
  response: Record<string, unknown>;
}

export interface FakeSlackApiOptions {
  /** Expected bot token: calls with another token get `invalid_auth`, without one `not_authed`. */
  botToken?: string;
  /** Expected app-level token (apps.connections.open); when unset any `xapp-` token is accepted. */
  appToken?: string;
  team?: Partial<Directory['team']>;
  bot?: Partial<Directory['bot']>;
  users?: Directory['users'];
  channels?: Directory['channels'];
  usergroups?: Directory['usergroups'];
  /** chat.* text limit; Slack documents 40,000. */
  maxTextLength?: number;
  /** Where apps.connections.open sends the app (the Socket Mode fake's `connectionUrl`). */
  socketUrl?: () => string | undefined;
  /** Enforce rate limits per method (SLACK_RATE_LIMITS has Slack's documented tiers); none by default. */
  rateLimits?: Record<string, RateRule>;
}

export interface FakeSlackApi {
  /** Base URL ending in `/api/`, for `slackApiUrl`. */
  url: string;
  calls: RecordedCall[];
  /** The first recorded call (past or future) matching `pred`. */
  waitFor(pred: (c: RecordedCall) => boolean, timeoutMs?: number): Promise<RecordedCall>;
  /** Current messages of a channel (top level) or of one thread (parent and replies), oldest first. */
  messages(channel: string, threadTs?: string): StoredMessage[];
  ephemerals: StoredEphemeral[];
  files: Map<string, StoredFile>;
  views: Array<Record<string, unknown>>;
  /**
   * A `response_url` for a slash command or an interaction (pass it to slashCommandBody /
   * blockActionsBody): 5 uses, ephemeral by default, `in_channel`, `replace_original`, `delete_original`.
   */
  responseUrl(target: ResponseUrlTarget): string;
  /** A message someone else posted (a user's mention, a thread parent), e.g. for chat.update refusals. */
  seedMessage(channel: string, m: { text: string; user: string; ts?: string; thread_ts?: string }): StoredMessage;
  /** The next `n` calls of `method` ('*' for any) answer HTTP 429 with `Retry-After: retryAfterSeconds`. */
  rateLimitNext(method: string, n: number, retryAfterSeconds: number): void;
  /** The next `n` calls of `method` ('*' for any) answer `{ok:false, error, ...extra}`. */
  failNext(method: string, error: string, n?: number, extra?: Record<string, unknown>): void;
  /** Replace the enforced rate limits ({} to stop enforcing). */
  setRateLimits(rules: Record<string, RateRule>): void;
  /** Every call of `method` ('*' for any) is answered after `ms` (0 to stop). */
  setLatency(method: string, ms: number): void;
  /** Where apps.connections.open points (set after the Socket Mode fake has started). */
  attachSocket(connectionUrl: () => string | undefined): void;
  stop(): Promise<void>;
}

interface Injection { method: string; left: number; reply: Reply }

const JSON_ARGS = ['blocks', 'view', 'files', 'attachments'];

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** The arguments of a Web API call, whatever the encoding; undefined when it cannot be read. */
async function parseArgs(raw: Buffer, contentType: string): Promise<{ args: Args; fileData?: Buffer } | undefined> {
  try {
    if (contentType.includes('application/json')) {
      const v: unknown = raw.length ? JSON.parse(raw.toString('utf8')) : {};
      return typeof v === 'object' && v !== null && !Array.isArray(v) ? { args: v as Args } : undefined;
    }
    if (contentType.includes('multipart/form-data')) {
      const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } }).formData();
      const args: Args = {};
      let fileData: Buffer | undefined;
      for (const [k, v] of form.entries()) {
        if (typeof v === 'string') args[k] = v;
        else fileData ??= Buffer.from(await v.arrayBuffer());
      }
      return fileData ? { args, fileData } : { args };
    }
    return { args: Object.fromEntries(new URLSearchParams(raw.toString('utf8'))) };
  } catch {
    return undefined;
  }
}

/** The arguments as a test reads them: JSON-valued arguments decoded when they decode. */
function readable(args: Args): Record<string, unknown> {
  const out: Record<string, unknown> = { ...args };
  for (const k of JSON_ARGS) {
    if (typeof out[k] !== 'string') continue;
    try {
      out[k] = JSON.parse(out[k] as string);
    } catch {
      /* left as sent */
    }
  }
  delete out.token;
  return out;
}

function bearer(req: IncomingMessage, args: Args): string | undefined {
  const h = req.headers.authorization;
  if (typeof h === 'string' && /^Bearer\s+/i.test(h)) return h.replace(/^Bearer\s+/i, '').trim();
  return typeof args.token === 'string' && args.token ? args.token : undefined;
}

export async function startFakeSlackWebApi(opts: FakeSlackApiOptions = {}): Promise<FakeSlackApi> {
  const store = new SlackStore();
  const dir: Directory = {
    team: { id: 'T1', name: 'Acme', domain: 'acme', ...opts.team },
    bot: { userId: 'UBOT', botId: 'BBOT', name: 'sgwhy', appId: 'A1', ...opts.bot },
    users: opts.users,
    channels: opts.channels,
    usergroups: opts.usergroups ?? {},
    maxTextLength: opts.maxTextLength ?? 40_000,
  };
  let socketUrl = opts.socketUrl ?? (() => undefined);
  const calls: RecordedCall[] = [];
  const waiters: Array<{ pred: (c: RecordedCall) => boolean; resolve: (c: RecordedCall) => void }> = [];
  const injections: Injection[] = [];
  const latency = new Map<string, number>();
  const responseUrls = new ResponseUrls(store, dir);
  const limiter = new RateLimiter(opts.rateLimits);
  let baseUrl = '';

  const takeInjection = (method: string): Reply | undefined => {
    const i = injections.findIndex((x) => (x.method === method || x.method === '*') && x.left > 0);
    if (i < 0) return undefined;
    const inj = injections[i]!;
    inj.left -= 1;
    if (inj.left === 0) injections.splice(i, 1);
    return inj.reply;
  };

  const authError = (method: string, token: string | undefined): Reply | undefined => {
    if (method === 'apps.connections.open') {
      if (token === undefined) return fail('not_authed');
      if (!token.startsWith('xapp-')) return fail('not_allowed_token_type');
      return opts.appToken !== undefined && token !== opts.appToken ? fail('invalid_auth') : undefined;
    }
    if (opts.botToken === undefined) return token?.startsWith('xapp-') ? fail('not_allowed_token_type') : undefined;
    if (token === undefined) return fail('not_authed');
    if (token.startsWith('xapp-')) return fail('not_allowed_token_type');
    return token === opts.botToken ? undefined : fail('invalid_auth');
  };

  const record = (call: RecordedCall) => {
    calls.push(call);
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (waiters[i]!.pred(call)) {
        waiters[i]!.resolve(call);
        waiters.splice(i, 1);
      }
    }
  };

  const send = (res: ServerResponse, r: Reply) => {
    res.writeHead(r.status, { 'content-type': 'application/json; charset=utf-8', ...r.headers });
    res.end(JSON.stringify(r.body));
  };

  /** POST to an upload URL from files.getUploadURLExternal: Slack answers "OK - <bytes>". */
  const upload = async (req: IncomingMessage, res: ServerResponse, id: string) => {
    const raw = await readBody(req);
    const file = store.files.get(id);
    if (!file || req.method !== 'POST') {
      res.writeHead(404).end();
      return;
    }
    const ct = req.headers['content-type'] ?? '';
    const parsed = ct.includes('multipart/form-data') ? await parseArgs(raw, ct) : undefined;
    file.content = parsed?.fileData ?? raw;
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${file.content.length}`);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const at = performance.now();
    const path = (req.url ?? '').split('?')[0] ?? '';
    const up = /^\/upload\/v1\/([A-Za-z0-9]+)$/.exec(path);
    if (up) return upload(req, res, up[1]!);
    const cmd = /^\/commands\/(.+)$/.exec(path);
    if (cmd) {
      const { reply, args } = await handleResponseUrl(responseUrls, req, res, cmd[1]!, await readBody(req));
      record({ method: 'response_url', body: readable(args), at, status: reply.status, ok: reply.body.ok === true, response: reply.body });
      return;
    }
    const method = path.replace(/^\/+(api\/)?/, '');
    const raw = await readBody(req);
    const parsed = await parseArgs(raw, req.headers['content-type'] ?? 'application/x-www-form-urlencoded');
    const args = parsed?.args ?? {};
    const token = bearer(req, args);
    const handler = METHODS[method];
    const delay = latency.get(method) ?? latency.get('*') ?? 0;
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    let reply: Reply;
    if (!handler) reply = { status: 404, body: { ok: false, error: 'unknown_method', req_method: method } };
    else if (!parsed) reply = fail('invalid_form_data');
    else {
      reply = takeInjection(method) ?? authError(method, token) ?? limiter.check(method, args, performance.now())
        ?? handler(args, { store, dir, baseUrl, token, socketUrl: () => socketUrl() });
    }
    record({ method, body: readable(args), at, ...(token ? { token } : {}), status: reply.status, ok: reply.body.ok === true, response: reply.body });
    send(res, reply);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, { status: 500, body: { ok: false, error: 'fatal_error', detail: String(e) } });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;

  return {
    url: `${baseUrl}/api/`,
    calls,
    waitFor: (pred, timeoutMs = 10_000) => {
      const hit = calls.find(pred);
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve, reject) => {
        const w = { pred, resolve };
        waiters.push(w);
        setTimeout(() => {
          const i = waiters.indexOf(w);
          if (i >= 0) waiters.splice(i, 1);
          reject(new Error(`no matching Slack API call within ${timeoutMs} ms (${calls.length} calls: ${calls.slice(-5).map((c) => c.method).join(', ')})`));
        }, timeoutMs).unref();
      });
    },
    messages: (channel, threadTs) => store.messages(channel, threadTs),
    ephemerals: store.ephemerals,
    files: store.files,
    views: store.views,
    responseUrl: (target) => responseUrls.issue(baseUrl, target),
    seedMessage: (channel, m) => store.post({ channel, text: m.text, user: m.user, ...(m.ts ? { ts: m.ts } : {}), ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}) }),
    rateLimitNext: (method, n, retryAfterSeconds) => {
      injections.push({ method, left: n, reply: { status: 429, headers: { 'retry-after': String(retryAfterSeconds) }, body: { ok: false, error: 'ratelimited' } } });
    },
    failNext: (method, error, n = 1, extra = {}) => {
      injections.push({ method, left: n, reply: fail(error, extra) });
    },
    setRateLimits: (rules) => limiter.set(rules),
    setLatency: (method, ms) => {
      if (ms > 0) latency.set(method, ms);
      else latency.delete(method);
    },
    attachSocket: (fn) => {
      socketUrl = fn;
    },
    stop: () => new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    }),
  };
}
