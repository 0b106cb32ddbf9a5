/**
 * manifest.yml against the code: the slash command, the events and interactivity in the manifest
 * are exactly what `registerListeners` registers, and the bot scopes are exactly what the listeners
 * and the Web API calls in src/ need (no more, no less).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { App } from '@slack/bolt';
import type { AppsManifestCreateArguments } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ACTION } from '../../src/render/slack.js';
import { registerListeners } from '../../src/slack/app.js';
import { COMMAND } from '../../src/slack/listeners/command.js';
import type { Runner } from '../../src/slack/runner.js';

type Manifest = AppsManifestCreateArguments['manifest'];
/** Slack's own names (from @slack/web-api's manifest types): a typo in the tables below does not compile. */
type BotScope = NonNullable<NonNullable<NonNullable<Manifest['oauth_config']>['scopes']>['bot']>[number];
type BotEvent = NonNullable<NonNullable<NonNullable<Manifest['settings']>['event_subscriptions']>['bot_events']>[number];

const ROOT = join(import.meta.dirname, '..', '..');
const SRC = join(ROOT, 'src');
const manifest = parse(readFileSync(join(ROOT, 'manifest.yml'), 'utf8')) as Manifest;

/**
 * Bot-token scopes each Web API method needs, from the "Scopes" of each method's page in Slack's
 * reference (docs.slack.dev/reference/methods/<method>). A method the code calls that is missing
 * here fails the test: look it up and add it.
 */
const METHOD_SCOPES: Record<string, BotScope[]> = {
  'chat.postMessage': ['chat:write'],
  'chat.update': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'chat.delete': ['chat:write'],
  // The SDK helper: files.getUploadURLExternal, a POST to the upload URL, files.completeUploadExternal.
  'files.uploadV2': ['files:write'],
  'files.getUploadURLExternal': ['files:write'],
  'files.completeUploadExternal': ['files:write'],
  'usergroups.users.list': ['usergroups:read'],
  'usergroups.list': ['usergroups:read'],
  'users.info': ['users:read'],
  'reactions.add': ['reactions:write'],
  'views.open': [],
  'views.publish': [],
  'auth.test': [],
};

/** Scopes an event subscription needs (docs.slack.dev/reference/events/<event>). */
const EVENT_SCOPES: Record<string, BotScope[]> = {
  app_mention: ['app_mentions:read'],
  'message.im': ['im:history'],
  'message.channels': ['channels:history'],
  'message.groups': ['groups:history'],
  'message.mpim': ['mpim:history'],
  app_home_opened: [],
};

/** A stand-in for Bolt's App that records what registerListeners asks of it; anything else fails. */
function recordListeners() {
  const calls: Array<{ method: string; first: unknown }> = [];
  const known = new Set(['command', 'event', 'message', 'action']);
  const app = new Proxy({}, {
    get(_t, prop) {
      return (...args: unknown[]) => {
        const method = String(prop);
        if (!known.has(method)) throw new Error(`registerListeners called app.${method}(): teach manifest.test.ts (and manifest.yml) what it needs`);
        calls.push({ method, first: args[0] });
      };
    },
  });
  const runner: Runner = { dispatch() {}, ready: async () => ({ ok: true }) as never, drain: async () => 0, close: async () => {} };
  registerListeners(app as unknown as App, runner);
  return calls;
}

/** The Slack Web API methods src/ calls (the bot, not the benchmark's fake Slack in src/bench). */
function webApiMethods(): Map<string, string[]> {
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const p = join(dir, e.name);
      if (e.isDirectory()) return p === join(SRC, 'bench') ? [] : files(p);
      return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
    });
  const families = 'admin|apps|auth|bookmarks|bots|calls|chat|conversations|dnd|emoji|files|pins|reactions|reminders|search|stars|team|usergroups|users|views|workflows';
  const patterns = [
    // client.chat.postMessage( … this.client.usergroups.users.list( … web?.files.uploadV2(
    new RegExp(`\\.\\s*(?:${families})\\s*\\.\\s*[A-Za-z][A-Za-z0-9]*(?:\\s*\\.\\s*[A-Za-z][A-Za-z0-9]*)*\\s*\\(`, 'g'),
    /\bapiCall\(\s*['"`]([A-Za-z0-9.]+)['"`]/g,
    // the lean client (src/slack/web-api.ts): this.api.call('chat.postMessage', …
    /\.call\(\s*['"`]([a-z]+\.[A-Za-z0-9.]+)['"`]/g,
  ];
  const found = new Map<string, string[]>();
  for (const f of files(SRC)) {
    const text = readFileSync(f, 'utf8');
    // Only code that talks to Slack: a WebClient, the lean client or a Slack package (keeps out arrays named `files`).
    if (!/WebClient|SlackWebApi|from '@slack\//.test(text) && !/\bapiCall\(/.test(text)) continue;
    for (const re of patterns) {
      for (const m of text.matchAll(re)) {
        const method = (m[1] ?? m[0].replace(/\s+/g, '').replace(/^\./, '').replace(/\($/, ''));
        if (!method.includes('.')) continue;
        found.set(method, [...(found.get(method) ?? []), relative(ROOT, f)]);
      }
    }
  }
  return found;
}

describe('manifest.yml', () => {
  const calls = recordListeners();
  const commands = calls.filter((c) => c.method === 'command').map((c) => c.first);
  const events = calls.filter((c) => c.method === 'event').map((c) => c.first);
  const actions = calls.filter((c) => c.method === 'action').map((c) => c.first);
  const messageListeners = calls.filter((c) => c.method === 'message');
  const methods = webApiMethods();

  it('is a manifest Slack accepts: required fields and documented limits', () => {
    const d = manifest.display_information;
    expect(d.name).toBe('sgwhy');
    expect(d.name.length).toBeLessThanOrEqual(35);
    expect(d.description?.length ?? 0).toBeGreaterThan(0);
    expect(d.description!.length).toBeLessThanOrEqual(140);
    expect(d.background_color).toMatch(/^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/);
    const bot = manifest.features?.bot_user;
    expect(bot?.display_name).toMatch(/^[a-z0-9._-]{1,80}$/);
    expect(bot?.always_online).toBe(true);
    for (const c of manifest.features?.slash_commands ?? []) {
      expect(c.command).toMatch(/^\/[a-z0-9_-]{1,31}$/);
      expect(c.description.length).toBeGreaterThan(0);
      expect(c.description.length).toBeLessThanOrEqual(2000);
      expect(c.usage_hint?.length ?? 0).toBeGreaterThan(0);
      expect(c.usage_hint!.length).toBeLessThanOrEqual(1000);
      // HTTP mode needs an https URL; Socket Mode ignores it.
      expect(c.url).toMatch(/^https:\/\/[^\s/]+\/slack\/events$/);
    }
    expect([1, 2]).toContain(manifest._metadata?.major_version ?? 1);
    const top = new Set(['_metadata', 'display_information', 'features', 'oauth_config', 'settings', 'functions']);
    for (const k of Object.keys(manifest)) expect(top.has(k), `unknown top-level key ${k}`).toBe(true);
  });

  it('enables Socket Mode (no public URL needed; an app-level token with connections:write)', () => {
    expect(manifest.settings?.socket_mode_enabled).toBe(true);
    expect(manifest.settings?.token_rotation_enabled ?? false).toBe(false);
  });

  it('declares exactly the slash commands the app registers', () => {
    expect(commands).toContain(COMMAND);
    const declared = (manifest.features?.slash_commands ?? []).map((c) => c.command);
    expect(new Set(declared).size).toBe(declared.length);
    expect([...declared].sort()).toEqual([...(commands as string[])].sort());
  });

  it('subscribes to exactly the events the app listens to (app.message → message.im)', () => {
    for (const e of events) expect(typeof e, 'event listeners are registered by name').toBe('string');
    for (const m of messageListeners) expect(typeof m.first, 'app.message without a pattern: every DM').toBe('function');
    const needed = new Set<string>([...(events as string[]), ...(messageListeners.length ? ['message.im'] : [])]);
    const declared = manifest.settings?.event_subscriptions?.bot_events ?? [];
    expect(new Set(declared).size).toBe(declared.length);
    expect([...declared].sort()).toEqual([...needed].sort());
    expect(manifest.settings?.event_subscriptions?.user_events ?? []).toEqual([]);
  });

  it('lets people DM the bot when it listens to direct messages (App Home messages tab, writable)', () => {
    const home = manifest.features?.app_home;
    const dms = (manifest.settings?.event_subscriptions?.bot_events ?? []).includes('message.im');
    expect(dms).toBe(true);
    expect(home?.messages_tab_enabled).toBe(true);
    expect(home?.messages_tab_read_only_enabled).toBe(false);
    expect(home?.home_tab_enabled ?? false, 'no app_home_opened listener, so no Home tab').toBe(false);
  });

  it('turns interactivity on exactly when the app registers actions, and the actions match every button the renderer draws', () => {
    expect(actions.length).toBeGreaterThan(0);
    expect(manifest.settings?.interactivity?.is_enabled).toBe(actions.length > 0);
    const ids = [ACTION.recheck, ACTION.trace, ACTION.flowLogs, `${ACTION.approve}:F1`, `${ACTION.approve}:F12`];
    const matches = (id: string) => actions.some((a) => (a instanceof RegExp ? a.test(id) : typeof a === 'string' ? a === id : (a as { action_id?: unknown }).action_id === id));
    for (const id of ids) expect(matches(id), `button ${id} has a listener`).toBe(true);
    expect(matches('someone_elses_button')).toBe(false);
    // Shortcuts would need their own listener (app.shortcut), which the recorder refuses.
    expect(manifest.features?.shortcuts ?? []).toEqual([]);
  });

  it('finds the Web API calls the code makes (the scan is not blind)', () => {
    for (const m of ['chat.postMessage', 'chat.update', 'chat.postEphemeral', 'files.uploadV2']) {
      expect(methods.has(m), `${m} found in src/`).toBe(true);
    }
  });

  it('knows the scope of every Web API method the code calls', () => {
    const unknown = [...methods.keys()].filter((m) => !(m in METHOD_SCOPES));
    expect(unknown, `Web API methods without a scope in METHOD_SCOPES (look them up in Slack's reference): ${unknown.map((m) => `${m} (${methods.get(m)!.join(', ')})`).join('; ')}`).toEqual([]);
  });

  it('asks for exactly the bot scopes the listeners and Web API calls need, nothing more', () => {
    const needed = new Set<BotScope>();
    for (const m of methods.keys()) for (const s of METHOD_SCOPES[m] ?? []) needed.add(s);
    for (const e of manifest.settings?.event_subscriptions?.bot_events ?? []) {
      const s = EVENT_SCOPES[e as BotEvent];
      expect(s, `event ${e} has its scope in EVENT_SCOPES`).toBeDefined();
      for (const x of s!) needed.add(x);
    }
    if ((manifest.features?.slash_commands ?? []).length) needed.add('commands');
    const declared = manifest.oauth_config?.scopes?.bot ?? [];
    expect(new Set(declared).size).toBe(declared.length);
    expect([...declared].sort()).toEqual([...needed].sort());
    expect(manifest.oauth_config?.scopes?.user ?? []).toEqual([]);
  });
});
