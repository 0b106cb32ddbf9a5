import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SgwhyError } from '../errors/errors.js';
import type { RawDoc } from '../model/raw.js';
import { SIMULATED_OPERATIONS, applyApiCall, applyApiCalls, type ApiCall } from './simulate.js';

type Obj = Record<string, unknown>;
const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const at = (name: string): Pick<RawDoc, 'file' | 'accountId' | 'region'> => ({ file: `accounts/${ACCOUNT}/${REGION}/${name}.json`, accountId: ACCOUNT, region: REGION });

const perm = (IpProtocol: string, from: number | undefined, to: number | undefined, peers: Obj = {}): Obj => ({
  IpProtocol,
  ...(from === undefined ? {} : { FromPort: from, ToPort: to }),
  IpRanges: [],
  Ipv6Ranges: [],
  PrefixListIds: [],
  UserIdGroupPairs: [],
  ...peers,
});

function sg(id: string, name: string, ingress: Obj[] = [], egress: Obj[] = [perm('-1', undefined, undefined, { IpRanges: [{ CidrIp: '0.0.0.0/0' }] })]): Obj {
  return { GroupId: id, GroupName: name, OwnerId: ACCOUNT, VpcId: 'vpc-a', Description: name, IpPermissions: ingress, IpPermissionsEgress: egress };
}

function snapshot(): RawDoc[] {
  const web = sg('sg-0web', 'web', [perm('tcp', 443, 443, { IpRanges: [{ CidrIp: '10.0.0.0/16', Description: 'vpc' }] })]);
  const db = sg('sg-0db', 'db', [perm('tcp', 5432, 5432, { UserIdGroupPairs: [{ GroupId: 'sg-0app', UserId: ACCOUNT }] })]);
  return [
    { ...at('describe-security-groups'), data: { SecurityGroups: [web, db] } },
    // The same group dumped again (e.g. a second collection run): both copies must change.
    { file: 'live:DescribeSecurityGroups', accountId: ACCOUNT, region: REGION, data: { SecurityGroups: [structuredClone(web)] } },
    {
      ...at('describe-network-acls'),
      data: {
        NetworkAcls: [
          {
            NetworkAclId: 'acl-1',
            VpcId: 'vpc-a',
            Entries: [
              { CidrBlock: '0.0.0.0/0', Egress: true, Protocol: '-1', RuleAction: 'allow', RuleNumber: 100 },
              { CidrBlock: '0.0.0.0/0', Egress: true, Protocol: '-1', RuleAction: 'deny', RuleNumber: 32767 },
              { CidrBlock: '10.0.0.0/16', Egress: false, PortRange: { From: 443, To: 443 }, Protocol: '6', RuleAction: 'allow', RuleNumber: 100 },
              { CidrBlock: '0.0.0.0/0', Egress: false, Protocol: '-1', RuleAction: 'deny', RuleNumber: 32767 },
            ],
          },
        ],
      },
    },
    {
      ...at('describe-route-tables'),
      data: {
        RouteTables: [
          {
            RouteTableId: 'rtb-1',
            VpcId: 'vpc-a',
            Routes: [
              { DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' },
              { DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-1', Origin: 'CreateRoute', State: 'active' },
            ],
          },
        ],
      },
    },
    {
      ...at('describe-network-interfaces'),
      data: {
        NetworkInterfaces: [
          {
            NetworkInterfaceId: 'eni-0db',
            Groups: [{ GroupId: 'sg-0db', GroupName: 'db' }],
            Attachment: { InstanceId: 'i-0db', InstanceOwnerId: ACCOUNT, DeviceIndex: 0 },
            SourceDestCheck: true,
            PrivateIpAddress: '10.0.1.50',
          },
          {
            NetworkInterfaceId: 'eni-0db2',
            Groups: [{ GroupId: 'sg-0db', GroupName: 'db' }],
            Attachment: { InstanceId: 'i-0db', InstanceOwnerId: ACCOUNT, DeviceIndex: 1 },
            PrivateIpAddress: '10.0.1.51',
          },
          { NetworkInterfaceId: 'eni-0free', Groups: [{ GroupId: 'sg-0web', GroupName: 'web' }], PrivateIpAddress: '10.0.1.99' },
        ],
      },
    },
    {
      ...at('describe-instances'),
      data: {
        Reservations: [
          {
            OwnerId: ACCOUNT,
            Instances: [
              {
                InstanceId: 'i-0db',
                SecurityGroups: [{ GroupId: 'sg-0db', GroupName: 'db' }],
                SourceDestCheck: true,
                NetworkInterfaces: [
                  { NetworkInterfaceId: 'eni-0db', Attachment: { DeviceIndex: 0 }, Groups: [{ GroupId: 'sg-0db', GroupName: 'db' }] },
                  { NetworkInterfaceId: 'eni-0db2', Attachment: { DeviceIndex: 1 }, Groups: [{ GroupId: 'sg-0db', GroupName: 'db' }] },
                ],
              },
            ],
          },
        ],
      },
    },
    {
      ...at('describe-transit-gateway-attachments'),
      data: { TransitGatewayAttachments: [{ TransitGatewayAttachmentId: 'tgw-attach-a', ResourceId: 'vpc-a', ResourceType: 'vpc', TransitGatewayId: 'tgw-1' }] },
    },
    {
      ...at('describe-transit-gateway-vpc-attachments'),
      data: { TransitGatewayVpcAttachments: [{ TransitGatewayAttachmentId: 'tgw-attach-b', VpcId: 'vpc-b' }] },
    },
    {
      ...at('describe-transit-gateway-route-tables'),
      data: { TransitGatewayRouteTables: [{ TransitGatewayRouteTableId: 'tgw-rtb-1' }, { TransitGatewayRouteTableId: 'tgw-rtb-2' }] },
    },
    {
      ...at('search-transit-gateway-routes'),
      data: {
        TransitGatewayStaticRoutes: [
          {
            TransitGatewayRouteTableId: 'tgw-rtb-1',
            Routes: [
              {
                DestinationCidrBlock: '10.1.0.0/16',
                TransitGatewayAttachments: [{ TransitGatewayAttachmentId: 'tgw-attach-b', ResourceId: 'vpc-b', ResourceType: 'vpc' }],
                Type: 'propagated',
                State: 'active',
              },
              {
                DestinationCidrBlock: '10.9.0.0/16',
                TransitGatewayAttachments: [{ TransitGatewayAttachmentId: 'tgw-attach-a', ResourceId: 'vpc-a', ResourceType: 'vpc' }],
                Type: 'static',
                State: 'active',
              },
            ],
          },
        ],
      },
    },
  ];
}

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v as object)) deepFreeze(x);
  }
  return v;
}

/** Every item of data[key] with idKey === id across docs. */
const find = (docs: readonly RawDoc[], key: string, idKey: string, id: string): Obj[] =>
  docs.flatMap((d) => ((d.data[key] as Obj[] | undefined) ?? []).filter((o) => o[idKey] === id));
const group = (docs: readonly RawDoc[], id: string, copy = 0): Obj => find(docs, 'SecurityGroups', 'GroupId', id)[copy]!;
const acl = (docs: readonly RawDoc[]): Obj => find(docs, 'NetworkAcls', 'NetworkAclId', 'acl-1')[0]!;
const rtb = (docs: readonly RawDoc[]): Obj => find(docs, 'RouteTables', 'RouteTableId', 'rtb-1')[0]!;
const tgwRoutes = (docs: readonly RawDoc[], id: string): Obj[] =>
  find(docs, 'TransitGatewayStaticRoutes', 'TransitGatewayRouteTableId', id).flatMap((e) => e.Routes as Obj[]);

/** Apply to a frozen snapshot and a frozen call, so any mutation of the inputs throws. */
function apply(call: ApiCall, docs: RawDoc[] = snapshot()): RawDoc[] {
  const before = JSON.stringify(docs);
  const callBefore = JSON.stringify(call);
  const out = applyApiCall(deepFreeze(docs), deepFreeze(call));
  expect(JSON.stringify(docs)).toBe(before);
  expect(JSON.stringify(call)).toBe(callBefore);
  expect(out).not.toBe(docs);
  return out;
}

function failure(call: ApiCall, docs: RawDoc[] = snapshot()): SgwhyError {
  try {
    apply(call, docs);
  } catch (e) {
    expect(e).toBeInstanceOf(SgwhyError);
    return e as SgwhyError;
  }
  throw new Error(`expected ${call.operation} to fail`);
}

const ingress = (GroupId: string, ...IpPermissions: Obj[]): ApiCall => ({ operation: 'AuthorizeSecurityGroupIngress', input: { GroupId, IpPermissions } });
const revokeIngress = (GroupId: string, ...IpPermissions: Obj[]): ApiCall => ({ operation: 'RevokeSecurityGroupIngress', input: { GroupId, IpPermissions } });

describe('AuthorizeSecurityGroupIngress / Egress', () => {
  it('merges a peer into the permission with the same protocol and ports, in every copy of the group', () => {
    const out = apply(ingress('sg-0web', { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.2.0.0/16', Description: 'other vpc' }] }));
    for (const copy of [0, 1]) {
      expect(group(out, 'sg-0web', copy).IpPermissions).toEqual([
        perm('tcp', 443, 443, { IpRanges: [{ CidrIp: '10.0.0.0/16', Description: 'vpc' }, { CidrIp: '10.2.0.0/16', Description: 'other vpc' }] }),
      ]);
    }
    const before = snapshot();
    expect(group(out, 'sg-0db')).toEqual(group(before, 'sg-0db'));
  });

  it('adds a new permission in describe shape, filling the UserId of a referenced group, and accepts protocol numbers', () => {
    const out = apply(ingress('sg-0db', { IpProtocol: '6', FromPort: 6379, ToPort: 6379, UserIdGroupPairs: [{ GroupId: 'sg-0web', Description: 'web tier' }] }));
    expect(group(out, 'sg-0db').IpPermissions).toEqual([
      perm('tcp', 5432, 5432, { UserIdGroupPairs: [{ GroupId: 'sg-0app', UserId: ACCOUNT }] }),
      perm('tcp', 6379, 6379, { UserIdGroupPairs: [{ Description: 'web tier', GroupId: 'sg-0web', UserId: ACCOUNT }] }),
    ]);
  });

  it('records all-traffic rules without ports and ICMP type/code in FromPort/ToPort', () => {
    const out = apply(
      ingress(
        'sg-0db',
        { IpProtocol: '-1', FromPort: 0, ToPort: 65535, PrefixListIds: [{ PrefixListId: 'pl-123' }] },
        { IpProtocol: 'icmp', FromPort: 8, ToPort: -1, IpRanges: [{ CidrIp: '10.0.0.0/8' }] },
      ),
    );
    const perms = group(out, 'sg-0db').IpPermissions as Obj[];
    expect(perms[1]).toEqual(perm('-1', undefined, undefined, { PrefixListIds: [{ PrefixListId: 'pl-123' }] }));
    expect(perms[2]).toEqual(perm('icmp', 8, -1, { IpRanges: [{ CidrIp: '10.0.0.0/8' }] }));
  });

  it('authorizes egress into IpPermissionsEgress, and supports IPv6 ranges', () => {
    const out = apply({
      operation: 'AuthorizeSecurityGroupEgress',
      input: { GroupId: 'sg-0web', IpPermissions: [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, Ipv6Ranges: [{ CidrIpv6: '2600:1f18::/56' }] }] },
    });
    expect(group(out, 'sg-0web').IpPermissionsEgress).toEqual([
      perm('-1', undefined, undefined, { IpRanges: [{ CidrIp: '0.0.0.0/0' }] }),
      perm('tcp', 5432, 5432, { Ipv6Ranges: [{ CidrIpv6: '2600:1f18::/56' }] }),
    ]);
    expect(group(out, 'sg-0web').IpPermissions).toEqual(group(snapshot(), 'sg-0web').IpPermissions);
  });

  it('accepts the legacy flat form (CidrIp, IpProtocol, FromPort, ToPort)', () => {
    const out = apply({ operation: 'AuthorizeSecurityGroupIngress', input: { GroupId: 'sg-0db', CidrIp: '10.0.2.0/24', IpProtocol: 'tcp', FromPort: 22, ToPort: 22 } });
    expect((group(out, 'sg-0db').IpPermissions as Obj[])[1]).toEqual(perm('tcp', 22, 22, { IpRanges: [{ CidrIp: '10.0.2.0/24' }] }));
  });

  it('rejects a duplicate rule with InvalidPermission.Duplicate, whatever the description', () => {
    const e = failure(ingress('sg-0web', { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.0.0/16', Description: 'different' }] }));
    expect(e.code).toBe('AWS_ERROR');
    expect(e.message).toMatch(/^InvalidPermission\.Duplicate: the specified rule "peer: 10\.0\.0\.0\/16, TCP, from port: 443, to port: 443, ALLOW" already exists/);
    expect(e.details).toEqual({ awsErrorCode: 'InvalidPermission.Duplicate' });
    // A duplicate inside one request, and a differently spelled IPv6 CIDR, are duplicates too.
    const twice = { IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '10.0.0.0/8' }, { CidrIp: '10.0.0.0/8' }] };
    expect(failure(ingress('sg-0db', twice)).message).toMatch(/^InvalidPermission\.Duplicate/);
    const v6 = apply(ingress('sg-0db', { IpProtocol: 'tcp', FromPort: 80, ToPort: 80, Ipv6Ranges: [{ CidrIpv6: '2600:1F18:0::/56' }] }));
    expect(failure(ingress('sg-0db', { IpProtocol: 'tcp', FromPort: 80, ToPort: 80, Ipv6Ranges: [{ CidrIpv6: '2600:1f18::/56' }] }), v6).message).toMatch(
      /^InvalidPermission\.Duplicate/,
    );
  });

  it('enforces the rules-per-group quota per address family, like AWS', () => {
    const docs = snapshot();
    const full = Array.from({ length: 59 }, (_, i) => ({ CidrIp: `10.0.3.${i + 1}/32` }));
    ((group(docs, 'sg-0db').IpPermissions as Obj[])[0]!.IpRanges as Obj[]).push(...full); // 1 group ref + 59 = 60 IPv4 rules
    const one = (peer: Obj): ApiCall => ingress('sg-0db', { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, ...peer });
    const e = failure(one({ IpRanges: [{ CidrIp: '10.0.2.100/32' }] }), docs);
    expect(e.code).toBe('AWS_ERROR');
    expect(e.message).toMatch(/^RulesPerSecurityGroupLimitExceeded: .*sg-0db has 60 inbound IPv4 rules and the limit is 60/);
    // IPv6 is counted separately, a raised quota can be given, and egress has its own count.
    expect(() => apply(one({ Ipv6Ranges: [{ CidrIpv6: '::/0' }] }), docs)).not.toThrow();
    expect(() => applyApiCall(docs, one({ IpRanges: [{ CidrIp: '10.0.2.100/32' }] }), { rulesPerSecurityGroup: 100 })).not.toThrow();
    const egress = { operation: 'AuthorizeSecurityGroupEgress', input: { GroupId: 'sg-0db', IpPermissions: [{ IpProtocol: 'tcp', FromPort: 1, ToPort: 1, IpRanges: [{ CidrIp: '10.0.0.0/8' }] }] } };
    expect(() => apply(egress, docs)).not.toThrow();
    // A group reference counts in both families; a prefix list counts its MaxEntries.
    expect(failure(one({ UserIdGroupPairs: [{ GroupId: 'sg-0web' }] }), docs).message).toMatch(/IPv4 rules/);
    const withPl = [...snapshot(), { ...at('describe-managed-prefix-lists'), data: { PrefixLists: [{ PrefixListId: 'pl-big', AddressFamily: 'IPv4', MaxEntries: 60 }] } }];
    expect(failure(one({ PrefixListIds: [{ PrefixListId: 'pl-big' }] }), withPl).message).toMatch(/^RulesPerSecurityGroupLimitExceeded/);
    // A group already past the default quota proves a raised one.
    const over = snapshot();
    ((group(over, 'sg-0db').IpPermissions as Obj[])[0]!.IpRanges as Obj[]).push(...full, { CidrIp: '10.0.4.1/32' });
    expect(() => apply(one({ IpRanges: [{ CidrIp: '10.0.2.100/32' }] }), over)).not.toThrow();
  });

  it('fails with BAD_SNAPSHOT when the group is not in the snapshot', () => {
    const e = failure(ingress('sg-0missing', { IpProtocol: 'tcp', FromPort: 1, ToPort: 1, IpRanges: [{ CidrIp: '10.0.0.0/8' }] }));
    expect(e.code).toBe('BAD_SNAPSHOT');
    expect(e.message).toMatch(/sg-0missing is not in the snapshot/);
  });

  it.each<[string, Obj]>([
    ['no GroupId', { IpPermissions: [{ IpProtocol: 'tcp', FromPort: 1, ToPort: 1, IpRanges: [{ CidrIp: '10.0.0.0/8' }] }] }],
    ['no permissions', { GroupId: 'sg-0web' }],
    ['no peer', { GroupId: 'sg-0web', IpPermissions: [{ IpProtocol: 'tcp', FromPort: 1, ToPort: 1 }] }],
    ['tcp without ports', { GroupId: 'sg-0web', IpPermissions: [{ IpProtocol: 'tcp', IpRanges: [{ CidrIp: '10.0.0.0/8' }] }] }],
    ['bad CIDR', { GroupId: 'sg-0web', IpPermissions: [{ IpProtocol: 'tcp', FromPort: 1, ToPort: 1, IpRanges: [{ CidrIp: '10.0.0.256/8' }] }] }],
    ['IPv6 in IpRanges', { GroupId: 'sg-0web', IpPermissions: [{ IpProtocol: 'tcp', FromPort: 1, ToPort: 1, IpRanges: [{ CidrIp: '::/0' }] }] }],
    ['FromPort > ToPort', { GroupId: 'sg-0web', IpPermissions: [{ IpProtocol: 'udp', FromPort: 9, ToPort: 1, IpRanges: [{ CidrIp: '10.0.0.0/8' }] }] }],
    ['unknown protocol', { GroupId: 'sg-0web', IpPermissions: [{ IpProtocol: 'quic', FromPort: 1, ToPort: 1, IpRanges: [{ CidrIp: '10.0.0.0/8' }] }] }],
    ['unknown parameter', { GroupId: 'sg-0web', IpPermission: [] }],
    ['rule ids', { GroupId: 'sg-0web', SecurityGroupRuleIds: ['sgr-1'] }],
  ])('rejects a malformed call: %s', (_name, input) => {
    expect(failure({ operation: 'AuthorizeSecurityGroupIngress', input }).code).toBe('BAD_USAGE');
  });
});

describe('RevokeSecurityGroupIngress / Egress', () => {
  it('removes one peer and keeps the rest of the permission', () => {
    const docs = apply(ingress('sg-0web', { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.2.0.0/16' }] }));
    const out = apply(revokeIngress('sg-0web', { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.0.0/16' }] }), docs);
    for (const copy of [0, 1]) expect(group(out, 'sg-0web', copy).IpPermissions).toEqual([perm('tcp', 443, 443, { IpRanges: [{ CidrIp: '10.2.0.0/16' }] })]);
  });

  it('removes the permission when its last peer goes', () => {
    const out = apply(revokeIngress('sg-0db', { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{ GroupId: 'sg-0app' }] }));
    expect(group(out, 'sg-0db').IpPermissions).toEqual([]);
    const egress = apply({ operation: 'RevokeSecurityGroupEgress', input: { GroupId: 'sg-0web', IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] } });
    expect(group(egress, 'sg-0web', 1).IpPermissionsEgress).toEqual([]);
  });

  it('fails with InvalidPermission.NotFound, revoking nothing, when a rule does not exist', () => {
    const e = failure(
      revokeIngress(
        'sg-0web',
        { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.0.0/16' }] },
        { IpProtocol: 'tcp', FromPort: 444, ToPort: 444, IpRanges: [{ CidrIp: '10.0.0.0/16' }] },
      ),
    );
    expect(e.code).toBe('AWS_ERROR');
    expect(e.message).toMatch(/^InvalidPermission\.NotFound: .*from port: 444/);
  });
});

const naclCall = (operation: string, input: Obj): ApiCall => ({ operation, input: { NetworkAclId: 'acl-1', ...input } });

describe('CreateNetworkAclEntry / ReplaceNetworkAclEntry / DeleteNetworkAclEntry', () => {
  it('adds an entry in describe shape (protocol number as a string, lower-case action) where AWS lists it', () => {
    const call = naclCall('CreateNetworkAclEntry', { RuleNumber: 90, Protocol: 'tcp', RuleAction: 'DENY', Egress: false, CidrBlock: '10.0.2.0/24', PortRange: { From: 443, To: 443 } });
    const out = apply(call);
    const entries = acl(out).Entries as Obj[];
    expect(entries).toHaveLength(5);
    expect(entries[2]).toEqual({ CidrBlock: '10.0.2.0/24', Egress: false, PortRange: { From: 443, To: 443 }, Protocol: '6', RuleAction: 'deny', RuleNumber: 90 });
    expect(entries.map((x) => `${x.Egress}:${x.RuleNumber}`)).toEqual(['true:100', 'true:32767', 'false:90', 'false:100', 'false:32767']);
    // Entries that are not in AWS's order (e.g. from an emulator) get the new entry appended.
    const docs = snapshot();
    (acl(docs).Entries as Obj[]).reverse();
    expect((acl(apply(call, docs)).Entries as Obj[]).at(-1)!.RuleNumber).toBe(90);
  });

  it('records ICMP type/code, IPv6 CIDRs, and drops ports for all-protocol entries', () => {
    let out = apply(
      naclCall('CreateNetworkAclEntry', { RuleNumber: 110, Protocol: '58', RuleAction: 'allow', Egress: false, Ipv6CidrBlock: '::/0', IcmpTypeCode: { Type: 128, Code: -1 } }),
    );
    out = apply(naclCall('CreateNetworkAclEntry', { RuleNumber: 120, Protocol: -1, RuleAction: 'allow', Egress: false, CidrBlock: '10.0.0.0/8', PortRange: { From: 1, To: 2 } }), out);
    const entries = acl(out).Entries as Obj[];
    expect(entries[3]).toEqual({ Egress: false, IcmpTypeCode: { Code: -1, Type: 128 }, Ipv6CidrBlock: '::/0', Protocol: '58', RuleAction: 'allow', RuleNumber: 110 });
    expect(entries[4]).toEqual({ CidrBlock: '10.0.0.0/8', Egress: false, Protocol: '-1', RuleAction: 'allow', RuleNumber: 120 });
  });

  it('fails with NetworkAclEntryAlreadyExists for a used rule number in the same direction only', () => {
    const entry = { RuleNumber: 100, Protocol: '-1', RuleAction: 'deny', CidrBlock: '10.0.2.0/24' };
    const e = failure(naclCall('CreateNetworkAclEntry', { ...entry, Egress: false }));
    expect(e.code).toBe('AWS_ERROR');
    expect(e.message).toMatch(/^NetworkAclEntryAlreadyExists: .*100 \(ingress\)/);
    expect(failure(naclCall('CreateNetworkAclEntry', { ...entry, Egress: true })).message).toMatch(/^NetworkAclEntryAlreadyExists/);
    const other = apply(naclCall('CreateNetworkAclEntry', { ...entry, RuleNumber: 200, Egress: true }));
    expect((acl(other).Entries as Obj[]).filter((x) => x.RuleNumber === 200)).toHaveLength(1);
  });

  it('replaces an entry in place, and fails when there is none', () => {
    const out = apply(
      naclCall('ReplaceNetworkAclEntry', { RuleNumber: 100, Protocol: '6', RuleAction: 'allow', Egress: false, CidrBlock: '10.0.0.0/16', PortRange: { From: 443, To: 444 } }),
    );
    expect((acl(out).Entries as Obj[])[2]).toEqual({ CidrBlock: '10.0.0.0/16', Egress: false, PortRange: { From: 443, To: 444 }, Protocol: '6', RuleAction: 'allow', RuleNumber: 100 });
    const e = failure(naclCall('ReplaceNetworkAclEntry', { RuleNumber: 7, Protocol: '-1', RuleAction: 'allow', Egress: false, CidrBlock: '10.0.0.0/16' }));
    expect(e.message).toMatch(/^InvalidNetworkAclEntry\.NotFound/);
  });

  it('deletes an entry, and fails when there is none', () => {
    const out = apply(naclCall('DeleteNetworkAclEntry', { RuleNumber: 100, Egress: true }));
    expect((acl(out).Entries as Obj[]).map((x) => `${x.Egress}:${x.RuleNumber}`)).toEqual(['true:32767', 'false:100', 'false:32767']);
    expect(failure(naclCall('DeleteNetworkAclEntry', { RuleNumber: 5, Egress: true })).message).toMatch(/^InvalidNetworkAclEntry\.NotFound/);
  });

  it.each<[string, Obj]>([
    ['tcp without PortRange', { RuleNumber: 1, Protocol: '6', RuleAction: 'allow', Egress: false, CidrBlock: '10.0.0.0/8' }],
    ['icmp without IcmpTypeCode', { RuleNumber: 1, Protocol: '1', RuleAction: 'allow', Egress: false, CidrBlock: '10.0.0.0/8' }],
    ['rule number 32767', { RuleNumber: 32767, Protocol: '-1', RuleAction: 'allow', Egress: false, CidrBlock: '10.0.0.0/8' }],
    ['both CIDRs', { RuleNumber: 1, Protocol: '-1', RuleAction: 'allow', Egress: false, CidrBlock: '10.0.0.0/8', Ipv6CidrBlock: '::/0' }],
    ['no Egress', { RuleNumber: 1, Protocol: '-1', RuleAction: 'allow', CidrBlock: '10.0.0.0/8' }],
    ['bad action', { RuleNumber: 1, Protocol: '-1', RuleAction: 'permit', Egress: false, CidrBlock: '10.0.0.0/8' }],
  ])('rejects a malformed entry: %s', (_name, input) => {
    expect(failure(naclCall('CreateNetworkAclEntry', input)).code).toBe('BAD_USAGE');
  });

  it('fails with BAD_SNAPSHOT for an unknown NACL', () => {
    expect(failure({ operation: 'DeleteNetworkAclEntry', input: { NetworkAclId: 'acl-x', RuleNumber: 1, Egress: true } }).code).toBe('BAD_SNAPSHOT');
  });
});

const routeCall = (operation: string, input: Obj): ApiCall => ({ operation, input: { RouteTableId: 'rtb-1', ...input } });

describe('CreateRoute / ReplaceRoute / DeleteRoute', () => {
  it('adds an active route with Origin CreateRoute', () => {
    const out = apply(routeCall('CreateRoute', { DestinationCidrBlock: '10.1.0.0/16', TransitGatewayId: 'tgw-1' }));
    expect((rtb(out).Routes as Obj[])[2]).toEqual({ DestinationCidrBlock: '10.1.0.0/16', TransitGatewayId: 'tgw-1', Origin: 'CreateRoute', State: 'active' });
  });

  it('supports IPv6 and prefix-list destinations, and shows a GWLB endpoint as GatewayId', () => {
    let out = apply(routeCall('CreateRoute', { DestinationIpv6CidrBlock: '::/0', EgressOnlyInternetGatewayId: 'eigw-1' }));
    out = apply(routeCall('CreateRoute', { DestinationPrefixListId: 'pl-63a5400a', VpcEndpointId: 'vpce-1' }), out);
    expect((rtb(out).Routes as Obj[]).slice(2)).toEqual([
      { DestinationIpv6CidrBlock: '::/0', EgressOnlyInternetGatewayId: 'eigw-1', Origin: 'CreateRoute', State: 'active' },
      { DestinationPrefixListId: 'pl-63a5400a', GatewayId: 'vpce-1', Origin: 'CreateRoute', State: 'active' },
    ]);
  });

  it('fills the instance and its owner for an ENI target, and the primary ENI for an instance target', () => {
    let out = apply(routeCall('CreateRoute', { DestinationCidrBlock: '192.168.0.0/16', NetworkInterfaceId: 'eni-0db2' }));
    out = apply(routeCall('CreateRoute', { DestinationCidrBlock: '172.16.0.0/12', InstanceId: 'i-0db' }), out);
    expect((rtb(out).Routes as Obj[]).slice(2)).toEqual([
      { DestinationCidrBlock: '192.168.0.0/16', NetworkInterfaceId: 'eni-0db2', InstanceId: 'i-0db', InstanceOwnerId: ACCOUNT, Origin: 'CreateRoute', State: 'active' },
      { DestinationCidrBlock: '172.16.0.0/12', InstanceId: 'i-0db', InstanceOwnerId: ACCOUNT, NetworkInterfaceId: 'eni-0db', Origin: 'CreateRoute', State: 'active' },
    ]);
  });

  it('fails with RouteAlreadyExists on an existing destination, and rejects non-decimal CIDRs', () => {
    const e = failure(routeCall('CreateRoute', { DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-1' }));
    expect(e.code).toBe('AWS_ERROR');
    expect(e.message).toMatch(/^RouteAlreadyExists: the route identified by 0\.0\.0\.0\/0 already exists/);
    expect(failure(routeCall('CreateRoute', { DestinationCidrBlock: '10.0.00.0/16', GatewayId: 'igw-1' })).code).toBe('BAD_USAGE'); // not a valid CIDR
  });

  it('replaces a route in place; the local route keeps its origin', () => {
    let out = apply(routeCall('ReplaceRoute', { DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-1' }));
    out = apply(routeCall('ReplaceRoute', { DestinationCidrBlock: '10.0.0.0/16', NetworkInterfaceId: 'eni-0free' }), out);
    expect(rtb(out).Routes).toEqual([
      { DestinationCidrBlock: '10.0.0.0/16', NetworkInterfaceId: 'eni-0free', Origin: 'CreateRouteTable', State: 'active' },
      { DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-1', Origin: 'CreateRoute', State: 'active' },
    ]);
    out = apply(routeCall('ReplaceRoute', { DestinationCidrBlock: '10.0.0.0/16', LocalTarget: true }), out);
    expect((rtb(out).Routes as Obj[])[0]).toEqual({ DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' });
    expect(failure(routeCall('ReplaceRoute', { DestinationCidrBlock: '10.7.0.0/16', GatewayId: 'igw-1' })).message).toMatch(/^InvalidParameterValue: there is no route/);
  });

  it('deletes a route; the local route and missing routes cannot be deleted', () => {
    const out = apply(routeCall('DeleteRoute', { DestinationCidrBlock: '0.0.0.0/0' }));
    expect(rtb(out).Routes).toEqual([{ DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' }]);
    expect(failure(routeCall('DeleteRoute', { DestinationCidrBlock: '10.0.0.0/16' })).message).toMatch(/cannot remove local route/);
    expect(failure(routeCall('DeleteRoute', { DestinationCidrBlock: '10.7.0.0/16' })).message).toMatch(/^InvalidRoute\.NotFound/);
  });

  it.each<[string, ApiCall, string]>([
    ['two targets', routeCall('CreateRoute', { DestinationCidrBlock: '10.1.0.0/16', GatewayId: 'igw-1', NatGatewayId: 'nat-1' }), 'BAD_USAGE'],
    ['no target', routeCall('CreateRoute', { DestinationCidrBlock: '10.1.0.0/16' }), 'BAD_USAGE'],
    ['no destination', routeCall('CreateRoute', { GatewayId: 'igw-1' }), 'BAD_USAGE'],
    ['LocalTarget on create', routeCall('CreateRoute', { DestinationCidrBlock: '10.1.0.0/16', LocalTarget: true }), 'BAD_USAGE'],
    ['unknown table', { operation: 'CreateRoute', input: { RouteTableId: 'rtb-x', DestinationCidrBlock: '10.1.0.0/16', GatewayId: 'igw-1' } }, 'BAD_SNAPSHOT'],
  ])('rejects %s', (_name, call, code) => {
    expect(failure(call).code).toBe(code);
  });
});

describe('ModifyNetworkInterfaceAttribute', () => {
  const modify = (input: Obj): ApiCall => ({ operation: 'ModifyNetworkInterfaceAttribute', input });

  it('sets Groups on every copy of the ENI and on the instance when it is the primary ENI', () => {
    const out = apply(modify({ NetworkInterfaceId: 'eni-0db', Groups: ['sg-0db', 'sg-0web', 'sg-0outside'] }));
    const groups = [{ GroupId: 'sg-0db', GroupName: 'db' }, { GroupId: 'sg-0web', GroupName: 'web' }, { GroupId: 'sg-0outside' }];
    expect(find(out, 'NetworkInterfaces', 'NetworkInterfaceId', 'eni-0db')[0]!.Groups).toEqual(groups);
    const instance = ((find(out, 'Reservations', 'OwnerId', ACCOUNT)[0]!.Instances as Obj[])[0]!) as Obj;
    expect(instance.SecurityGroups).toEqual(groups);
    const enis = instance.NetworkInterfaces as Obj[];
    expect(enis[0]!.Groups).toEqual(groups);
    expect(enis[1]!.Groups).toEqual([{ GroupId: 'sg-0db', GroupName: 'db' }]);
    expect(find(out, 'NetworkInterfaces', 'NetworkInterfaceId', 'eni-0db2')[0]!.Groups).toEqual([{ GroupId: 'sg-0db', GroupName: 'db' }]);
  });

  it('leaves the instance-level groups alone for a secondary ENI, and leaves unrelated docs as they are', () => {
    const docs = snapshot();
    const out = apply(modify({ NetworkInterfaceId: 'eni-0db2', Groups: ['sg-0web'] }), docs);
    const instance = ((find(out, 'Reservations', 'OwnerId', ACCOUNT)[0]!.Instances as Obj[])[0]!) as Obj;
    expect(instance.SecurityGroups).toEqual([{ GroupId: 'sg-0db', GroupName: 'db' }]);
    expect((instance.NetworkInterfaces as Obj[])[1]!.Groups).toEqual([{ GroupId: 'sg-0web', GroupName: 'web' }]);
    out.forEach((d, i) => {
      const touched = 'NetworkInterfaces' in d.data || 'Reservations' in d.data;
      if (touched) expect(d).not.toBe(docs[i]);
      else expect(d).toBe(docs[i]);
    });
  });

  it('sets SourceDestCheck on the ENI and on its instance', () => {
    const out = apply(modify({ NetworkInterfaceId: 'eni-0db', SourceDestCheck: { Value: false } }));
    expect(find(out, 'NetworkInterfaces', 'NetworkInterfaceId', 'eni-0db')[0]!.SourceDestCheck).toBe(false);
    expect(((find(out, 'Reservations', 'OwnerId', ACCOUNT)[0]!.Instances as Obj[])[0] as Obj).SourceDestCheck).toBe(false);
  });

  it('fails with BAD_SNAPSHOT for an unknown ENI, and BAD_USAGE for other attributes or bad groups', () => {
    expect(failure(modify({ NetworkInterfaceId: 'eni-0nope', Groups: ['sg-0web'] })).code).toBe('BAD_SNAPSHOT');
    expect(failure(modify({ NetworkInterfaceId: 'eni-0db', Description: { Value: 'x' } })).code).toBe('BAD_USAGE');
    expect(failure(modify({ NetworkInterfaceId: 'eni-0db', Groups: [] })).code).toBe('BAD_USAGE');
    expect(failure(modify({ NetworkInterfaceId: 'eni-0db', Groups: ['sg-0web'], SourceDestCheck: { Value: true } })).code).toBe('BAD_USAGE');
  });
});

describe('CreateTransitGatewayRoute / DeleteTransitGatewayRoute', () => {
  const tgw = (input: Obj, operation = 'CreateTransitGatewayRoute'): ApiCall => ({ operation, input });

  it('adds a static route with the attachment resource, in search-transit-gateway-routes shape', () => {
    const out = apply(tgw({ TransitGatewayRouteTableId: 'tgw-rtb-1', DestinationCidrBlock: '10.2.0.0/16', TransitGatewayAttachmentId: 'tgw-attach-a' }));
    expect(tgwRoutes(out, 'tgw-rtb-1')[2]).toEqual({
      DestinationCidrBlock: '10.2.0.0/16',
      TransitGatewayAttachments: [{ TransitGatewayAttachmentId: 'tgw-attach-a', ResourceId: 'vpc-a', ResourceType: 'vpc' }],
      Type: 'static',
      State: 'active',
    });
  });

  it('looks the resource up in VPC attachments, and leaves it out when unknown', () => {
    let out = apply(tgw({ TransitGatewayRouteTableId: 'tgw-rtb-1', DestinationCidrBlock: '10.3.0.0/16', TransitGatewayAttachmentId: 'tgw-attach-b' }));
    out = apply(tgw({ TransitGatewayRouteTableId: 'tgw-rtb-1', DestinationCidrBlock: '10.4.0.0/16', TransitGatewayAttachmentId: 'tgw-attach-zz' }), out);
    const routes = tgwRoutes(out, 'tgw-rtb-1');
    expect(routes[2]!.TransitGatewayAttachments).toEqual([{ TransitGatewayAttachmentId: 'tgw-attach-b', ResourceId: 'vpc-b', ResourceType: 'vpc' }]);
    expect(routes[3]!.TransitGatewayAttachments).toEqual([{ TransitGatewayAttachmentId: 'tgw-attach-zz' }]);
  });

  it('takes the place of a propagated route for the same prefix, and refuses a second static one', () => {
    const out = apply(tgw({ TransitGatewayRouteTableId: 'tgw-rtb-1', DestinationCidrBlock: '10.1.0.0/16', Blackhole: true }));
    expect(tgwRoutes(out, 'tgw-rtb-1')[0]).toEqual({ DestinationCidrBlock: '10.1.0.0/16', Type: 'static', State: 'blackhole' });
    const e = failure(tgw({ TransitGatewayRouteTableId: 'tgw-rtb-1', DestinationCidrBlock: '10.9.0.0/16', TransitGatewayAttachmentId: 'tgw-attach-b' }));
    expect(e.code).toBe('AWS_ERROR');
    expect(e.message).toMatch(/^RouteAlreadyExists/);
  });

  it('starts the route list of a known table that has none yet, next to the others', () => {
    const docs = snapshot();
    const out = apply(tgw({ TransitGatewayRouteTableId: 'tgw-rtb-2', DestinationCidrBlock: '0.0.0.0/0', TransitGatewayAttachmentId: 'tgw-attach-a' }), docs);
    expect(out).toHaveLength(docs.length);
    expect(tgwRoutes(out, 'tgw-rtb-2')).toHaveLength(1);
    // With no routes document at all, a new one is added for the table's account and region.
    const noRoutes = snapshot().filter((d) => !('TransitGatewayStaticRoutes' in d.data));
    const added = apply(tgw({ TransitGatewayRouteTableId: 'tgw-rtb-2', DestinationCidrBlock: '0.0.0.0/0', TransitGatewayAttachmentId: 'tgw-attach-a' }), noRoutes);
    expect(added).toHaveLength(noRoutes.length + 1);
    expect(added.at(-1)).toMatchObject({ file: 'simulated:SearchTransitGatewayRoutes', accountId: ACCOUNT, region: REGION });
    expect(tgwRoutes(added, 'tgw-rtb-2')[0]!.State).toBe('active');
  });

  it('fails for an unknown table or a malformed call, and deletes static routes', () => {
    expect(failure(tgw({ TransitGatewayRouteTableId: 'tgw-rtb-x', DestinationCidrBlock: '10.2.0.0/16', Blackhole: true })).code).toBe('BAD_SNAPSHOT');
    expect(failure(tgw({ TransitGatewayRouteTableId: 'tgw-rtb-1', DestinationCidrBlock: '10.2.0.0/16' })).code).toBe('BAD_USAGE');
    const out = apply(tgw({ TransitGatewayRouteTableId: 'tgw-rtb-1', DestinationCidrBlock: '10.9.0.0/16' }, 'DeleteTransitGatewayRoute'));
    expect(tgwRoutes(out, 'tgw-rtb-1').map((r) => r.DestinationCidrBlock)).toEqual(['10.1.0.0/16']);
    expect(failure(tgw({ TransitGatewayRouteTableId: 'tgw-rtb-1', DestinationCidrBlock: '10.1.0.0/16' }, 'DeleteTransitGatewayRoute')).message).toMatch(
      /^InvalidRoute\.NotFound/,
    );
  });
});

describe('applyApiCall: general', () => {
  it('refuses operations it cannot simulate', () => {
    const e = failure({ operation: 'DeleteVpc', input: { VpcId: 'vpc-a' } });
    expect(e.code).toBe('BAD_USAGE');
    expect(e.message).toBe('cannot simulate DeleteVpc');
    expect(failure({ operation: 'toString', input: {} }).message).toBe('cannot simulate toString');
    expect(SIMULATED_OPERATIONS).toContain('CreateTransitGatewayRoute');
  });

  it('does not alias the call input into the result', () => {
    const call = ingress('sg-0db', { IpProtocol: 'tcp', FromPort: 1, ToPort: 1, IpRanges: [{ CidrIp: '10.0.0.0/8', Description: 'd' }] });
    const out = applyApiCall(snapshot(), call);
    const added = ((group(out, 'sg-0db').IpPermissions as Obj[])[1]!.IpRanges as Obj[])[0]!;
    added.Description = 'changed';
    expect(((call.input.IpPermissions as Obj[])[0]!.IpRanges as Obj[])[0]!.Description).toBe('d');
  });

  it('applies a plan in order', () => {
    const out = applyApiCalls(deepFreeze(snapshot()), [
      routeCall('DeleteRoute', { DestinationCidrBlock: '0.0.0.0/0' }),
      routeCall('CreateRoute', { DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-1' }),
    ]);
    expect((rtb(out).Routes as Obj[])[1]).toEqual({ DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-1', Origin: 'CreateRoute', State: 'active' });
  });

  // Property: for random rules, the input is never mutated, and authorize-then-revoke (or
  // create-then-delete) gives back the original documents.
  const cidr4 = fc.tuple(fc.ipV4(), fc.integer({ min: 8, max: 32 })).map(([a, n]) => `${a}/${n}`);
  const ports = fc.tuple(fc.integer({ min: 0, max: 65535 }), fc.integer({ min: 0, max: 65535 })).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const);

  it('round-trips security group rules without touching the input', () => {
    fc.assert(
      fc.property(fc.constantFrom('sg-0web', 'sg-0db'), fc.constantFrom('Ingress', 'Egress'), fc.constantFrom('tcp', 'udp'), ports, cidr4, (groupId, dir, proto, [from, to], cidr) => {
        if (cidr === '10.0.0.0/16') return; // already allowed on sg-0web
        const docs = deepFreeze(snapshot());
        const p = { IpProtocol: proto, FromPort: from, ToPort: to, IpRanges: [{ CidrIp: cidr }] };
        const added = applyApiCall(docs, deepFreeze({ operation: `AuthorizeSecurityGroup${dir}`, input: { GroupId: groupId, IpPermissions: [p] } }));
        expect(JSON.stringify(docs)).toBe(JSON.stringify(snapshot()));
        const back = applyApiCall(added, { operation: `RevokeSecurityGroup${dir}`, input: { GroupId: groupId, IpPermissions: [p] } });
        expect(back).toEqual(snapshot());
      }),
      { numRuns: 200 },
    );
  });

  it('round-trips NACL entries and routes without touching the input', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 32766 }).filter((n) => n !== 100), fc.boolean(), ports, cidr4, (ruleNumber, egress, [from, to], cidr) => {
        const docs = deepFreeze(snapshot());
        const entry = { NetworkAclId: 'acl-1', RuleNumber: ruleNumber, Protocol: '17', RuleAction: 'deny', Egress: egress, CidrBlock: cidr, PortRange: { From: from, To: to } };
        const withEntry = applyApiCall(docs, { operation: 'CreateNetworkAclEntry', input: entry });
        expect(applyApiCall(withEntry, { operation: 'DeleteNetworkAclEntry', input: { NetworkAclId: 'acl-1', RuleNumber: ruleNumber, Egress: egress } })).toEqual(snapshot());
        if (cidr === '10.0.0.0/16' || cidr === '0.0.0.0/0') return; // destinations already in rtb-1
        const withRoute = applyApiCall(docs, { operation: 'CreateRoute', input: { RouteTableId: 'rtb-1', DestinationCidrBlock: cidr, VpcPeeringConnectionId: 'pcx-1' } });
        expect(applyApiCall(withRoute, { operation: 'DeleteRoute', input: { RouteTableId: 'rtb-1', DestinationCidrBlock: cidr } })).toEqual(snapshot());
        expect(JSON.stringify(docs)).toBe(JSON.stringify(snapshot()));
      }),
      { numRuns: 200 },
    );
  });
});

describe('AcceptVpcPeeringConnection and ReplaceTransitGatewayRoute', () => {
  const pcx = (code: string): RawDoc => ({ file: 'p.json', data: { VpcPeeringConnections: [{ VpcPeeringConnectionId: 'pcx-1', Status: { Code: code },
    RequesterVpcInfo: { VpcId: 'vpc-a', CidrBlock: '10.0.0.0/16' }, AccepterVpcInfo: { VpcId: 'vpc-b', CidrBlock: '10.1.0.0/16' } }] } });

  it('accepting a pending peering makes it active; anything else is refused as AWS does', () => {
    const out = applyApiCall([pcx('pending-acceptance')], { operation: 'AcceptVpcPeeringConnection', input: { VpcPeeringConnectionId: 'pcx-1' } });
    expect((out[0]!.data.VpcPeeringConnections as Array<{ Status: { Code: string } }>)[0]!.Status.Code).toBe('active');
    expect(() => applyApiCall([pcx('active')], { operation: 'AcceptVpcPeeringConnection', input: { VpcPeeringConnectionId: 'pcx-1' } })).toThrow(/InvalidStateTransition/);
    expect(() => applyApiCall([pcx('active')], { operation: 'AcceptVpcPeeringConnection', input: { VpcPeeringConnectionId: 'pcx-2' } })).toThrow(SgwhyError);
  });

  it('replaces an existing transit gateway route and refuses a missing one', () => {
    const docs: RawDoc[] = [{ file: 't.json', data: {
      TransitGatewayAttachments: [{ TransitGatewayAttachmentId: 'tgw-attach-b', TransitGatewayId: 'tgw-1', ResourceType: 'vpc', ResourceId: 'vpc-b' }],
      TransitGatewayStaticRoutes: [{ TransitGatewayRouteTableId: 'tgw-rtb-1', Routes: [{ DestinationCidrBlock: '10.1.0.0/16', Type: 'static', State: 'blackhole' }] }],
    } }];
    const out = applyApiCall(docs, { operation: 'ReplaceTransitGatewayRoute', input: { TransitGatewayRouteTableId: 'tgw-rtb-1', DestinationCidrBlock: '10.1.0.0/16', TransitGatewayAttachmentId: 'tgw-attach-b' } });
    const route = (out[0]!.data.TransitGatewayStaticRoutes as Array<{ Routes: Array<Record<string, unknown>> }>)[0]!.Routes[0]!;
    expect(route).toMatchObject({ State: 'active', TransitGatewayAttachments: [{ TransitGatewayAttachmentId: 'tgw-attach-b', ResourceId: 'vpc-b' }] });
    expect(() => applyApiCall(docs, { operation: 'ReplaceTransitGatewayRoute', input: { TransitGatewayRouteTableId: 'tgw-rtb-1', DestinationCidrBlock: '10.2.0.0/16', TransitGatewayAttachmentId: 'tgw-attach-b' } })).toThrow(/NotFound/);
  });
});

describe('ModifyTransitGatewayVpcAttachment', () => {
  it('adds subnets to the attachment once', () => {
    const docs: RawDoc[] = [{ file: 'a.json', data: { TransitGatewayVpcAttachments: [{ TransitGatewayAttachmentId: 'tgw-attach-1', TransitGatewayId: 'tgw-1', VpcId: 'vpc-a', SubnetIds: ['subnet-a'] }] } }];
    const call = { operation: 'ModifyTransitGatewayVpcAttachment', input: { TransitGatewayAttachmentId: 'tgw-attach-1', AddSubnetIds: ['subnet-b', 'subnet-a'] } };
    const out = applyApiCall(docs, call);
    expect((out[0]!.data.TransitGatewayVpcAttachments as Array<{ SubnetIds: string[] }>)[0]!.SubnetIds).toEqual(['subnet-a', 'subnet-b']);
    expect((docs[0]!.data.TransitGatewayVpcAttachments as Array<{ SubnetIds: string[] }>)[0]!.SubnetIds).toEqual(['subnet-a']);
    expect(() => applyApiCall(docs, { ...call, input: { ...call.input, TransitGatewayAttachmentId: 'tgw-attach-2' } })).toThrow(SgwhyError);
  });
});
