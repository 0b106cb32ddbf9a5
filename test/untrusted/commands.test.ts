/**
 * Nothing sgwhy prints can run a second command. Hostile names, descriptions and tags are put in
 * every free-text field of every corpus snapshot, and hostile ids where ids go; every command the
 * answers carry (fixes and their steps and alternatives, "to decide" hints, host checks, the
 * flow-log filter, error hints) is run under bash and under sh with stand-ins for aws, nc, sudo,
 * dig and ping: each must exit 0 and no canary file may ever appear.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer } from '../../src/answer/types.js';
import { main, type Io } from '../../src/cli/main.js';
import { ask } from '../../src/engine/ask.js';
import { isSgwhyError } from '../../src/errors/errors.js';
import { awsId, shellCommand } from '../../src/fix/shell.js';
import { buildModel } from '../../src/model/build.js';
import type { RawDoc } from '../../src/model/raw.js';
import { parseQuestion } from '../../src/question/parse.js';
import { readSnapshotDir } from '../../src/snapshot/read.js';
import { loadScenarios } from '../support/scenarios.js';
import { commandsOf, poisoner } from './poison.js';

const tmp = mkdtempSync(join(tmpdir(), 'sgwhy-commands-'));
const work = join(tmp, 'cwd');
const bin = join(tmp, 'bin');
const canary = join(tmp, 'CANARY');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Strings an attacker who can name or tag AWS resources would try. */
const HOSTILE = [
  `$(touch ${canary})`, `\`touch ${canary}\``, `'; touch ${canary}; '`, `"; touch ${canary}; "`, `\ntouch ${canary}\n`,
  `x;touch\${IFS}${canary}`, `a' "$(touch ${canary})" 'b`, `\\'; touch ${canary} #`, `| touch ${canary}`, `&& touch ${canary} &&`,
  `<!channel> <@U0EVIL> \u001b]0;owned\u0007\u001b[2J\u202e`, `$'\\x41'; touch ${canary}`, `*`, `~root`, `-rf`, `touch pwned`,
];

let counter = 0;
const hostile = () => HOSTILE[counter++ % HOSTILE.length]!;
const { poisonedAnswer } = poisoner(hostile);

/** Puts hostile text in every free-text field (names, descriptions, tag keys and values), keeping the data valid. */




function runEverywhere(command: string): void {
  for (const shell of ['bash', 'sh']) {
    const r = spawnSync(shell, ['-c', command], { cwd: work, env: { PATH: `${bin}:/usr/bin:/bin`, HOME: work }, encoding: 'utf8', timeout: 10_000 });
    expect(r.status, `${shell} -c ${command}\n${r.stderr}`).toBe(0);
    expect(existsSync(canary), `${shell} ran a second command from: ${command}`).toBe(false);
    expect(readdirSync(work), `${shell} created a file from: ${command}`).toEqual([]);
  }
}

beforeAll(() => {
  mkdirSync(work);
  mkdirSync(bin);
  for (const name of ['aws', 'nc', 'sudo', 'dig', 'ping']) {
    writeFileSync(join(bin, name), '#!/bin/sh\nexit 0\n');
    chmodSync(join(bin, name), 0o755);
  }
  execFileSync('bash', ['-c', 'true']);
});

describe('commands built from hostile data', () => {
  it('every command of every corpus answer, with hostile names, descriptions and tags, runs as exactly one command', async () => {
    const seen = new Set<string>();
    const kinds = { fix: 0, missing: 0, host: 0 };
    for (const s of loadScenarios()) {
      const { docs } = await readSnapshotDir(join(s.dir, 'snapshot'));
      const answer = poisonedAnswer(docs, s.question);
      kinds.fix += answer.fixes.length;
      kinds.missing += answer.unknowns.filter((u) => u.missing).length;
      kinds.host += answer.hostChecks.filter((h) => h.command).length;
      for (const c of commandsOf(answer)) seen.add(c);
    }
    expect(kinds.fix).toBeGreaterThan(10);
    expect(kinds.missing).toBeGreaterThan(0);
    expect(kinds.host).toBeGreaterThan(5);
    for (const c of seen) runEverywhere(c);
  });

  it('a hostile id is refused at the door; with --skip-bad-files its object is set aside and no command carries it', async () => {
    const s = loadScenarios().find((x) => x.name === 'sg-wrong-port')!;
    const { docs } = await readSnapshotDir(join(s.dir, 'snapshot'));
    const evil = `sg-1$(touch ${canary})`;
    const bad: RawDoc[] = docs.map((d) => ({ ...d, data: structuredClone(d.data) }));
    for (const d of bad) {
      for (const g of (d.data.SecurityGroups as Array<Record<string, unknown>> | undefined) ?? []) g.GroupId = evil;
      for (const n of (d.data.NetworkInterfaces as Array<{ Groups: Array<{ GroupId: string }> }> | undefined) ?? []) n.Groups.push({ GroupId: evil });
    }
    expect(() => buildModel(bad)).toThrow(/is not a sg- id/);
    const answer = ask(buildModel(bad, { skipBad: true }), parseQuestion(s.question));
    expect(answer.verdict).not.toBe('reachable');
    const commands = commandsOf(answer);
    for (const c of commands) expect(c).not.toContain('touch');
    for (const c of commands) runEverywhere(c);
    expect(() => awsId('sg', evil)).toThrow(/is not a sg- id/);
  });

  it('error hints (an interface or instance not in the data) are quoted commands too', async () => {
    const s = loadScenarios().find((x) => x.name === 'sg-wrong-port')!;
    for (const q of ["why can't eni-0123456789abcdef0 reach 10.0.1.50:443", "why can't i-0123456789abcdef0 reach 10.0.1.50:443"]) {
      let out = '';
      const io: Io = { out: (x) => { out += x; }, err: () => {} };
      expect(await main(['ask', q, '--snapshot', join(s.dir, 'snapshot'), '--format', 'json'], io)).toBe(64);
      const { error } = JSON.parse(out) as { error: { code: string; hints: string[] } };
      expect(error.code).toBe('ENDPOINT_NOT_FOUND');
      expect(error.hints.length).toBeGreaterThan(0);
      for (const h of error.hints) runEverywhere(h);
    }
  });

  it('shellCommand keeps each argument whole under bash and sh, whatever it holds', () => {
    for (const shell of ['bash', 'sh']) {
      const argv = [...HOSTILE, '', ' ', "'", '"', '\\', '$HOME', '!!', '#', '%s'];
      const r = spawnSync(shell, ['-c', `printf '%s\\0' ${shellCommand(argv)}`], { cwd: work, encoding: 'utf8' });
      expect(r.stdout.split('\0').slice(0, -1)).toEqual(argv);
      expect(existsSync(canary)).toBe(false);
    }
  });

  it('is not vacuous: an unquoted command does trip the canary', () => {
    const r = spawnSync('sh', ['-c', `aws ec2 describe-security-groups --group-ids ${HOSTILE[0]}`], { cwd: work, env: { PATH: `${bin}:/usr/bin:/bin` } });
    expect(r.status).toBe(0);
    expect(existsSync(canary)).toBe(true);
    rmSync(canary);
  });
});

describe('the question and snapshot path never crash on hostile input', () => {
  it('ids in questions are parsed or refused with a typed error', () => {
    for (const q of HOSTILE.map((h) => `why can't ${h} reach 10.0.1.50:443`)) {
      try {
        parseQuestion(q);
      } catch (e) {
        expect(isSgwhyError(e), String(e)).toBe(true);
      }
    }
  });
});
