/**
 * Every fix the scenario corpus proposes says where it runs: each step (and the fix itself, which
 * repeats its first step) carries an account and a Region, and the fix's CLI is its steps' commands.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ask } from '../src/engine/ask.js';
import { buildModel } from '../src/model/build.js';
import { parseQuestion } from '../src/question/parse.js';
import { readSnapshotDir } from '../src/snapshot/read.js';
import { loadScenarios } from './support/scenarios.js';

const blocked = loadScenarios().filter((s) => s.expect.verdict === 'blocked');

describe('fixes carry their account and Region', () => {
  for (const s of blocked) {
    it(s.name, async () => {
      const { docs } = await readSnapshotDir(join(s.dir, 'snapshot'));
      const a = ask(buildModel(docs), parseQuestion(s.question));
      for (const f of [...a.fixes, ...a.fixes.flatMap((x) => x.alternatives ?? [])]) {
        expect(f.steps.length, f.title).toBeGreaterThan(0);
        expect(f.cli).toBe(f.steps.map((st) => st.cli).join('\n'));
        expect({ operation: f.operation, input: f.input }).toEqual({ operation: f.steps[0]!.operation, input: f.steps[0]!.input });
        for (const st of f.steps) {
          expect(st.accountId, `${f.title}: ${st.title}`).toMatch(/^\d{12}$/);
          expect(st.region, `${f.title}: ${st.title}`).toMatch(/^[a-z]{2}(-[a-z]+)+-\d$/);
          expect(st.cli).toContain(`--region ${st.region}`);
        }
        expect(f.accountId).toBe(f.steps[0]!.accountId);
        expect(f.region).toBe(f.steps[0]!.region);
      }
    });
  }
});
