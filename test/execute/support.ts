/**
 * Shared by the approval/execution tests: a small topology in moto (two interfaces in one VPC,
 * the destination's group without the inbound rule), the read-only collector as the `collect`
 * use cases need, and an unguarded EC2 client for the tests' own setup and describe calls.
 */
import {
  AuthorizeSecurityGroupIngressCommand, CreateNetworkInterfaceCommand, CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand,
  DescribeNetworkInterfacesCommand, RunInstancesCommand, DescribeSecurityGroupsCommand, EC2Client, RevokeSecurityGroupEgressCommand, AuthorizeSecurityGroupEgressCommand,
} from '@aws-sdk/client-ec2';
import { AwsSession } from '../../src/aws/clients.js';
import { collectForQuestion } from '../../src/aws/collect-question.js';
import type { Target } from '../../src/aws/target.js';
import type { RawDoc } from '../../src/model/raw.js';
import type { Question } from '../../src/question/types.js';

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
/** moto accepts any image id (it warns); no describe-images, which is slow in moto. */
const AMI = 'ami-0123456789abcdef0';
export const QUESTION = "why can't 10.0.2.100 reach 10.0.1.50:443";

export function setupClient(): EC2Client {
  return new EC2Client({ region: REGION });
}

export interface Topology {
  vpcId: string;
  srcSubnet: string;
  dstSubnet: string;
  srcSg: string;
  dstSg: string;
  otherSg: string;
  srcEni: string;
  dstEni: string;
}

/** 10.0.2.100 (src-sg) → 10.0.1.50 (dst-sg: no inbound rule) in one VPC; other-sg allows tcp/8443 from anywhere. */
export async function buildTopology(ec2: EC2Client): Promise<Topology> {
  const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc!.VpcId!;
  const dstSubnet = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.1.0/24', AvailabilityZone: 'us-east-1a' }))).Subnet!.SubnetId!;
  const srcSubnet = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.2.0/24', AvailabilityZone: 'us-east-1a' }))).Subnet!.SubnetId!;
  const sg = async (name: string) => (await ec2.send(new CreateSecurityGroupCommand({ GroupName: name, Description: name, VpcId: vpcId }))).GroupId!;
  const srcSg = await sg('src-sg');
  const dstSg = await sg('dst-sg');
  const otherSg = await sg('other-sg');
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: otherSg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 8443, ToPort: 8443, IpRanges: [{ CidrIp: '10.0.0.0/16' }] }] }));
  const eni = async (subnet: string, ip: string, group: string) =>
    (await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnet, PrivateIpAddress: ip, Groups: [group] }))).NetworkInterface!.NetworkInterfaceId!;
  const srcEni = await eni(srcSubnet, '10.0.2.100', srcSg);
  const dstEni = await eni(dstSubnet, '10.0.1.50', dstSg);
  // An interface that carries traffic is attached to something (a detached one answers nothing).
  for (const id of [srcEni, dstEni]) {
    await ec2.send(new RunInstancesCommand({ ImageId: AMI, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, NetworkInterfaces: [{ NetworkInterfaceId: id, DeviceIndex: 0 }] }));
  }
  return { vpcId, srcSubnet, dstSubnet, srcSg, dstSg, otherSg, srcEni, dstEni };
}

/** Makes the source's egress the blocker too (removes the default allow-all egress). */
export async function blockEgress(ec2: EC2Client, sg: string): Promise<void> {
  await ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: sg, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
}

export async function allowEgress(ec2: EC2Client, sg: string): Promise<void> {
  await ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: sg, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
}

/** The rules of a group as describe prints them, without rule ids (for before/after comparisons). */
export async function groupRules(ec2: EC2Client, groupId: string): Promise<unknown> {
  const g = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }))).SecurityGroups![0]!;
  return { ingress: g.IpPermissions ?? [], egress: g.IpPermissionsEgress ?? [] };
}

export async function eniGroups(ec2: EC2Client, eniId: string): Promise<string[]> {
  const e = (await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eniId] }))).NetworkInterfaces![0]!;
  return (e.Groups ?? []).map((g) => g.GroupId!);
}

export const TARGET: Target = { accountId: ACCOUNT, accountName: ACCOUNT, region: REGION };

/** Fresh read-only collection for a question, as the bot does it (through the guarded read session). */
export function collector(session: AwsSession): (q: Question) => Promise<RawDoc[]> {
  return async (q) => (await collectForQuestion(session.forQuestion({ asker: 'test' }), [TARGET], q)).docs;
}
