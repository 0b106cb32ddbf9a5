/**
 * A generator of large, realistic synthetic AWS accounts in the describe-* JSON layout, for
 * benchmarks. Deterministic for a seed. Sizes: small (CI), medium, large (20,000 ENIs, 5,000
 * security groups, 100,000 rules, 500 subnets, 200 NACLs).
 */
import type { RawDoc } from '../model/raw.js';

export interface Size {
  name: string;
  vpcs: number;
  subnetsPerVpc: number;
  naclsPerVpc: number;
  naclEntries: number;
  routeTablesPerVpc: number;
  groupsPerVpc: number;
  rulesPerGroup: number;
  enisPerVpc: number;
  prefixLists: number;
}

export const SIZES: Record<string, Size> = {
  small: { name: 'small', vpcs: 2, subnetsPerVpc: 5, naclsPerVpc: 2, naclEntries: 12, routeTablesPerVpc: 2, groupsPerVpc: 25, rulesPerGroup: 20, enisPerVpc: 100, prefixLists: 2 },
  medium: { name: 'medium', vpcs: 10, subnetsPerVpc: 25, naclsPerVpc: 10, naclEntries: 30, routeTablesPerVpc: 5, groupsPerVpc: 100, rulesPerGroup: 20, enisPerVpc: 500, prefixLists: 5 },
  large: { name: 'large', vpcs: 20, subnetsPerVpc: 25, naclsPerVpc: 10, naclEntries: 30, routeTablesPerVpc: 5, groupsPerVpc: 250, rulesPerGroup: 20, enisPerVpc: 1000, prefixLists: 5 },
};

export const ACCOUNT = '210987654321';
export const REGION = 'eu-west-1';

/** mulberry32: a small, fast, deterministic PRNG. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (n: number, width = 17) => n.toString(16).padStart(width, '0');
const PORTS = [22, 80, 443, 3306, 5432, 6379, 8080, 8443, 9092, 9200, 11211, 27017];

export interface Generated {
  docs: RawDoc[];
  /** Interfaces as [private IP, VPC index], to draw questions from. */
  addresses: Array<[string, number]>;
  counts: Record<string, number>;
}

export function generate(size: Size, seed = 42): Generated {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const tags = (name: string) => [{ Key: 'Name', Value: name }, { Key: 'team', Value: pick(['payments', 'ledger', 'checkout', 'search', 'platform']) }];
  let serial = 1;
  const id = (prefix: string) => `${prefix}-${hex(serial++)}`;

  const vpcs: object[] = [];
  const subnets: object[] = [];
  const nacls: object[] = [];
  const routeTables: object[] = [];
  const groups: object[] = [];
  const enis: object[] = [];
  const peerings: object[] = [];
  const prefixLists: object[] = [];
  const plEntries: object[] = [];
  const addresses: Array<[string, number]> = [];
  let rules = 0;

  const plIds: string[] = [];
  for (let p = 0; p < size.prefixLists; p++) {
    const plId = id('pl');
    plIds.push(plId);
    prefixLists.push({ PrefixListId: plId, AddressFamily: 'IPv4', State: 'create-complete', PrefixListName: `corp-ranges-${p}`, MaxEntries: 10, Version: 1, OwnerId: ACCOUNT });
    plEntries.push({ PrefixListId: plId, Entries: Array.from({ length: 8 }, (_, k) => ({ Cidr: `172.${16 + p}.${k * 16}.0/20`, Description: `office ${k}` })) });
  }

  const tgwId = id('tgw');
  const tgwRtb = id('tgw-rtb');
  const attachments: object[] = [];
  const tgwRoutes: object[] = [];
  const vpcIds: string[] = [];
  for (let v = 0; v < size.vpcs; v++) vpcIds.push(id('vpc'));
  for (let v = 0; v + 1 < size.vpcs; v++) {
    peerings.push({
      VpcPeeringConnectionId: `pcx-${hex(100000 + v)}`, Status: { Code: 'active', Message: 'Active' },
      RequesterVpcInfo: { VpcId: vpcIds[v], CidrBlock: `10.${v}.0.0/16`, OwnerId: ACCOUNT, Region: REGION },
      AccepterVpcInfo: { VpcId: vpcIds[v + 1], CidrBlock: `10.${v + 1}.0.0/16`, OwnerId: ACCOUNT, Region: REGION },
    });
  }

  for (let v = 0; v < size.vpcs; v++) {
    const vpcId = vpcIds[v]!;
    vpcs.push({ VpcId: vpcId, CidrBlock: `10.${v}.0.0/16`, OwnerId: ACCOUNT, State: 'available', IsDefault: false,
      CidrBlockAssociationSet: [{ CidrBlock: `10.${v}.0.0/16`, CidrBlockState: { State: 'associated' } }], Tags: tags(`vpc-${v}`) });
    const attId = id('tgw-attach');
    attachments.push({ TransitGatewayAttachmentId: attId, TransitGatewayId: tgwId, ResourceType: 'vpc', ResourceId: vpcId, ResourceOwnerId: ACCOUNT, State: 'available',
      Association: { TransitGatewayRouteTableId: tgwRtb, State: 'associated' } });
    tgwRoutes.push({ DestinationCidrBlock: `10.${v}.0.0/16`, TransitGatewayAttachments: [{ TransitGatewayAttachmentId: attId, ResourceId: vpcId, ResourceType: 'vpc' }], Type: 'propagated', State: 'active' });

    const subnetIds: string[] = [];
    for (let s = 0; s < size.subnetsPerVpc; s++) {
      const sid = id('subnet');
      subnetIds.push(sid);
      subnets.push({ SubnetId: sid, VpcId: vpcId, CidrBlock: `10.${v}.${s * 8}.0/21`, AvailabilityZone: `${REGION}${'abc'[s % 3]}`, OwnerId: ACCOUNT, State: 'available', Tags: tags(`subnet-${v}-${s}`) });
    }
    // NACLs: the default one plus custom ones with dozens of entries.
    for (let n = 0; n < size.naclsPerVpc; n++) {
      const entries: object[] = [];
      for (let e = 0; e < size.naclEntries; e++) {
        const egress = e % 2 === 1;
        const deny = r() < 0.15;
        const proto = pick(['6', '6', '17', '-1']);
        const from = proto === '-1' ? undefined : pick(PORTS);
        entries.push({
          RuleNumber: 100 + e * 10, Egress: egress, Protocol: proto, RuleAction: deny ? 'deny' : 'allow',
          CidrBlock: deny ? `10.${int(0, size.vpcs)}.${int(0, 255)}.0/24` : pick(['10.0.0.0/8', `10.${v}.0.0/16`, '0.0.0.0/0']),
          ...(from !== undefined ? { PortRange: e % 4 === 1 ? { From: 1024, To: 65535 } : { From: from, To: from } } : {}),
        });
      }
      entries.push({ RuleNumber: 32767, Egress: false, Protocol: '-1', RuleAction: 'deny', CidrBlock: '0.0.0.0/0' });
      entries.push({ RuleNumber: 32767, Egress: true, Protocol: '-1', RuleAction: 'deny', CidrBlock: '0.0.0.0/0' });
      const mine = subnetIds.filter((_, i) => i % size.naclsPerVpc === n);
      const naclId = id('acl');
      nacls.push({ NetworkAclId: naclId, VpcId: vpcId, IsDefault: n === 0, OwnerId: ACCOUNT, Entries: entries,
        Associations: mine.map((s) => ({ NetworkAclAssociationId: id('aclassoc'), NetworkAclId: naclId, SubnetId: s })), Tags: tags(`nacl-${v}-${n}`) });
    }
    for (let t = 0; t < size.routeTablesPerVpc; t++) {
      const routes: object[] = [{ DestinationCidrBlock: `10.${v}.0.0/16`, GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' }];
      if (v > 0) routes.push({ DestinationCidrBlock: `10.${v - 1}.0.0/16`, VpcPeeringConnectionId: `pcx-${hex(100000 + v - 1)}`, Origin: 'CreateRoute', State: 'active' });
      if (v + 1 < size.vpcs) routes.push({ DestinationCidrBlock: `10.${v + 1}.0.0/16`, VpcPeeringConnectionId: `pcx-${hex(100000 + v)}`, Origin: 'CreateRoute', State: 'active' });
      routes.push({ DestinationCidrBlock: '10.0.0.0/8', TransitGatewayId: tgwId, Origin: 'CreateRoute', State: 'active' });
      routes.push({ DestinationPrefixListId: plIds[0], TransitGatewayId: tgwId, Origin: 'CreateRoute', State: 'active' });
      if (t === 0) routes.push({ DestinationCidrBlock: '0.0.0.0/0', GatewayId: `igw-${hex(v)}`, Origin: 'CreateRoute', State: 'active' });
      const mine = subnetIds.filter((_, i) => i % size.routeTablesPerVpc === t);
      routeTables.push({ RouteTableId: id('rtb'), VpcId: vpcId, OwnerId: ACCOUNT, Routes: routes,
        Associations: [...(t === 0 ? [{ Main: true, RouteTableAssociationId: id('rtbassoc'), AssociationState: { State: 'associated' } }] : []),
          ...mine.map((s) => ({ Main: false, SubnetId: s, RouteTableAssociationId: id('rtbassoc'), AssociationState: { State: 'associated' } }))], Tags: tags(`rt-${v}-${t}`) });
    }
    const groupIds: string[] = [];
    for (let g = 0; g < size.groupsPerVpc; g++) groupIds.push(id('sg'));
    groupIds.forEach((gid, g) => {
      const perms: object[] = [];
      for (let k = 0; k < size.rulesPerGroup; k++) {
        const port = pick(PORTS);
        const kind = r();
        const peer = kind < 0.45 ? { IpRanges: [{ CidrIp: `10.${int(0, size.vpcs - 1)}.${int(0, 255)}.${int(0, 255)}/32`, Description: `host ${k}` }] }
          : kind < 0.75 ? { IpRanges: [{ CidrIp: `10.${int(0, size.vpcs - 1)}.${int(0, 31) * 8}.0/21`, Description: 'subnet' }] }
            : kind < 0.95 ? { UserIdGroupPairs: [{ GroupId: pick(groupIds), UserId: ACCOUNT }] }
              : { PrefixListIds: [{ PrefixListId: pick(plIds) }] };
        perms.push({ IpProtocol: r() < 0.9 ? 'tcp' : 'udp', FromPort: port, ToPort: port, IpRanges: [], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [], ...peer });
        rules++;
      }
      groups.push({ GroupId: gid, GroupName: `app-${v}-${g}`, Description: `service ${g}`, VpcId: vpcId, OwnerId: ACCOUNT, IpPermissions: perms,
        IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] }], Tags: tags(`app-${v}-${g}`) });
    });
    for (let e = 0; e < size.enisPerVpc; e++) {
      const s = int(0, size.subnetsPerVpc - 1);
      const base = `10.${v}.${s * 8 + Math.floor(e / 250) % 8}`;
      const host = (e % 250) + 4;
      const primary = `${base}.${host}`;
      const secondaries = Array.from({ length: r() < 0.2 ? int(1, 2) : 0 }, (_, k) => `10.${v}.${s * 8 + 7}.${(e * 2 + k) % 250 + 4}`);
      const gs = Array.from(new Set(Array.from({ length: int(1, 3) }, () => pick(groupIds))));
      addresses.push([primary, v]);
      enis.push({
        NetworkInterfaceId: id('eni'), SubnetId: subnetIds[s], VpcId: vpcId, AvailabilityZone: `${REGION}${'abc'[s % 3]}`, OwnerId: ACCOUNT, Status: 'in-use',
        InterfaceType: 'interface', PrivateIpAddress: primary, Groups: gs.map((g) => ({ GroupId: g, GroupName: g })),
        PrivateIpAddresses: [{ Primary: true, PrivateIpAddress: primary }, ...secondaries.map((a) => ({ Primary: false, PrivateIpAddress: a }))],
        Ipv6Addresses: [], Attachment: { InstanceId: id('i'), DeviceIndex: 0, Status: 'attached' }, SourceDestCheck: true, TagSet: tags(`eni-${v}-${e}`),
      });
    }
  }
  const at = (name: string, data: Record<string, unknown>): RawDoc => ({ file: `accounts/${ACCOUNT}/${REGION}/${name}.json`, accountId: ACCOUNT, region: REGION, data });
  const docs: RawDoc[] = [
    at('describe-vpcs', { Vpcs: vpcs }),
    at('describe-subnets', { Subnets: subnets }),
    at('describe-network-acls', { NetworkAcls: nacls }),
    at('describe-route-tables', { RouteTables: routeTables }),
    at('describe-security-groups', { SecurityGroups: groups }),
    at('describe-network-interfaces', { NetworkInterfaces: enis }),
    at('describe-vpc-peering-connections', { VpcPeeringConnections: peerings }),
    at('describe-managed-prefix-lists', { PrefixLists: prefixLists }),
    at('get-managed-prefix-list-entries', { ManagedPrefixListEntries: plEntries }),
    at('describe-transit-gateways', { TransitGateways: [{ TransitGatewayId: tgwId, State: 'available', OwnerId: ACCOUNT, Options: { SecurityGroupReferencingSupport: 'disable' } }] }),
    at('describe-transit-gateway-attachments', { TransitGatewayAttachments: attachments }),
    at('describe-transit-gateway-route-tables', { TransitGatewayRouteTables: [{ TransitGatewayRouteTableId: tgwRtb, TransitGatewayId: tgwId, State: 'available' }] }),
    at('search-transit-gateway-routes', { TransitGatewayStaticRoutes: [{ TransitGatewayRouteTableId: tgwRtb, Routes: tgwRoutes }] }),
    at('describe-internet-gateways', { InternetGateways: vpcIds.map((vid, v) => ({ InternetGatewayId: `igw-${hex(v)}`, Attachments: [{ VpcId: vid, State: 'available' }] })) }),
  ];
  return {
    docs, addresses,
    counts: { vpcs: vpcs.length, subnets: subnets.length, nacls: nacls.length, routeTables: routeTables.length, securityGroups: groups.length, sgRules: rules, enis: enis.length },
  };
}
