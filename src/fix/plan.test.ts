/** Quotas the planner checks before proposing a change. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ask } from '../engine/ask.js';
import { buildModel } from '../model/build.js';
import type { RawDoc } from '../model/raw.js';
import { parseQuestion } from '../question/parse.js';
import { readSnapshotDir } from '../snapshot/read.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('groups per interface (quota 5)', () => {
  it('with five groups attached, it does not propose attaching a sixth: it adds a rule instead', async () => {
    const { docs } = await readSnapshotDir(join(import.meta.dirname, '..', '..', 'test', 'scenarios', 'sg-not-attached', 'snapshot'));
    const q = parseQuestion("why can't 10.0.2.100 reach 10.0.1.50:443");
    const before = ask(buildModel(docs), q);
    expect(before.fixes[0]!.operation).toBe('ModifyNetworkInterfaceAttribute');

    // Fill the server's interface up to five groups (four new, empty ones in the same VPC).
    const full: RawDoc[] = structuredClone(docs);
    const sgDoc = full.find((d) => Array.isArray(d.data.SecurityGroups))!;
    const groups = sgDoc.data.SecurityGroups as Obj[];
    const vpcId = groups[0]!.VpcId as string;
    const extra = [1, 2, 3, 4].map((i) => ({ GroupId: `sg-filler${i}`, GroupName: `filler-${i}`, Description: 'x', VpcId: vpcId, IpPermissions: [], IpPermissionsEgress: [] }));
    groups.push(...extra);
    for (const d of full) {
      const enis = [...((d.data.NetworkInterfaces as Obj[]) ?? []), ...((d.data.Reservations as Obj[]) ?? []).flatMap((r) => r.Instances.flatMap((i: Obj) => i.NetworkInterfaces ?? []))];
      for (const e of enis) if (e.PrivateIpAddress === '10.0.1.50') e.Groups = [...e.Groups, ...extra.map((g) => ({ GroupId: g.GroupId, GroupName: g.GroupName }))];
    }
    const after = ask(buildModel(full), q);
    expect(after.verdict).toBe('blocked');
    expect(after.nearMisses.map((n) => n.kind)).toContain('SG_LIMIT');
    expect(after.fixes[0]!.operation).toBe('AuthorizeSecurityGroupIngress');
    expect(after.fixes[0]!.alternatives ?? []).toEqual([]);
  });
});
