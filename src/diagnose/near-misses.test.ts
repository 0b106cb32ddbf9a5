import { describe, expect, it } from 'vitest';
import { generate, SIZES } from '../bench/generate.js';
import { buildModel } from '../model/build.js';
import type { Model, SecurityGroup, SgRule } from '../model/types.js';
import { parseAddr, type Addr } from '../net/ip.js';
import { peerMatches, portMatches, protoMatches, type PeerView } from '../trace/sg.js';
import type { Flow } from '../trace/flow.js';
import type { BlockerFacts } from '../trace/types.js';
import { unattachedCandidates } from './near-misses.js';

type SgFacts = Extract<BlockerFacts, { kind: 'sg' }>;

/** The plain scan unattachedCandidates must agree with: every rule of the VPC's groups, in order. */
function reference(model: Model, f: SgFacts): Array<{ group: SecurityGroup; rule: SgRule }> {
  const out: Array<{ group: SecurityGroup; rule: SgRule }> = [];
  const seen = new Set<string>();
  for (const gid of model.index.vpcGroups.get(f.eni.vpcId) ?? []) {
    const g = model.securityGroups.get(gid)!;
    for (const rule of f.direction === 'ingress' ? g.ingress : g.egress) {
      if (!protoMatches(rule, f.flow) || !portMatches(rule, f.flow)) continue;
      if (f.eni.groupIds.includes(rule.groupId) || seen.has(rule.groupId)) continue;
      if (peerMatches(model, rule, f.peer) !== true) continue;
      seen.add(g.id);
      out.push({ group: g, rule });
      if (out.length >= 4) return out;
    }
  }
  return out;
}

const addr = (s: string): Addr => parseAddr(s)!;

describe('unattachedCandidates (the "a group in this VPC would allow it" near miss)', () => {
  const g = generate(SIZES.small!, 7);
  const model = buildModel(g.docs);
  const enis = [...model.enis.values()];
  // Peers: interface addresses (group references match them), addresses inside rules' CIDRs, and others.
  const cidrPeers = [...model.securityGroups.values()].flatMap((sg) => sg.ingress).flatMap((r) => (r.peer.kind === 'cidr' && r.peer.cidr.family === 4 ? [r.peer.cidr] : []));

  it('finds the same groups and rules, in the same order, as a scan of every rule (IPv4 ranges are compared as numbers)', () => {
    let compared = 0;
    let found = 0;
    for (let i = 0; i < 600; i++) {
      const eni = enis[(i * 7919) % enis.length]!;
      const peerEni = i % 3 === 0 ? enis[(i * 104729) % enis.length] : undefined;
      const c = cidrPeers[(i * 31) % cidrPeers.length]!;
      const peerAddr = peerEni ? peerEni.privateIps[0]! : i % 3 === 1 ? addr(`${(Number(c.first) >>> 24) & 255}.${(Number(c.first) >>> 16) & 255}.${(Number(c.first) >>> 8) & 255}.${Number(c.first) & 255}`) : addr(`10.${i % 4}.${(i * 13) % 256}.${(i * 29) % 256}`);
      const port = [443, 22, 5432, 8080, 9200][i % 5]!;
      const flow: Flow = { src: peerAddr, dst: eni.privateIps[0]!, protocol: 'tcp', proto: 6, dstPorts: [port, port], srcPorts: null, icmp: null };
      const peer: PeerView = { addr: peerAddr, crossing: peerEni && peerEni.vpcId === eni.vpcId ? 'same-vpc' : 'other', ...(peerEni ? { eni: peerEni } : {}) };
      const facts = { kind: 'sg', eni, direction: 'ingress', flow, peer, evaluation: {} } as unknown as SgFacts;
      const want = reference(model, facts);
      const got = unattachedCandidates(model, facts);
      expect(got.map((x) => `${x.group.id} ${x.rule.origin.pointer}`)).toEqual(want.map((x) => `${x.group.id} ${x.rule.origin.pointer}`));
      compared++;
      if (want.length) found++;
    }
    expect(compared).toBe(600);
    // The comparison means something only if many questions do have candidates.
    expect(found).toBeGreaterThan(50);
  });

  it('an IPv6 peer is decided by the general matcher (no IPv4 shortcut applies)', () => {
    const eni = enis[0]!;
    const v6 = addr('2001:db8::1');
    const flow: Flow = { src: v6, dst: eni.privateIps[0]!, protocol: 'tcp', proto: 6, dstPorts: [443, 443], srcPorts: null, icmp: null };
    const facts = { kind: 'sg', eni, direction: 'ingress', flow, peer: { addr: v6, crossing: 'other' }, evaluation: {} } as unknown as SgFacts;
    expect(unattachedCandidates(model, facts).map((x) => x.group.id)).toEqual(reference(model, facts).map((x) => x.group.id));
  });
});
