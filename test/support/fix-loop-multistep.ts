/**
 * The fix loop against a real API for fixes of several steps: rebuild each scenario in moto_server
 * with the AWS CLI, answer from a fresh dump, run every printed fix (the whole script: a step that
 * creates a group or a peering sets a shell variable the next steps use) with the real AWS CLI, read
 * the result back with sgwhy's own collector and ask again: it must be reachable. This proves the
 * commands are valid CLI, chain their results correctly, target the right objects, and fix the path.
 * The scenarios run in shards (test/fix-loop-moto-multistep-*.test.ts), each file with its own
 * moto_server, so they run in parallel.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ask } from '../../src/engine/ask.js';
import { buildModel } from '../../src/model/build.js';
import { parseQuestion } from '../../src/question/parse.js';
import { readSnapshotDir } from '../../src/snapshot/read.js';
import { AwsSession } from '../../src/aws/clients.js';
import { collectFull } from '../../src/aws/collect-full.js';
import { resolveTargets } from '../../src/aws/targets.js';
import { selectAccounts } from '../../src/config/select.js';
import { implicitConfig } from '../../src/config/validate.js';
import { startMoto, motoEnv, useMotoEnv, type Moto } from './moto.js';
import { loadScenarios, SCENARIO_ROOT } from './scenarios.js';

const run = promisify(execFile);
const STEPS = join(SCENARIO_ROOT, '_build', 'fix-steps-scenarios.sh');
const HYBRID = join(SCENARIO_ROOT, '_build', 'hybrid-scenarios.sh');
const INTERNET = join(SCENARIO_ROOT, '_build', 'internet-scenarios.sh');

/**
 * One scenario per new kind of fix, the script that builds it, and the operations the fix must use.
 * Not here because moto cannot run them: EnableVgwRoutePropagation (onprem-to-vpc-no-route-back;
 * moto fails the call) and the TGW static route back (tgw-vpn-return-asymmetric; moto drops a static
 * TGW route's attachment): the simulator's fix loop covers those.
 */
export const WANTED: Record<string, { script: string; ops: string[] }> = {
  'sg-rule-quota-new-group': { script: STEPS, ops: ['CreateSecurityGroup', 'RevokeSecurityGroupEgress', 'AuthorizeSecurityGroupIngress', 'ModifyNetworkInterfaceAttribute'] },
  'sg-rule-quota-widen': { script: STEPS, ops: ['RevokeSecurityGroupIngress', 'AuthorizeSecurityGroupIngress'] },
  'nacl-deny-at-lowest-number': { script: STEPS, ops: ['ReplaceNetworkAclEntry', 'CreateNetworkAclEntry'] },
  'peering-deleted': { script: STEPS, ops: ['CreateVpcPeeringConnection', 'AcceptVpcPeeringConnection', 'ReplaceRoute', 'ReplaceRoute'] },
  'route-nat-gone': { script: STEPS, ops: ['ReplaceRoute'] },
  'tgw-propagation-missing': { script: HYBRID, ops: ['EnableTransitGatewayRouteTablePropagation'] },
  'ipv6-inbound-no-route-back': { script: INTERNET, ops: ['CreateRoute'] },
  'ipv6-inbound-egress-only': { script: INTERNET, ops: ['CreateInternetGateway', 'AttachInternetGateway'] },
  'public-ip-to-public-ip': { script: INTERNET, ops: ['AuthorizeSecurityGroupIngress'] },
};


/** The shards, by scenario name; together they are every scenario in WANTED. */
export const MULTISTEP_SHARDS: Record<string, string[]> = {
  groups: ['sg-rule-quota-new-group', 'sg-rule-quota-widen', 'public-ip-to-public-ip'],
  routes: ['nacl-deny-at-lowest-number', 'route-nat-gone', 'tgw-propagation-missing'],
  connections: ['peering-deleted', 'ipv6-inbound-no-route-back', 'ipv6-inbound-egress-only'],
};

export function multistepSuite(shard: string): void {
  const names = MULTISTEP_SHARDS[shard]!;
  const scenarios = loadScenarios().filter((s) => names.includes(s.name) && s.expect.fixLoopMoto !== false);
  let moto: Moto;
  const tmp = mkdtempSync(join(tmpdir(), 'sgwhy-moto-steps-'));
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

  describe(`multi-step fix loop with the real AWS CLI against moto (${shard})`, () => {
    it('runs its share, and the shards cover every kind of multi-step fix', () => {
      expect(scenarios.map((s) => s.name).sort()).toEqual([...names].sort());
      expect(Object.values(MULTISTEP_SHARDS).flat().sort()).toEqual(Object.keys(WANTED).sort());
    });

    for (const s of scenarios) {
      it(`${s.name}: the printed commands make it reachable`, async () => {
        const env = { ...motoEnv(moto.endpoint), ENDPOINT: moto.endpoint, OUT_ROOT: tmp, SCENARIO_FILTER: s.name };
        await run('bash', [WANTED[s.name]!.script], { env, timeout: 300_000 });
        // The rebuilt scenario's own question: moto picks IPv6 blocks at random, so addresses can differ from the stored build.
        const q = parseQuestion((JSON.parse(readFileSync(join(tmp, s.name, 'scenario.json'), 'utf8')) as { question: string }).question);
        const before = ask(buildModel((await readSnapshotDir(join(tmp, s.name, 'snapshot'))).docs), q);
        expect(before.verdict).toBe('blocked');
        expect(before.fixes.flatMap((f) => f.steps.map((st) => st.operation))).toEqual(WANTED[s.name]!.ops);
        for (const b of before.blockers) expect(b.fixIds.length, b.explanation).toBeGreaterThan(0);
        for (const f of before.fixes) {
          expect(f.cli).toBe(f.steps.map((st) => st.cli).join('\n'));
          await run('bash', ['-euo', 'pipefail', '-c', f.cli], { env, timeout: 120_000 });
        }
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
}
