/**
 * Property tests: the NACL and security-group evaluators against straightforward references
 * (port by port, first match wins; any allow rule matches).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAddr, parseCidr, cidrContains } from '../net/ip.js';
import type { Eni, Model, NaclEntry, NetworkAcl, SecurityGroup, SgRule } from '../model/types.js';
import { buildModel } from '../model/build.js';
import type { Flow } from './flow.js';
import { evaluateNacl } from './nacl.js';
import { evaluateSecurityGroups } from './sg.js';

const CIDRS = ['0.0.0.0/0', '10.0.0.0/16', '10.0.2.0/24', '10.0.1.0/24', '10.0.2.100/32', '192.168.0.0/16'];
const ADDRS = ['10.0.2.100', '10.0.1.50', '10.0.2.7', '192.168.1.1', '8.8.8.8'];
const PROTOS = ['all', 6, 17, 1] as const;

const entryArb = fc.record({
  ruleNumber: fc.integer({ min: 1, max: 400 }),
  action: fc.constantFrom('allow', 'deny') as fc.Arbitrary<'allow' | 'deny'>,
  proto: fc.constantFrom(...PROTOS),
  from: fc.integer({ min: 0, max: 60 }),
  len: fc.integer({ min: 0, max: 40 }),
  cidr: fc.constantFrom(...CIDRS),
});

function nacl(entries: Array<{ ruleNumber: number; action: "allow" | "deny"; proto: (typeof PROTOS)[number]; from: number; len: number; cidr: string }>, egress: boolean): NetworkAcl {
  const seen = new Set<number>();
  const list: NaclEntry[] = [];
  for (const e of entries) {
    if (seen.has(e.ruleNumber)) continue;
    seen.add(e.ruleNumber);
    list.push({
      naclId: 'acl-1', ruleNumber: e.ruleNumber, egress, action: e.action, proto: e.proto, cidr: parseCidr(e.cidr)!,
      ports: e.proto === 6 || e.proto === 17 ? { from: e.from, to: e.from + e.len } : null,
      icmp: e.proto === 1 ? { type: -1, code: -1 } : null, origin: { resourceId: 'acl-1', pointer: '' },
    });
  }
  list.sort((a, b) => a.ruleNumber - b.ruleNumber);
  return { id: 'acl-1', vpcId: 'vpc-1', isDefault: false, inbound: egress ? [] : list, outbound: egress ? list : [], subnetIds: [], file: 'x' };
}

function flowOf(src: string, dst: string, proto: 6 | 17, lo: number, hi: number): Flow {
  return { src: parseAddr(src)!, dst: parseAddr(dst)!, protocol: proto === 6 ? 'tcp' : 'udp', proto, dstPorts: [lo, hi], srcPorts: null, icmp: null };
}

/** Reference NACL: for each port, walk the entries in order; the first that matches decides. */
function referenceNacl(acl: NetworkAcl, egress: boolean, flow: Flow): Map<number, 'allow' | 'deny'> {
  const out = new Map<number, 'allow' | 'deny'>();
  const entries = egress ? acl.outbound : acl.inbound;
  const peer = egress ? flow.dst : flow.src;
  for (let p = flow.dstPorts![0]; p <= flow.dstPorts![1]; p++) {
    let action: 'allow' | 'deny' = 'deny';
    for (const e of entries) {
      const protoOk = e.proto === 'all' || e.proto === flow.proto;
      const portOk = e.proto === 'all' || !e.ports || (p >= e.ports.from && p <= e.ports.to);
      if (protoOk && portOk && cidrContains(e.cidr, peer)) {
        action = e.action;
        break;
      }
    }
    out.set(p, action);
  }
  return out;
}

describe('NACL evaluation', () => {
  it('agrees with the port-by-port first-match reference', () => {
    fc.assert(fc.property(
      fc.array(entryArb, { maxLength: 12 }), fc.boolean(), fc.constantFrom(...ADDRS), fc.constantFrom(...ADDRS), fc.constantFrom(6, 17) as fc.Arbitrary<6 | 17>,
      fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 30 }),
      (entries, egress, src, dst, proto, lo, len) => {
        const acl = nacl(entries, egress);
        const flow = flowOf(src, dst, proto, lo, lo + len);
        const ev = evaluateNacl(acl, egress, flow);
        const ref = referenceNacl(acl, egress, flow);
        for (const [p, action] of ref) {
          const inAllowed = ev.allowed.some(([a, b]) => p >= a && p <= b);
          const inDenied = ev.denied.some(([a, b]) => p >= a && p <= b);
          expect(inAllowed, `port ${p}`).toBe(action === 'allow');
          expect(inDenied, `port ${p}`).toBe(action === 'deny');
        }
        const allAllow = [...ref.values()].every((a) => a === 'allow');
        const allDeny = [...ref.values()].every((a) => a === 'deny');
        expect(ev.decision).toBe(allAllow ? 'allow' : allDeny ? 'deny' : 'partial');
      },
    ), { numRuns: 1500 });
  });
});

const sgRuleArb = fc.record({
  proto: fc.constantFrom('-1', 'tcp', 'udp', 'icmp'),
  from: fc.integer({ min: 0, max: 60 }),
  len: fc.integer({ min: 0, max: 40 }),
  cidr: fc.constantFrom(...CIDRS),
  group: fc.option(fc.constantFrom('sg-a', 'sg-b', 'sg-c'), { nil: undefined }),
  ingress: fc.boolean(),
});

describe('security group evaluation', () => {
  it('is the union of allow rules over every group on the interface (reference: any rule matches)', () => {
    fc.assert(fc.property(
      fc.array(sgRuleArb, { maxLength: 10 }), fc.subarray(['sg-a', 'sg-b', 'sg-c'], { minLength: 1 }), fc.subarray(['sg-a', 'sg-b', 'sg-c']),
      fc.constantFrom(...ADDRS), fc.constantFrom(6, 17) as fc.Arbitrary<6 | 17>, fc.integer({ min: 0, max: 100 }),
      (rules, attached, peerGroups, peerAddr, proto, port) => {
        const groups = ['sg-a', 'sg-b', 'sg-c'].map((id) => ({
          GroupId: id, GroupName: id, VpcId: 'vpc-1',
          IpPermissions: rules.filter((r, i) => r.ingress && ['sg-a', 'sg-b', 'sg-c'][i % 3] === id).map((r) => ({
            IpProtocol: r.proto, ...(r.proto === 'tcp' || r.proto === 'udp' ? { FromPort: r.from, ToPort: r.from + r.len } : r.proto === 'icmp' ? { FromPort: -1, ToPort: -1 } : {}),
            ...(r.group ? { UserIdGroupPairs: [{ GroupId: r.group }] } : { IpRanges: [{ CidrIp: r.cidr }] }),
          })),
          IpPermissionsEgress: [],
        }));
        const model: Model = buildModel([{ file: 't', data: { SecurityGroups: groups } }]);
        const eni = { id: 'eni-d', groupIds: attached } as unknown as Eni;
        const peerEni = { id: 'eni-s', groupIds: peerGroups, privateIps: [parseAddr(peerAddr)!], ipv6: [] } as unknown as Eni;
        const flow = flowOf(peerAddr, '10.0.1.50', proto, port, port);
        const ev = evaluateSecurityGroups(model, eni, 'ingress', flow, { addr: flow.src, eni: peerEni, crossing: 'same-vpc' });
        const all: SgRule[] = attached.flatMap((g) => (model.securityGroups.get(g) as SecurityGroup).ingress);
        const want = all.some((r) => (r.proto === 'all' || r.proto === proto)
          && (r.proto === 'all' || !r.ports || (port >= r.ports.from && port <= r.ports.to))
          && (r.peer.kind === 'cidr' ? cidrContains(r.peer.cidr, flow.src) : r.peer.kind === 'group' ? peerGroups.includes(r.peer.groupId) : false));
        expect(ev.decision).toBe(want ? 'allow' : 'deny');
        if (ev.deciding) expect(attached).toContain(ev.deciding.groupId);
      },
    ), { numRuns: 1000 });
  });
});
