/**
 * Infrastructure as code: each fix as the Terraform resource block(s) that make the same change
 * (hashicorp/aws provider ≥ 5), and a check for resources an IaC tool manages (CloudFormation
 * stack tags, common Terraform marker tags), so people are warned that an API change will drift
 * from their code.
 *
 * Every string in the HCL comes from JSON.stringify with template sequences ("${", "%{") escaped,
 * so no value from AWS data can inject HCL. Pure: no SDK, no I/O, no clock.
 */
import type { RawDoc } from '../model/raw.js';
import { findObjects, touchedBy } from './inverse.js';
import type { ApiCall } from './simulate.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const objects = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);

/** An HCL string literal. */
export function hclString(s: string): string {
  return JSON.stringify(s).replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

const hclValue = (v: unknown): string =>
  typeof v === 'number' || typeof v === 'boolean' ? String(v) : Array.isArray(v) ? `[${v.map(hclValue).join(', ')}]` : hclString(String(v));

/** A resource label: letters, digits and underscores. */
const label = (s: string): string => s.toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/_+/g, '_').replace(/^_+|_+$/g, '').replace(/^(\d)/, '_$1') || 'sgwhy';

function block(type: string, name: string, attrs: Array<[string, unknown]>, comment?: string): string {
  const present = attrs.filter(([, v]) => v !== undefined && v !== null && v !== '');
  const width = Math.max(0, ...present.map(([k]) => k.length));
  const lines = present.map(([k, v]) => `  ${k.padEnd(width)} = ${hclValue(v)}`);
  return `${comment ? `# ${comment.replace(/\n/g, ' ')}\n` : ''}resource "${type}" "${label(name)}" {\n${lines.join('\n')}\n}`;
}

const PROTOCOLS: Record<string, string> = { '6': 'tcp', '17': 'udp', '1': 'icmp', '58': 'icmpv6', '-1': '-1' };

function sgRules(call: ApiCall, name: string): string[] {
  const type = call.operation.endsWith('Ingress') ? 'aws_vpc_security_group_ingress_rule' : 'aws_vpc_security_group_egress_rule';
  const out: string[] = [];
  for (const p of objects(call.input.IpPermissions)) {
    const proto = PROTOCOLS[String(p.IpProtocol)] ?? String(p.IpProtocol);
    const ported = proto !== '-1';
    const base: Array<[string, unknown]> = [['security_group_id', call.input.GroupId], ['ip_protocol', proto]];
    if (ported) base.push(['from_port', p.FromPort], ['to_port', p.ToPort]);
    const peers: Array<Array<[string, unknown]>> = [
      ...objects(p.IpRanges).map((r): Array<[string, unknown]> => [['cidr_ipv4', r.CidrIp], ['description', r.Description]]),
      ...objects(p.Ipv6Ranges).map((r): Array<[string, unknown]> => [['cidr_ipv6', r.CidrIpv6], ['description', r.Description]]),
      ...objects(p.PrefixListIds).map((r): Array<[string, unknown]> => [['prefix_list_id', r.PrefixListId], ['description', r.Description]]),
      ...objects(p.UserIdGroupPairs).map((r): Array<[string, unknown]> => [
        ['referenced_security_group_id', typeof r.UserId === 'string' ? `${r.UserId}/${String(r.GroupId)}` : r.GroupId], ['description', r.Description]]),
    ];
    for (const peer of peers) out.push(block(type, `${name}_${out.length + 1}`, [...base, ...peer]));
  }
  return out;
}

function naclRule(call: ApiCall, name: string): string[] {
  const i = call.input;
  const pr = isObj(i.PortRange) ? i.PortRange : undefined;
  const icmp = isObj(i.IcmpTypeCode) ? i.IcmpTypeCode : undefined;
  const comment = call.operation === 'ReplaceNetworkAclEntry' ? 'Replaces an existing entry: change that aws_network_acl_rule (or the inline rule of aws_network_acl) in your code.' : undefined;
  return [block('aws_network_acl_rule', name, [
    ['network_acl_id', i.NetworkAclId], ['rule_number', i.RuleNumber], ['egress', Boolean(i.Egress)], ['protocol', String(i.Protocol)],
    ['rule_action', i.RuleAction], ['cidr_block', i.CidrBlock], ['ipv6_cidr_block', i.Ipv6CidrBlock],
    ['from_port', pr?.From], ['to_port', pr?.To], ['icmp_type', icmp?.Type], ['icmp_code', icmp?.Code],
  ], comment)];
}

function route(call: ApiCall, name: string): string[] {
  const i = call.input;
  const comment = call.operation === 'ReplaceRoute' ? 'Replaces the target of an existing route: change that aws_route (or the inline route of aws_route_table) in your code.' : undefined;
  return [block('aws_route', name, [
    ['route_table_id', i.RouteTableId], ['destination_cidr_block', i.DestinationCidrBlock], ['destination_ipv6_cidr_block', i.DestinationIpv6CidrBlock],
    ['destination_prefix_list_id', i.DestinationPrefixListId], ['gateway_id', i.GatewayId], ['nat_gateway_id', i.NatGatewayId],
    ['transit_gateway_id', i.TransitGatewayId], ['vpc_peering_connection_id', i.VpcPeeringConnectionId], ['network_interface_id', i.NetworkInterfaceId],
  ], comment)];
}

function sgAttachments(call: ApiCall, name: string, before: readonly RawDoc[]): string[] {
  const eniId = String(call.input.NetworkInterfaceId);
  const had = new Set(findObjects(before, 'NetworkInterfaces', 'NetworkInterfaceId', eniId).flatMap((e) => objects(e.Groups).map((g) => g.GroupId)));
  const groups = Array.isArray(call.input.Groups) ? (call.input.Groups as unknown[]).map(String) : [];
  const added = groups.filter((g) => !had.has(g));
  const removed = [...had].filter((g): g is string => typeof g === 'string' && !groups.includes(g));
  const out = added.map((g, n) => block('aws_network_interface_sg_attachment', `${name}_${n + 1}`, [['security_group_id', g], ['network_interface_id', eniId]],
    n === 0 ? 'If the instance is managed by aws_instance, add the group to its vpc_security_group_ids instead (the two fight otherwise).' : undefined));
  if (removed.length) out.push(`# This change also detaches ${removed.join(', ')} from ${eniId}: remove them from the interface's security groups in your code.`);
  return out;
}

/**
 * The Terraform that makes the same change as the calls of one fix. `before` is the data the fix
 * was planned on (used to tell which groups an interface change adds). `name` labels the blocks.
 */
export function terraformFor(calls: readonly ApiCall[], name: string, before: readonly RawDoc[] = []): string {
  const parts: string[] = [];
  calls.forEach((call, n) => {
    const nm = calls.length > 1 ? `${name}_${n + 1}` : name;
    const i = call.input;
    switch (call.operation) {
      case 'AuthorizeSecurityGroupIngress': case 'AuthorizeSecurityGroupEgress': parts.push(...sgRules(call, nm)); break;
      case 'CreateNetworkAclEntry': case 'ReplaceNetworkAclEntry': parts.push(...naclRule(call, nm)); break;
      case 'CreateRoute': case 'ReplaceRoute': parts.push(...route(call, nm)); break;
      case 'ModifyNetworkInterfaceAttribute': parts.push(...sgAttachments(call, nm, before)); break;
      case 'CreateTransitGatewayRoute': case 'ReplaceTransitGatewayRoute':
        parts.push(block('aws_ec2_transit_gateway_route', nm, [['transit_gateway_route_table_id', i.TransitGatewayRouteTableId],
          ['destination_cidr_block', i.DestinationCidrBlock], ['transit_gateway_attachment_id', i.TransitGatewayAttachmentId], ['blackhole', i.Blackhole]],
        call.operation === 'ReplaceTransitGatewayRoute' ? 'Replaces an existing transit gateway route: change it in your code.' : undefined));
        break;
      case 'EnableTransitGatewayRouteTablePropagation':
        parts.push(block('aws_ec2_transit_gateway_route_table_propagation', nm, [['transit_gateway_attachment_id', i.TransitGatewayAttachmentId],
          ['transit_gateway_route_table_id', i.TransitGatewayRouteTableId]]));
        break;
      case 'EnableVgwRoutePropagation':
        parts.push(block('aws_vpn_gateway_route_propagation', nm, [['vpn_gateway_id', i.GatewayId], ['route_table_id', i.RouteTableId]],
          'Or propagating_vgws on the aws_route_table, if that is how your code manages it.'));
        break;
      case 'AcceptVpcPeeringConnection':
        parts.push(block('aws_vpc_peering_connection_accepter', nm, [['vpc_peering_connection_id', i.VpcPeeringConnectionId], ['auto_accept', true]],
          'In the accepter account (provider for that account and Region).'));
        break;
      case 'ModifyTransitGatewayVpcAttachment':
        parts.push(`# In the aws_ec2_transit_gateway_vpc_attachment for ${String(i.TransitGatewayAttachmentId)}, add to subnet_ids:\n#   ${
          (Array.isArray(i.AddSubnetIds) ? (i.AddSubnetIds as unknown[]) : []).map((x) => hclString(String(x)).replace(/\n/g, ' ')).join(', ')}`);
        break;
      case 'CreateSecurityGroup':
        parts.push(block('aws_security_group', nm, [['name', i.GroupName], ['description', i.Description], ['vpc_id', i.VpcId]]));
        break;
      default:
        parts.push(`# ${call.operation.replace(/[^A-Za-z0-9]/g, '')}: no Terraform equivalent generated.`);
    }
  });
  return parts.join('\n\n');
}

export type IacTool = 'cloudformation' | 'terraform' | 'pulumi' | 'other';

export interface IacMarker {
  resourceId: string;
  tool: IacTool;
  /** The tag that says so, as "key=value". */
  evidence: string;
  /** CloudFormation stack name, when tagged. */
  stack?: string;
}

const MANAGED_BY_KEYS = /^(managed[-_ ]?by|managedby|provisioner|provisioned[-_ ]?by|created[-_ ]?by|createdby|iac|tool|deployed[-_ ]?by|owner[-_ ]?tool)$/i;

/** The IaC tool a set of tags points at, if any. Tags: [{Key, Value}] as EC2 returns them. */
export function iacFromTags(resourceId: string, tags: unknown): IacMarker | null {
  const list = objects(tags).filter((t) => typeof t.Key === 'string').map((t) => ({ k: t.Key as string, v: typeof t.Value === 'string' ? t.Value : '' }));
  const cfn = list.find((t) => t.k === 'aws:cloudformation:stack-name' || t.k === 'aws:cloudformation:stack-id' || t.k === 'aws:cloudformation:logical-id');
  if (cfn) {
    const stack = list.find((t) => t.k === 'aws:cloudformation:stack-name')?.v;
    return { resourceId, tool: 'cloudformation', evidence: `${cfn.k}=${cfn.v}`, ...(stack ? { stack } : {}) };
  }
  const tf = list.find((t) => /^(terraform|tf)([:_.-]|$)/i.test(t.k) || /terraform/i.test(t.k))
    ?? list.find((t) => MANAGED_BY_KEYS.test(t.k) && /terraform|opentofu|terragrunt/i.test(t.v));
  if (tf) return { resourceId, tool: 'terraform', evidence: `${tf.k}=${tf.v}` };
  const pulumi = list.find((t) => /^pulumi[:_-]/i.test(t.k)) ?? list.find((t) => MANAGED_BY_KEYS.test(t.k) && /pulumi/i.test(t.v));
  if (pulumi) return { resourceId, tool: 'pulumi', evidence: `${pulumi.k}=${pulumi.v}` };
  const other = list.find((t) => MANAGED_BY_KEYS.test(t.k) && /cdk|cloudformation|crossplane|ansible|cdktf/i.test(t.v));
  if (other) return { resourceId, tool: /cdk|cloudformation/i.test(other.v) ? 'cloudformation' : 'other', evidence: `${other.k}=${other.v}` };
  return null;
}

/** IaC markers on the objects the calls change (security groups, NACLs, route tables, interfaces…), from the data. */
export function iacManaged(calls: readonly ApiCall[], docs: readonly RawDoc[]): IacMarker[] {
  const out: IacMarker[] = [];
  const seen = new Set<string>();
  for (const call of calls) {
    for (const t of touchedBy(call)) {
      if (!t.id || seen.has(t.id)) continue;
      seen.add(t.id);
      const tagged = findObjects(docs, t.key === 'TransitGatewayStaticRoutes' ? 'TransitGatewayRouteTables' : t.key, t.idField, t.id)[0];
      const m = tagged ? iacFromTags(t.id, [...objects(tagged.Tags), ...objects(tagged.TagSet)]) : null;
      if (m) out.push(m);
    }
  }
  return out;
}
