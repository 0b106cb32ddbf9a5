/**
 * The Slack stand-ins for the Slack app's tests and the benchmark, in one import (loopback only):
 * - the Web API fake (fake-slack-web.ts: methods, Block Kit limits, rate limiting and failures on
 *   demand, the messages as Slack would hold them);
 * - signed requests as Slack sends them to the HTTP receiver (fake-slack-requests.ts).
 * The Socket Mode fake is imported from fake-slack-socket.ts directly (it needs the `ws` dev
 * dependency, which this module, used by the benchmark, does not).
 */
import { Agent, request } from 'node:http';
import { FORM, slackHeaders, slackSignature, slashCommandBody } from './fake-slack-requests.js';
import { startFakeSlackWebApi, type FakeSlackApi, type FakeSlackApiOptions, type RecordedCall } from './fake-slack-web.js';

export type { FakeSlackApi, FakeSlackApiOptions, RecordedCall };
export {
  appMentionEvent, blockActionsBody, blockActionsPayload, eventBody, eventCallback, imMessageEvent, newEventId, postToApp, slackHeaders,
  slashCommandPayload, threadReplyEvent, urlVerificationBody, FORM, JSON_TYPE,
  type ButtonClick, type EventOptions, type MessageFields, type SignedPost,
} from './fake-slack-requests.js';
export { slackSignature, slashCommandBody };
export { validateBlocks, validateView } from './fake-slack-blocks.js';
export type { StoredMessage, StoredEphemeral, StoredFile } from './fake-slack-store.js';
export type { ResponseUrlTarget } from './fake-slack-response-url.js';
export { SLACK_RATE_LIMITS, type RateRule } from './fake-slack-rate.js';

export function startFakeSlackApi(opts: FakeSlackApiOptions = {}): Promise<FakeSlackApi> {
  return startFakeSlackWebApi(opts);
}

/** Kept-alive connections for the benchmark's requests (Slack's side costs the machine as little as it can). */
const benchAgent = new Agent({ keepAlive: true, maxSockets: 256 });

/**
 * POST a body signed with `secret` (or unsigned when `sign` is false); the status, when the request
 * had been written to the socket (`sentAt`, epoch ms) and the time from then to the whole answer
 * (`ms`): what Slack waits for its ack, not the time this process took to build and sign the request
 * (in a burst of 50 that was several milliseconds before the first was even written). Over node:http
 * with kept-alive connections rather than fetch: the benchmark's load generator shares the machine
 * with the replicas it measures, so it should use as little CPU as it can.
 */
export function postSigned(url: string, secret: string, body: string, contentType: string = FORM, sign = true): Promise<{ status: number; ms: number; sentAt: number }> {
  const headers = slackHeaders({ secret, body, contentType, signature: sign ? 'valid' : 'none' });
  let sent = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent: benchAgent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - sent, sentAt: performance.timeOrigin + sent }));
      res.on('error', reject);
    });
    req.on('finish', () => {
      sent = performance.now();
    });
    req.on('error', reject);
    req.end(body);
  });
}
