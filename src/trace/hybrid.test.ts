/** Paths the scenario corpus does not build: an asymmetric return (request over peering, reply over the transit gateway). */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ask } from '../engine/ask.js';
import { buildModel } from '../model/build.js';
import type { RawDoc } from '../model/raw.js';
import { parseQuestion } from '../question/parse.js';
import { readSnapshotDir } from '../snapshot/read.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('asymmetric return', () => {
  it('request over a peering, reply over the transit gateway: reachable, and the answer says the path is asymmetric', async () => {
    const { docs } = await readSnapshotDir(join(import.meta.dirname, '..', '..', 'test', 'scenarios', 'tgw-ok', 'snapshot'));
    const d: RawDoc[] = structuredClone(docs);
    const tables = d.find((x) => Array.isArray(x.data.RouteTables))!.data.RouteTables as Obj[];
    const workers = tables.find((t) => t.Routes.some((r: Obj) => r.DestinationCidrBlock === '10.1.0.0/16' && r.TransitGatewayId))!;
    const vpcA = workers.VpcId as string;
    const vpcB = tables.find((t) => t.VpcId !== vpcA)!.VpcId as string;
    const side = (vpc: string, cidr: string) => ({ VpcId: vpc, CidrBlock: cidr, CidrBlockSet: [{ CidrBlock: cidr }], OwnerId: '123456789012', Region: 'us-east-1' });
    d.push({ file: 'peering.json', accountId: '123456789012', region: 'us-east-1', data: { VpcPeeringConnections: [{
      VpcPeeringConnectionId: 'pcx-0123456789abcdef0', Status: { Code: 'active', Message: 'Active' },
      RequesterVpcInfo: side(vpcA, '10.0.0.0/16'), AccepterVpcInfo: side(vpcB, '10.1.0.0/16') }] } });
    const route = workers.Routes.find((r: Obj) => r.DestinationCidrBlock === '10.1.0.0/16');
    delete route.TransitGatewayId;
    route.VpcPeeringConnectionId = 'pcx-0123456789abcdef0';
    const a = ask(buildModel(d), parseQuestion("why can't 10.0.2.100 reach 10.1.1.50:443"));
    expect(a.verdict).toBe('reachable');
    expect(a.hops.filter((h) => h.step === 'PEERING' || h.step === 'TRANSIT_GATEWAY').map((h) => `${h.path}:${h.step}`)).toEqual(['forward:PEERING', 'return:TRANSIT_GATEWAY']);
    expect(a.warnings.join(' ')).toMatch(/Asymmetric path: the request crosses a VPC peering connection but the reply comes back over a transit gateway/);
  });
});
