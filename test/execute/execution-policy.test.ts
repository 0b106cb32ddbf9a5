/**
 * The execution role's policy grants exactly the write allow-list (the operations fix plans
 * produce, and their inverses), nothing else; the CloudFormation template carries the same policy
 * and passes cfn-lint; the execution code calls only allow-listed operations; the writer's guard
 * refuses anything else before it leaves the process.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateVpcCommand, EC2Client, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { isReadOnlyAction } from '../../src/aws/operations.js';
import { assertAllowedCall, WRITE_OPERATIONS } from '../../src/execute/operations.js';
import { writeGuard } from '../../src/execute/writer.js';
import { inverseOf } from '../../src/fix/inverse.js';
import { CLI_OPERATIONS } from '../../src/fix/cli.js';
import { commandExists, tsFilesUnder } from '../support/files.js';

const root = join(import.meta.dirname, '..', '..');
const policyPath = join(root, 'deploy/iam/sgwhy-execution-policy.json');
const templatePath = join(root, 'deploy/cloudformation/sgwhy-execution-role.yaml');
const policy = JSON.parse(readFileSync(policyPath, 'utf8')) as { Version: string; Statement: Array<Record<string, unknown>> };
const template = parse(readFileSync(templatePath, 'utf8')) as Record<string, any>;
const actions = (s: Record<string, unknown>): string[] => (typeof s.Action === 'string' ? [s.Action] : ((s.Action as string[]) ?? []));

/** One sample input per operation a fix plan can produce (what toCli renders). */
const FIX_SAMPLES: Record<string, Record<string, unknown>> = {
  AuthorizeSecurityGroupIngress: { GroupId: 'sg-1', IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.0.1/32' }] }] },
  AuthorizeSecurityGroupEgress: { GroupId: 'sg-1', IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.0.1/32' }] }] },
  ModifyNetworkInterfaceAttribute: { NetworkInterfaceId: 'eni-1', Groups: ['sg-1', 'sg-2'] },
  CreateNetworkAclEntry: { NetworkAclId: 'acl-1', RuleNumber: 90, Protocol: '6', RuleAction: 'allow', Egress: false, CidrBlock: '10.0.0.1/32', PortRange: { From: 443, To: 443 } },
  CreateRoute: { RouteTableId: 'rtb-1', DestinationCidrBlock: '10.1.0.0/16', VpcPeeringConnectionId: 'pcx-1' },
  ReplaceRoute: { RouteTableId: 'rtb-1', DestinationCidrBlock: '10.1.0.0/16', TransitGatewayId: 'tgw-1' },
  CreateTransitGatewayRoute: { TransitGatewayRouteTableId: 'tgw-rtb-1', DestinationCidrBlock: '10.1.0.0/16', TransitGatewayAttachmentId: 'tgw-attach-1' },
  ReplaceTransitGatewayRoute: { TransitGatewayRouteTableId: 'tgw-rtb-1', DestinationCidrBlock: '10.1.0.0/16', TransitGatewayAttachmentId: 'tgw-attach-1' },
  AcceptVpcPeeringConnection: { VpcPeeringConnectionId: 'pcx-1' },
  ModifyTransitGatewayVpcAttachment: { TransitGatewayAttachmentId: 'tgw-attach-1', AddSubnetIds: ['subnet-1'] },
  EnableTransitGatewayRouteTablePropagation: { TransitGatewayRouteTableId: 'tgw-rtb-1', TransitGatewayAttachmentId: 'tgw-attach-1' },
  EnableVgwRoutePropagation: { RouteTableId: 'rtb-1', GatewayId: 'vgw-1' },
  CreateInternetGateway: {},
  AttachInternetGateway: { InternetGatewayId: 'igw-1', VpcId: 'vpc-1' },
};

describe('execution IAM policy', () => {
  it('grants exactly the write allow-list, no wildcard, no reads, no NotAction', () => {
    expect(policy.Version).toBe('2012-10-17');
    const granted = policy.Statement.flatMap(actions);
    for (const s of policy.Statement) {
      expect(s.Effect).toBe('Allow');
      expect(s.NotAction).toBeUndefined();
      expect(s.NotResource).toBeUndefined();
    }
    expect(new Set(granted).size).toBe(granted.length);
    expect([...granted].sort()).toEqual(WRITE_OPERATIONS.map((o) => o.iamAction).sort());
    for (const a of granted) {
      expect(a, 'wildcard').not.toContain('*');
      expect(isReadOnlyAction(a), `${a} is a read: reads go through the read-only role`).toBe(false);
    }
    for (const a of ['ec2:TerminateInstances', 'ec2:DeleteVpc', 'ec2:CreateVpc', 'ec2:RunInstances', 'iam:PassRole', 'ec2:DeleteNetworkAcl', 'ec2:DeleteRouteTable', 'ec2:CreateTags']) {
      expect(granted).not.toContain(a);
    }
  });

  it('the allow-list is what fix plans produce plus the inverses of those', () => {
    const fixOps = WRITE_OPERATIONS.filter((o) => o.role === 'fix').map((o) => o.name);
    const inverseOnly = WRITE_OPERATIONS.filter((o) => o.role === 'inverse').map((o) => o.name);
    // every operation a fix can be rendered as (the CLI renderer's list) is allowed…
    for (const op of CLI_OPERATIONS) expect([...fixOps, ...inverseOnly], `${op} is rendered for fixes but not allow-listed`).toContain(op);
    for (const op of fixOps) expect(CLI_OPERATIONS, `${op} is allowed but no fix renders it`).toContain(op);
    for (const [op, input] of Object.entries(FIX_SAMPLES)) expect(() => assertAllowedCall({ operation: op, input })).not.toThrow();
    // …and every inverse-only operation is the inverse of some fix operation
    const inverseOps = new Set<string>();
    for (const [op, input] of Object.entries(FIX_SAMPLES)) {
      const inv = inverseOf({ operation: op, input }, [], {});
      if (inv.ok) for (const c of inv.calls) inverseOps.add(c.operation);
    }
    // inverses of CreateSecurityGroup / CreateVpcPeeringConnection / CreateInternetGateway (they need the call's output)
    inverseOps.add('DeleteSecurityGroup').add('DeleteVpcPeeringConnection').add('DeleteInternetGateway');
    for (const o of inverseOnly) expect(inverseOps, o).toContain(o);
  });

  it('refuses operations and fields no fix uses', () => {
    expect(() => assertAllowedCall({ operation: 'DeleteVpc', input: {} })).toThrow(/not an operation/);
    expect(() => assertAllowedCall({ operation: 'ModifyNetworkInterfaceAttribute', input: { NetworkInterfaceId: 'eni-1', SourceDestCheck: { Value: false } } })).toThrow(/SourceDestCheck/);
    expect(() => assertAllowedCall({ operation: 'AuthorizeSecurityGroupIngress', input: FIX_SAMPLES.AuthorizeSecurityGroupIngress! }, { service: 'iam' })).toThrow(/service/);
    expect(() => assertAllowedCall({ operation: '__proto__', input: {} })).toThrow(/not an operation/);
    expect(() => assertAllowedCall({ operation: 'CreateRoute', input: 'x' })).toThrow(/not an object/);
  });
});

describe('CloudFormation execution role template', () => {
  const role = template['Resources']['ExecutionRole'];

  it('carries exactly the shipped policy and trusts only the given principal (ExternalId when set)', () => {
    expect(role.Type).toBe('AWS::IAM::Role');
    expect(role.Properties.Policies).toHaveLength(1);
    expect(role.Properties.Policies[0].PolicyDocument).toEqual(policy);
    const trust = role.Properties.AssumeRolePolicyDocument.Statement;
    expect(trust).toHaveLength(1);
    expect(trust[0]).toMatchObject({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: { Ref: 'TrustedPrincipalArn' } } });
    expect(trust[0].Condition['Fn::If'][1]).toEqual({ StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } } });
    expect(readFileSync(templatePath, 'utf8').replace(/^Description:[\s\S]*?\n\n/m, '')).not.toMatch(/\b\d{12}\b|us-east-1|eu-west-1/);
  });

  it.skipIf(!commandExists('cfn-lint'))('passes cfn-lint', async () => {
    await expect(promisify(execFile)('cfn-lint', [templatePath])).resolves.toBeDefined();
  }, 60_000);
});

describe('the execution code calls only allow-listed operations', () => {
  it('every SDK command in src/execute is on the allow-list', () => {
    const listed = new Set(WRITE_OPERATIONS.map((o) => o.name));
    const used = new Set<string>();
    for (const file of tsFilesUnder(join(root, 'src/execute'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\b(\w+)Command[,\s]/g)) if (m[1] !== 'Any' && m[1] !== 'EC2Client') used.add(m[1]!);
    }
    expect(used.size).toBe(WRITE_OPERATIONS.length);
    for (const op of used) expect(listed.has(op), `${op} is used but not allow-listed`).toBe(true);
  });

  it('the writer guard refuses any other command before it leaves the process', async () => {
    const ec2 = new EC2Client({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, maxAttempts: 1 });
    ec2.middlewareStack.use(writeGuard());
    await expect(ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).rejects.toMatchObject({ code: 'EXECUTION_REFUSED' });
    await expect(ec2.send(new TerminateInstancesCommand({ InstanceIds: ['i-1'] }))).rejects.toMatchObject({ code: 'EXECUTION_REFUSED' });
    ec2.destroy();
  });
});
