/** The CLI: exit codes, output formats, and bad input (clear errors, exit 64, never a stack trace). */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { main, type Io } from '../src/cli/main.js';
import { loadScenarios, SCENARIO_ROOT } from './support/scenarios.js';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { out: (s) => { out += s; }, err: (s) => { err += s; } };
  const code = await main(args, io);
  return { code, out, err };
}

const tmp = mkdtempSync(join(tmpdir(), 'sgwhy-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const scenarios = loadScenarios();
// Classic scenarios by name (a blocked one with a fix, a reachable one with host checks, an unknown one), so new folders do not change what these tests exercise.
const byName = (name: string, verdict: string) => scenarios.find((s) => s.name === name) ?? scenarios.find((s) => s.expect.verdict === verdict)!;
const blocked = byName('sg-wrong-port', 'blocked');
const reachable = byName('sg-secondary-eni-primary-ok', 'reachable');
const unknown = byName('unknown-unowned-address', 'unknown');

function copySnapshot(name: string): string {
  const dir = mkdtempSync(join(tmp, 'snap-'));
  cpSync(join(SCENARIO_ROOT, name, 'snapshot'), dir, { recursive: true });
  return dir;
}

describe('sgwhy ask', () => {
  it('exits 1 on blocked, with text output that names the blocker and the fix', async () => {
    const r = await run(['ask', blocked.question, '--snapshot', join(blocked.dir, 'snapshot')]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^BLOCKED/);
    expect(r.out).toContain('aws ec2 ');
    expect(r.err).toBe('');
  });

  it('exits 0 on reachable and prints host checks', async () => {
    const r = await run(['ask', reachable.question, '--snapshot', join(reachable.dir, 'snapshot')]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^REACHABLE/);
    expect(r.out).toContain('ss -');
  });

  it('exits 2 on unknown and says what is missing', async () => {
    const r = await run(['ask', unknown.question, '--snapshot', join(unknown.dir, 'snapshot')]);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/^UNKNOWN/);
    expect(r.out).toMatch(/to decide: aws ec2 describe-/);
  });

  it('--format json emits the documented contract', async () => {
    const r = await run(['ask', blocked.question, '--snapshot', join(blocked.dir, 'snapshot'), '--format', 'json']);
    const a = JSON.parse(r.out);
    expect(a).toMatchObject({ schemaVersion: 1, verdict: 'blocked', question: { protocol: expect.any(String) } });
    for (const k of ['blockers', 'hops', 'fixes', 'unknowns', 'nearMisses']) expect(Array.isArray(a[k])).toBe(true);
    expect(a.blockers[0]).toHaveProperty('layer');
    expect(a.blockers[0]).toHaveProperty('evidence');
    expect(a.fixes[0]).toMatchObject({ cli: expect.stringMatching(/^aws ec2 /), operation: expect.any(String), input: expect.any(Object) });
  });
});

describe('bad input: clear errors, exit 64', () => {
  it('garbage questions get examples, not a stack trace', async () => {
    for (const q of ['hello', 'why is the sky blue', '', '10.0.0.1', 'why can\'t 10.0.2.100 reach 10.0.1.50']) {
      const r = await run(['ask', q, '--snapshot', join(blocked.dir, 'snapshot')]);
      expect(r.code, q).toBe(64);
      expect(r.err, q).toMatch(/^sgwhy: /);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
  });

  it('a question of 100 KB is refused quickly', async () => {
    const r = await run(['ask', `why can't ${'10.0.0.1 '.repeat(12000)} reach 10.0.1.50:443`, '--snapshot', join(blocked.dir, 'snapshot')]);
    expect(r.code).toBe(64);
  });

  it('names every malformed file and loses nothing with --skip-bad-files', async () => {
    const dir = copySnapshot(blocked.name);
    writeFileSync(join(dir, 'broken.json'), '{"SecurityGroups": [');
    writeFileSync(join(dir, 'also-broken.json'), 'not json at all');
    writeFileSync(join(dir, 'deep.json'), '['.repeat(200000));
    const r = await run(['ask', blocked.question, '--snapshot', dir]);
    expect(r.code).toBe(64);
    expect(r.err).toContain('broken.json');
    expect(r.err).toContain('also-broken.json');
    expect(r.err).toContain('deep.json');
    const r2 = await run(['ask', blocked.question, '--snapshot', dir, '--skip-bad-files']);
    expect(r2.code).toBe(1);
    expect(r2.out).toContain('skipped broken.json');
  });

  it('missing keys and wrong shapes are reported with file and JSON path', async () => {
    const dir = mkdtempSync(join(tmp, 'shape-'));
    mkdirSync(join(dir, 'accounts', '123456789012', 'us-east-1'), { recursive: true });
    writeFileSync(join(dir, 'accounts', '123456789012', 'us-east-1', 'sgs.json'), JSON.stringify({ SecurityGroups: [{ GroupName: 'no-id' }], NetworkAcls: 'nope' }));
    writeFileSync(join(dir, 'rt.json'), JSON.stringify({ RouteTables: [{ RouteTableId: 'rtb-1', VpcId: 'vpc-1', Routes: [{ DestinationCidrBlock: '10.0.0.0/33', GatewayId: 'local' }] }] }));
    const r = await run(['ask', blocked.question, '--snapshot', dir]);
    expect(r.code).toBe(64);
    expect(r.err).toContain('accounts/123456789012/us-east-1/sgs.json: SecurityGroups[0]: missing GroupId');
    expect(r.err).toContain('NetworkAcls: expected an array');
    expect(r.err).toContain('rt.json: RouteTables[0].Routes[0]: invalid CIDR block "10.0.0.0/33"');
  });

  it('unknown top-level keys are ignored', async () => {
    const dir = copySnapshot(blocked.name);
    writeFileSync(join(dir, 'other.json'), JSON.stringify({ LoadBalancerDescriptions: [{ x: 1 }], ResponseMetadata: {} }));
    expect((await run(['ask', blocked.question, '--snapshot', dir])).code).toBe(1);
  });

  it('usage errors', async () => {
    expect((await run([])).code).toBe(64);
    expect((await run(['frobnicate'])).code).toBe(64);
    expect((await run(['ask', blocked.question])).code).toBe(64);
    expect((await run(['ask', blocked.question, '--snapshot', join(tmp, 'nope')])).code).toBe(64);
    expect((await run(['ask', blocked.question, '--snapshot', join(blocked.dir, 'snapshot'), '--format', 'xml'])).code).toBe(64);
    expect((await run(['ask', blocked.question, '--bogus-flag'])).code).toBe(64);
    const empty = mkdtempSync(join(tmp, 'empty-'));
    const r = await run(['ask', blocked.question, '--snapshot', empty]);
    expect(r.code).toBe(64);
    expect(r.err).toContain('No .json files');
  });

  it('an unknown instance id is a clear error', async () => {
    const r = await run(['ask', 'why can\'t i-0123456789abcdef0 reach 10.0.1.50:443', '--snapshot', join(blocked.dir, 'snapshot')]);
    expect(r.code).toBe(64);
    expect(r.err).toContain('i-0123456789abcdef0 is not in the data');
  });
});

describe('the sgwhy binary', () => {
  const bin = join(SCENARIO_ROOT, '..', '..', 'bin', 'sgwhy.js');
  // `npm test` builds dist/ first, so the binary is always there to run.
  it('runs from bin/ with the same exit codes', async () => {
    const res = await promisify(execFile)(process.execPath, [bin, 'ask', blocked.question, '--snapshot', join(blocked.dir, 'snapshot'), '--format', 'json'])
      .then(() => ({ code: 0, stdout: '' }), (e: { code: number; stdout: string }) => e);
    expect(res.code).toBe(1);
    expect(JSON.parse(res.stdout).verdict).toBe('blocked');
  });
});

describe('the bundled example (npm run demo)', () => {
  it('finds both blockers of the incident and a fix for each', async () => {
    const r = await run(['ask', "why can't 10.0.2.100 reach 10.0.1.50:443", '--snapshot', join(SCENARIO_ROOT, '..', '..', 'examples', 'incident'), '--format', 'json']);
    expect(r.code).toBe(1);
    const a = JSON.parse(r.out);
    expect(a.blockers.map((b: { layer: string; path: string }) => `${b.layer}/${b.path}`)).toEqual(['security-group/forward', 'network-acl/return']);
    expect(a.fixes).toHaveLength(2);
    expect(a.nearMisses.map((n: { kind: string }) => n.kind)).toEqual(expect.arrayContaining(['WRONG_PORT', 'GROUP_NOT_ATTACHED', 'PARTIAL_PORT_RANGE']));
  });
});
