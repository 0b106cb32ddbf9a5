/**
 * Builds the Model from raw describe-* documents. Pure: no I/O. Unknown top-level keys are
 * ignored; structurally broken input raises one BAD_SNAPSHOT error listing every problem
 * with its file and JSON path.
 */
import { SgwhyError } from '../errors/errors.js';
import type { Cidr } from '../net/ip.js';
import type { RawDoc } from './raw.js';
import { type Ctx, Problems, isObj, list } from './read.js';
import { addPrefixList, addRouteTable, addSubnet, addVpc, readPlEntries } from './build-network.js';
import { addNacl, addSecurityGroup } from './build-filters.js';
import { addInstance, mergeEni, readEni } from './build-interfaces.js';
import { addEndpoint, addIgw, addNat, addPeering, addTgw, addTgwAttachment, addTgwRouteTable, readTgwRoutes } from './build-gateways.js';
import type { Eni, Model, TgwRoute } from './types.js';
import { Quarantine } from './quarantine.js';
import { checkItem } from './validate.js';
import { applyHybrid, readHybrid } from './build-hybrid.js';

/** Top-level keys sgwhy understands (others are ignored). */
export const KNOWN_KEYS = [
  'Vpcs', 'Subnets', 'SecurityGroups', 'NetworkAcls', 'RouteTables', 'NetworkInterfaces', 'Reservations',
  'InternetGateways', 'NatGateways', 'VpcPeeringConnections', 'TransitGateways', 'TransitGatewayAttachments',
  'TransitGatewayVpcAttachments', 'TransitGatewayRouteTables', 'TransitGatewayStaticRoutes', 'PrefixLists',
  'ManagedPrefixLists', 'ManagedPrefixListEntries', 'VpcEndpoints',
] as const;

export interface BuildOptions {
  /** --skip-bad-files: a group, ACL, route table or interface failing the field checks leaves its layer unknown (quarantine.ts) instead of an error. */
  skipBad?: boolean;
}

export function buildModel(docs: readonly RawDoc[], opts: BuildOptions = {}): Model {
  const problems = new Problems();
  const quarantine = new Quarantine();
  const m: Model = {
    vpcs: new Map(), subnets: new Map(), securityGroups: new Map(), networkAcls: new Map(), routeTables: new Map(),
    enis: new Map(), instances: new Map(), prefixLists: new Map(), peerings: new Map(), transitGateways: new Map(),
    tgwAttachments: new Map(), tgwRouteTables: new Map(), internetGateways: new Map(), natGateways: new Map(),
    vpcEndpoints: new Map(),
    index: {
      addressOwners: new Map(), groupMembers: new Map(), subnetNacl: new Map(), subnetRouteTable: new Map(),
      mainRouteTable: new Map(), vpcGroups: new Map(), vpcRouteTables: new Map(),
    },
    present: new Set(), warnings: [],
  };
  const instanceEnis: Array<{ eni: Eni; fromInstance: true }> = [];
  const pendingTgwRoutes: Array<{ rtbId: string; routes: TgwRoute[] }> = [];
  const pendingPlEntries: Array<{ id: string; cidrs: Cidr[] }> = [];

  for (const doc of docs) {
    const f = doc.file;
    if (!isObj(doc.data)) {
      problems.add(f, '$', 'expected a JSON object (the output of an aws ec2 describe-* call)');
      continue;
    }
    for (const key of KNOWN_KEYS) {
      if (!(key in doc.data)) continue;
      const value = doc.data[key];
      if (!Array.isArray(value)) {
        problems.add(f, key, `expected an array, found ${value === null ? 'null' : typeof value}`);
        continue;
      }
      m.present.add(key);
      // The live collector fetches only what the path needs: such a list may be partial.
      if (f.startsWith('live:')) (m.partialKeys ??= new Set()).add(key);
      const ctx: Ctx = { file: f, accountId: doc.accountId, region: doc.region, problems };
      value.forEach((item, i) => {
        const ptr = `${key}[${i}]`;
        if (!isObj(item)) {
          problems.add(f, ptr, 'expected an object');
          return;
        }
        const bad = checkItem(key, item, ptr); // validate.ts: missing, wrong-type and out-of-range fields
        if (bad.length) {
          if (!(opts.skipBad && quarantine.take(key, item, f, ptr, bad))) for (const b of bad) problems.add(f, b.pointer, b.message);
          return;
        }
        switch (key) {
          case 'Vpcs': return addVpc(m, item, ptr, ctx);
          case 'Subnets': return addSubnet(m, item, ptr, ctx);
          case 'SecurityGroups': return addSecurityGroup(m, item, ptr, ctx);
          case 'NetworkAcls': return addNacl(m, item, ptr, ctx);
          case 'RouteTables': return addRouteTable(m, item, ptr, ctx);
          case 'NetworkInterfaces': {
            const eni = readEni(item, ptr, ctx);
            if (eni) mergeEni(m, eni, false);
            return;
          }
          case 'Reservations':
            for (const [j, inst] of list(item, 'Instances').entries()) addInstance(m, inst, `${ptr}.Instances[${j}]`, ctx, instanceEnis);
            return;
          case 'InternetGateways': return addIgw(m, item, ptr, ctx);
          case 'NatGateways': return addNat(m, item, ptr, ctx);
          case 'VpcPeeringConnections': return addPeering(m, item, ptr, ctx);
          case 'TransitGateways': return addTgw(m, item, ptr, ctx);
          case 'TransitGatewayAttachments':
          case 'TransitGatewayVpcAttachments': return addTgwAttachment(m, item, ptr, ctx, key === 'TransitGatewayVpcAttachments');
          case 'TransitGatewayRouteTables': return addTgwRouteTable(m, item, ptr, ctx);
          case 'TransitGatewayStaticRoutes': return readTgwRoutes(item, ptr, ctx, pendingTgwRoutes);
          case 'PrefixLists':
          case 'ManagedPrefixLists': return addPrefixList(m, item, ptr, ctx, pendingPlEntries);
          case 'ManagedPrefixListEntries': return readPlEntries(item, ptr, ctx, pendingPlEntries);
          case 'VpcEndpoints': return addEndpoint(m, item, ptr, ctx);
        }
      });
    }
  }
  const hybrid = readHybrid(docs, problems);
  if (problems.list.length > 0) {
    throw new SgwhyError('BAD_SNAPSHOT', `The snapshot has ${problems.list.length} problem(s):\n  ${problems.list.join('\n  ')}`, {
      details: { problems: problems.list },
    });
  }

  for (const { eni } of instanceEnis) mergeEni(m, eni, true);
  for (const { rtbId, routes } of pendingTgwRoutes) {
    const t = m.tgwRouteTables.get(rtbId) ?? { id: rtbId, tgwId: '', routes: null };
    t.routes = [...(t.routes ?? []), ...routes];
    m.tgwRouteTables.set(rtbId, t);
  }
  for (const { id, cidrs } of pendingPlEntries) {
    const pl = m.prefixLists.get(id) ?? { id, cidrs: null };
    pl.cidrs = [...(pl.cidrs ?? []), ...cidrs];
    m.prefixLists.set(id, pl);
  }
  if (hybrid.present.size) {
    m.hybrid = hybrid.hybrid;
    for (const k of hybrid.present) m.present.add(k);
    applyHybrid(m, hybrid.hybrid);
  }
  quarantine.drop(m);
  buildIndexes(m);
  quarantine.pin(m);
  return m;
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const a = map.get(key);
  if (a) a.push(value);
  else map.set(key, [value]);
}

function buildIndexes(m: Model): void {
  const ix = m.index;
  for (const eni of m.enis.values()) {
    for (const a of eni.privateIps) pushTo(ix.addressOwners, a.text, { eniId: eni.id, kind: 'private' as const });
    for (const a of eni.ipv6) pushTo(ix.addressOwners, a.text, { eniId: eni.id, kind: 'ipv6' as const });
    for (const p of eni.publicIps) pushTo(ix.addressOwners, p.publicIp.text, { eniId: eni.id, kind: 'public' as const });
    for (const g of eni.groupIds) pushTo(ix.groupMembers, g, eni.id);
    // Fill in region/owner from the subnet when the ENI record lacks them.
    const subnet = m.subnets.get(eni.subnetId);
    eni.region ??= subnet?.region;
    eni.ownerId ??= subnet?.ownerId;
  }
  for (const nacl of m.networkAcls.values()) for (const s of nacl.subnetIds) ix.subnetNacl.set(s, nacl.id);
  for (const rt of m.routeTables.values()) {
    for (const s of rt.subnetIds) ix.subnetRouteTable.set(s, rt.id);
    if (rt.main) ix.mainRouteTable.set(rt.vpcId, rt.id);
    pushTo(ix.vpcRouteTables, rt.vpcId, rt.id);
  }
  for (const sg of m.securityGroups.values()) if (sg.vpcId) pushTo(ix.vpcGroups, sg.vpcId, sg.id);
}
