/**
 * The command line against a live API (moto): `ask` without --snapshot collects what the question
 * needs; `collect --out` writes a snapshot that `ask --snapshot` answers identically.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type Io } from '../src/cli/main.js';
import { builderFor, twoTier } from '../src/bench/moto-topology.js';
import { startMoto, useMotoEnv, type Moto } from './support/moto.js';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { out: (s) => { out += s; }, err: (s) => { err += s; } };
  return { code: await main(args, io), out, err };
}

let moto: Moto;
const tmp = mkdtempSync(join(tmpdir(), 'sgwhy-cli-live-'));
const saved = { ...process.env };

beforeAll(async () => {
  moto = await startMoto();
  useMotoEnv(moto.endpoint);
  delete process.env.SGWHY_CONFIG;
  await twoTier(await builderFor(), '10.0.0.0/16', { instances: true });
}, 60_000);

afterAll(async () => {
  process.env = saved;
  await moto?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe('sgwhy ask, live', () => {
  it('answers from the account with the default credential chain, and --verbose counts the calls', async () => {
    const r = await run(['ask', 'why can\'t 10.0.2.100 reach 10.0.1.50:5432', '--verbose', '--format', 'json', '--as', 'alice']);
    expect(r.code, r.err).toBe(1);
    const a = JSON.parse(r.out);
    expect(a.verdict).toBe('blocked');
    expect(a.blockers[0]).toMatchObject({ layer: 'security-group', direction: 'ingress', path: 'forward' });
    expect(a.nearMisses.map((n: { kind: string }) => n.kind)).toContain('WRONG_PORT');
    expect(r.err).toMatch(/^11 AWS API calls in 3 round trips/);
  });

  it('collect --out then ask --snapshot gives the same answer as live', async () => {
    const dir = join(tmp, 'snap');
    const c = await run(['collect', '--out', dir]);
    expect(c.code, c.err).toBe(0);
    expect(c.out).toMatch(/wrote \d+ files/);
    for (const q of ['why can\'t 10.0.2.100 reach 10.0.1.50:443', 'why can\'t 10.0.2.100 reach 10.0.1.50:5432', '10.0.1.50 -> 10.0.2.100:22']) {
      const live = JSON.parse((await run(['ask', q, '--format', 'json'])).out);
      const snap = JSON.parse((await run(['ask', q, '--snapshot', dir, '--format', 'json'])).out);
      const strip = (a: { verdict: string; blockers: Array<Record<string, unknown>>; fixes: Array<Record<string, unknown>> }) => ({
        verdict: a.verdict,
        blockers: a.blockers.map(({ evidence: _e, ...b }) => b),
        fixes: a.fixes.map((f) => f.cli),
      });
      expect(strip(snap), q).toEqual(strip(live));
    }
    const again = await run(['collect', '--out', dir]);
    expect(again.code).toBe(64);
  });

  it('the flow-log step runs after the verdict and says when no flow logs cover the interfaces', async () => {
    const r = await run(['ask', 'why can\'t 10.0.2.100 reach 10.0.1.50:443', '--flow-logs']);
    expect(r.code, r.err).toBe(0);
    const verdictAt = r.out.indexOf('REACHABLE');
    const flowAt = r.out.indexOf('Flow logs');
    expect(verdictAt).toBe(0);
    expect(flowAt).toBeGreaterThan(verdictAt);
    expect(r.out.slice(flowAt)).toMatch(/no flow log/i);
  });

  it('an address no account owns is unknown, not reachable', async () => {
    const r = await run(['ask', 'why can\'t 10.0.2.100 reach 10.0.1.77:443', '--format', 'json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out).verdict).toBe('unknown');
  });
});
