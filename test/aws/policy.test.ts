/**
 * The shipped IAM policy allows every operation the collector can call, and nothing that is not a
 * read; the CloudFormation template carries the same policy; the code calls only listed operations.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateVpcCommand, AuthorizeSecurityGroupIngressCommand } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { AwsSession } from '../../src/aws/clients.js';
import { isReadOnlyAction, OPERATIONS } from '../../src/aws/operations.js';
import { commandExists, tsFilesUnder } from '../support/files.js';

const root = join(import.meta.dirname, '..', '..');
const policy = JSON.parse(readFileSync(join(root, 'deploy/iam/sgwhy-readonly-policy.json'), 'utf8')) as PolicyDoc;
const templatePath = join(root, 'deploy/cloudformation/sgwhy-readonly-role.yaml');
const template = parse(readFileSync(templatePath, 'utf8')) as Record<string, any>;

interface Statement { Sid?: string; Effect: string; Action?: string | string[]; NotAction?: unknown; Resource?: unknown; NotResource?: unknown }
interface PolicyDoc { Version: string; Statement: Statement[] }

const actions = (s: Statement): string[] => (typeof s.Action === 'string' ? [s.Action] : (s.Action ?? []));
const matches = (pattern: string, action: string): boolean =>
  new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.?+^$()[\]{}|\\]/g, '\\$&')).join('.*')}$`, 'i').test(action);
const allowed = (doc: PolicyDoc, action: string): boolean =>
  doc.Statement.some((s) => s.Effect === 'Allow' && actions(s).some((a) => matches(a, action)));

describe('read-only IAM policy', () => {
  it('allows every operation the collector can call with the read-only role', () => {
    const needed = OPERATIONS.filter((o) => o.grantedTo === 'readonly-role');
    expect(needed.length).toBeGreaterThan(15);
    for (const op of needed) expect(allowed(policy, op.iamAction), op.iamAction).toBe(true);
  });

  it('allows nothing that is not a read', () => {
    expect(policy.Version).toBe('2012-10-17');
    for (const s of policy.Statement) {
      expect(s.Effect).toBe('Allow');
      expect(s.NotAction, 'NotAction would allow everything else').toBeUndefined();
      expect(s.NotResource).toBeUndefined();
      for (const a of actions(s)) {
        // exact actions only (least privilege: no "ec2:Describe*" that would grow with the API)
        expect(a, 'wildcard').not.toContain('*');
        expect(isReadOnlyAction(a), a).toBe(true);
      }
    }
    // known mutating actions are not allowed
    for (const a of ['ec2:AuthorizeSecurityGroupIngress', 'ec2:CreateRoute', 'ec2:ModifyNetworkInterfaceAttribute', 'ec2:DeleteFlowLogs', 'logs:PutLogEvents', 'logs:DeleteLogGroup', 'iam:PassRole']) {
      expect(allowed(policy, a), a).toBe(false);
    }
  });

  it('grants nothing beyond the listed operations (least privilege)', () => {
    const expected = new Set<string>([...OPERATIONS.filter((o) => o.grantedTo === 'readonly-role').map((o) => o.iamAction)]);
    const granted = policy.Statement.flatMap(actions);
    expect(new Set(granted).size).toBe(granted.length);
    expect([...granted].sort()).toEqual([...expected].sort());
  });

  it('every listed operation is a read', () => {
    for (const op of OPERATIONS) expect(isReadOnlyAction(op.iamAction), op.iamAction).toBe(true);
  });
});

describe('CloudFormation role template', () => {
  const role = template['Resources']['ReadOnlyRole'];

  it('carries exactly the shipped policy', () => {
    expect(role.Type).toBe('AWS::IAM::Role');
    expect(role.Properties.Policies).toHaveLength(1);
    expect(role.Properties.Policies[0].PolicyDocument).toEqual(policy);
  });

  it('trusts only the given principal, with the ExternalId when set, and is StackSets-ready', () => {
    const trust = role.Properties.AssumeRolePolicyDocument.Statement;
    expect(trust).toHaveLength(1);
    expect(trust[0]).toMatchObject({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: { Ref: 'TrustedPrincipalArn' } } });
    expect(trust[0].Condition['Fn::If'][1]).toEqual({ StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } } });
    expect(Object.keys(template['Parameters'])).toEqual(expect.arrayContaining(['TrustedPrincipalArn', 'ExternalId']));
    // no hard-coded account ids or regions
    expect(readFileSync(templatePath, 'utf8').replace(/^Description:[\s\S]*?\n\n/m, '')).not.toMatch(/\b\d{12}\b|us-east-1|eu-west-1/);
  });

  it.skipIf(!commandExists('cfn-lint'))('passes cfn-lint', async () => {
    await expect(promisify(execFile)('cfn-lint', [templatePath])).resolves.toBeDefined();
  }, 60_000);
});

describe('the code calls only listed operations', () => {
  it('every SDK command or paginator the collector uses (src/aws, src/flowlogs) is in operations.ts', () => {
    const listed = new Set(OPERATIONS.map((o) => o.name));
    const used = new Set<string>();
    for (const file of [...tsFilesUnder(join(root, 'src/aws')), ...tsFilesUnder(join(root, 'src/flowlogs'))]) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bnew (\w+)Command\(/g)) used.add(m[1]!);
      for (const m of text.matchAll(/\bpaginate(\w+)\(/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(15);
    for (const op of used) expect(listed.has(op as never), `${op} is used but not listed`).toBe(true);
  });

  it('the client guard refuses an unlisted (mutating) operation before it leaves the process', async () => {
    const session = new AwsSession();
    const ec2 = session.forQuestion({ asker: 't' }).ec2({ accountId: '123456789012', accountName: 'x', region: 'us-east-1' });
    await expect(ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).rejects.toMatchObject({ code: 'AWS_ERROR', message: expect.stringContaining('operations.ts') });
    await expect(ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: 'sg-1' }))).rejects.toMatchObject({ code: 'AWS_ERROR' });
    session.destroy();
  });
});
