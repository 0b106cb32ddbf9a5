/**
 * Fail closed: corrupting or deleting any single field of a valid snapshot (the scenario corpus)
 * never turns a `blocked` or `unknown` answer into `reachable` — with or without
 * --skip-bad-files. A corrupted snapshot may be refused (a typed error, exit 64) or answered
 * blocked/unknown; it is never answered "reachable", and it never crashes.
 * Corruptions are invalid values only (a different JSON type, an out-of-range or fractional
 * number, a garbage string): a valid value changed to another valid value may legitimately
 * change the answer.
 */
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ask } from '../../src/engine/ask.js';
import { isSgwhyError } from '../../src/errors/errors.js';
import { buildModel } from '../../src/model/build.js';
import type { RawDoc } from '../../src/model/raw.js';
import { parseQuestion } from '../../src/question/parse.js';
import { readSnapshotDir } from '../../src/snapshot/read.js';
import { loadScenarios } from '../support/scenarios.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = Array<string | number>;

interface Case {
  name: string;
  docs: RawDoc[];
  question: ReturnType<typeof parseQuestion>;
  verdict: string;
  /** Every object field in the snapshot: [doc index, path to the field]. */
  fields: Array<[number, Path]>;
}

function fieldsOf(value: Json, path: Path, out: Path[]): void {
  if (Array.isArray(value)) value.forEach((v, i) => fieldsOf(v, [...path, i], out));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push([...path, k]);
      fieldsOf(v, [...path, k], out);
    }
  }
}

/** Invalid replacements for a value: another JSON type, out of range, garbage (an empty list is a valid list). */
function corruptions(original: Json): Array<Json | undefined> {
  const out: Array<Json | undefined> = [undefined /* delete */, null, {}];
  if (!Array.isArray(original)) out.push([]);
  if (typeof original !== 'string') out.push('garbage $(touch /nonexistent/x)', '');
  if (typeof original !== 'number') out.push(70000);
  if (typeof original === 'number') out.push(70000, -5, 1.5, 1e300);
  if (typeof original !== 'boolean') out.push(true);
  if (typeof original === 'string') out.push('garbage\u202e\u001b[2J', '-1x');
  return out;
}

function corrupt(docs: RawDoc[], docIndex: number, path: Path, value: Json | undefined): RawDoc[] {
  const copy = docs.slice();
  const doc = structuredClone(docs[docIndex]!);
  let node = doc.data as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (value === undefined) delete node[last];
  else node[last] = value;
  copy[docIndex] = doc;
  return copy;
}

function getAt(doc: RawDoc, path: Path): Json {
  let node: unknown = doc.data;
  for (const k of path) node = (node as Record<string | number, unknown>)[k];
  return node as Json;
}

/*
 * No known gaps. Closed (each held deterministically by test/untrusted/fail-closed-gaps.test.ts):
 * Subnets or TransitGatewayVpcAttachments missing (transit gateway zones, the interface of a
 * multi-interface source), VPN telemetry missing or empty, a load balancer interface whose
 * Description is garbled, an interface's public address association deleted while
 * describe-instances still lists the address.
 */

/** The verdict, or "refused" when the snapshot is rejected with a typed error. */
function answerOf(docs: RawDoc[], c: Case, skipBad: boolean): string {
  try {
    return ask(buildModel(docs, { skipBad }), c.question).verdict;
  } catch (e) {
    if (isSgwhyError(e)) return 'refused';
    throw e;
  }
}

const cases: Case[] = [];
beforeAll(async () => {
  for (const s of loadScenarios()) {
    if (s.expect.verdict === 'reachable') continue;
    const { docs } = await readSnapshotDir(join(s.dir, 'snapshot'));
    const fields: Array<[number, Path]> = [];
    docs.forEach((d, i) => {
      const paths: Path[] = [];
      fieldsOf(d.data as Json, [], paths);
      for (const p of paths) fields.push([i, p]);
    });
    const question = parseQuestion(s.question);
    cases.push({ name: s.name, docs, question, verdict: ask(buildModel(docs), question).verdict, fields });
  }
});

describe('a corrupted snapshot never answers reachable', () => {
  it('the corpus has blocked and unknown scenarios to corrupt', () => {
    expect(cases.filter((c) => c.verdict === 'blocked').length).toBeGreaterThan(10);
    expect(cases.some((c) => c.verdict === 'unknown')).toBe(true);
  });

  for (const skipBad of [false, true]) {
    it(`any single field, deleted or made invalid${skipBad ? ', with --skip-bad-files' : ''}`, () => {
      fc.assert(fc.property(fc.nat(), fc.nat(), fc.nat(), (ci, fi, ki) => {
        const c = cases[ci % cases.length]!;
        const [docIndex, path] = c.fields[fi % c.fields.length]!;
        const options = corruptions(getAt(c.docs[docIndex]!, path));
        const value = options[ki % options.length];
        const verdict = answerOf(corrupt(c.docs, docIndex, path, value), c, skipBad);
        expect(verdict, `${c.name}: ${c.docs[docIndex]!.file} ${path.join('.')} := ${JSON.stringify(value) ?? 'deleted'}`).not.toBe('reachable');
      }), { numRuns: 600 });
    });
  }

  // The whole corpus, every field, every corruption: minutes, so only on demand (SGWHY_EXHAUSTIVE=1).
  it.runIf(process.env.SGWHY_EXHAUSTIVE === '1')('every field of every scenario, every corruption (exhaustive, on demand)', () => {
    const failures: string[] = [];
    for (const c of cases) {
      for (const [docIndex, path] of c.fields) {
        for (const value of corruptions(getAt(c.docs[docIndex]!, path))) {
          for (const skipBad of [false, true]) {
            if (answerOf(corrupt(c.docs, docIndex, path, value), c, skipBad) === 'reachable') {
              failures.push(`${c.name}: ${path.join('.')} := ${JSON.stringify(value) ?? 'deleted'}${skipBad ? ' (skip bad)' : ''}`);
            }
          }
        }
      }
    }
    expect(failures).toEqual([]);
  }, 3_600_000);

  it('every rule-bearing field of one blocked scenario per layer, deleted (exhaustive)', () => {
    for (const name of ['sg-wrong-port', 'nacl-deny-before-allow', 'route-blackhole', 'nacl-return-ephemeral', 'multi-eni-source-routed']) {
      const c = cases.find((x) => x.name === name);
      if (!c) continue;
      let tried = 0;
      for (const [docIndex, path] of c.fields) {
        if (!['SecurityGroups', 'NetworkAcls', 'RouteTables', 'NetworkInterfaces'].includes(String(path[0]))) continue;
        tried++;
        for (const skipBad of [false, true]) {
          const verdict = answerOf(corrupt(c.docs, docIndex, path, undefined), c, skipBad);
          expect(verdict, `${name}: delete ${path.join('.')}${skipBad ? ' (skip bad)' : ''}`).not.toBe('reachable');
        }
      }
      expect(tried).toBeGreaterThan(20);
    }
  });
});
