/**
 * The fix loop against a real API, shared by the test/fix-loop-moto*.test.ts files: rebuild a
 * scenario in a private moto_server with its build script (the real AWS CLI), answer from a fresh
 * dump, run every printed fix command with the real AWS CLI, read the state back with sgwhy's own
 * collector (the SDK, not the CLI) and ask again.
 *
 * Each test file is a shard with its own moto_server, so vitest runs the shards in parallel workers.
 * A shard's moto looks the AMIs up once (the build scripts' describe-images is slow in moto) and
 * resets between scenarios (the build scripts do), never restarts.
 *
 *   const loop = await FixLoopMoto.start();          // in beforeAll; loop.stop() in afterAll
 *   const built = await loop.build('sg-wrong-port'); // built.snapshotDir: the script's dump
 *   await loop.cli(fix.cli);                         // any printed command, against this moto
 *   const docs = await loop.collect();               // the live state, with the SDK
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DescribeImagesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsSession } from '../../src/aws/clients.js';
import { collectFull } from '../../src/aws/collect-full.js';
import { resolveTargets } from '../../src/aws/targets.js';
import { selectAccounts } from '../../src/config/select.js';
import { implicitConfig } from '../../src/config/validate.js';
import { ask } from '../../src/engine/ask.js';
import type { RawDoc } from '../../src/model/raw.js';
import { buildModel } from '../../src/model/build.js';
import { parseQuestion } from '../../src/question/parse.js';
import { readSnapshotDir } from '../../src/snapshot/read.js';
import { cliEnv, startMoto, useMotoEnv, type Moto } from './moto.js';
import { loadScenarios, SCENARIO_ROOT, type Scenario } from './scenarios.js';

const run = promisify(execFile);
export const BUILD_DIR = join(SCENARIO_ROOT, '_build');

/**
 * The build script that defines scenario `name`: the *-scenarios.sh whose text names it as a whole
 * word (its SCENARIOS list), or undefined.
 */
export function buildScriptFor(name: string): string | undefined {
  const word = new RegExp(`(^|[\\s"'(])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([\\s"')]|$)`, 'm');
  for (const f of readdirSync(BUILD_DIR).filter((x) => x.endsWith('-scenarios.sh')).sort()) {
    if (word.test(readFileSync(join(BUILD_DIR, f), 'utf8'))) return join(BUILD_DIR, f);
  }
  return undefined;
}

async function firstImage(ec2: EC2Client, filter: { Name: string; Values: string[] }, pick: (ids: string[]) => string | undefined): Promise<string> {
  const r = await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [filter] }));
  const id = pick((r.Images ?? []).map((i) => i.ImageId ?? '').filter((x) => x !== ''));
  if (!id) throw new Error(`moto has no Amazon image matching ${filter.Name}=${filter.Values.join(',')}`);
  return id;
}

export class FixLoopMoto {
  private readonly saved: NodeJS.ProcessEnv;

  private constructor(
    readonly moto: Moto,
    /** The environment for AWS CLI children: this moto, the AMIs, the CLI without a pyenv shim. */
    readonly env: NodeJS.ProcessEnv,
    /** A private folder for build output; removed by stop(). */
    readonly tmp: string,
    saved: NodeJS.ProcessEnv,
  ) {
    this.saved = saved;
  }

  /** Starts a private moto_server and points this process's SDK at it (stop() restores the env). */
  static async start(): Promise<FixLoopMoto> {
    const saved = { ...process.env };
    const moto = await startMoto();
    try {
      useMotoEnv(moto.endpoint);
      // The same images the build scripts would look up (lib.sh ensure_ami: the first x86_64 Amazon
      // image; sg-scenarios.sh: the lowest id of the AL2023 kernel-6.1 images), once per moto.
      const ec2 = new EC2Client({});
      let motoAmi: string;
      let sgAmi: string;
      try {
        motoAmi = await firstImage(ec2, { Name: 'architecture', Values: ['x86_64'] }, (ids) => ids[0]);
        sgAmi = await firstImage(ec2, { Name: 'name', Values: ['al2023-ami-2023*-kernel-6.1-x86_64'] }, (ids) => [...ids].sort()[0]);
      } finally {
        ec2.destroy();
      }
      const env = cliEnv(moto.endpoint, { ENDPOINT: moto.endpoint, MOTO_AMI: motoAmi, SGWHY_AMI: sgAmi });
      return new FixLoopMoto(moto, env, mkdtempSync(join(tmpdir(), 'sgwhy-moto-loop-')), saved);
    } catch (e) {
      process.env = saved;
      await moto.stop();
      throw e;
    }
  }

  /**
   * Resets moto and builds scenario `name` with its build script; the topology stays in moto.
   * Returns the folder of the script's describe-* dump (post-edits included) and scenario.json.
   */
  async build(name: string, script = buildScriptFor(name)): Promise<{ dir: string; snapshotDir: string }> {
    if (!script) throw new Error(`no build script names scenario ${name}`);
    await this.moto.reset();
    await run('bash', [script], { env: { ...this.env, OUT_ROOT: this.tmp, SCENARIO_FILTER: name }, timeout: 300_000, maxBuffer: 16 << 20 });
    return { dir: join(this.tmp, name), snapshotDir: join(this.tmp, name, 'snapshot') };
  }

  /**
   * Runs printed command lines (one fix: one or several steps) with `bash -euo pipefail` against
   * this moto; rejects when any step fails.
   */
  async cli(commandLine: string): Promise<{ stdout: string; stderr: string }> {
    return run('bash', ['-euo', 'pipefail', '-c', commandLine], { env: this.env, timeout: 120_000, maxBuffer: 16 << 20 });
  }

  /** The live state, read with sgwhy's own full collector (the SDK) from this moto. */
  async collect(): Promise<RawDoc[]> {
    const session = new AwsSession();
    try {
      const clients = session.forQuestion({ asker: 'fix-loop-test' });
      const targets = await resolveTargets(clients, selectAccounts(implicitConfig()));
      return (await collectFull(clients, targets)).docs;
    } finally {
      session.destroy();
    }
  }

  async stop(): Promise<void> {
    process.env = this.saved;
    await this.moto.stop();
    rmSync(this.tmp, { recursive: true, force: true });
  }
}

/**
 * The single-step fix loop: which scenarios it runs, in shards that run in parallel. Together they
 * cover one scenario per fix operation: security-group rule, attaching a group, NACL entry, route
 * through a peering, accepting a peering.
 */
export const FIX_LOOP_SHARDS = {
  sg: ['sg-wrong-port', 'sg-not-attached'],
  nacl: ['nacl-deny-before-allow'],
  peering: ['peering-no-route-back', 'peering-not-active'],
} as const satisfies Record<string, readonly string[]>;

export type FixLoopShard = keyof typeof FIX_LOOP_SHARDS;

/** The corpus scenarios of a shard, each checked to be a blocked scenario that moto can replay. */
export function fixLoopScenarios(shard: FixLoopShard): Scenario[] {
  const names: readonly string[] = FIX_LOOP_SHARDS[shard];
  return loadScenarios().filter((s) => names.includes(s.name));
}

/** Registers the single-step fix-loop tests of one shard (call at the top level of a test file). */
export function fixLoopSuite(shard: FixLoopShard): void {
  const names: readonly string[] = FIX_LOOP_SHARDS[shard];
  const scenarios = fixLoopScenarios(shard);
  let loop: FixLoopMoto;
  beforeAll(async () => {
    loop = await FixLoopMoto.start();
  });
  afterAll(async () => loop?.stop());

  describe(`fix loop with the real AWS CLI against moto (${shard})`, () => {
    it(`replays ${names.join(', ')}: blocked corpus scenarios with a build script, moto-replayable`, () => {
      expect(scenarios.map((s) => s.name).sort()).toEqual([...names].sort());
      for (const s of scenarios) {
        expect(s.expect.verdict, s.name).toBe('blocked');
        expect(s.expect.fixLoopMoto, s.name).not.toBe(false);
        expect(buildScriptFor(s.name), s.name).toBeDefined();
      }
    });

    for (const s of scenarios) {
      it(`${s.name}: the printed commands make it reachable`, async () => {
        const { snapshotDir } = await loop.build(s.name);
        const q = parseQuestion(s.question);
        const before = ask(buildModel((await readSnapshotDir(snapshotDir)).docs), q);
        expect(before.verdict).toBe('blocked');
        // The rebuilt state is the corpus scenario (same blockers, in packet order), not a drifted one.
        // Ids differ from the committed snapshot's (moto makes new ones each time).
        expect(before.blockers.length, before.summary).toBe(s.expect.blockers.length);
        s.expect.blockers.forEach(({ resourceId: _r, networkInterfaceId: _e, ...want }, i) => expect(before.blockers[i], before.summary).toMatchObject(want));
        expect(before.fixes.length).toBe(before.blockers.length);
        for (const f of before.fixes) await loop.cli(f.cli);
        const after = ask(buildModel(await loop.collect()), q);
        expect(after.verdict, `${after.summary}\n${before.fixes.map((f) => f.cli).join('\n')}`).toBe('reachable');
      }, 420_000);
    }
  });
}
