/**
 * Field checks on raw describe-* objects (src/model/validate.ts) and what the CLI does with a bad
 * object: exit 64 naming the file and JSON path, or with --skip-bad-files an `unknown` layer
 * naming the object — never a default that widens access.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main, type Io } from '../../src/cli/main.js';
import { checkItem, isAwsId } from '../../src/model/validate.js';
import { SCENARIO_ROOT } from '../support/scenarios.js';

type Obj = Record<string, any>;

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { out: (s) => { out += s; }, err: (s) => { err += s; } };
  return { code: await main(args, io), out, err };
}

const tmp = mkdtempSync(join(tmpdir(), 'sgwhy-validate-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const FILES = 'accounts/123456789012/us-east-1';

/** A copy of a scenario's snapshot with one file edited. */
function edited(scenario: string, file: string, edit: (data: Obj) => void): string {
  const dir = mkdtempSync(join(tmp, `${scenario}-`));
  cpSync(join(SCENARIO_ROOT, scenario, 'snapshot'), dir, { recursive: true });
  const p = join(dir, FILES, file);
  const data = JSON.parse(readFileSync(p, 'utf8')) as Obj;
  edit(data);
  writeFileSync(p, JSON.stringify(data));
  return dir;
}

const question = (scenario: string) => (JSON.parse(readFileSync(join(SCENARIO_ROOT, scenario, 'scenario.json'), 'utf8')) as { question: string }).question;

/** The sg-wrong-port destination group's tcp/8080 rule (the question asks 8443). */
function tcpRule(data: Obj): Obj {
  for (const g of data.SecurityGroups) for (const p of g.IpPermissions) if (p.IpProtocol === 'tcp' && p.FromPort === 8080) return p;
  throw new Error('no tcp/8080 rule in sg-wrong-port');
}

describe('security group rules', () => {
  const cases: Array<[string, (p: Obj) => void, string]> = [
    ['FromPort missing', (p) => delete p.FromPort, 'missing FromPort'],
    ['ToPort missing', (p) => delete p.ToPort, 'missing ToPort'],
    ['FromPort garbage', (p) => { p.FromPort = 'all'; }, 'FromPort must be a whole number from 0 to 65535'],
    ['ToPort 70000', (p) => { p.ToPort = 70000; }, 'ToPort must be a whole number from 0 to 65535, found 70000'],
    ['FromPort > ToPort', (p) => { p.FromPort = 9000; p.ToPort = 8000; }, 'port range 9000-8000 is reversed'],
    ['FromPort -1 on tcp', (p) => { p.FromPort = -1; p.ToPort = -1; }, 'FromPort must be a whole number from 0 to 65535, found -1'],
    ['protocol "all"', (p) => { p.IpProtocol = 'all'; }, 'unknown protocol "all"'],
    ['protocol as a number', (p) => { p.IpProtocol = 6; }, 'IpProtocol must be a string'],
  ];
  for (const [what, edit, message] of cases) {
    it(`${what}: exit 64 naming file and path; --skip-bad-files: unknown, never reachable`, async () => {
      const dir = edited('sg-wrong-port', 'describe-security-groups.json', (d) => edit(tcpRule(d)));
      const r = await run(['ask', question('sg-wrong-port'), '--snapshot', dir]);
      expect(r.code).toBe(64);
      expect(r.err).toMatch(new RegExp(`${FILES}/describe-security-groups\\.json: SecurityGroups\\[\\d+\\]\\.IpPermissions\\[\\d+\\]`));
      expect(r.err).toContain(message);
      const s = await run(['ask', question('sg-wrong-port'), '--snapshot', dir, '--skip-bad-files', '--format', 'json']);
      expect(s.code).toBe(2);
      const answer = JSON.parse(s.out);
      expect(answer.verdict).toBe('unknown');
      expect(answer.warnings.join('\n')).toMatch(/skipped .*describe-security-groups\.json: SecurityGroups\[\d+\] \(sg-[0-9a-f]+\), so its layer is unknown/);
      expect(answer.fixes).toEqual([]);
    });
  }

  it('a group without IpPermissions or IpPermissionsEgress is not "no rules"', () => {
    const problems = checkItem('SecurityGroups', { GroupId: 'sg-1', VpcId: 'vpc-1' }, 'SecurityGroups[0]');
    expect(problems.map((p) => `${p.pointer}: ${p.message}`)).toEqual(['SecurityGroups[0]: missing IpPermissions', 'SecurityGroups[0]: missing IpPermissionsEgress']);
  });

  it('AWS\'s own "all": protocol -1 without ports, icmp -1/-1, icmp type 8 any code', () => {
    const ok = { GroupId: 'sg-1', IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      IpPermissions: [{ IpProtocol: 'icmp', FromPort: -1, ToPort: -1, IpRanges: [] }, { IpProtocol: 'icmp', FromPort: 8, ToPort: -1, UserIdGroupPairs: [{ GroupId: 'sg-2', UserId: '123456789012' }] },
        { IpProtocol: '50', IpRanges: [{ CidrIp: '10.0.0.0/8' }] }, { IpProtocol: 'tcp', FromPort: 0, ToPort: 65535, Ipv6Ranges: [{ CidrIpv6: '::/0' }] }] };
    expect(checkItem('SecurityGroups', ok, 'SecurityGroups[0]')).toEqual([]);
    const bad = { GroupId: 'sg-1', IpPermissionsEgress: [], IpPermissions: [{ IpProtocol: 'icmp', FromPort: -1, ToPort: 3 }, { IpProtocol: 'tcp', FromPort: 1, ToPort: 2, IpRanges: [{ CidrIp: '::/0' }, { CidrIp: '10.0.0.0/33' }] }] };
    expect(checkItem('SecurityGroups', bad, 'SecurityGroups[0]').map((p) => p.message)).toEqual([
      'ToPort must be -1 when FromPort is -1 (all ICMP types)', 'invalid CIDR block "::/0": CidrIp holds an IPv4 block', 'invalid CIDR block "10.0.0.0/33"']);
  });
});

describe('network ACL entries', () => {
  /** The custom ACL's inbound tcp/443 allow of nacl-deny-before-allow (behind the #90 deny). */
  const denyEntry = (d: Obj): Obj => d.NetworkAcls.flatMap((a: Obj) => a.Entries).find((e: Obj) => e.Protocol === '6');
  const cases: Array<[string, (e: Obj) => void, string]> = [
    ['PortRange missing on tcp', (e) => delete e.PortRange, 'missing PortRange (required for tcp and udp entries)'],
    ['Egress missing', (e) => delete e.Egress, 'missing Egress'],
    ['RuleNumber garbage', (e) => { e.RuleNumber = 'first'; }, 'RuleNumber must be a whole number from 1 to 32768'],
    ['RuleAction garbage', (e) => { e.RuleAction = 'DENY!'; }, 'RuleAction must be "allow" or "deny"'],
    ['Protocol missing', (e) => delete e.Protocol, 'missing Protocol'],
  ];
  for (const [what, edit, message] of cases) {
    it(`${what}: refused, or unknown with --skip-bad-files`, async () => {
      const dir = edited('nacl-deny-before-allow', 'describe-network-acls.json', (d) => edit(denyEntry(d)));
      const r = await run(['ask', question('nacl-deny-before-allow'), '--snapshot', dir]);
      expect(r.code).toBe(64);
      expect(r.err).toMatch(/describe-network-acls\.json: NetworkAcls\[\d+\]\.Entries\[\d+\]/);
      expect(r.err).toContain(message);
      const s = await run(['ask', question('nacl-deny-before-allow'), '--snapshot', dir, '--skip-bad-files', '--format', 'json']);
      const answer = JSON.parse(s.out);
      expect(answer.verdict).not.toBe('reachable');
      expect(answer.unknowns.some((u: Obj) => u.layer === 'network-acl')).toBe(true);
      expect(answer.warnings.join('\n')).toMatch(/NetworkAcls\[\d+\] \(acl-[0-9a-f]+\), so its layer is unknown/);
    });
  }

  it('icmp entries need IcmpTypeCode; protocol -1 needs no port range; the IPv6 "*" entry is 32768', () => {
    const base = { NetworkAclId: 'acl-1', VpcId: 'vpc-1', Associations: [{ SubnetId: 'subnet-1' }] };
    expect(checkItem('NetworkAcls', { ...base, Entries: [{ RuleNumber: 100, Egress: false, Protocol: '1', RuleAction: 'allow', CidrBlock: '0.0.0.0/0' }] }, 'N')
      .map((p) => p.message)).toEqual(['missing IcmpTypeCode (required for icmp entries)']);
    expect(checkItem('NetworkAcls', { ...base, Entries: [{ RuleNumber: 32768, Egress: true, Protocol: '-1', RuleAction: 'deny', Ipv6CidrBlock: '::/0' }] }, 'N')).toEqual([]);
    expect(checkItem('NetworkAcls', { ...base, Associations: [{}], Entries: [] }, 'N').map((p) => `${p.pointer}: ${p.message}`)).toEqual(['N.Associations[0]: missing SubnetId']);
  });
});

describe('routes and interfaces', () => {
  it('a route without State, without a target, or with two destinations is a problem', () => {
    const rt = (routes: Obj[]) => checkItem('RouteTables', { RouteTableId: 'rtb-1', VpcId: 'vpc-1', Associations: [{ Main: true }], Routes: routes }, 'RouteTables[0]')
      .map((p) => `${p.pointer}: ${p.message}`);
    expect(rt([{ DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local' }])).toEqual(['RouteTables[0].Routes[0]: missing State']);
    expect(rt([{ DestinationCidrBlock: '10.0.0.0/16', State: 'active' }])).toEqual(['RouteTables[0].Routes[0]: route has no target']);
    expect(rt([{ DestinationCidrBlock: '10.0.0.0/16', DestinationPrefixListId: 'pl-1', State: 'active', GatewayId: 'local' }]))
      .toEqual(['RouteTables[0].Routes[0]: more than one destination (DestinationCidrBlock, DestinationPrefixListId)']);
    expect(rt([{ DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'igw-1', State: 'active' }])).toEqual(['RouteTables[0].Routes[0].NatGatewayId: NatGatewayId "igw-1" is not a nat- id']);
    expect(rt([{ DestinationCidrBlock: '0.0.0.0/0', GatewayId: "igw-1'; rm -rf ~", State: 'active' }])[0]).toContain('is not an AWS id');
  });

  it('a route table with a bad route, --skip-bad-files: its subnets are unknown, never the main table', async () => {
    const dir = edited('route-blackhole', 'describe-route-tables.json', (d) => {
      for (const t of d.RouteTables) for (const r of t.Routes) if (r.State === 'blackhole') delete r.State;
    });
    expect((await run(['ask', question('route-blackhole'), '--snapshot', dir])).code).toBe(64);
    const s = await run(['ask', question('route-blackhole'), '--snapshot', dir, '--skip-bad-files', '--format', 'json']);
    const answer = JSON.parse(s.out);
    expect(answer.verdict).not.toBe('reachable');
    expect(answer.unknowns.some((u: Obj) => u.layer === 'route-table')).toBe(true);
  });

  it('an interface without Groups: refused, or its address is owned by no interface (unknown)', async () => {
    const dir = edited('sg-wrong-port', 'describe-network-interfaces.json', (d) => {
      for (const n of d.NetworkInterfaces) if (n.PrivateIpAddress === '10.0.1.50') delete n.Groups;
    });
    const r = await run(['ask', question('sg-wrong-port'), '--snapshot', dir]);
    expect(r.code).toBe(64);
    expect(r.err).toMatch(/describe-network-interfaces\.json: NetworkInterfaces\[\d+\]: missing Groups/);
  });

  it('ids look like AWS ids (shell-, terminal- and Slack-inert alphabet)', () => {
    expect(isAwsId('sg', 'sg-0123456789abcdef0')).toBe(true);
    expect(isAwsId('tgw-attach', 'tgw-attach-0a1b')).toBe(true);
    for (const bad of ['sg-', 'sg-ABC', 'sg-1 2', "sg-1'", 'sg-1;id', 'sg-1\n', 'eni-1', 'sg-1\u202e', `sg-${'a'.repeat(65)}`, 7]) expect(isAwsId('sg', bad)).toBe(false);
  });
});
