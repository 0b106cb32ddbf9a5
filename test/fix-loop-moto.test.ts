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
import { AwsSession } from '../src/aws/clients.js';
import { collectFull } from '../src/aws/collect-full.js';
import { resolveTargets } from '../src/aws/targets.js';
import { selectAccounts } from '../src/config/select.js';
import { implicitConfig } from '../src/config/validate.js';
import { startMoto, motoEnv, useMotoEnv, type Moto } from './support/moto.js';
import { loadScenarios, SCENARIO_ROOT } from './support/scenarios.js';

const run = promisify(execFile);
const BUILD = join(SCENARIO_ROOT, '_build');

/** A representative subset (each rebuild costs a few seconds of AWS CLI calls). */
const WANTED = ['sg-wrong-port', 'sg-not-attached', 'nacl-deny-before-allow', 'peering-no-route-back', 'peering-not-active'];

function scriptFor(name: string): string | undefined {
  for (const f of readdirSync(BUILD).filter((x) => x.endsWith('-scenarios.sh'))) {
    if (readFileSync(join(BUILD, f), 'utf8').includes(name)) return join(BUILD, f);
  }
  return undefined;
}

const scenarios = loadScenarios().filter((s) => WANTED.includes(s.name) && s.expect.verdict === 'blocked' && s.expect.fixLoopMoto !== false && scriptFor(s.name));

let moto: Moto;
const tmp = mkdtempSync(join(tmpdir(), 'sgwhy-moto-loop-'));
const saved = { ...process.env };
beforeAll(async () => {
  moto = await startMoto();
  useMotoEnv(moto.endpoint);
});
afterAll(async () => {
  process.env = saved;
  await moto?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe('fix loop with the real AWS CLI against moto', () => {
  it('covers security groups, NACLs and routes', () => {
    expect(scenarios.map((s) => s.name).sort()).toEqual([...WANTED].sort());
  });

  for (const s of scenarios) {
    it(`${s.name}: the printed commands make it reachable`, async () => {
      const env = { ...motoEnv(moto.endpoint), ENDPOINT: moto.endpoint, OUT_ROOT: tmp, SCENARIO_FILTER: s.name };
      await run('bash', [scriptFor(s.name)!], { env, timeout: 300_000 });
      const q = parseQuestion(s.question);
      const before = ask(buildModel((await readSnapshotDir(join(tmp, s.name, 'snapshot'))).docs), q);
      expect(before.verdict).toBe('blocked');
      expect(before.fixes.length).toBe(before.blockers.length);
      for (const f of before.fixes) {
        await run('bash', ['-c', f.cli], { env, timeout: 60_000 });
      }
      // The state after the fixes, read back with sgwhy's own collector (the SDK, not the CLI).
      const session = new AwsSession();
      let afterDocs;
      try {
        const clients = session.forQuestion({ asker: 'fix-loop-test' });
        const targets = await resolveTargets(clients, selectAccounts(implicitConfig()));
        afterDocs = (await collectFull(clients, targets)).docs;
      } finally {
        session.destroy();
      }
      const after = ask(buildModel(afterDocs), q);
      expect(after.verdict, `${after.summary}\n${before.fixes.map((f) => f.cli).join('\n')}`).toBe('reachable');
    }, 420_000);
  }
});
