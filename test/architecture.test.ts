/**
 * Pure core, imperative shell: the core folders import no AWS SDK, Redis, Slack, filesystem,
 * network or child processes, and read neither the environment nor the clock.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', 'src');
const PURE = ['answer', 'diagnose', 'engine', 'errors', 'fix', 'model', 'net', 'question', 'render', 'trace'];
const FORBIDDEN: Array<[RegExp, string]> = [
  [/from '@aws-sdk\//, 'the AWS SDK'],
  [/from 'ioredis'/, 'Redis'],
  [/from '@slack\//, 'Slack'],
  [/from 'node:(fs|fs\/promises|net|http|https|child_process|os)'/, 'I/O'],
  [/process\.env/, 'the environment'],
  [/Date\.now\(|new Date\(/, 'the clock'],
  [/Math\.random\(/, 'randomness'],
];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [join(dir, e.name)] : []));
}

describe('pure core', () => {
  const core = PURE.flatMap((d) => files(join(SRC, d)));
  it('has the folders it should', () => {
    expect(core.length).toBeGreaterThan(20);
  });
  for (const f of core) {
    it(`${relative(SRC, f)} stays pure`, () => {
      const text = readFileSync(f, 'utf8');
      for (const [re, what] of FORBIDDEN) expect(re.test(text), `${relative(SRC, f)} uses ${what}`).toBe(false);
      // and never reaches into the shell folders
      expect(/from '\.\.\/(aws|cli|config|flowlogs|snapshot|store|bench|approval|execute|audit)\//.test(text), `${relative(SRC, f)} imports the shell`).toBe(false);
    });
  }
});
