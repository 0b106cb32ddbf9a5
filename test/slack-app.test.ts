/** The Slack app over real HTTP: signed requests only, ack, answer posted with Block Kit. */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '@slack/bolt';
import { buildModel } from '../src/model/build.js';
import { readSnapshotDir } from '../src/snapshot/read.js';
import { snapshotAnswerer } from '../src/slack/answerer.js';
import { createSlackApp } from '../src/slack/app.js';
import { postSigned, slackSignature, slashCommandBody, startFakeSlackApi, type FakeSlackApi } from '../src/bench/slack-harness.js';

const SECRET = 'test-signing-secret';
let api: FakeSlackApi;
let app: App;
let url: string;

beforeAll(async () => {
  api = await startFakeSlackApi();
  const { docs } = await readSnapshotDir(join(import.meta.dirname, '..', 'examples', 'incident'));
  app = createSlackApp({ signingSecret: SECRET, botToken: 'xoxb-test', answer: snapshotAnswerer(buildModel(docs)), slackApiUrl: api.url });
  const server = (await app.start(0)) as Server;
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
});
afterAll(async () => {
  await app?.stop();
  await api?.stop();
});

describe('Slack app', () => {
  it('/sgwhy acks and posts the answer as Block Kit in the channel', async () => {
    const r = await postSigned(url, SECRET, slashCommandBody("why can't 10.0.2.100 reach 10.0.1.50:443", 'C-CMD'), 'application/x-www-form-urlencoded');
    expect(r.status).toBe(200);
    const post = await api.waitFor((c) => c.method === 'chat.postMessage' && c.body.channel === 'C-CMD');
    expect(String(post.body.text)).toMatch(/^BLOCKED/);
    expect(JSON.stringify(post.body.blocks)).toContain('modify-network-interface-attribute');
  });

  it('answers a mention in its thread', async () => {
    const body = JSON.stringify({ type: 'event_callback', team_id: 'T1', api_app_id: 'A1', event_id: 'Ev1', event_time: 1,
      event: { type: 'app_mention', user: 'U123', channel: 'C-MENTION', ts: '1700000000.000100', text: "<@UBOT> why can't 10.0.2.100 reach 10.0.1.50:443" } });
    const r = await postSigned(url, SECRET, body, 'application/json');
    expect(r.status).toBe(200);
    const post = await api.waitFor((c) => c.method === 'chat.postMessage' && c.body.channel === 'C-MENTION');
    expect(post.body.thread_ts).toBe('1700000000.000100');
  });

  it('a bad question gets a friendly reply with examples', async () => {
    await postSigned(url, SECRET, slashCommandBody('hello there', 'C-BAD'), 'application/x-www-form-urlencoded');
    const post = await api.waitFor((c) => c.method === 'chat.postMessage' && c.body.channel === 'C-BAD');
    expect(String(post.body.text)).toMatch(/source and a destination|Which port|I need/i);
  });

  it('rejects unsigned, wrongly signed and replayed requests, and posts nothing', async () => {
    const before = api.calls.length;
    const body = slashCommandBody("why can't 10.0.2.100 reach 10.0.1.50:443", 'C-EVIL');
    expect((await postSigned(url, SECRET, body, 'application/x-www-form-urlencoded', false)).status).toBe(401);
    expect((await postSigned(url, 'wrong-secret', body, 'application/x-www-form-urlencoded')).status).toBe(401);
    const old = slackSignature(SECRET, body, Math.floor(Date.now() / 1000) - 3600);
    const r = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...old } });
    expect(r.status).toBe(401);
    await new Promise((res) => setTimeout(res, 200));
    expect(api.calls.slice(before).filter((c) => c.body.channel === 'C-EVIL')).toEqual([]);
  });
});
