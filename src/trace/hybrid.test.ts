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

describe('transit gateway peering', () => {
  /** tgw-ok rebuilt as two gateways: payments-prod on core-tgw, ledger-prod on a second gateway, the two peered. */
  async function peered(peeringState = 'available', secondTableRoutes = true): Promise<RawDoc[]> {
    const { docs } = await readSnapshotDir(join(import.meta.dirname, '..', '..', 'test', 'scenarios', 'tgw-ok', 'snapshot'));
    const d: RawDoc[] = structuredClone(docs);
    const get = (key: string) => d.find((x) => Array.isArray(x.data[key]))!.data[key] as Obj[];
    const tgw1 = get('TransitGateways')[0]!.TransitGatewayId as string;
    const rt1 = get('TransitGatewayRouteTables')[0]!.TransitGatewayRouteTableId as string;
    const [attA, attB] = get('TransitGatewayAttachments');
    const tgw2 = 'tgw-0b2b2b2b2b2b2b2b2';
    const rt2 = 'tgw-rtb-0b2b2b2b2b2b2b2b2';
    const peer = 'tgw-attach-0ee0ee0ee0ee0ee0e';
    get('TransitGateways').push({ ...get('TransitGateways')[0], TransitGatewayId: tgw2 });
    get('TransitGatewayRouteTables').push({ TransitGatewayRouteTableId: rt2, TransitGatewayId: tgw2, State: 'available' });
    for (const a of [attB!, get('TransitGatewayVpcAttachments').find((x) => x.TransitGatewayAttachmentId === attB!.TransitGatewayAttachmentId)!]) a.TransitGatewayId = tgw2;
    attB!.Association = { TransitGatewayRouteTableId: rt2, State: 'associated' };
    get('TransitGatewayAttachments').push(
      { TransitGatewayAttachmentId: peer, TransitGatewayId: tgw1, ResourceType: 'peering', ResourceId: tgw2, State: peeringState, Association: { TransitGatewayRouteTableId: rt1, State: 'associated' } },
      { TransitGatewayAttachmentId: peer, TransitGatewayId: tgw2, ResourceType: 'peering', ResourceId: tgw1, State: peeringState, Association: { TransitGatewayRouteTableId: rt2, State: 'associated' } });
    d.push({ file: 'peering-attachments.json', accountId: '123456789012', region: 'us-east-1', data: { TransitGatewayPeeringAttachments: [{
      TransitGatewayAttachmentId: peer, State: peeringState,
      RequesterTgwInfo: { TransitGatewayId: tgw1, OwnerId: '123456789012', Region: 'us-east-1' },
      AccepterTgwInfo: { TransitGatewayId: tgw2, OwnerId: '123456789012', Region: 'us-east-1' } }] } });
    const routes = get('TransitGatewayStaticRoutes');
    const viaPeer = { ResourceId: tgw2, TransitGatewayAttachmentId: peer, ResourceType: 'peering' };
    routes[0]!.Routes.find((r: Obj) => r.DestinationCidrBlock === '10.1.0.0/16').TransitGatewayAttachments = [viaPeer];
    routes.push({ TransitGatewayRouteTableId: rt2, Routes: secondTableRoutes ? [
      { DestinationCidrBlock: '10.1.0.0/16', Type: 'static', State: 'active', TransitGatewayAttachments: [{ ResourceId: attB!.ResourceId, TransitGatewayAttachmentId: attB!.TransitGatewayAttachmentId, ResourceType: 'vpc' }] },
      { DestinationCidrBlock: '10.0.0.0/16', Type: 'static', State: 'active', TransitGatewayAttachments: [{ ...viaPeer, ResourceId: tgw1 }] },
    ] : [{ DestinationCidrBlock: '10.0.0.0/16', Type: 'static', State: 'active', TransitGatewayAttachments: [{ ...viaPeer, ResourceId: tgw1 }] }] });
    for (const t of get('RouteTables')) for (const r of t.Routes) if (r.TransitGatewayId && t.VpcId === attB!.ResourceId) r.TransitGatewayId = tgw2;
    return d;
  }
  const q = parseQuestion("why can't 10.0.2.100 reach 10.1.1.50:443");

  it('follows the peering into the other gateway\'s table, both ways: reachable', async () => {
    const a = ask(buildModel(await peered()), q);
    expect(a.verdict, a.summary).toBe('reachable');
    expect(a.hops.filter((h) => h.step === 'TRANSIT_GATEWAY').map((h) => `${h.path}:${h.resourceId}`)).toEqual([
      'forward:tgw-rtb-c647fcfb25305fb77', 'forward:tgw-attach-0ee0ee0ee0ee0ee0e', 'forward:tgw-rtb-0b2b2b2b2b2b2b2b2',
      'return:tgw-rtb-0b2b2b2b2b2b2b2b2', 'return:tgw-attach-0ee0ee0ee0ee0ee0e', 'return:tgw-rtb-c647fcfb25305fb77',
    ]);
  });

  it('blocks at the far gateway\'s table when it has no route, with the static route as the fix there', async () => {
    const a = ask(buildModel(await peered('available', false)), q);
    expect(a.verdict).toBe('blocked');
    expect(a.blockers.map((b) => `${b.path}:${b.code}:${b.resourceId}`)).toEqual(['forward:TGW_RTB_CANNOT_ROUTE:tgw-rtb-0b2b2b2b2b2b2b2b2']);
    expect(a.fixes[0]!.input).toMatchObject({ TransitGatewayRouteTableId: 'tgw-rtb-0b2b2b2b2b2b2b2b2', DestinationCidrBlock: '10.1.0.0/16' });
  });

  it('a peering attachment that is not available carries nothing', async () => {
    const a = ask(buildModel(await peered('pendingAcceptance')), q);
    expect(a.blockers.map((b) => `${b.code}:${b.resourceId}`)).toContain('BAD_STATE_ATTACHMENT:tgw-attach-0ee0ee0ee0ee0ee0e');
  });
});

