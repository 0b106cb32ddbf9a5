/** Derived routes: TGW propagations, VGW route propagation, and the BGP sources that stay unknown. */
import { describe, expect, it } from 'vitest';
import { buildModel } from './build.js';
import type { RawDoc } from './raw.js';

const doc = (data: Record<string, unknown>): RawDoc => ({ file: 'x.json', accountId: '111122223333', region: 'eu-west-1', data });

const base = (): RawDoc[] => [doc({
  Vpcs: [{ VpcId: 'vpc-a', CidrBlock: '10.0.0.0/16' }, { VpcId: 'vpc-b', CidrBlock: '10.1.0.0/16', CidrBlockAssociationSet: [{ CidrBlock: '10.1.0.0/16' }, { CidrBlock: '100.64.0.0/16' }] }],
  TransitGatewayRouteTables: [{ TransitGatewayRouteTableId: 'tgw-rtb-1', TransitGatewayId: 'tgw-1' }],
  TransitGatewayAttachments: [
    { TransitGatewayAttachmentId: 'tgw-attach-a', TransitGatewayId: 'tgw-1', ResourceType: 'vpc', ResourceId: 'vpc-a', State: 'available' },
    { TransitGatewayAttachmentId: 'tgw-attach-b', TransitGatewayId: 'tgw-1', ResourceType: 'vpc', ResourceId: 'vpc-b', State: 'available' },
    { TransitGatewayAttachmentId: 'tgw-attach-vpn', TransitGatewayId: 'tgw-1', ResourceType: 'vpn', ResourceId: 'vpn-1', State: 'available' },
  ],
  TransitGatewayStaticRoutes: [{ TransitGatewayRouteTableId: 'tgw-rtb-1', Routes: [
    { DestinationCidrBlock: '10.1.0.0/16', Type: 'static', State: 'blackhole', TransitGatewayAttachments: [] },
  ] }],
  TransitGatewayPropagations: [{ TransitGatewayRouteTableId: 'tgw-rtb-1', TransitGatewayRouteTablePropagations: [
    { TransitGatewayAttachmentId: 'tgw-attach-a', ResourceId: 'vpc-a', ResourceType: 'vpc', State: 'enabled' },
    { TransitGatewayAttachmentId: 'tgw-attach-b', ResourceId: 'vpc-b', ResourceType: 'vpc', State: 'enabled' },
    { TransitGatewayAttachmentId: 'tgw-attach-vpn', ResourceId: 'vpn-1', ResourceType: 'vpn', State: 'enabled' },
  ] }],
})];

describe('transit gateway propagations', () => {
  it('derives one propagated route per CIDR of a propagating VPC, never over a route in the data', () => {
    const m = buildModel(base());
    const routes = m.tgwRouteTables.get('tgw-rtb-1')!.routes!;
    const byCidr = Object.fromEntries(routes.map((r) => [r.cidr!.text, `${r.type}/${r.state}/${r.attachmentIds.join(',')}`]));
    expect(byCidr).toEqual({
      '10.1.0.0/16': 'static/blackhole/', // the static blackhole stays: it wins over the propagation
      '10.0.0.0/16': 'propagated/active/tgw-attach-a',
      '100.64.0.0/16': 'propagated/active/tgw-attach-b',
    });
  });

  it('names BGP sources only when the data holds static routes alone', () => {
    expect(buildModel(base()).hybrid!.bgpSources.get('tgw-rtb-1')!.map((p) => p.attachmentId)).toEqual(['tgw-attach-vpn']);
    const withPropagated = base();
    ((withPropagated[0]!.data.TransitGatewayStaticRoutes as any[])[0].Routes as any[]).push( // eslint-disable-line @typescript-eslint/no-explicit-any
      { DestinationCidrBlock: '192.168.0.0/16', Type: 'propagated', State: 'active', TransitGatewayAttachments: [{ TransitGatewayAttachmentId: 'tgw-attach-vpn' }] });
    expect(buildModel(withPropagated).hybrid!.bgpSources.get('tgw-rtb-1')).toBeUndefined();
  });

  it('leaves a table whose routes were not collected unknown (no routes invented)', () => {
    const docs = base();
    delete docs[0]!.data.TransitGatewayStaticRoutes;
    expect(buildModel(docs).tgwRouteTables.get('tgw-rtb-1')!.routes).toBeNull();
  });

  it('skips disabled propagations', () => {
    const docs = base();
    ((docs[0]!.data.TransitGatewayPropagations as any[])[0].TransitGatewayRouteTablePropagations as any[])[0].State = 'disabled'; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(buildModel(docs).tgwRouteTables.get('tgw-rtb-1')!.routes!.some((r) => r.attachmentIds.includes('tgw-attach-a'))).toBe(false);
  });
});

const UP = [{ OutsideIpAddress: '203.0.113.1', Status: 'UP' }, { OutsideIpAddress: '203.0.113.2', Status: 'DOWN', StatusMessage: 'IPSEC IS DOWN' }];

describe('VPN tunnel telemetry', () => {
  const vpn = (telemetry: unknown): RawDoc[] => [doc({ VpnConnections: [{ VpnConnectionId: 'vpn-1', State: 'available', VpnGatewayId: 'vgw-1',
    ...(telemetry === undefined ? {} : { VgwTelemetry: telemetry }) }] })];

  it('reads each tunnel with its status', () => {
    expect(buildModel(vpn(UP)).hybrid!.vpnConnections.get('vpn-1')!.tunnels).toEqual([
      { outsideIp: '203.0.113.1', status: 'UP' }, { outsideIp: '203.0.113.2', status: 'DOWN', statusMessage: 'IPSEC IS DOWN' }]);
  });

  it('missing or empty: the tunnel state is unknown (null), never an empty list that reads as up', () => {
    expect(buildModel(vpn(undefined)).hybrid!.vpnConnections.get('vpn-1')!.tunnels).toBeNull();
    expect(buildModel(vpn([])).hybrid!.vpnConnections.get('vpn-1')!.tunnels).toBeNull();
  });
});

describe('virtual private gateway route propagation', () => {
  const vgwDocs = (staticOnly: boolean): RawDoc[] => [doc({
    Vpcs: [{ VpcId: 'vpc-a', CidrBlock: '10.0.0.0/16' }],
    RouteTables: [{ RouteTableId: 'rtb-1', VpcId: 'vpc-a', Routes: [{ DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', State: 'active', Origin: 'CreateRouteTable' }],
      PropagatingVgws: [{ GatewayId: 'vgw-1' }], Associations: [] }],
    VpnGateways: [{ VpnGatewayId: 'vgw-1', State: 'available', VpcAttachments: [{ VpcId: 'vpc-a', State: 'attached' }] }],
    // Tunnels up: these tests are about the routes, not the tunnel state (see 'VPN tunnel telemetry').
    VpnConnections: [{ VpnConnectionId: 'vpn-1', State: 'available', VpnGatewayId: 'vgw-1', Options: { StaticRoutesOnly: staticOnly }, VgwTelemetry: UP,
      Routes: staticOnly ? [{ DestinationCidrBlock: '192.168.0.0/16', Source: 'Static', State: 'available' }, { DestinationCidrBlock: '172.16.0.0/12', State: 'deleted' }] : [] }],
  })];

  it('adds the static routes of the gateway\'s VPN connections (available ones only) as propagated routes', () => {
    const rt = buildModel(vgwDocs(true)).routeTables.get('rtb-1')!;
    expect(rt.routes.filter((r) => r.originKind === 'EnableVgwRoutePropagation').map((r) => `${r.destination.kind === 'cidr' ? r.destination.cidr.text : ''} ${r.target.kind}:${r.target.id}`))
      .toEqual(['192.168.0.0/16 vgw:vgw-1']);
  });

  it('records a BGP-routed connection as a source the data cannot show', () => {
    const m = buildModel(vgwDocs(false));
    expect(m.hybrid!.vgwBgpSources.get('rtb-1')!.map((c) => c.id)).toEqual(['vpn-1']);
    expect(m.routeTables.get('rtb-1')!.routes).toHaveLength(1);
  });
});
