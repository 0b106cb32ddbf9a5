/**
 * The fix loop against a real API: rebuild a scenario in moto_server with its build script,
 * answer from a fresh dump, run every printed fix command with the real AWS CLI, dump again and
 * ask again. The answer must become reachable — which proves the commands are valid CLI, target
 * the right objects, and fix the path.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ask } from '../src/engine/ask.js';
import { buildModel } from '../src/model/build.js';
import { parseQuestion } from '../src/question/parse.js';
import { readSnapshotDir } from '../src/snapshot/read.js';
import { startMoto, motoEnv, type Moto } from './support/moto.js';
import { loadScenarios, SCENARIO_ROOT } from './support/scenarios.js';

const run = promisify(execFile);
const BUILD = join(SCENARIO_ROOT, '_build');

/** A representative subset (each rebuild costs a few seconds of AWS CLI calls). */
const WANTED = ['sg-wrong-port', 'sg-not-attached', 'sg-missing-egress', 'nacl-return-ephemeral', 'nacl-deny-before-allow', 'route-no-route', 'tgw-missing-route', 'peering-no-route-back', 'peering-not-active'];

function scriptFor(name: string): string | undefined {
  for (const f of readdirSync(BUILD).filter((x) => x.endsWith('-scenarios.sh'))) {
    if (readFileSync(join(BUILD, f), 'utf8').includes(name)) return join(BUILD, f);
  }
  return undefined;
}

const scenarios = loadScenarios().filter((s) => WANTED.includes(s.name) && s.expect.verdict === 'blocked' && s.expect.fixLoopMoto !== false && scriptFor(s.name));

let moto: Moto;
const tmp = mkdtempSync(join(tmpdir(), 'sgwhy-moto-loop-'));
beforeAll(async () => { moto = await startMoto(); });
afterAll(async () => {
  await moto?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe('fix loop with the real AWS CLI against moto', () => {
  it('covers security groups, NACLs and routes', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(4);
  });

  for (const s of scenarios) {
    it(`${s.name}: the printed commands make it reachable`, async () => {
      const env = { ...motoEnv(moto.endpoint), ENDPOINT: moto.endpoint, OUT_ROOT: tmp, SCENARIO_FILTER: s.name };
      await run('bash', [scriptFor(s.name)!], { env, timeout: 120_000 });
      const q = parseQuestion(s.question);
      const built = JSON.parse(readFileSync(join(tmp, s.name, 'scenario.json'), 'utf8')) as { vpcIds: string[] };
      const before = ask(buildModel((await readSnapshotDir(join(tmp, s.name, 'snapshot'))).docs), q);
      expect(before.verdict).toBe('blocked');
      expect(before.fixes.length).toBe(before.blockers.length);
      for (const f of before.fixes) {
        await run('bash', ['-c', f.cli], { env, timeout: 60_000 });
      }
      const again = join(tmp, s.name, 'after');
      await run('bash', [join(BUILD, 'lib.sh'), 'dump', moto.endpoint, again, ...built.vpcIds], { env, timeout: 120_000 });
      const after = ask(buildModel((await readSnapshotDir(again)).docs), q);
      expect(after.verdict, `${after.summary}\n${before.fixes.map((f) => f.cli).join('\n')}`).toBe('reachable');
    }, 240_000);
  }
});
