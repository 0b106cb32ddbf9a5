/** Route selection: longest prefix first; on a tie local, then static, then prefix list, then propagated. */
import { describe, expect, it } from 'vitest';
import { buildModel } from '../model/build.js';
import { parseAddr } from '../net/ip.js';
import { lookupRoute } from './routes.js';

function table(routes: object[]) {
  const m = buildModel([{ file: 't.json', data: {
    RouteTables: [{ RouteTableId: 'rtb-1', VpcId: 'vpc-1', Routes: routes, Associations: [{ Main: true }] }],
    ManagedPrefixListEntries: [{ PrefixListId: 'pl-1', Entries: [{ Cidr: '10.1.0.0/16' }] }],
  } }]);
  return (dst: string) => lookupRoute(m, m.routeTables.get('rtb-1')!, parseAddr(dst)!).route?.target.id;
}

const local = { DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' };
const staticRoute = { DestinationCidrBlock: '10.1.0.0/16', VpcPeeringConnectionId: 'pcx-static', Origin: 'CreateRoute', State: 'active' };
const plRoute = { DestinationPrefixListId: 'pl-1', TransitGatewayId: 'tgw-pl', Origin: 'CreateRoute', State: 'active' };
const propagated = { DestinationCidrBlock: '10.1.0.0/16', GatewayId: 'vgw-prop', Origin: 'EnableVgwRoutePropagation', State: 'active' };

describe('route selection', () => {
  it('prefers the longest prefix whatever its kind', () => {
    const pick = table([local, propagated, { DestinationCidrBlock: '10.1.2.0/24', GatewayId: 'vgw-narrow', Origin: 'EnableVgwRoutePropagation', State: 'active' }]);
    expect(pick('10.1.2.3')).toBe('vgw-narrow');
    expect(pick('10.1.3.3')).toBe('vgw-prop');
    expect(pick('10.0.9.9')).toBe('local');
    expect(pick('192.168.1.1')).toBeUndefined();
  });

  it('on equal prefixes: static, then prefix list, then propagated', () => {
    expect(table([propagated, plRoute, staticRoute])('10.1.0.9')).toBe('pcx-static');
    expect(table([propagated, plRoute])('10.1.0.9')).toBe('tgw-pl');
    expect(table([plRoute, propagated])('10.1.0.9')).toBe('tgw-pl');
    expect(table([propagated])('10.1.0.9')).toBe('vgw-prop');
  });
});
