/**
 * deploy/docker-compose.yml's wiring (compose cannot run here): the bot reaches the Redis service,
 * waits for it to be healthy, publishes the port the image exposes, checks /healthz the way the
 * image does; deploy/.env.example documents every setting the bot reads, and what it sets (with
 * what compose sets) is a configuration the bot accepts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readBotSettings } from '../../src/slack/settings.js';
import { parseDockerfile } from './dockerfile-parse.js';

const ROOT = join(import.meta.dirname, '..', '..');
const COMPOSE = join(ROOT, 'deploy', 'docker-compose.yml');

interface Service {
  image?: string;
  build?: { context: string; dockerfile?: string };
  command?: string[];
  env_file?: Array<string | { path: string }>;
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[]; interval?: string; timeout?: string; retries?: number; start_period?: string };
  stop_grace_period?: string;
  volumes?: string[];
}
const compose = parse(readFileSync(COMPOSE, 'utf8')) as { services: Record<string, Service>; volumes?: Record<string, unknown> };
const bot = compose.services.sgwhy!;
const redis = compose.services.redis!;
const runtime = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8')).at(-1)!;

/** KEY=VALUE lines of a .env file; `# KEY=…` lines are documented but unset. */
function dotenv(text: string): { set: Record<string, string>; documented: Set<string> } {
  const set: Record<string, string> = {};
  const documented = new Set<string>();
  for (const raw of text.split(/\r?\n/)) {
    const l = raw.trim();
    const m = /^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$/.exec(l);
    if (!m) continue;
    documented.add(m[2]!);
    if (!m[1]) set[m[2]!] = m[3]!;
  }
  return { set, documented };
}

/** Every variable src/slack/settings.ts reads (get('X') / num('X', …)). */
function settingsVariables(): string[] {
  const text = readFileSync(join(ROOT, 'src', 'slack', 'settings.ts'), 'utf8');
  return [...new Set([...text.matchAll(/\b(?:get|num)\('([A-Z][A-Z0-9_]*)'/g)].map((m) => m[1]!))].sort();
}
const seconds = (d: string) => {
  const m = /^(\d+)(s|m)$/.exec(d);
  if (!m) throw new Error(`duration ${d}`);
  return Number(m[1]) * (m[2] === 'm' ? 60 : 1);
};

describe('deploy/docker-compose.yml', () => {
  it('builds the bot from the top-level Dockerfile', () => {
    expect(bot.build).toBeDefined();
    const context = join(dirname(COMPOSE), bot.build!.context);
    expect(existsSync(join(context, bot.build!.dockerfile ?? 'Dockerfile'))).toBe(true);
    expect(existsSync(join(context, 'package.json'))).toBe(true);
  });

  it('runs Redis 7 with a health check, and the bot waits for it to be healthy', () => {
    expect(redis.image).toBe('redis:7-alpine');
    expect(redis.healthcheck?.test).toEqual(['CMD', 'redis-cli', 'ping']);
    expect(bot.depends_on?.redis?.condition).toBe('service_healthy');
    // Thread state is kept for days: Redis persists it on a named volume.
    expect(redis.command?.join(' ')).toContain('--appendonly yes');
    const vol = redis.volumes?.[0]?.split(':')[0];
    expect(vol && compose.volumes && vol in compose.volumes).toBe(true);
  });

  it('points REDIS_URL at the redis service', () => {
    const url = new URL(bot.environment!.REDIS_URL!);
    expect(url.protocol).toBe('redis:');
    expect(url.hostname).toBe('redis');
    expect(url.hostname in compose.services).toBe(true);
    // redis-server's default port (the command sets no other).
    expect(url.port || '6379').toBe('6379');
    expect(redis.command?.join(' ')).not.toContain('--port');
  });

  it('publishes the port the bot listens on and the image exposes', () => {
    const port = bot.environment!.PORT!;
    const exposed = runtime.instructions.filter((i) => i.op === 'EXPOSE').map((i) => i.rest);
    expect(exposed).toContain(port);
    expect(bot.ports?.map((p) => p.split(':').at(-1))).toContain(port);
  });

  it('checks /healthz exactly as the image does, and leaves time for answers in flight at stop', () => {
    const image = runtime.instructions.filter((i) => i.op === 'HEALTHCHECK').at(-1)!.exec!;
    expect(bot.healthcheck?.test).toEqual(['CMD', ...image]);
    const grace = readBotSettings({ SLACK_BOT_TOKEN: 'xoxb-x', SLACK_APP_TOKEN: 'xapp-x' }).shutdownGraceMs / 1000;
    expect(seconds(bot.stop_grace_period ?? '10s')).toBeGreaterThan(grace);
  });

  it('reads its settings from deploy/.env, and .env.example documents every variable the bot reads', () => {
    expect(bot.env_file?.map((f) => (typeof f === 'string' ? f : f.path))).toEqual(['.env']);
    const example = dotenv(readFileSync(join(dirname(COMPOSE), '.env.example'), 'utf8'));
    const provided = new Set([...example.documented, ...Object.keys(bot.environment ?? {})]);
    const missing = settingsVariables().filter((v) => !provided.has(v));
    expect(missing).toEqual([]);
    expect(settingsVariables().length).toBeGreaterThanOrEqual(14);
  });

  it('with .env.example as it is, the bot accepts its settings: Socket Mode, the example snapshot, Redis', () => {
    const example = dotenv(readFileSync(join(dirname(COMPOSE), '.env.example'), 'utf8'));
    // Compose: `environment` wins over `env_file`.
    const s = readBotSettings({ ...example.set, ...bot.environment });
    expect(s).toMatchObject({ mode: 'socket', redisUrl: 'redis://redis:6379', port: 3000, snapshotDir: 'examples/incident' });
    // The snapshot path is relative to the image's WORKDIR, where the Dockerfile copies examples/.
    const copies = runtime.instructions.filter((i) => i.op === 'COPY').map((i) => i.rest);
    expect(copies).toContain('examples ./examples');
    expect(existsSync(join(ROOT, s.snapshotDir!))).toBe(true);
  });
});
