/**
 * A lean Web API client for the calls on the answering path (chat.postMessage, chat.update,
 * chat.postEphemeral) and for a slash command's response_url. `@slack/web-api`'s WebClient stays
 * for everything else (file uploads, auth.test, user groups): on the hot path it cost most of the
 * answering thread's time under load (a fetch with web streams per call, a request queue, and the
 * blocks serialised twice more for debug lines it does not print), while one call is a JSON POST.
 *
 * What it does as Slack documents:
 * - JSON bodies (`application/json; charset=utf-8`) with the bot token as a Bearer header;
 * - HTTP 429: waits `Retry-After` seconds and tries again (bounded), so nothing is dropped;
 * - `ok: false`: a SlackApiError whose `data.error` is Slack's code (`not_in_channel`, …), the
 *   shape slackErrorCode reads, as WebClient's platform errors have;
 * - a connection that could not be made or was reset, and 5xx: tried again with a short
 *   back-off (bounded); a timeout is not (the message may have been posted: no duplicates);
 * - redirects are not followed; every attempt has a timeout; the token never appears in errors.
 * Connections are kept alive (one pool per client).
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface SlackApiResult {
  ok: boolean;
  error?: string;
  [k: string]: unknown;
}

export class SlackApiError extends Error {
  readonly code = 'slack_webapi_platform_error';
  constructor(readonly method: string, readonly data: SlackApiResult) {
    super(`An API error occurred: ${String(data.error ?? 'unknown_error')}`);
    this.name = 'SlackApiError';
  }
}

export class SlackHttpError extends Error {
  readonly code = 'slack_webapi_http_error';
  constructor(readonly method: string, readonly statusCode: number, detail: string) {
    super(`${method}: HTTP ${statusCode}${detail ? ` (${detail})` : ''}`);
    this.name = 'SlackHttpError';
  }
}

export interface SlackWebApiOptions {
  /** Base URL of the Web API, ending in `/api/` (default Slack's). */
  baseUrl?: string;
  timeoutMs?: number;
  /** Tries after a 429 (each after its Retry-After). */
  rateLimitRetries?: number;
  /** Tries after a connection failure or a 5xx. */
  failureRetries?: number;
  /** Longest Retry-After honoured, in seconds (a longer one fails the call rather than hold it for ages). */
  maxRetryAfterSeconds?: number;
  sleep?: (ms: number) => Promise<void>;
}

interface Reply {
  status: number;
  retryAfter: string | undefined;
  body: string;
}

const sleepMs = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const MAX_BODY = 4 * 1024 * 1024;
/** Failures where the request did not reach Slack's application (or a kept-alive socket was closed under it). */
const RETRYABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

export class SlackWebApi {
  private readonly base: URL;
  private readonly agent: HttpAgent;
  private readonly timeoutMs: number;
  private readonly rateLimitRetries: number;
  private readonly failureRetries: number;
  private readonly maxRetryAfter: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly token: string, opts: SlackWebApiOptions = {}) {
    this.base = new URL(opts.baseUrl ?? 'https://slack.com/api/');
    if (this.base.protocol !== 'https:' && this.base.protocol !== 'http:') throw new Error(`Web API URL must be http(s): ${this.base.protocol}`);
    this.agent = this.base.protocol === 'https:' ? new HttpsAgent({ keepAlive: true, maxSockets: 64 }) : new HttpAgent({ keepAlive: true, maxSockets: 64 });
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.rateLimitRetries = opts.rateLimitRetries ?? 5;
    this.failureRetries = opts.failureRetries ?? 2;
    this.maxRetryAfter = opts.maxRetryAfterSeconds ?? 120;
    this.sleep = opts.sleep ?? sleepMs;
  }

  /** Calls a Web API method with JSON arguments; resolves with Slack's answer when `ok`. */
  async call(method: string, args: Record<string, unknown>): Promise<SlackApiResult> {
    if (!/^[a-zA-Z]+(\.[a-zA-Z]+)+$/.test(method)) throw new Error(`not a Web API method name: ${method}`);
    const url = new URL(method, this.base);
    const reply = await this.send(method, url, JSON.stringify(args), { authorization: `Bearer ${this.token}` });
    let data: unknown;
    try {
      data = JSON.parse(reply.body);
    } catch {
      throw new SlackHttpError(method, reply.status, 'the answer is not JSON');
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new SlackHttpError(method, reply.status, 'the answer is not a JSON object');
    const result = data as SlackApiResult;
    if (result.ok !== true) throw new SlackApiError(method, { ...result, ok: false, error: typeof result.error === 'string' ? result.error : 'unknown_error' });
    return result;
  }

  /** POSTs JSON to a URL the caller has vetted (a slash command's response_url); no token is sent. */
  async postJson(url: URL, body: unknown): Promise<void> {
    await this.send('response_url', url, JSON.stringify(body), {});
  }

  close(): void {
    this.agent.destroy();
  }

  private async send(method: string, url: URL, body: string, headers: Record<string, string>): Promise<Reply> {
    let limited = 0;
    let failed = 0;
    for (;;) {
      let reply: Reply;
      try {
        reply = await this.once(url, body, headers);
      } catch (e) {
        if (RETRYABLE.has((e as NodeJS.ErrnoException).code ?? '') && failed++ < this.failureRetries) {
          await this.sleep(250 * 2 ** (failed - 1));
          continue;
        }
        throw new SlackHttpError(method, 0, (e as Error).message);
      }
      if (reply.status === 429) {
        const after = Number(reply.retryAfter);
        if (!Number.isFinite(after) || after < 0 || after > this.maxRetryAfter) throw new SlackHttpError(method, 429, `Retry-After ${JSON.stringify(reply.retryAfter ?? null)} is not honoured`);
        if (limited++ >= this.rateLimitRetries) throw new SlackHttpError(method, 429, `still rate limited after ${this.rateLimitRetries} tries`);
        await this.sleep(after * 1000);
        continue;
      }
      if (reply.status >= 500 && failed++ < this.failureRetries) {
        await this.sleep(250 * 2 ** (failed - 1));
        continue;
      }
      if (reply.status !== 200) throw new SlackHttpError(method, reply.status, reply.body.slice(0, 200).replace(/[^\x20-\x7e]/g, '?'));
      return reply;
    }
  }

  private once(url: URL, body: string, headers: Record<string, string>): Promise<Reply> {
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<Reply>((resolve, reject) => {
      const req = request(url, {
        method: 'POST', agent: this.agent, timeout: this.timeoutMs,
        headers: { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) },
      }, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_BODY) req.destroy(new Error('answer too large'));
          else chunks.push(c);
        });
        res.on('end', () => {
          const ra = res.headers['retry-after'];
          resolve({ status: res.statusCode ?? 0, retryAfter: Array.isArray(ra) ? ra[0] : ra, body: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  }
}
