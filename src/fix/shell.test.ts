/** Shell quoting, checked against a real bash: whatever the value, it comes back as one argument, unchanged. */
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toCli } from './cli.js';
import { ruleDescription, shellQuote } from './shell.js';

/** Runs `printf '%s\0' <quoted>...` in bash and splits the output. */
function roundTrip(values: string[]): string[] {
  const script = values.map((v) => `printf '%s\\0' ${shellQuote(v)}`).join('\n');
  const out = execFileSync('bash', ['-c', script], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

/** Evaluates a printed command with `aws` replaced by a function that prints each argument. */
function argvOf(cli: string): string[] {
  const out = execFileSync('bash', ['-c', `aws() { printf '%s\\0' "$@"; }\n${cli}`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

describe('shellQuote', () => {
  it('round-trips any string through bash as a single argument', () => {
    const nasty = ["'; rm -rf / #", '$(touch pwned)', '`id`', 'a b\tc\nd', '"', "'", "''", '\\', '*', '~root', '!!', '$HOME', '-n', '', 'é漢字🙂', '%s%n'];
    expect(roundTrip(nasty)).toEqual(nasty);
    fc.assert(fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 40 }).map((s) => s.replace(/\0/g, '')), { minLength: 1, maxLength: 30 }), (vals) => {
      expect(roundTrip(vals)).toEqual(vals);
    }), { numRuns: 40 });
  });

  it('leaves plain AWS ids and CIDRs readable', () => {
    for (const v of ['sg-0abc123', '10.0.0.0/16', 'us-east-1', 'From=443,To=443']) expect(shellQuote(v)).toBe(v);
  });
});

describe('CLI rendering', () => {
  it('a hostile id or description cannot break out of its argument', () => {
    const evil = "sg-1'; touch /tmp/sgwhy-pwned; echo '";
    const cli = toCli('AuthorizeSecurityGroupIngress', {
      GroupId: evil,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.2.100/32', Description: "it's $(id) `x`" }] }],
    }, 'us-east-1');
    const argv = argvOf(cli);
    expect(argv.slice(0, 4)).toEqual(['ec2', 'authorize-security-group-ingress', '--group-id', evil]);
    expect(JSON.parse(argv[5]!)[0].IpRanges[0].Description).toBe("it's $(id) `x`");
    expect(argv.slice(-2)).toEqual(['--region', 'us-east-1']);
  });

  it('renders every operation the planner emits', () => {
    expect(argvOf(toCli('CreateNetworkAclEntry', { NetworkAclId: 'acl-1', RuleNumber: 90, Protocol: '6', RuleAction: 'allow', Egress: true, CidrBlock: '10.0.2.100/32', PortRange: { From: 1024, To: 65535 } })))
      .toEqual(['ec2', 'create-network-acl-entry', '--network-acl-id', 'acl-1', '--egress', '--rule-number', '90', '--protocol', '6', '--port-range', 'From=1024,To=65535', '--cidr-block', '10.0.2.100/32', '--rule-action', 'allow']);
    expect(argvOf(toCli('ModifyNetworkInterfaceAttribute', { NetworkInterfaceId: 'eni-1', Groups: ['sg-a', 'sg-b'] })))
      .toEqual(['ec2', 'modify-network-interface-attribute', '--network-interface-id', 'eni-1', '--groups', 'sg-a', 'sg-b']);
    expect(argvOf(toCli('CreateRoute', { RouteTableId: 'rtb-1', DestinationCidrBlock: '10.1.0.0/16', VpcPeeringConnectionId: 'pcx-1' })))
      .toEqual(['ec2', 'create-route', '--route-table-id', 'rtb-1', '--destination-cidr-block', '10.1.0.0/16', '--vpc-peering-connection-id', 'pcx-1']);
    expect(toCli('CreateTransitGatewayRoute', { TransitGatewayRouteTableId: 'tgw-rtb-1', DestinationCidrBlock: '10.1.0.0/16', TransitGatewayAttachmentId: 'tgw-attach-1' }))
      .toBe('aws ec2 create-transit-gateway-route --transit-gateway-route-table-id tgw-rtb-1 --destination-cidr-block 10.1.0.0/16 --transit-gateway-attachment-id tgw-attach-1');
    expect(argvOf(toCli('ModifyTransitGatewayVpcAttachment', { TransitGatewayAttachmentId: 'tgw-attach-1', AddSubnetIds: ['subnet-b'] })))
      .toEqual(['ec2', 'modify-transit-gateway-vpc-attachment', '--transit-gateway-attachment-id', 'tgw-attach-1', '--add-subnet-ids', 'subnet-b']);
    expect(() => toCli('TerminateInstances', {})).toThrow(/no CLI rendering/);
  });

  it('rule descriptions keep only the characters AWS accepts', () => {
    expect(ruleDescription('sgwhy 10.0.2.100 → 10.0.1.50 "tcp/443" <x>')).toBe('sgwhy 10.0.2.100 10.0.1.50 tcp/443 x');
    fc.assert(fc.property(fc.string({ maxLength: 400 }), (s) => {
      expect(ruleDescription(s)).toMatch(/^[a-zA-Z0-9. _\-:/()#,@[\]+=&;{}!$*]{0,255}$/);
    }));
  });
});
