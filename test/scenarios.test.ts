/**
 * The scenario corpus: for every folder under test/scenarios, answer the question from the
 * snapshot and compare with the expected verdict, blockers (all of them, in packet order),
 * near misses and unknowns. Then the fix loop: apply every proposed fix to the snapshot and
 * ask again — the path must become reachable.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ask } from '../src/engine/ask.js';
import { applyFixSteps } from '../src/fix/simulate-steps.js';
import { buildModel } from '../src/model/build.js';
import type { RawDoc } from '../src/model/raw.js';
import { parseQuestion } from '../src/question/parse.js';
import { readSnapshotDir } from '../src/snapshot/read.js';
import { loadScenarios } from './support/scenarios.js';

const scenarios = loadScenarios();

describe('scenario corpus', () => {
  it('has scenarios for every seed root cause', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(10);
  });

  for (const s of scenarios) {
    describe(s.name, () => {
      it(`answers: ${s.question} → ${s.expect.verdict}`, async () => {
        const { docs } = await readSnapshotDir(join(s.dir, 'snapshot'));
        const answer = ask(buildModel(docs), parseQuestion(s.question));
        const got = answer.blockers.map((b) => ({ layer: b.layer, resourceId: b.resourceId, direction: b.direction, path: b.path, code: b.code, networkInterfaceId: b.networkInterfaceId }));
        const context = `${s.description}\n${answer.summary}\n${JSON.stringify(got, null, 1)}\nunknowns: ${answer.unknowns.map((u) => u.message).join(' | ')}`;
        expect(answer.verdict, context).toBe(s.expect.verdict);
        expect(got.length, context).toBe(s.expect.blockers.length);
        s.expect.blockers.forEach((want, i) => expect(got[i], context).toMatchObject(want));
        const kinds = new Set(answer.nearMisses.map((n) => n.kind));
        for (const k of s.expect.nearMisses) expect([...kinds], `near miss ${k}: ${answer.nearMisses.map((n) => n.message).join(' | ')}`).toContain(k);
        const codes = new Set(answer.unknowns.map((u) => u.code));
        for (const c of s.expect.unknownCodes) expect([...codes]).toContain(c);
        if (s.expect.verdict === 'reachable') {
          expect(answer.fixes).toEqual([]);
          expect(answer.hostChecks.length).toBeGreaterThan(0);
        }
        const x = s.expect;
        if (x.parts) {
          expect(answer.parts?.map((p) => p.verdict), context).toEqual(x.parts.map((p) => p.verdict));
          x.parts.forEach((want, i) => {
            if (want.label) expect(answer.parts![i]!.label).toContain(want.label);
            if (want.ports) expect(answer.parts![i]!.ports).toEqual(want.ports);
          });
        }
        for (const text of x.summaryIncludes ?? []) expect(answer.summary).toContain(text);
        for (const text of x.explanationIncludes ?? []) expect(answer.blockers.map((b) => b.explanation).join('\n')).toContain(text);
        for (const text of x.hostChecksInclude ?? []) expect(answer.hostChecks.map((h) => h.command ?? '').join('\n')).toContain(text);
        for (const text of x.fixNotesExclude ?? []) expect(answer.fixes.flatMap((f) => [...f.notes, f.title]).join('\n')).not.toContain(text);
        for (const step of x.hopSteps ?? []) expect(answer.hops.map((h) => h.step)).toContain(step);
        // Every blocker explains itself with evidence, and says why when it has no fix.
        for (const b of answer.blockers) {
          expect(b.explanation.length).toBeGreaterThan(10);
          expect(b.evidence.summary.length).toBeGreaterThan(3);
          if (b.fixIds.length === 0) expect(b.noFixReason, `${b.id} has no fix and no reason`).toMatch(/\w{3,}/);
          if (b.layer === 'security-group') {
            expect(b.networkInterfaceId).toMatch(/^eni-/);
            expect(b.securityGroupIds).toContain(b.resourceId);
          }
        }
      });

      if (s.expect.verdict === 'blocked' && s.expect.fixLoop) {
        it('fix loop: applying the proposed fixes makes it reachable', async () => {
          const { docs } = await readSnapshotDir(join(s.dir, 'snapshot'));
          const q = parseQuestion(s.question);
          const before = ask(buildModel(docs), q);
          expect(before.fixes.length).toBeGreaterThan(0);
          let patched: RawDoc[] = docs;
          for (const f of before.fixes) patched = applyFixSteps(patched, f.steps);
          const after = ask(buildModel(patched), q);
          expect(after.verdict, `${after.summary}\n${after.blockers.map((b) => b.explanation).join('\n')}`).toBe('reachable');
        });
      }
    });
  }
});
