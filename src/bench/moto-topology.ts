/**
* Builds network topologies in moto with the SDK (as a user would with the console
 * or CLI), in the default account or — through an assumed role — in another account.
 */
import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateManagedPrefixListCommand,
  CreateNetworkInterfaceCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  AssociateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  CreateVpcPeeringConnectionCommand,
  AcceptVpcPeeringConnectionCommand,
  CreateInternetGatewayCommand,
  AttachInternetGatewayCommand,
  RunInstancesCommand,
  CreateTransitGatewayCommand,
  CreateNetworkAclCommand,
  CreateNetworkAclEntryCommand,
  DescribeNetworkAclsCommand,
  ReplaceNetworkAclAssociationCommand,
  type NetworkAclEntry,
  CreateTransitGatewayVpcAttachmentCommand,
  CreateTransitGatewayRouteTableCommand,
  CreateTransitGatewayRouteCommand,
  EC2Client,
  type IpPermission,
} from '@aws-sdk/client-ec2';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';

export const DEFAULT_ACCOUNT = '123456789012';

/** An EC2 client for account `accountId` in moto (assumed-role credentials select the account). */
export async function builderFor(accountId = DEFAULT_ACCOUNT, region = 'us-east-1'): Promise<Builder> {
  if (accountId === DEFAULT_ACCOUNT) return new Builder(new EC2Client({ region }));
  const sts = new STSClient({ region });
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/builder`, RoleSessionName: 'builder' }));
  sts.destroy();
  const c = out.Credentials!;
  return new Builder(
    new EC2Client({ region, credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! } }),
  );
}

export class Builder {
  constructor(readonly ec2: EC2Client) {}

  async tag(id: string, name: string): Promise<void> {
    await this.ec2.send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: 'Name', Value: name }] }));
  }

  async vpc(cidr: string, name?: string): Promise<string> {
    const id = (await this.ec2.send(new CreateVpcCommand({ CidrBlock: cidr }))).Vpc!.VpcId!;
    if (name) await this.tag(id, name);
    return id;
  }

  async subnet(vpcId: string, cidr: string, name?: string): Promise<string> {
    const id = (await this.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: cidr, AvailabilityZone: 'us-east-1a' }))).Subnet!.SubnetId!;
    if (name) await this.tag(id, name);
    return id;
  }

  async sg(vpcId: string, name: string, rules: { ingress?: IpPermission[]; egress?: IpPermission[] } = {}): Promise<string> {
    const id = (await this.ec2.send(new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: name, Description: name }))).GroupId!;
    if (rules.ingress?.length) await this.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: id, IpPermissions: rules.ingress }));
    if (rules.egress?.length) await this.ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: id, IpPermissions: rules.egress }));
    return id;
  }

  async eni(subnetId: string, ip: string, groups: string[], name?: string): Promise<string> {
    const id = (await this.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetId, PrivateIpAddress: ip, Groups: groups }))).NetworkInterface!
      .NetworkInterfaceId!;
    if (name) await this.tag(id, name);
    return id;
  }

  async instance(subnetId: string, ip: string, groups: string[], name?: string): Promise<string> {
    const out = await this.ec2.send(
      new RunInstancesCommand({ ImageId: 'ami-12c6146b', MinCount: 1, MaxCount: 1, InstanceType: 't3.micro', SubnetId: subnetId, PrivateIpAddress: ip, SecurityGroupIds: groups }),
    );
    const id = out.Instances![0]!.InstanceId!;
    if (name) await this.tag(id, name);
    return id;
  }

  /** A custom NACL with these entries (plus the implicit deny), associated with the subnet. */
  async nacl(vpcId: string, subnetId: string, entries: Array<Required<Pick<NetworkAclEntry, 'RuleNumber' | 'Egress' | 'Protocol' | 'RuleAction' | 'CidrBlock'>> & Pick<NetworkAclEntry, 'PortRange'>>): Promise<string> {
    const id = (await this.ec2.send(new CreateNetworkAclCommand({ VpcId: vpcId }))).NetworkAcl!.NetworkAclId!;
    for (const e of entries) await this.ec2.send(new CreateNetworkAclEntryCommand({ NetworkAclId: id, ...e }));
    const current = await this.ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }));
    const assoc = current.NetworkAcls!.flatMap((a) => a.Associations ?? []).find((a) => a.SubnetId === subnetId)!;
    await this.ec2.send(new ReplaceNetworkAclAssociationCommand({ AssociationId: assoc.NetworkAclAssociationId!, NetworkAclId: id }));
    return id;
  }

  /** An instance with one interface; returns both ids. */
  async instanceWithEni(subnetId: string, ip: string, groups: string[], name?: string): Promise<{ instanceId: string; eniId: string }> {
    const out = await this.ec2.send(
      new RunInstancesCommand({ ImageId: 'ami-12c6146b', MinCount: 1, MaxCount: 1, InstanceType: 't3.micro', SubnetId: subnetId, PrivateIpAddress: ip, SecurityGroupIds: groups }),
    );
    const inst = out.Instances![0]!;
    if (name) await this.tag(inst.InstanceId!, name);
    return { instanceId: inst.InstanceId!, eniId: inst.NetworkInterfaces![0]!.NetworkInterfaceId! };
  }

  async prefixList(name: string, cidrs: string[]): Promise<string> {
    const out = await this.ec2.send(
      new CreateManagedPrefixListCommand({ PrefixListName: name, AddressFamily: 'IPv4', MaxEntries: 10, Entries: cidrs.map((Cidr) => ({ Cidr })) }),
    );
    return out.PrefixList!.PrefixListId!;
  }

  async routeTable(vpcId: string, subnetId: string): Promise<string> {
    const id = (await this.ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!.RouteTableId!;
    await this.ec2.send(new AssociateRouteTableCommand({ RouteTableId: id, SubnetId: subnetId }));
    return id;
  }

  async route(routeTableId: string, cidr: string, target: { VpcPeeringConnectionId?: string; GatewayId?: string; NatGatewayId?: string; TransitGatewayId?: string }): Promise<void> {
    await this.ec2.send(new CreateRouteCommand({ RouteTableId: routeTableId, DestinationCidrBlock: cidr, ...target }));
  }

  async peering(vpcId: string, peerVpcId: string): Promise<string> {
    const id = (await this.ec2.send(new CreateVpcPeeringConnectionCommand({ VpcId: vpcId, PeerVpcId: peerVpcId }))).VpcPeeringConnection!.VpcPeeringConnectionId!;
    await this.ec2.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id }));
    return id;
  }

  async igw(vpcId: string): Promise<string> {
    const id = (await this.ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await this.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: id, VpcId: vpcId }));
    return id;
  }

  /**
   * A TGW with default route-table association (AWS's default): each VPC attached (first subnet),
   * associated with the default table, and a static route per VPC CIDR in that table.
   */
  async tgw(vpcs: Array<{ vpcId: string; subnetId: string; cidr: string }>): Promise<{ tgw: string; rtb: string; attachments: string[] }> {
    const created = (await this.ec2.send(new CreateTransitGatewayCommand({ Description: 'core' }))).TransitGateway!;
    const tgw = created.TransitGatewayId!;
    const rtb = created.Options!.AssociationDefaultRouteTableId!;
    const attachments: string[] = [];
    for (const v of vpcs) {
      const att = (await this.ec2.send(new CreateTransitGatewayVpcAttachmentCommand({ TransitGatewayId: tgw, VpcId: v.vpcId, SubnetIds: [v.subnetId] })))
        .TransitGatewayVpcAttachment!.TransitGatewayAttachmentId!;
      await this.ec2.send(new CreateTransitGatewayRouteCommand({ TransitGatewayRouteTableId: rtb, DestinationCidrBlock: v.cidr, TransitGatewayAttachmentId: att }));
      attachments.push(att);
    }
    // an unrelated, unassociated table: a targeted collection must not read it
    await this.ec2.send(new CreateTransitGatewayRouteTableCommand({ TransitGatewayId: tgw }));
    return { tgw, rtb, attachments };
  }

  destroy(): void {
    this.ec2.destroy();
  }
}

export const tcp = (port: number, from: { cidr?: string; group?: string; prefixList?: string }): IpPermission => ({
  IpProtocol: 'tcp',
  FromPort: port,
  ToPort: port,
  ...(from.cidr ? { IpRanges: [{ CidrIp: from.cidr }] } : {}),
  ...(from.group ? { UserIdGroupPairs: [{ GroupId: from.group }] } : {}),
  ...(from.prefixList ? { PrefixListIds: [{ PrefixListId: from.prefixList }] } : {}),
});

export interface TwoTier {
  vpc: string;
  appSubnet: string;
  dbSubnet: string;
  webSg: string;
  dbSg: string;
  officeList: string;
  appRtb: string;
  igw: string;
  src: string;
  dst: string;
  webPeer: string;
}

/**
 * One VPC, 10.0.0.0/16: web ENI 10.0.2.100 (sg web) in the app subnet, db ENI 10.0.1.50 (sg db:
 * tcp/443 from sg web, tcp/22 from the "office" prefix list) in the db subnet; a second ENI
 * 10.0.2.101 also carries sg web; the app subnet has its own route table with 0.0.0.0/0 → IGW.
 */
export async function twoTier(b: Builder, cidr = '10.0.0.0/16', opts: { instances?: boolean } = {}): Promise<TwoTier> {
  const base = cidr.split('.').slice(0, 2).join('.');
  const vpc = await b.vpc(cidr, 'main');
  const appSubnet = await b.subnet(vpc, `${base}.2.0/24`, 'app');
  const dbSubnet = await b.subnet(vpc, `${base}.1.0/24`, 'db');
  const officeList = await b.prefixList('office', ['192.168.10.0/24']);
  const webSg = await b.sg(vpc, 'web');
  const dbSg = await b.sg(vpc, 'db', { ingress: [tcp(443, { group: webSg }), tcp(22, { prefixList: officeList })] });
  const igw = await b.igw(vpc);
  const appRtb = await b.routeTable(vpc, appSubnet);
  await b.route(appRtb, '0.0.0.0/0', { GatewayId: igw });
  // Instances (attached interfaces) when the engine must see live hosts; bare ENIs otherwise.
  const endpoint = async (subnet: string, ip: string, groups: string[], name: string): Promise<string> =>
    opts.instances ? (await b.instanceWithEni(subnet, ip, groups, name)).eniId : b.eni(subnet, ip, groups, name);
  const src = await endpoint(appSubnet, `${base}.2.100`, [webSg], 'web-1');
  const dst = await endpoint(dbSubnet, `${base}.1.50`, [dbSg], 'db-1');
  const webPeer = await endpoint(appSubnet, `${base}.2.101`, [webSg], 'web-2');
  return { vpc, appSubnet, dbSubnet, webSg, dbSg, officeList, appRtb, igw, src, dst, webPeer };
}
