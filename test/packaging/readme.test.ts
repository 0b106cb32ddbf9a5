/** README's "Run the bot in Slack in five minutes" stays true to the manifest, the settings and the files it names. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseDockerfile } from './dockerfile-parse.js';

const ROOT = join(import.meta.dirname, '..', '..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const HEADING = '## Run the bot in Slack in five minutes';

function section(): string {
  const start = readme.indexOf(`\n${HEADING}\n`);
  expect(start, 'the section is in README.md').toBeGreaterThan(0);
  const next = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, next < 0 ? undefined : next);
}

describe('README: Run the bot in Slack in five minutes', () => {
  it('comes right after "Live mode"', () => {
    const headings = [...readme.matchAll(/^## (.*)$/gm)].map((m) => m[1]!);
    const i = headings.indexOf(HEADING.slice(3));
    expect(headings[i - 1]).toMatch(/^Live mode/);
  });

  it('lists exactly the settings the bot reads', () => {
    const settings = readFileSync(join(ROOT, 'src', 'slack', 'settings.ts'), 'utf8');
    const read = [...new Set([...settings.matchAll(/\b(?:get|num)\('([A-Z][A-Z0-9_]*)'/g)].map((m) => m[1]!))].sort();
    const table = [...section().matchAll(/^\| `([A-Z][A-Z0-9_]*)` \|/gm)].map((m) => m[1]!).sort();
    expect(table).toEqual(read);
  });

  it('names the manifest\'s bot scopes and events, and files that exist', () => {
    const s = section();
    const manifest = parse(readFileSync(join(ROOT, 'manifest.yml'), 'utf8')) as { oauth_config: { scopes: { bot: string[] } }; settings: { event_subscriptions: { bot_events: string[] } } };
    for (const scope of manifest.oauth_config.scopes.bot) expect(s).toContain(`\`${scope}\``);
    const words = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven'];
    expect(s).toContain(`${words[manifest.oauth_config.scopes.bot.length]} bot scopes`);
    for (const e of manifest.settings.event_subscriptions.bot_events) expect(s).toContain(`\`${e}\``);
    for (const f of ['manifest.yml', 'deploy/docker-compose.yml', 'deploy/.env.example', 'examples/incident']) {
      expect(s).toContain(f);
      expect(existsSync(join(ROOT, f)), f).toBe(true);
    }
  });

  it('states the Node line the image uses', () => {
    const base = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8')).at(-1)!.image;
    const major = /^node:(\d+)-/.exec(base)![1];
    expect(section()).toContain(`Node ${major} LTS`);
  });
});
