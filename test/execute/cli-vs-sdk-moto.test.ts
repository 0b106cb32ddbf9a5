/**
 * Every kind of fix the engine produces, run both ways against moto_server: the printed AWS CLI
 * command (the real AWS CLI) and the structured call (the SDK, through the execution writer and
 * its allow-list guard). Both must leave AWS in the same state (compared with describe output),
 * and the recorded inverse — as a structured call and as a CLI command — must restore the state
 * before. Where moto lacks an operation, the test says so.
 */
import { execFile } from 'node:child_process';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import {
  AttachInternetGatewayCommand, CreateInternetGatewayCommand, DescribeInternetGatewaysCommand, CreateNetworkAclCommand, CreateNetworkAclEntryCommand, CreateRouteCommand,
  CreateRouteTableCommand, CreateSecurityGroupCommand, CreateSubnetCommand, CreateTransitGatewayCommand, CreateTransitGatewayRouteCommand,
  CreateTransitGatewayRouteTableCommand, CreateTransitGatewayVpcAttachmentCommand, CreateVpcCommand, CreateVpcPeeringConnectionCommand,
  CreateNetworkInterfaceCommand, DescribeNetworkAclsCommand, DescribeNetworkInterfacesCommand, DescribeRouteTablesCommand, DescribeSecurityGroupsCommand,
  DescribeTransitGatewayVpcAttachmentsCommand, DescribeVpcPeeringConnectionsCommand, GetTransitGatewayRouteTablePropagationsCommand, CreateVpnGatewayCommand, SearchTransitGatewayRoutesCommand, type EC2Client,
} from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsSession } from '../../src/aws/clients.js';
import { collectFull } from '../../src/aws/collect-full.js';
import { motoEnv, startMoto, useMotoEnv, type Moto } from '../../src/bench/moto.js';
import { SdkEc2Writer, type WriteTarget } from '../../src/execute/writer.js';
import { commandFor, inverseOf } from '../../src/fix/inverse.js';
import type { ApiCall } from '../../src/fix/simulate.js';
import { ACCOUNT, REGION, setupClient, TARGET } from './support.js';

const run = promisify(execFile);
let moto: Moto;
let ec2: EC2Client;
let session: AwsSession;
let writer: SdkEc2Writer;
const saved = { ...process.env };
const target: WriteTarget = { accountId: ACCOUNT, region: REGION, executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/sgwhy-execution` };

beforeAll(async () => {
  moto = await startMoto();
  useMotoEnv(moto.endpoint);
  ec2 = setupClient();
  session = new AwsSession();
  writer = new SdkEc2Writer(session, { asker: 'cli-vs-sdk' });
}, 30_000);
afterAll(async () => {
  writer.destroy();
  session.destroy();
  ec2.destroy();
  await moto.stop();
  process.env = saved;
});

/** The real folder of `aws` when PATH reaches it through a pyenv shim (the shim costs two processes per call). */
let awsDir: Promise<string | undefined> | undefined;
const realAwsDir = () => (awsDir ??= run('pyenv', ['which', 'aws'], { timeout: 10_000 }).then((r) => dirname(r.stdout.trim()), () => undefined));

async function cli(command: string): Promise<void> {
  const env = motoEnv(moto.endpoint, REGION);
  const dir = await realAwsDir();
  if (dir) env.PATH = `${dir}:${env.PATH ?? ''}`;
  await run('bash', ['-c', command], { env, timeout: 60_000 });
}

/** Deterministic JSON: object keys sorted, arrays sorted by their JSON (describe order is not part of the state). */
function norm(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(norm).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.keys(v).sort().filter((k) => k !== 'SecurityGroupRuleId').map((k) => [k, norm((v as Record<string, unknown>)[k])]));
  return v;
}

interface Case {
  call: ApiCall;
  state: () => Promise<unknown>;
  /** The inverse cannot be run (and why). */
  noInverse?: string;
  /** moto cannot run the inverse although AWS can (and why). */
  motoLacksInverse?: string;
  /** The inverse needs the data from before (previous groups, the replaced route). */
  needsDocs?: boolean;
}

const vpc = async (cidr: string) => (await ec2.send(new CreateVpcCommand({ CidrBlock: cidr }))).Vpc!.VpcId!;
const subnet = async (vpcId: string, cidr: string) => (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: cidr, AvailabilityZone: 'us-east-1a' }))).Subnet!.SubnetId!;
const group = async (vpcId: string, name: string) => (await ec2.send(new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: name, Description: name }))).GroupId!;
const sgState = (id: string) => async () => { const g = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [id] }))).SecurityGroups![0]!; return norm({ in: g.IpPermissions, out: g.IpPermissionsEgress }); };
const aclState = (id: string) => async () => norm((await ec2.send(new DescribeNetworkAclsCommand({ NetworkAclIds: [id] }))).NetworkAcls![0]!.Entries);
const rtbState = (id: string) => async () => norm((await ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [id] }))).RouteTables![0]!.Routes);
const tgwRtbState = (id: string) => async () =>
  norm((await ec2.send(new SearchTransitGatewayRoutesCommand({ TransitGatewayRouteTableId: id, Filters: [{ Name: 'type', Values: ['static'] }] }))).Routes);

async function peering(): Promise<{ a: string; b: string; pcx: string }> {
  const a = await vpc('10.0.0.0/16');
  const b = await vpc('10.1.0.0/16');
  const pcx = (await ec2.send(new CreateVpcPeeringConnectionCommand({ VpcId: a, PeerVpcId: b }))).VpcPeeringConnection!.VpcPeeringConnectionId!;
  return { a, b, pcx };
}

async function tgw(): Promise<{ rtb: string; attA: string; attB: string; subnetA2: string }> {
  const a = await vpc('10.0.0.0/16');
  const b = await vpc('10.1.0.0/16');
  const sa = await subnet(a, '10.0.1.0/24');
  const subnetA2 = await subnet(a, '10.0.2.0/24');
  const sb = await subnet(b, '10.1.1.0/24');
  const t = (await ec2.send(new CreateTransitGatewayCommand({}))).TransitGateway!.TransitGatewayId!;
  const attA = (await ec2.send(new CreateTransitGatewayVpcAttachmentCommand({ TransitGatewayId: t, VpcId: a, SubnetIds: [sa] }))).TransitGatewayVpcAttachment!.TransitGatewayAttachmentId!;
  const attB = (await ec2.send(new CreateTransitGatewayVpcAttachmentCommand({ TransitGatewayId: t, VpcId: b, SubnetIds: [sb] }))).TransitGatewayVpcAttachment!.TransitGatewayAttachmentId!;
  const rtb = (await ec2.send(new CreateTransitGatewayRouteTableCommand({ TransitGatewayId: t }))).TransitGatewayRouteTable!.TransitGatewayRouteTableId!;
  return { rtb, attA, attB, subnetA2 };
}

const CASES: Record<string, () => Promise<Case>> = {
  'AuthorizeSecurityGroupIngress (address, with description)': async () => {
    const sg = await group(await vpc('10.0.0.0/16'), 'dst');
    return { call: { operation: 'AuthorizeSecurityGroupIngress', input: { GroupId: sg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.2.100/32', Description: "sgwhy 10.0.2.100 to 10.0.1.50 tcp/443 (it's ok)" }] }] } }, state: sgState(sg) };
  },
  'AuthorizeSecurityGroupIngress (group reference)': async () => {
    const v = await vpc('10.0.0.0/16');
    const src = await group(v, 'src');
    const sg = await group(v, 'dst');
    return { call: { operation: 'AuthorizeSecurityGroupIngress', input: { GroupId: sg, IpPermissions: [{ IpProtocol: 'udp', FromPort: 53, ToPort: 53, UserIdGroupPairs: [{ GroupId: src, Description: 'sgwhy dns' }] }] } }, state: sgState(sg) };
  },
  'AuthorizeSecurityGroupEgress (IPv6)': async () => {
    const sg = await group(await vpc('10.0.0.0/16'), 'src');
    return { call: { operation: 'AuthorizeSecurityGroupEgress', input: { GroupId: sg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Ipv6Ranges: [{ CidrIpv6: '2001:db8::5/128', Description: 'sgwhy https' }] }] } }, state: sgState(sg),
      motoLacksInverse: 'moto 5.2 answers RevokeSecurityGroupEgress/Ingress of an Ipv6Ranges rule with success but keeps the rule' };
  },
  'AuthorizeSecurityGroupEgress (icmp echo)': async () => {
    const sg = await group(await vpc('10.0.0.0/16'), 'src');
    return { call: { operation: 'AuthorizeSecurityGroupEgress', input: { GroupId: sg, IpPermissions: [{ IpProtocol: 'icmp', FromPort: 8, ToPort: -1, IpRanges: [{ CidrIp: '10.0.1.50/32', Description: 'sgwhy ping' }] }] } }, state: sgState(sg) };
  },
  'CreateNetworkAclEntry (return path, port range)': async () => {
    const acl = (await ec2.send(new CreateNetworkAclCommand({ VpcId: await vpc('10.0.0.0/16') }))).NetworkAcl!.NetworkAclId!;
    await ec2.send(new CreateNetworkAclEntryCommand({ NetworkAclId: acl, RuleNumber: 100, Protocol: '-1', RuleAction: 'deny', Egress: true, CidrBlock: '0.0.0.0/0' }));
    return { call: { operation: 'CreateNetworkAclEntry', input: { NetworkAclId: acl, RuleNumber: 90, Protocol: '6', RuleAction: 'allow', Egress: true, CidrBlock: '10.0.2.100/32', PortRange: { From: 1024, To: 65535 } } }, state: aclState(acl) };
  },
  'CreateNetworkAclEntry (icmp, inbound)': async () => {
    const acl = (await ec2.send(new CreateNetworkAclCommand({ VpcId: await vpc('10.0.0.0/16') }))).NetworkAcl!.NetworkAclId!;
    return { call: { operation: 'CreateNetworkAclEntry', input: { NetworkAclId: acl, RuleNumber: 10, Protocol: '1', RuleAction: 'allow', Egress: false, CidrBlock: '10.0.2.100/32', IcmpTypeCode: { Type: 8, Code: -1 } } }, state: aclState(acl) };
  },
  'CreateRoute (through a peering)': async () => {
    const p = await peering();
    const rtb = (await ec2.send(new CreateRouteTableCommand({ VpcId: p.a }))).RouteTable!.RouteTableId!;
    return { call: { operation: 'CreateRoute', input: { RouteTableId: rtb, DestinationCidrBlock: '10.1.0.0/16', VpcPeeringConnectionId: p.pcx } }, state: rtbState(rtb) };
  },
  'ReplaceRoute (internet gateway → peering)': async () => {
    const p = await peering();
    const igw = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: p.a }));
    const rtb = (await ec2.send(new CreateRouteTableCommand({ VpcId: p.a }))).RouteTable!.RouteTableId!;
    await ec2.send(new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '10.1.0.0/16', GatewayId: igw }));
    return { call: { operation: 'ReplaceRoute', input: { RouteTableId: rtb, DestinationCidrBlock: '10.1.0.0/16', VpcPeeringConnectionId: p.pcx } }, state: rtbState(rtb), needsDocs: true };
  },
  'ModifyNetworkInterfaceAttribute (attach a group, keep the others)': async () => {
    const v = await vpc('10.0.0.0/16');
    const s = await subnet(v, '10.0.1.0/24');
    const g1 = await group(v, 'app');
    const g2 = await group(v, 'https');
    const eni = (await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: s, Groups: [g1] }))).NetworkInterface!.NetworkInterfaceId!;
    return { call: { operation: 'ModifyNetworkInterfaceAttribute', input: { NetworkInterfaceId: eni, Groups: [g1, g2] } },
      state: async () => norm((await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eni] }))).NetworkInterfaces![0]!.Groups), needsDocs: true };
  },
  'CreateTransitGatewayRoute': async () => {
    const t = await tgw();
    return { call: { operation: 'CreateTransitGatewayRoute', input: { TransitGatewayRouteTableId: t.rtb, DestinationCidrBlock: '10.1.0.0/16', TransitGatewayAttachmentId: t.attB } }, state: tgwRtbState(t.rtb) };
  },
  'ModifyTransitGatewayVpcAttachment (a subnet in the source AZ)': async () => {
    const t = await tgw();
    return { call: { operation: 'ModifyTransitGatewayVpcAttachment', input: { TransitGatewayAttachmentId: t.attA, AddSubnetIds: [t.subnetA2] } },
      state: async () => norm((await ec2.send(new DescribeTransitGatewayVpcAttachmentsCommand({ TransitGatewayAttachmentIds: [t.attA] }))).TransitGatewayVpcAttachments![0]!.SubnetIds) };
  },
  'EnableTransitGatewayRouteTablePropagation': async () => {
    const t = await tgw();
    return { call: { operation: 'EnableTransitGatewayRouteTablePropagation', input: { TransitGatewayRouteTableId: t.rtb, TransitGatewayAttachmentId: t.attB } },
      state: async () => norm((await ec2.send(new GetTransitGatewayRouteTablePropagationsCommand({ TransitGatewayRouteTableId: t.rtb }))).TransitGatewayRouteTablePropagations) };
  },
  'AttachInternetGateway (second step of "create an internet gateway and attach it")': async () => {
    const v = await vpc('10.0.0.0/16');
    const igw = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    return { call: { operation: 'AttachInternetGateway', input: { InternetGatewayId: igw, VpcId: v } },
      state: async () => norm((await ec2.send(new DescribeInternetGatewaysCommand({ InternetGatewayIds: [igw] }))).InternetGateways![0]!.Attachments ?? []) };
  },
  'AcceptVpcPeeringConnection': async () => {
    const p = await peering();
    return { call: { operation: 'AcceptVpcPeeringConnection', input: { VpcPeeringConnectionId: p.pcx } },
      state: async () => (await ec2.send(new DescribeVpcPeeringConnectionsCommand({ VpcPeeringConnectionIds: [p.pcx] }))).VpcPeeringConnections![0]!.Status!.Code,
      noInverse: 'accepting a peering has no inverse short of deleting it', needsDocs: true };
  },
};

async function docsNow() {
  return (await collectFull(session.forQuestion({ asker: 'test' }), [TARGET])).docs;
}

// Each case builds its own VPCs, so the cases run side by side on one moto (reset once).
describe.concurrent('printed CLI command and structured call do the same thing (moto)', () => {
  beforeAll(() => moto.reset());
  for (const [name, make] of Object.entries(CASES)) {
    it(name, async () => {
      const c = await make();
      const s0 = await c.state();
      const before = c.needsDocs ? await docsNow() : [];
      await cli(commandFor(c.call, REGION));
      const s1 = await c.state();
      expect(s1, 'the CLI command changed nothing').not.toEqual(s0);
      const inv = inverseOf(c.call, before, {});
      if (c.noInverse || c.motoLacksInverse) {
        expect(inv.ok).toBe(!c.noInverse);
        // The structured call on a second, identical object reaches the same state.
        const d = await make();
        await writer.send(target, d.call.operation, d.call.input);
        expect(await d.state()).toEqual(s1);
        return;
      }
      expect(inv.ok, inv.ok ? '' : inv.reason).toBe(true);
      const undo = inv.ok ? inv.calls : [];
      for (const u of undo) await writer.send(target, u.operation, u.input); // structured inverse
      expect(await c.state(), 'the structured inverse restores the state before').toEqual(s0);
      await writer.send(target, c.call.operation, c.call.input); // structured fix
      expect(await c.state(), 'the structured call leaves the same state as the CLI').toEqual(s1);
      for (const u of undo) await cli(commandFor(u, REGION)); // printed inverse
      expect(await c.state(), 'the printed inverse restores the state before').toEqual(s0);
    }, 60_000);
  }

  it('moto lacks EnableVgwRoutePropagation: it is on the allow-list and rendered, not run here', async () => {
    const rtb = (await ec2.send(new CreateRouteTableCommand({ VpcId: await vpc('10.0.0.0/16') }))).RouteTable!.RouteTableId!;
    const vgw = (await ec2.send(new CreateVpnGatewayCommand({ Type: 'ipsec.1' }))).VpnGateway!.VpnGatewayId!;
    await expect(writer.send(target, 'EnableVgwRoutePropagation', { RouteTableId: rtb, GatewayId: vgw })).rejects.toThrow(); // moto: not implemented
    expect(commandFor({ operation: 'EnableVgwRoutePropagation', input: { RouteTableId: rtb, GatewayId: vgw } }, REGION))
      .toBe(`aws ec2 enable-vgw-route-propagation --route-table-id ${rtb} --gateway-id ${vgw} --region us-east-1`);
  }, 30_000);

  it('moto lacks ReplaceTransitGatewayRoute: it is on the allow-list and rendered, not run here', async () => {
    const t = await tgw();
    await ec2.send(new CreateTransitGatewayRouteCommand({ TransitGatewayRouteTableId: t.rtb, DestinationCidrBlock: '10.1.0.0/16', TransitGatewayAttachmentId: t.attA }));
    await expect(writer.send(target, 'ReplaceTransitGatewayRoute', { TransitGatewayRouteTableId: t.rtb, DestinationCidrBlock: '10.1.0.0/16', TransitGatewayAttachmentId: t.attB }))
      .rejects.toThrow(); // moto: not implemented
    expect(commandFor({ operation: 'ReplaceTransitGatewayRoute', input: { TransitGatewayRouteTableId: t.rtb, DestinationCidrBlock: '10.1.0.0/16', TransitGatewayAttachmentId: t.attB } }, REGION))
      .toBe(`aws ec2 replace-transit-gateway-route --transit-gateway-route-table-id ${t.rtb} --destination-cidr-block 10.1.0.0/16 --transit-gateway-attachment-id ${t.attB} --region us-east-1`);
  }, 30_000);
});
