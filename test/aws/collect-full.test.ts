import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsSession } from '../../src/aws/clients.js';
import { collectFull } from '../../src/aws/collect-full.js';
import { READ_ONLY_PREFIXES } from '../../src/aws/operations.js';
import { MANIFEST_FILE, snapshotFileName, writeSnapshot } from '../../src/aws/snapshot-writer.js';
import type { Target } from '../../src/aws/target.js';
import { startMoto, useMotoEnv, type Moto } from '../support/moto.js';
import { commandLog } from './_plugins.js';
import { builderFor, DEFAULT_ACCOUNT, twoTier, type TwoTier } from '../../src/bench/moto-topology.js';

let moto: Moto;
let dir: string;
let t: TwoTier;
let tgw: { tgw: string; rtb: string; attachments: string[] };
let spoke: string;
const instances: string[] = [];
const here: Target = { accountId: DEFAULT_ACCOUNT, accountName: 'main', region: 'us-east-1' };

/** The file names the scenario builder (test/scenarios/_build/lib.sh dump_snapshot) writes. */
const libShNames = [...readFileSync(join(import.meta.dirname, '..', 'scenarios', '_build', 'lib.sh'), 'utf8').matchAll(/"\$out\/([a-z-]+\.json)"/g)]
  .map((m) => m[1]!)
  .filter((n, i, a) => a.indexOf(n) === i)
  .sort();

beforeAll(async () => {
  moto = await startMoto();
  useMotoEnv(moto.endpoint);
  const b = await builderFor();
  t = await twoTier(b);
  const spokeVpc = await b.vpc('10.20.0.0/16', 'spoke');
  const spokeSubnet = await b.subnet(spokeVpc, '10.20.1.0/24');
  spoke = spokeVpc;
  tgw = await b.tgw([
    { vpcId: t.vpc, subnetId: t.dbSubnet, cidr: '10.0.0.0/16' },
    { vpcId: spokeVpc, subnetId: spokeSubnet, cidr: '10.20.0.0/16' },
  ]);
  for (let i = 0; i < 7; i++) instances.push(await b.instance(t.appSubnet, `10.0.2.${10 + i}`, [t.webSg], `batch-${i}`));
  b.destroy();
  dir = await mkdtemp(join(tmpdir(), 'sgwhy-collect-'));
});
afterAll(async () => {
  await moto?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('full collection', () => {
  it('paginates everything and writes the snapshot layout ask --snapshot reads', async () => {
    const log = commandLog();
    const session = new AwsSession({ plugins: [log.plugin] });
    const clients = session.forQuestion({ asker: 'collector' });
    const r = await collectFull(clients, [here], { pageSize: 5 });
    expect(r.gaps).toEqual([]);
    // small pages: 7 reservations in pages of 5 (moto paginates DescribeInstances)
    expect(r.stats.byOperation['DescribeInstances']).toBe(2);
    for (const c of log.calls) expect(READ_ONLY_PREFIXES.some((p) => c.operation.startsWith(p)), c.operation).toBe(true);

    const written = await writeSnapshot(dir, r.docs, {
      manifest: { collectedAt: new Date().toISOString(), tool: 'sgwhy', targets: [here], gaps: r.gaps, stats: r.stats },
    });
    const base = `accounts/${DEFAULT_ACCOUNT}/us-east-1/`;
    const names = written.filter((w) => w.startsWith(base)).map((w) => w.slice(base.length));
    // exactly the scenario builder's files (empty results included)
    expect(names.sort()).toEqual(libShNames);
    expect(written).toContain(MANIFEST_FILE);

    const read = async (name: string) => JSON.parse(await readFile(join(dir, base, name), 'utf8')) as Record<string, any>;
    const sgs = await read('describe-security-groups.json');
    expect(Object.keys(sgs)).toEqual(['SecurityGroups']);
    expect(sgs['SecurityGroups'].map((g: { GroupId: string }) => g.GroupId)).toEqual(expect.arrayContaining([t.webSg, t.dbSg]));
    expect(new Set(sgs['SecurityGroups'].map((g: { GroupId: string }) => g.GroupId)).size).toBe(sgs['SecurityGroups'].length);
    expect((await read('describe-vpcs.json'))['Vpcs'].map((v: { VpcId: string }) => v.VpcId)).toEqual(expect.arrayContaining([t.vpc, spoke]));
    expect(await read('get-managed-prefix-list-entries.json')).toEqual({
      ManagedPrefixListEntries: [{ PrefixListId: t.officeList, Entries: [{ Cidr: '192.168.10.0/24' }] }],
    });
    const routes = await read('search-transit-gateway-routes.json');
    // our table and the TGW's default route table
    expect(routes['TransitGatewayStaticRoutes']).toHaveLength(2);
    const ours = routes['TransitGatewayStaticRoutes'].find((x: { TransitGatewayRouteTableId: string }) => x.TransitGatewayRouteTableId === tgw.rtb);
    expect(ours.Routes.map((x: { DestinationCidrBlock: string }) => x.DestinationCidrBlock).sort()).toEqual(['10.0.0.0/16', '10.20.0.0/16']);
    const atts = await read('describe-transit-gateway-attachments.json');
    expect(atts['TransitGatewayAttachments'].map((a: { TransitGatewayAttachmentId: string }) => a.TransitGatewayAttachmentId).sort()).toEqual([...tgw.attachments].sort());
    // dates are ISO strings, as a JSON file holds them
    const reservations = (await read('describe-instances.json'))['Reservations'];
    expect(reservations.flatMap((x: { Instances: Array<{ InstanceId: string }> }) => x.Instances.map((i) => i.InstanceId)).sort()).toEqual([...instances].sort());
    expect(reservations[0].Instances[0].LaunchTime).toMatch(/^\d{4}-\d\d-\d\dT/);
    const enis = await read('describe-network-interfaces.json');
    expect(JSON.stringify(enis)).not.toContain('$metadata');

    const manifest = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8'));
    expect(manifest.SgwhyManifest).toMatchObject({ tool: 'sgwhy', targets: [here], gaps: [] });
    session.destroy();
  });

  it('refuses to overwrite an existing snapshot unless asked', async () => {
    await expect(writeSnapshot(dir, [])).rejects.toMatchObject({ code: 'BAD_USAGE' });
    const doc = { file: 'live:DescribeVpcs', accountId: DEFAULT_ACCOUNT, region: 'eu-west-1', data: { Vpcs: [] } };
    expect(await writeSnapshot(dir, [doc], { replace: true })).toEqual([`accounts/${DEFAULT_ACCOUNT}/eu-west-1/describe-vpcs.json`]);
  });

  it('names files like the AWS CLI commands', () => {
    expect(snapshotFileName('DescribeVpcPeeringConnections')).toBe('describe-vpc-peering-connections.json');
    expect(snapshotFileName('GetManagedPrefixListEntries')).toBe('get-managed-prefix-list-entries.json');
    expect(snapshotFileName('DescribeTransitGatewayVpcAttachments')).toBe('describe-transit-gateway-vpc-attachments.json');
  });
});
