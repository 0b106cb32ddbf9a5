/**
 * The live path and the snapshot path give the same answer: for each question, the answer from a
 * targeted live collection equals the answer from `sgwhy collect` (full snapshot written to disk)
 * + `sgwhy ask --snapshot` (read back), both through the same engine.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer } from '../../src/answer/types.js';
import { AwsSession } from '../../src/aws/clients.js';
import { collectFull } from '../../src/aws/collect-full.js';
import { answerLive } from '../../src/aws/live-answer.js';
import { writeSnapshot } from '../../src/aws/snapshot-writer.js';
import type { Target } from '../../src/aws/target.js';
import { ask } from '../../src/engine/ask.js';
import { buildModel } from '../../src/model/build.js';
import { parseQuestion } from '../../src/question/parse.js';
import { readSnapshotDir } from '../../src/snapshot/read.js';
import { startMoto, useMotoEnv, type Moto } from '../support/moto.js';
import { failOperation, serviceError } from './_plugins.js';
import { builderFor, DEFAULT_ACCOUNT, tcp, twoTier, type TwoTier } from '../../src/bench/moto-topology.js';

let moto: Moto;
let dir: string;
let t: TwoTier;
let session: AwsSession;
let snapshotDocs: Awaited<ReturnType<typeof readSnapshotDir>>['docs'];
const here: Target = { accountId: DEFAULT_ACCOUNT, accountName: 'main', region: 'us-east-1' };
const callsPerQuestion: Record<string, number> = {};

beforeAll(async () => {
  moto = await startMoto();
  useMotoEnv(moto.endpoint);
  const b = await builderFor();
  t = await twoTier(b, '10.0.0.0/16', { instances: true });
  // a peer VPC: routed one way only (no route back) → blocked on the return path
  const peerVpc = await b.vpc('10.1.0.0/16', 'peer');
  const peerSubnet = await b.subnet(peerVpc, '10.1.1.0/24', 'peer-app');
  const peerSg = await b.sg(peerVpc, 'peer-api', { ingress: [tcp(443, { cidr: '10.0.0.0/16' })] });
  await b.instanceWithEni(peerSubnet, '10.1.1.50', [peerSg], 'peer-api-1');
  const pcx = await b.peering(t.vpc, peerVpc);
  await b.route(t.appRtb, '10.1.0.0/16', { VpcPeeringConnectionId: pcx });
  // a spoke behind a transit gateway, routed both ways
  const spokeVpc = await b.vpc('10.30.0.0/16', 'spoke');
  const spokeSubnet = await b.subnet(spokeVpc, '10.30.1.0/24', 'spoke-app');
  const spokeSg = await b.sg(spokeVpc, 'spoke-svc', { ingress: [tcp(8443, { cidr: '10.0.2.0/24' })] });
  await b.instanceWithEni(spokeSubnet, '10.30.1.50', [spokeSg], 'spoke-svc-1');
  const g = await b.tgw([
    { vpcId: t.vpc, subnetId: t.appSubnet, cidr: '10.0.0.0/16' },
    { vpcId: spokeVpc, subnetId: spokeSubnet, cidr: '10.30.0.0/16' },
  ]);
  await b.route(t.appRtb, '10.30.0.0/16', { TransitGatewayId: g.tgw });
  await b.route(await b.routeTable(spokeVpc, spokeSubnet), '10.0.0.0/16', { TransitGatewayId: g.tgw });
  // a NACL that lets requests in but not the replies out (stateless return path)
  const naclVpc = await b.vpc('10.40.0.0/16', 'nacl');
  const naclA = await b.subnet(naclVpc, '10.40.1.0/24', 'nacl-client');
  const naclB = await b.subnet(naclVpc, '10.40.2.0/24', 'nacl-server');
  const naclSgA = await b.sg(naclVpc, 'client');
  const naclSgB = await b.sg(naclVpc, 'server', { ingress: [tcp(443, { group: naclSgA })] });
  await b.instanceWithEni(naclA, '10.40.1.10', [naclSgA], 'client-1');
  await b.instanceWithEni(naclB, '10.40.2.10', [naclSgB], 'server-1');
  await b.nacl(naclVpc, naclB, [
    { RuleNumber: 100, Egress: false, Protocol: '6', RuleAction: 'allow', CidrBlock: '10.40.1.0/24', PortRange: { From: 443, To: 443 } },
    { RuleNumber: 100, Egress: true, Protocol: '6', RuleAction: 'allow', CidrBlock: '10.40.1.0/24', PortRange: { From: 443, To: 443 } },
  ]);
  b.destroy();

  session = new AwsSession();
  dir = await mkdtemp(join(tmpdir(), 'sgwhy-e2e-'));
  const full = await collectFull(session.forQuestion({ asker: 'collector' }), [here]);
  expect(full.gaps).toEqual([]);
  await writeSnapshot(dir, full.docs, { manifest: { collectedAt: new Date().toISOString(), tool: 'sgwhy', targets: [here], gaps: [] } });
  snapshotDocs = (await readSnapshotDir(dir)).docs;
});
afterAll(async () => {
  session?.destroy();
  await moto?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Drops where each rule was read from (a live call vs a file path); everything else must match. */
function comparable(a: Answer): unknown {
  return JSON.parse(JSON.stringify(a, (k, v) => (k === 'file' ? undefined : v)));
}

async function live(text: string, s = session): Promise<{ answer: Answer; calls: number; roundTrips: number; byOperation: Record<string, number> }> {
  const { answer, collection: c } = await answerLive(s.forQuestion({ asker: 'e2e' }), [here], parseQuestion(text));
  return { answer, calls: c.stats.calls, roundTrips: c.stats.roundTrips, byOperation: c.stats.byOperation };
}

const fromSnapshot = (text: string): Answer => ask(buildModel(snapshotDocs), parseQuestion(text));

describe('live answer == collect + ask --snapshot', () => {
  // undefined: only live == snapshot is asserted (moto's SearchTransitGatewayRoutes omits the
  // attachments of static routes, so the engine rightly sees a TGW route to nowhere)
  const questions: Array<[string, Answer['verdict'] | undefined]> = [
    ["why can't 10.0.2.100 reach 10.0.1.50:443", 'reachable'],
    ['10.0.2.100 -> 10.0.1.50:5432', 'blocked'],
    ['ssh from 10.0.2.100 to 10.0.1.50', 'blocked'],
    ['can 10.0.2.100 reach 10.1.1.50 on port 443', 'blocked'],
    ['10.0.2.100 -> 10.30.1.50:8443', undefined],
    ['10.0.2.100 -> 10.30.1.50:443', 'blocked'],
    ["why can't 10.40.1.10 connect to 10.40.2.10 on port 443", 'blocked'],
  ];
  for (const [text, verdict] of questions) {
    it(`"${text}" → ${verdict ?? 'same verdict'}`, async () => {
      const l = await live(text);
      const s = fromSnapshot(text);
      if (process.env['SGWHY_DEBUG_E2E']) console.log(text, l.answer.verdict, JSON.stringify(l.answer.blockers.map((b) => [b.layer, b.resourceId, b.explanation])), JSON.stringify(l.answer.unknowns), JSON.stringify(l.byOperation));
      if (verdict) expect(l.answer.verdict).toBe(verdict);
      expect(comparable(l.answer)).toEqual(comparable(s));
      expect(l.roundTrips).toBeLessThanOrEqual(3);
      callsPerQuestion[text] = l.calls;
    });
  }

  it('ids in place of addresses give the same answer', async () => {
    const a = await live(`why can't ${t.src} reach ${t.dst}:443`);
    const s = fromSnapshot(`why can't ${t.src} reach ${t.dst}:443`);
    expect(comparable(a.answer)).toEqual(comparable(s));
    expect(a.answer.verdict).toBe('reachable');
  });

  it('Name tags in place of addresses give the same answer', async () => {
    const text = "why can't web-1 reach db-1:443";
    const a = await live(text);
    expect(comparable(a.answer)).toEqual(comparable(fromSnapshot(text)));
    expect(a.answer.verdict).toBe('reachable');
    expect(a.answer.endpoints.destination?.networkInterfaceId).toBe(t.dst);
  });

  it('a targeted question costs a bounded number of API calls', () => {
    for (const [q, n] of Object.entries(callsPerQuestion)) expect(n, q).toBeLessThanOrEqual(16);
  });

  it('AccessDenied on NACLs: the answer still comes, the NACL layer is unknown and names the permission', async () => {
    const deny = failOperation('DescribeNetworkAcls', () => serviceError('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403));
    const s = new AwsSession({ plugins: [deny.plugin] });
    const l = await live("why can't 10.0.2.100 reach 10.0.1.50:443", s);
    expect(l.answer.verdict).toBe('unknown');
    expect(l.answer.unknowns).toEqual(expect.arrayContaining([expect.objectContaining({ layer: 'network-acl', missing: 'ec2:DescribeNetworkAcls' })]));
    expect(l.answer.warnings).toEqual(expect.arrayContaining([expect.stringMatching(/DescribeNetworkAcls .*access denied.*grant ec2:DescribeNetworkAcls/)]));
    s.destroy();
  });
});
