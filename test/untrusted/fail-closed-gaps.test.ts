/**
 * The cases the corruption sweep (corruption.test.ts) found failing open, each held here
 * deterministically: data the answer depends on is missing, so the answer is `unknown` naming what
 * to collect — never `reachable` by assuming the best.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Answer } from '../../src/answer/types.js';
import { ask } from '../../src/engine/ask.js';
import { buildModel } from '../../src/model/build.js';
import type { RawDoc } from '../../src/model/raw.js';
import { parseQuestion } from '../../src/question/parse.js';
import { readSnapshotDir } from '../../src/snapshot/read.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const SCENARIOS = join(import.meta.dirname, '..', 'scenarios');

async function scenario(name: string): Promise<{ docs: RawDoc[]; question: string }> {
  const { docs } = await readSnapshotDir(join(SCENARIOS, name, 'snapshot'));
  const { readFile } = await import('node:fs/promises');
  const question = JSON.parse(await readFile(join(SCENARIOS, name, 'scenario.json'), 'utf8')).question as string;
  return { docs: structuredClone(docs), question };
}

/** The document holding snapshot key `key`. */
const docWith = (docs: RawDoc[], key: string): Obj => docs.find((d) => Array.isArray((d.data as Obj)[key]))!.data as Obj;

const answer = (docs: RawDoc[], question: string): Answer => ask(buildModel(docs), parseQuestion(question));

describe('transit gateway attachment Availability Zones (src/trace/transit-gateway.ts)', () => {
  it('as given: blocked, the attachment has no subnet in the source zone', async () => {
    const s = await scenario('tgw-attachment-missing-az');
    expect(answer(s.docs, s.question).verdict).toBe('blocked');
  });

  it('without the subnets (no zones to compare): unknown, naming the subnets to describe', async () => {
    const s = await scenario('tgw-attachment-missing-az');
    delete docWith(s.docs, 'Subnets').Subnets;
    const a = answer(s.docs, s.question);
    expect(a.verdict).toBe('unknown');
    const u = a.unknowns.find((x) => x.resourceId?.startsWith('tgw-attach-'));
    expect(u?.message).toMatch(/Availability Zone of .* is not in the data/);
    expect(u?.missing).toMatch(/^aws ec2 describe-subnets --subnet-ids subnet-/);
  });

  it('without the VPC attachments (no subnets of the attachment): unknown, naming the attachment to describe', async () => {
    const s = await scenario('tgw-attachment-missing-az');
    delete docWith(s.docs, 'TransitGatewayVpcAttachments').TransitGatewayVpcAttachments;
    const a = answer(s.docs, s.question);
    expect(a.verdict).toBe('unknown');
    const u = a.unknowns.find((x) => x.resourceId?.startsWith('tgw-attach-'));
    expect(u?.missing).toMatch(/^aws ec2 describe-transit-gateway-vpc-attachments --transit-gateway-attachment-ids tgw-attach-/);
  });
});

describe('a multi-interface source without subnet data (src/engine/resolve.ts)', () => {
  it('as given: blocked on eth1, which holds the destination subnet', async () => {
    const s = await scenario('multi-eni-source-routed');
    expect(answer(s.docs, s.question).verdict).toBe('blocked');
  });

  it('without the subnets: which interface the traffic leaves through is unknown, not the primary by default', async () => {
    const s = await scenario('multi-eni-source-routed');
    delete docWith(s.docs, 'Subnets').Subnets;
    const a = answer(s.docs, s.question);
    expect(a.verdict).not.toBe('reachable');
    const u = a.unknowns.find((x) => x.layer === 'network-interface' && x.code === 'MISSING_DATA');
    expect(u?.message).toMatch(/^The subnets subnet-.* of instance i-.* \(batch-1\)'s interfaces are not in the data: .* which interface the traffic to it leaves through is unknown/);
    expect(a.interpretation?.join(' ')).toMatch(/answered for the primary interface eth0 .*, though the data cannot show which one/);
    expect(u?.missing).toMatch(/^aws ec2 describe-subnets --subnet-ids subnet-/);
  });
});

describe('VPN tunnel telemetry (src/model/build-hybrid.ts, src/trace/hybrid.ts)', () => {
  for (const [name, given] of [['vgw-vpn-tunnels-down', 'blocked'], ['vgw-vpn-static-ok', 'reachable']] as const) {
    it(`${name}: ${given} as given; without VgwTelemetry, or with an empty one, the tunnel state is unknown`, async () => {
      const s = await scenario(name);
      expect(answer(s.docs, s.question).verdict).toBe(given);
      for (const telemetry of [undefined, []]) {
        const docs = structuredClone(s.docs);
        const c = docWith(docs, 'VpnConnections').VpnConnections[0];
        if (telemetry === undefined) delete c.VgwTelemetry;
        else c.VgwTelemetry = telemetry;
        const a = answer(docs, s.question);
        expect(a.verdict).toBe('unknown');
        const u = a.unknowns.find((x) => x.resourceId === c.VpnConnectionId);
        expect(u?.message).toMatch(/tunnel status .* is not in the data/);
        expect(u?.missing).toBe(`aws ec2 describe-vpn-connections --vpn-connection-ids ${c.VpnConnectionId} --query 'VpnConnections[].VgwTelemetry'`);
        expect(a.warnings.join(' ')).not.toMatch(/assumed up/);
      }
    });
  }
});

describe('a load balancer zone whose interface is not found (src/engine/load-balancer.ts)', () => {
  async function garbled(): Promise<{ docs: RawDoc[]; question: string; eni: Obj }> {
    const s = await scenario('alb-health-check-one-zone');
    const enis = docWith(s.docs, 'NetworkInterfaces').NetworkInterfaces as Obj[];
    // The node that the scenario finds blocked (us-east-1b).
    const eni = enis.find((e) => /^ELB app\//.test(e.Description) && e.AvailabilityZone === 'us-east-1b')!;
    expect(eni).toBeDefined();
    return { ...s, eni };
  }

  it('as given: blocked in one zone', async () => {
    const s = await garbled();
    expect(answer(s.docs, s.question).verdict).toBe('blocked');
  });

  for (const how of ['garbled description', 'interface missing']) {
    it(`${how}: that zone is unknown, named with its subnet, not silently absent`, async () => {
      const s = await garbled();
      if (how === 'garbled description') s.eni.Description = 'garbage';
      else {
        const d = docWith(s.docs, 'NetworkInterfaces');
        d.NetworkInterfaces = d.NetworkInterfaces.filter((e: Obj) => e !== s.eni);
      }
      const a = answer(s.docs, s.question);
      expect(a.verdict).toBe('unknown');
      const u = a.unknowns.find((x) => x.resourceId === s.eni.SubnetId);
      expect(u?.message).toMatch(/has a node in us-east-1b subnet-.*, but no network interface in the data there is described "ELB app\/orders\//);
      expect(u?.missing).toContain('aws ec2 describe-network-interfaces --filters ');
      expect(u?.missing).toContain(`Name=subnet-id,Values=${s.eni.SubnetId}`);
      expect(a.summary).toMatch(/us-east-1b: cannot be decided/);
      expect(a.summary).toMatch(/2 Availability Zones/);
    });
  }
});

describe('a public address one copy of the data gives an interface and the other does not (src/model/build-interfaces.ts, src/engine/resolve.ts)', () => {
  it('as given: blocked at the destination interface', async () => {
    const s = await scenario('public-ip-to-public-ip');
    expect(answer(s.docs, s.question).verdict).toBe('blocked');
  });

  for (const how of ['Association deleted', 'Association {}', 'PublicIp deleted']) {
    it(`${how} in describe-network-interfaces while describe-instances still lists it: unknown, not an internet address`, async () => {
      const s = await scenario('public-ip-to-public-ip');
      const eni = (docWith(s.docs, 'NetworkInterfaces').NetworkInterfaces as Obj[]).find((e) => e.Association?.PublicIp === '54.210.40.30')!;
      if (how === 'Association deleted') delete eni.Association;
      else if (how === 'Association {}') eni.Association = {};
      else delete eni.Association.PublicIp;
      for (const p of eni.PrivateIpAddresses ?? []) if (p.Association?.PublicIp === '54.210.40.30') delete p.Association;
      const a = answer(s.docs, s.question);
      expect(a.verdict).toBe('unknown');
      const u = a.unknowns.find((x) => x.resourceId === eni.NetworkInterfaceId);
      expect(u?.message).toMatch(/54\.210\.40\.30 is the public address of eni-.* in describe-instances, but describe-network-interfaces shows no such address/);
      expect(u?.missing).toBe(`aws ec2 describe-network-interfaces --network-interface-ids ${eni.NetworkInterfaceId}`);
      expect(a.summary.startsWith('54.210.40.30: cannot be decided')).toBe(true);
    });
  }

  it('without describe-instances, an address no interface holds is an internet address (a valid snapshot, answered from the source side)', async () => {
    const s = await scenario('public-ip-to-public-ip');
    const eni = (docWith(s.docs, 'NetworkInterfaces').NetworkInterfaces as Obj[]).find((e) => e.Association?.PublicIp === '54.210.40.30')!;
    delete eni.Association;
    for (const p of eni.PrivateIpAddresses ?? []) delete p.Association;
    const docs = s.docs.filter((d) => !Array.isArray((d.data as Obj).Reservations));
    expect(answer(docs, s.question).unknowns.some((x) => /describe-instances/.test(x.message))).toBe(false);
  });
});
