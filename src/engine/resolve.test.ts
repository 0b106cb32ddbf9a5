/** Endpoint resolution: Name tags, instances with several interfaces, addresses AWS serves, addresses no interface can hold. */
import { describe, expect, it } from 'vitest';
import { SgwhyError } from '../errors/errors.js';
import { buildModel } from '../model/build.js';
import { parseQuestion } from '../question/parse.js';
import { ask } from './ask.js';
import { resolveEndpoints } from './resolve.js';

const VPC = 'vpc-0aaaaaaaaaaaaaaaa';
const SUB_A = 'subnet-0aaaaaaaaaaaaaaa1';
const SUB_B = 'subnet-0aaaaaaaaaaaaaaa2';
const SG_OPEN = 'sg-0aaaaaaaaaaaaaaa1';
const SG_CLOSED = 'sg-0aaaaaaaaaaaaaaa2';

const eni = (id: string, ip: string, subnet: string, groups: string[], extra: Record<string, unknown> = {}) => ({
  NetworkInterfaceId: id, SubnetId: subnet, VpcId: VPC, Status: 'in-use', PrivateIpAddress: ip,
  PrivateIpAddresses: [{ Primary: true, PrivateIpAddress: ip }], Groups: groups.map((g) => ({ GroupId: g })), ...extra,
});
const attached = (instance: string, index: number) => ({ Attachment: { InstanceId: instance, DeviceIndex: index, Status: 'attached' } });
const instance = (id: string, name: string, enis: Array<{ id: string; subnet: string; index: number }>) => ({
  InstanceId: id, State: { Name: 'running' }, Tags: [{ Key: 'Name', Value: name }], VpcId: VPC,
  NetworkInterfaces: enis.map((e) => ({ NetworkInterfaceId: e.id, SubnetId: e.subnet, VpcId: VPC, Groups: [], Attachment: { DeviceIndex: e.index } })),
});

function model() {
  return buildModel([{
    file: 'fixture.json',
    accountId: '123456789012',
    region: 'us-east-1',
    data: {
      Vpcs: [{ VpcId: VPC, CidrBlock: '10.0.0.0/16' }],
      Subnets: [
        { SubnetId: SUB_A, VpcId: VPC, CidrBlock: '10.0.1.0/24', AvailabilityZone: 'us-east-1a' },
        { SubnetId: SUB_B, VpcId: VPC, CidrBlock: '10.0.2.0/24', AvailabilityZone: 'us-east-1a' },
      ],
      SecurityGroups: [
        { GroupId: SG_OPEN, GroupName: 'open', VpcId: VPC, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '10.0.0.0/16' }] }], IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] },
        {
          GroupId: SG_CLOSED, GroupName: 'closed', VpcId: VPC, IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
          IpPermissions: [
            { IpProtocol: 'tcp', FromPort: 8443, ToPort: 8443, IpRanges: [{ CidrIp: '10.0.0.0/16' }] },
            { IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '10.0.0.0/16' }] },
            { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '192.168.0.0/16' }, { CidrIp: '10.9.0.0/16' }, { CidrIp: '10.0.3.0/24' }] },
          ],
        },
      ],
      NetworkAcls: [{
        NetworkAclId: 'acl-0aaaaaaaaaaaaaaa1', VpcId: VPC, IsDefault: true,
        Associations: [{ SubnetId: SUB_A }, { SubnetId: SUB_B }],
        Entries: [
          { RuleNumber: 100, Protocol: '-1', RuleAction: 'allow', Egress: false, CidrBlock: '0.0.0.0/0' },
          { RuleNumber: 100, Protocol: '-1', RuleAction: 'allow', Egress: true, CidrBlock: '0.0.0.0/0' },
        ],
      }],
      RouteTables: [{ RouteTableId: 'rtb-0aaaaaaaaaaaaaaa1', VpcId: VPC, Associations: [{ Main: true }], Routes: [{ DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', State: 'active', Origin: 'CreateRouteTable' }] }],
      NetworkInterfaces: [
        eni('eni-0aaaaaaaaaaaaaaa1', '10.0.2.10', SUB_B, [SG_OPEN], { ...attached('i-0aaaaaaaaaaaaaaa1', 0), Ipv6Addresses: [{ Ipv6Address: '2600:1f18::10' }] }),
        eni('eni-0aaaaaaaaaaaaaaa2', '10.0.1.10', SUB_A, [SG_OPEN], attached('i-0aaaaaaaaaaaaaaa2', 0)),
        eni('eni-0aaaaaaaaaaaaaaa3', '10.0.2.20', SUB_B, [SG_CLOSED], attached('i-0aaaaaaaaaaaaaaa2', 1)),
        eni('eni-0aaaaaaaaaaaaaaa4', '10.0.1.30', SUB_A, [SG_OPEN], attached('i-0aaaaaaaaaaaaaaa3', 0)),
        eni('eni-0aaaaaaaaaaaaaaa5', '10.0.1.31', SUB_A, [SG_OPEN], attached('i-0aaaaaaaaaaaaaaa4', 0)),
        eni('eni-0aaaaaaaaaaaaaaa6', '10.0.1.40', SUB_A, []),
      ],
      Reservations: [{
        Instances: [
          { ...instance('i-0aaaaaaaaaaaaaaa1', 'web-1', [{ id: 'eni-0aaaaaaaaaaaaaaa1', subnet: SUB_B, index: 0 }]),
            MetadataOptions: { HttpEndpoint: 'enabled', HttpTokens: 'required', HttpPutResponseHopLimit: 1, HttpProtocolIpv6: 'disabled' } },
          instance('i-0aaaaaaaaaaaaaaa2', 'App-1', [{ id: 'eni-0aaaaaaaaaaaaaaa2', subnet: SUB_A, index: 0 }, { id: 'eni-0aaaaaaaaaaaaaaa3', subnet: SUB_B, index: 1 }]),
          instance('i-0aaaaaaaaaaaaaaa3', 'worker', [{ id: 'eni-0aaaaaaaaaaaaaaa4', subnet: SUB_A, index: 0 }]),
          instance('i-0aaaaaaaaaaaaaaa4', 'worker', [{ id: 'eni-0aaaaaaaaaaaaaaa5', subnet: SUB_A, index: 0 }]),
        ],
      }],
    },
  }]);
}

function errorOf(f: () => unknown): SgwhyError {
  try {
    f();
  } catch (e) {
    if (e instanceof SgwhyError) return e;
    throw e;
  }
  throw new Error('expected an SgwhyError');
}

describe('resolveEndpoints', () => {
  const m = model();

  it('resolves Name tags case-insensitively, an instance to every interface as the destination', () => {
    const r = resolveEndpoints(m, { kind: 'name', value: 'web-1' }, { kind: 'name', value: 'app-1' });
    expect(r.destination.mode).toBe('each');
    expect(r.destination.candidates.map((c) => c.label)).toEqual([
      expect.stringContaining('eth0 eni-0aaaaaaaaaaaaaaa2 10.0.1.10'), expect.stringContaining('eth1 eni-0aaaaaaaaaaaaaaa3 10.0.2.20'),
    ]);
    expect(r.pairs).toHaveLength(2);
  });

  it('sends from a several-interface source through the interface whose subnet holds the destination, and says why', () => {
    const r = resolveEndpoints(m, { kind: 'instance', value: 'i-0aaaaaaaaaaaaaaa2' }, { kind: 'ip', value: '10.0.2.10' });
    expect(r.pairs).toHaveLength(1);
    const src = r.pairs[0]!.src.endpoint;
    expect(src.kind === 'interface' && src.eni.id).toBe('eni-0aaaaaaaaaaaaaaa3');
    expect(r.pairs[0]!.why).toMatch(/connected route/);
  });

  it('uses the primary interface of a several-interface source for other destinations, and says it is the default route', () => {
    const r = resolveEndpoints(m, { kind: 'instance', value: 'i-0aaaaaaaaaaaaaaa2' }, { kind: 'ip', value: '8.8.8.8' });
    const src = r.pairs[0]!.src.endpoint;
    expect(src.kind === 'interface' && src.eni.id).toBe('eni-0aaaaaaaaaaaaaaa2');
    expect(r.pairs[0]!.why).toMatch(/default route, on the primary interface eth0/);
  });

  it('lists the candidates when a Name tag is ambiguous, and close names when it matches nothing', () => {
    const amb = errorOf(() => resolveEndpoints(m, { kind: 'name', value: 'worker' }, { kind: 'ip', value: '10.0.1.10' }));
    expect(amb.code).toBe('AMBIGUOUS_ENDPOINT');
    expect(amb.hints.join('\n')).toContain('i-0aaaaaaaaaaaaaaa3');
    expect(amb.hints.join('\n')).toContain('i-0aaaaaaaaaaaaaaa4');
    const none = errorOf(() => resolveEndpoints(m, { kind: 'name', value: 'web' }, { kind: 'ip', value: '10.0.1.10' }));
    expect(none.code).toBe('ENDPOINT_NOT_FOUND');
    expect(none.message).toContain('Close: web-1');
  });

  it('refuses an AWS-served address as the source', () => {
    expect(errorOf(() => resolveEndpoints(m, { kind: 'ip', value: '169.254.169.254' }, { kind: 'ip', value: '10.0.1.10' })).code).toBe('BAD_QUESTION');
  });

  it('knows the resolver at the VPC base + 2 and the link-local services', () => {
    for (const [ip, id] of [['10.0.0.2', 'dns'], ['169.254.169.253', 'dns'], ['169.254.169.123', 'time'], ['169.254.169.254', 'metadata']] as const) {
      const e = resolveEndpoints(m, { kind: 'ip', value: '10.0.2.10' }, { kind: 'ip', value: ip }).pairs[0]!.dst.endpoint;
      expect(e.kind === 'aws-service' && e.service.id).toBe(id);
    }
  });
});

describe('ask: several interfaces, AWS-served addresses, impossible addresses', () => {
  const m = model();

  it('answers each interface of a destination instance, never the primary alone', () => {
    const a = ask(m, parseQuestion("why can't web-1 reach app-1:443"));
    expect(a.verdict).toBe('blocked');
    expect(a.parts?.map((p) => [p.networkInterfaceId, p.verdict])).toEqual([['eni-0aaaaaaaaaaaaaaa2', 'reachable'], ['eni-0aaaaaaaaaaaaaaa3', 'blocked']]);
    expect(a.blockers.map((b) => b.networkInterfaceId)).toEqual(['eni-0aaaaaaaaaaaaaaa3']);
    expect(a.summary).toMatch(/has 2 interfaces/);
  });

  it('gives the few most useful near misses: the closest port, the closest source range and a group that would allow it, one each', () => {
    const a = ask(m, parseQuestion('10.0.2.10 -> 10.0.2.20:443'));
    expect(a.nearMisses.map((n) => n.kind)).toEqual(['WRONG_PORT', 'WRONG_PEER', 'GROUP_NOT_ATTACHED']);
    expect(a.nearMisses[0]!.message).toContain('tcp/80 from 10.0.0.0/16');
    expect(a.nearMisses[1]!.message).toContain('10.0.3.0/24');
  });

  it('propose no ACL or group change for the metadata service, and give host checks instead', () => {
    const a = ask(m, parseQuestion('10.0.2.10 -> 169.254.169.254:80'));
    expect(a.verdict).toBe('reachable');
    expect(a.fixes).toEqual([]);
    expect(a.hops.map((h) => h.step)).toEqual(['SOURCE_ENI', 'AWS_SERVICE']);
    expect(a.hostChecks.map((h) => h.command).join('\n')).toContain('latest/api/token');
  });

  it('the IPv6 metadata endpoint answers only when the instance turned it on', () => {
    const a = ask(m, parseQuestion('2600:1f18::10 -> [fd00:ec2::254]:80'));
    expect(a.verdict).toBe('blocked');
    expect(a.blockers[0]).toMatchObject({ code: 'AWS_SERVICE', resourceId: 'i-0aaaaaaaaaaaaaaa1' });
    expect(a.blockers[0]!.explanation).toContain('--http-protocol-ipv6 enabled');
    expect(a.fixes).toEqual([]);
  });

  it('warns about the hop limit for containers when it is 1', () => {
    const a = ask(m, parseQuestion('10.0.2.10 -> 169.254.169.254:80'));
    expect(a.hostChecks.map((h) => h.what).join('\n')).toContain('the hop limit is 1, so containers time out');
  });

  it('says a port the service does not answer on is the problem, not the network', () => {
    const a = ask(m, parseQuestion('10.0.2.10 -> 169.254.169.254:443'));
    expect(a.verdict).toBe('blocked');
    expect(a.blockers[0]!.code).toBe('AWS_SERVICE');
    expect(a.blockers[0]!.noFixReason).toMatch(/tcp\/80 only/);
  });

  it('blocks an address in no subnet with the nearest addresses in use', () => {
    const a = ask(m, parseQuestion('10.0.2.10 -> 10.0.3.10:443'));
    expect(a.verdict).toBe('blocked');
    expect(a.blockers.at(-1)!.code).toBe('NO_INTERFACE_POSSIBLE');
    expect(a.blockers.at(-1)!.explanation).toMatch(/did you mean 10\.0\.2\.(10|20)\?/);
  });

  it('keeps "unknown" for a free address of a subnet, with a hint', () => {
    const a = ask(m, parseQuestion('10.0.2.10 -> 10.0.1.99:443'));
    expect(a.verdict).toBe('unknown');
    expect(a.unknowns[0]!.message).toContain('did you mean');
  });

  it('does not call an address "in no subnet" when the subnets came from a targeted live collection', () => {
    const live = model();
    live.partialKeys = new Set(['Subnets']);
    expect(ask(live, parseQuestion('10.0.2.10 -> 10.0.3.10:443')).verdict).toBe('unknown');
  });

  it('says which way was checked when the wording decided it', () => {
    const a = ask(m, parseQuestion('10.0.1.10:22 is not reachable from 10.0.2.10'));
    expect(a.summary.startsWith('Checked 10.0.2.10 → 10.0.1.10')).toBe(true);
    expect(a.interpretation?.[0]).toContain('"from"');
  });

  it('never says "no rule in no security groups": an interface without groups whose manager is unknown is undecided', () => {
    const a = ask(m, parseQuestion('10.0.2.10 -> 10.0.1.40:443'));
    expect(a.verdict).toBe('unknown');
    expect(a.blockers).toEqual([]);
    expect(a.unknowns[0]!.message).toContain('carries no security groups');
  });

  it('answers a port range per piece the rules decide alike', () => {
    const a = ask(m, parseQuestion('10.0.2.10 -> 10.0.1.10 ports 8080-8090'));
    expect(a.verdict).toBe('reachable');
    expect(a.question.portTo).toBe(8090);
  });
});
