/**
 * Field checks for raw describe-* objects, before the model builder reads them. Pure.
 *
 * Everything in a snapshot is untrusted. A security group rule, a network ACL entry, a route or a
 * network interface whose fields are missing, of the wrong type or out of range is a problem named
 * by file and JSON path; the builder never fills the gap with a default that could widen access.
 * The only "all" is what AWS itself defines: protocol "-1" (and no port range on a NACL entry for
 * protocol -1). A tcp/udp rule without both ports, ports outside 0-65535 or reversed, a NACL entry
 * without Egress or without a PortRange for tcp/udp, a route without State or target, an interface
 * without Groups: all problems.
 *
 * Ids taken from data must look like AWS ids (`isAwsId`): a prefix naming the kind and a body of
 * lower-case letters and digits. AWS's own bodies are 8 or 17 hex digits; the wider body alphabet
 * keeps hand-written fixtures readable and is still inert in a shell, a terminal and Slack.
 */
import { parseCidr } from '../net/ip.js';
import { ACCOUNT_ID } from './aws-names.js';
import { Checker, isAwsId, isInt, isObj, show, type AwsIdPrefix, type FieldProblem, type Obj } from './field-checker.js';

export { isAwsId, type AwsIdPrefix, type FieldProblem } from './field-checker.js';

/** us-east-1a, eu-west-2c, us-east-1-bos-1a (Local Zones). */
const AZ = /^[a-z]{2}(?:-[a-z0-9]+)+$/;

type ProtoKind = 'all' | 'ported' | 'icmp' | 'other';

/** AWS protocol spellings: "-1" (all), names, or a number 0-255 as a string. "all" is not AWS's. */
function protoKind(c: Checker, o: Obj, key: string, path: string): ProtoKind | undefined {
  const v = o[key];
  const at = `${path}.${key}`;
  if (typeof v !== 'string') {
    c.add(at, v === undefined ? `missing ${key}` : `${key} must be a string such as "tcp", "6" or "-1", found ${show(v)}`);
    return undefined;
  }
  const s = v.toLowerCase();
  if (s === '-1') return 'all';
  if (s === 'tcp' || s === 'udp' || s === '6' || s === '17') return 'ported';
  if (s === 'icmp' || s === 'icmpv6' || s === '1' || s === '58') return 'icmp';
  if (/^(0|[1-9]\d{0,2})$/.test(s) && Number(s) <= 255) return 'other';
  c.add(at, `unknown protocol ${show(v)}`);
  return undefined;
}

/** ICMP type and code: -1 (any) or 0-255; any type means any code. */
function icmpPair(c: Checker, o: Obj, typeKey: string, codeKey: string, path: string): void {
  const t = c.int(o, typeKey, -1, 255, path);
  const k = c.int(o, codeKey, -1, 255, path);
  if (t === -1 && k !== undefined && k !== -1) c.add(`${path}.${codeKey}`, `${codeKey} must be -1 when ${typeKey} is -1 (all ICMP types)`);
}

function permissions(c: Checker, o: Obj, key: 'IpPermissions' | 'IpPermissionsEgress'): void {
  c.objects(o, key, '', true).forEach((p, i) => {
    const at = `${key}[${i}]`;
    const kind = protoKind(c, p, 'IpProtocol', at);
    if (kind === 'ported') {
      const from = c.int(p, 'FromPort', 0, 65535, at);
      const to = c.int(p, 'ToPort', 0, 65535, at);
      if (from !== undefined && to !== undefined && from > to) c.add(`${at}.ToPort`, `port range ${from}-${to} is reversed`);
    } else if (kind === 'icmp') icmpPair(c, p, 'FromPort', 'ToPort', at);
    else if (kind !== undefined) {
      for (const k of ['FromPort', 'ToPort']) if (p[k] !== undefined && !isInt(p[k])) c.add(`${at}.${k}`, `${k} must be a whole number, found ${show(p[k])}`);
    }
    c.objects(p, 'IpRanges', at).forEach((r, j) => {
      c.cidr(r, 'CidrIp', 4, `${at}.IpRanges[${j}]`, true);
      c.string(r, 'Description', `${at}.IpRanges[${j}]`);
    });
    c.objects(p, 'Ipv6Ranges', at).forEach((r, j) => {
      c.cidr(r, 'CidrIpv6', 6, `${at}.Ipv6Ranges[${j}]`, true);
      c.string(r, 'Description', `${at}.Ipv6Ranges[${j}]`);
    });
    c.objects(p, 'PrefixListIds', at).forEach((r, j) => {
      c.id(r, 'PrefixListId', 'pl', `${at}.PrefixListIds[${j}]`);
      c.string(r, 'Description', `${at}.PrefixListIds[${j}]`);
    });
    c.objects(p, 'UserIdGroupPairs', at).forEach((r, j) => {
      const rp = `${at}.UserIdGroupPairs[${j}]`;
      c.id(r, 'GroupId', 'sg', rp);
      c.id(r, 'VpcId', 'vpc', rp, false);
      c.id(r, 'VpcPeeringConnectionId', 'pcx', rp, false);
      const user = c.string(r, 'UserId', rp);
      if (user !== undefined && !ACCOUNT_ID.test(user) && user !== 'amazon-elb') c.add(`${rp}.UserId`, `UserId ${show(user)} is not an account id`);
      c.string(r, 'Description', rp);
    });
  });
}

function securityGroup(c: Checker, o: Obj): void {
  c.id(o, 'GroupId', 'sg');
  c.id(o, 'VpcId', 'vpc', '', false);
  c.account(o, 'OwnerId');
  permissions(c, o, 'IpPermissions');
  permissions(c, o, 'IpPermissionsEgress');
}

function networkAcl(c: Checker, o: Obj): void {
  c.id(o, 'NetworkAclId', 'acl');
  c.id(o, 'VpcId', 'vpc');
  c.account(o, 'OwnerId');
  c.bool(o, 'IsDefault');
  c.objects(o, 'Entries', '', true).forEach((e, i) => {
    const at = `Entries[${i}]`;
    c.int(e, 'RuleNumber', 1, 32768, at); // 32767 and 32768 are AWS's own "*" entries (IPv4, IPv6)
    c.bool(e, 'Egress', at, true);
    const action = c.string(e, 'RuleAction', at, true);
    if (action !== undefined && action !== 'allow' && action !== 'deny') c.add(`${at}.RuleAction`, `RuleAction must be "allow" or "deny", found ${show(action)}`);
    const hasV4 = e.CidrBlock !== undefined;
    const hasV6 = e.Ipv6CidrBlock !== undefined;
    if (hasV4 === hasV6) c.add(at, hasV4 ? 'both CidrBlock and Ipv6CidrBlock' : 'missing CidrBlock');
    else if (hasV4) c.cidr(e, 'CidrBlock', 4, at);
    else c.cidr(e, 'Ipv6CidrBlock', 6, at);
    const kind = protoKind(c, e, 'Protocol', at);
    if (kind === 'ported') {
      if (!isObj(e.PortRange)) c.add(`${at}.PortRange`, e.PortRange === undefined ? 'missing PortRange (required for tcp and udp entries)' : `PortRange must be an object, found ${show(e.PortRange)}`);
      else {
        const from = c.int(e.PortRange, 'From', 0, 65535, `${at}.PortRange`);
        const to = c.int(e.PortRange, 'To', 0, 65535, `${at}.PortRange`);
        if (from !== undefined && to !== undefined && from > to) c.add(`${at}.PortRange`, `port range ${from}-${to} is reversed`);
      }
    } else if (kind === 'icmp') {
      if (!isObj(e.IcmpTypeCode)) c.add(`${at}.IcmpTypeCode`, e.IcmpTypeCode === undefined ? 'missing IcmpTypeCode (required for icmp entries)' : `IcmpTypeCode must be an object, found ${show(e.IcmpTypeCode)}`);
      else icmpPair(c, e.IcmpTypeCode, 'Type', 'Code', `${at}.IcmpTypeCode`);
    }
  });
  c.objects(o, 'Associations', '', true).forEach((a, i) => c.id(a, 'SubnetId', 'subnet', `Associations[${i}]`));
}

/** Route target fields and the id kind each holds (GatewayId: "local", igw-, vgw-, vpce-…; CoreNetworkArn: an ARN). */
const ROUTE_TARGETS: ReadonlyArray<[string, AwsIdPrefix | null]> = [
  ['GatewayId', null], ['VpcPeeringConnectionId', 'pcx'], ['TransitGatewayId', 'tgw'], ['NatGatewayId', 'nat'], ['EgressOnlyInternetGatewayId', 'eigw'],
  ['NetworkInterfaceId', 'eni'], ['InstanceId', 'i'], ['LocalGatewayId', 'lgw'], ['CarrierGatewayId', 'cagw'], ['CoreNetworkArn', null],
];

function routeTable(c: Checker, o: Obj): void {
  c.id(o, 'RouteTableId', 'rtb');
  c.id(o, 'VpcId', 'vpc');
  c.account(o, 'OwnerId');
  c.objects(o, 'Routes', '', true).forEach((r, i) => {
    const at = `Routes[${i}]`;
    const dests = ['DestinationCidrBlock', 'DestinationIpv6CidrBlock', 'DestinationPrefixListId'].filter((k) => r[k] !== undefined);
    if (dests.length !== 1) c.add(at, dests.length ? `more than one destination (${dests.join(', ')})` : 'route has no destination');
    else if (dests[0] === 'DestinationCidrBlock') c.cidr(r, 'DestinationCidrBlock', 4, at);
    else if (dests[0] === 'DestinationIpv6CidrBlock') c.cidr(r, 'DestinationIpv6CidrBlock', 6, at);
    else c.id(r, 'DestinationPrefixListId', 'pl', at);
    const state = c.string(r, 'State', at, true);
    if (state !== undefined && state !== 'active' && state !== 'blackhole') c.add(`${at}.State`, `State must be "active" or "blackhole", found ${show(state)}`);
    const targets = ROUTE_TARGETS.filter(([k]) => r[k] !== undefined);
    if (targets.length === 0) c.add(at, 'route has no target');
    for (const [k, prefix] of targets) {
      if (prefix) c.id(r, k, prefix, at);
      else c.anyId(r, k, at);
    }
    c.string(r, 'Origin', at);
  });
  c.objects(o, 'Associations', '', true).forEach((a, i) => {
    const at = `Associations[${i}]`;
    const main = c.bool(a, 'Main', at);
    const subnet = c.id(a, 'SubnetId', 'subnet', at, false);
    const gateway = a.GatewayId;
    if (gateway !== undefined) c.anyId(a, 'GatewayId', at);
    if (main !== true && subnet === undefined && gateway === undefined && a.SubnetId === undefined) c.add(at, 'association is neither Main nor for a SubnetId or GatewayId');
    if (a.AssociationState !== undefined) {
      if (!isObj(a.AssociationState)) c.add(`${at}.AssociationState`, `AssociationState must be an object, found ${show(a.AssociationState)}`);
      else c.string(a.AssociationState, 'State', `${at}.AssociationState`, true);
    }
  });
}

/** An interface from describe-network-interfaces, or embedded in an instance (which may supply SubnetId/VpcId). */
function networkInterface(c: Checker, o: Obj, path = '', embedded = false): void {
  c.id(o, 'NetworkInterfaceId', 'eni', path);
  c.id(o, 'SubnetId', 'subnet', path, !embedded);
  c.id(o, 'VpcId', 'vpc', path, !embedded);
  c.account(o, 'OwnerId', path);
  if (o.Attachment !== undefined) {
    if (!isObj(o.Attachment)) c.add(`${path ? `${path}.` : ''}Attachment`, `Attachment must be an object, found ${show(o.Attachment)}`);
    else c.id(o.Attachment, 'InstanceId', 'i', `${path ? `${path}.` : ''}Attachment`, false);
  }
  // What kind of interface it is decides whether security groups filter it: an AWS-managed
  // interface (RequesterManaged) must say so, and any InterfaceType must look like one.
  const kind = c.string(o, 'InterfaceType', path, o.RequesterManaged === true);
  if (kind !== undefined && !/^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(kind)) c.add(`${path ? `${path}.` : ''}InterfaceType`, `InterfaceType ${show(kind)} is not an interface type`);
  c.bool(o, 'RequesterManaged', path);
  c.string(o, 'Description', path, o.RequesterManaged === true); // names the owner of a managed interface (ELB app/…, NAT Gateway nat-…)
  c.objects(o, 'Groups', path, true).forEach((g, i) => c.id(g, 'GroupId', 'sg', `${path ? `${path}.` : ''}Groups[${i}]`));
  c.string(o, 'PrivateIpAddress', path);
  // A public address association, when present, names its address (else the address would pass for the internet's).
  const association = (x: Obj, at: string) => {
    if (x.Association === undefined) return;
    if (!isObj(x.Association)) c.add(`${at}Association`, `Association must be an object, found ${show(x.Association)}`);
    else c.string(x.Association, 'PublicIp', `${at}Association`); // moto writes {} for "no public address"
  };
  association(o, path ? `${path}.` : '');
  c.objects(o, 'PrivateIpAddresses', path).forEach((p, i) => {
    c.string(p, 'PrivateIpAddress', `${path ? `${path}.` : ''}PrivateIpAddresses[${i}]`, true);
    c.bool(p, 'Primary', `${path ? `${path}.` : ''}PrivateIpAddresses[${i}]`);
    association(p, `${path ? `${path}.` : ''}PrivateIpAddresses[${i}].`);
  });
  c.objects(o, 'Ipv6Addresses', path).forEach((p, i) => c.string(p, 'Ipv6Address', `${path ? `${path}.` : ''}Ipv6Addresses[${i}]`, true));
  c.string(o, 'Status', path);
}

function subnet(c: Checker, o: Obj): void {
  c.id(o, 'SubnetId', 'subnet');
  c.id(o, 'VpcId', 'vpc');
  c.account(o, 'OwnerId');
  // The zone decides whether a transit gateway attachment serves the subnet: never guessed.
  const az = c.string(o, 'AvailabilityZone', '', true);
  if (az !== undefined && !AZ.test(az)) c.add('AvailabilityZone', `AvailabilityZone ${show(az)} is not an Availability Zone name`);
  if (o.Ipv6Native !== true) c.cidr(o, 'CidrBlock', 4, '', true);
}

function reservation(c: Checker, o: Obj): void {
  c.objects(o, 'Instances', '', true).forEach((inst, i) => {
    const at = `Instances[${i}]`;
    c.id(inst, 'InstanceId', 'i', at);
    c.id(inst, 'SubnetId', 'subnet', at, false);
    c.id(inst, 'VpcId', 'vpc', at, false);
    c.objects(inst, 'NetworkInterfaces', at).forEach((n, j) => networkInterface(c, n, `${at}.NetworkInterfaces[${j}]`, true));
  });
}

function tgwRoutes(c: Checker, o: Obj): void {
  c.id(o, 'TransitGatewayRouteTableId', 'tgw-rtb');
  c.objects(o, 'Routes', '', true).forEach((r, i) => {
    const at = `Routes[${i}]`;
    if (r.DestinationCidrBlock !== undefined) c.cidr(r, 'DestinationCidrBlock', parseCidr(String(r.DestinationCidrBlock))?.family === 6 ? 6 : 4, at);
    else c.id(r, 'PrefixListId', 'pl', at);
    const state = c.string(r, 'State', at, true);
    if (state !== undefined && !['active', 'blackhole', 'pending', 'deleting', 'deleted'].includes(state)) c.add(`${at}.State`, `unknown State ${show(state)}`);
    c.string(r, 'Type', at, true);
    c.objects(r, 'TransitGatewayAttachments', at).forEach((a, j) => c.id(a, 'TransitGatewayAttachmentId', 'tgw-attach', `${at}.TransitGatewayAttachments[${j}]`));
  });
}

function prefixListEntries(c: Checker, o: Obj): void {
  c.id(o, 'PrefixListId', 'pl');
  c.objects(o, 'Entries').forEach((e, i) => {
    const v = c.string(e, 'Cidr', `Entries[${i}]`, true);
    if (v !== undefined && !parseCidr(v)) c.add(`Entries[${i}].Cidr`, `Cidr ${show(v)} is not a CIDR block`);
  });
}

const CHECKS: Partial<Record<string, (c: Checker, o: Obj) => void>> = {
  SecurityGroups: securityGroup,
  NetworkAcls: networkAcl,
  RouteTables: routeTable,
  NetworkInterfaces: (c, o) => networkInterface(c, o),
  Subnets: subnet,
  Vpcs: (c, o) => void c.id(o, 'VpcId', 'vpc'),
  Reservations: reservation,
  TransitGatewayStaticRoutes: tgwRoutes,
  ManagedPrefixListEntries: prefixListEntries,
  PrefixLists: (c, o) => void c.id(o, 'PrefixListId', 'pl'),
  ManagedPrefixLists: (c, o) => void c.id(o, 'PrefixListId', 'pl'),
  VpcPeeringConnections: (c, o) => {
    c.id(o, 'VpcPeeringConnectionId', 'pcx');
    if (!isObj(o.Status)) c.add('Status', 'missing Status');
    else c.string(o.Status, 'Code', 'Status', true);
  },
  TransitGateways: (c, o) => {
    c.id(o, 'TransitGatewayId', 'tgw');
    c.string(o, 'State', '', true);
  },
  TransitGatewayAttachments: (c, o) => {
    c.id(o, 'TransitGatewayAttachmentId', 'tgw-attach');
    c.id(o, 'TransitGatewayId', 'tgw');
    c.string(o, 'State', '', true);
  },
  TransitGatewayVpcAttachments: (c, o) => {
    c.id(o, 'TransitGatewayAttachmentId', 'tgw-attach');
    c.id(o, 'TransitGatewayId', 'tgw');
    // moto also lists VPN attachments here, without VpcId: only an attachment to a VPC has subnets.
    c.id(o, 'VpcId', 'vpc', '', false);
    c.string(o, 'State', '', true);
    // Which Availability Zones a VPC attachment serves: required, never "all".
    if (o.VpcId === undefined && o.SubnetIds === undefined) return;
    if (!Array.isArray(o.SubnetIds)) c.add(o.SubnetIds === undefined ? '' : 'SubnetIds', o.SubnetIds === undefined ? 'missing SubnetIds' : `SubnetIds must be an array, found ${show(o.SubnetIds)}`);
    else o.SubnetIds.forEach((s, i) => { if (!isAwsId('subnet', s)) c.add(`SubnetIds[${i}]`, `${show(s)} is not a subnet- id`); });
  },
  TransitGatewayRouteTables: (c, o) => void c.id(o, 'TransitGatewayRouteTableId', 'tgw-rtb'),
  VpnConnections: (c, o) => {
    c.id(o, 'VpnConnectionId', 'vpn');
    c.string(o, 'State', '', true);
    c.id(o, 'VpnGatewayId', 'vgw', '', false);
    c.id(o, 'TransitGatewayId', 'tgw', '', false);
    c.id(o, 'CustomerGatewayId', 'cgw', '', false);
    c.objects(o, 'Routes').forEach((r, i) => {
      c.cidr(r, 'DestinationCidrBlock', parseCidr(String(r.DestinationCidrBlock))?.family === 6 ? 6 : 4, `Routes[${i}]`, true);
      c.string(r, 'State', `Routes[${i}]`, true);
    });
    // Tunnel state decides whether traffic crosses: a garbled one is never read as up. (Absent or
    // empty telemetry is the tracer's to treat as unknown.)
    c.objects(o, 'VgwTelemetry').forEach((t, i) => {
      const status = c.string(t, 'Status', `VgwTelemetry[${i}]`, true);
      if (status !== undefined && status !== 'UP' && status !== 'DOWN') c.add(`VgwTelemetry[${i}].Status`, `Status must be "UP" or "DOWN", found ${show(status)}`);
    });
  },
  VpnGateways: (c, o) => {
    c.id(o, 'VpnGatewayId', 'vgw');
    c.string(o, 'State', '', true);
    c.objects(o, 'VpcAttachments').forEach((a, i) => {
      c.id(a, 'VpcId', 'vpc', `VpcAttachments[${i}]`);
      c.string(a, 'State', `VpcAttachments[${i}]`, true);
    });
  },
  InternetGateways: (c, o) => {
    c.id(o, 'InternetGatewayId', 'igw');
    c.objects(o, 'Attachments').forEach((a, i) => {
      c.id(a, 'VpcId', 'vpc', `Attachments[${i}]`);
      c.string(a, 'State', `Attachments[${i}]`, true);
    });
  },
  NatGateways: (c, o) => {
    c.id(o, 'NatGatewayId', 'nat');
    c.id(o, 'SubnetId', 'subnet');
    c.id(o, 'VpcId', 'vpc');
    c.string(o, 'State', '', true);
  },
  VpcEndpoints: (c, o) => {
    c.id(o, 'VpcEndpointId', 'vpce');
    c.id(o, 'VpcId', 'vpc');
    c.string(o, 'State', '', true);
  },
};

/**
 * Problems with one item of a top-level describe-* array (`key` is the array's key, `pointer`
 * the item's path, e.g. "SecurityGroups[3]"). Keys sgwhy does not check yet return no problems.
 */
export function checkItem(key: string, item: Obj, pointer: string): FieldProblem[] {
  const check = CHECKS[key];
  if (!check) return [];
  const c = new Checker(pointer);
  check(c, item);
  return c.problems;
}
