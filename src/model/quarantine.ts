/**
 * With --skip-bad-files, a security group, network ACL, route table or network interface whose
 * fields fail the checks in validate.ts is set aside instead of failing the whole snapshot. Pure.
 *
 * Setting aside must never widen access, so each kind leaves its layer undecidable rather than
 * absent: a group is removed (interfaces that carry it see "group not in the data" → unknown); an
 * interface is removed (its addresses are owned by no interface → unknown) together with its
 * instance and the instance's other interfaces (else the instance, asked by id or Name tag, would
 * resolve to another of its interfaces, whose groups may allow what the bad one blocks); a network ACL or route
 * table is removed but its subnets stay pinned to it, so the tracer finds no ACL / table for them
 * (→ unknown) instead of falling back to the VPC's main route table. A route table whose
 * associations cannot all be read, or that was the main table, also pins its VPC's main table.
 * An interface that owns a public address or is AWS-managed (load balancer, NAT gateway, endpoint…)
 * is never set aside: without it the address would pass for an internet address, or the service
 * would seem to have fewer interfaces; its problems stay errors (exit 64) even with --skip-bad-files.
 * Every object set aside is named in a warning with its file, path and problems.
 */
import type { Model } from './types.js';
import { isAwsId, type FieldProblem } from './validate.js';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const assocs = (o: Obj): unknown[] => (Array.isArray(o.Associations) ? o.Associations : []);

/** Whether setting an interface aside could make another endpoint look different (see take()). */
function ownsMoreThanItself(item: Obj): boolean {
  const ips = Array.isArray(item.PrivateIpAddresses) ? item.PrivateIpAddresses : [];
  return item.Association !== undefined || ips.some((p) => isObj(p) && p.Association !== undefined)
    || item.RequesterManaged !== undefined && item.RequesterManaged !== false
    || (item.InterfaceType !== undefined && item.InterfaceType !== 'interface')
    || (typeof item.Description === 'string' && /^(ELB |Interface for NAT Gateway|VPC Endpoint|AWS Lambda|arn:)/.test(item.Description));
}

/** The id pinned in an index when the object's own id could not be read. */
const UNREADABLE = 'unreadable';

export class Quarantine {
  readonly warnings: string[] = [];
  private readonly groups = new Set<string>();
  private readonly enis = new Set<string>();
  private readonly instances = new Set<string>();
  private readonly nacls: Array<{ id: string; subnetIds: string[] }> = [];
  private readonly tables: Array<{ id: string; subnetIds: string[]; mainOf?: string }> = [];

  /** Sets the item aside when its kind allows it; false means the problems are errors. */
  take(key: string, item: Obj, file: string, pointer: string, problems: readonly FieldProblem[]): boolean {
    let id: string | undefined;
    switch (key) {
      case 'SecurityGroups':
        id = isAwsId('sg', item.GroupId) ? item.GroupId : undefined;
        if (id) this.groups.add(id);
        break;
      case 'NetworkInterfaces':
        // Not set aside (an error even with --skip-bad-files): an interface whose absence would change who
        // owns an address or an endpoint — one with a public address (which would pass for the internet's),
        // or an AWS-managed one (a load balancer or NAT gateway would seem to have fewer interfaces).
        if (ownsMoreThanItself(item)) return false;
        id = isAwsId('eni', item.NetworkInterfaceId) ? item.NetworkInterfaceId : undefined;
        if (id) this.enis.add(id);
        if (isObj(item.Attachment) && isAwsId('i', item.Attachment.InstanceId)) this.instances.add(item.Attachment.InstanceId);
        break;
      case 'NetworkAcls': {
        id = isAwsId('acl', item.NetworkAclId) ? item.NetworkAclId : undefined;
        const subnetIds = assocs(item).map((a) => (isObj(a) && isAwsId('subnet', a.SubnetId) ? a.SubnetId : undefined)).filter((s): s is string => !!s);
        this.nacls.push({ id: id ?? UNREADABLE, subnetIds });
        break;
      }
      case 'RouteTables': {
        id = isAwsId('rtb', item.RouteTableId) ? item.RouteTableId : undefined;
        const list = assocs(item);
        const subnetIds: string[] = [];
        let unreadable = !Array.isArray(item.Associations);
        let main = false;
        for (const a of list) {
          if (!isObj(a)) {
            unreadable = true;
            continue;
          }
          if (a.Main === true) main = true;
          else if (a.Main !== undefined && a.Main !== false) unreadable = true;
          if (isAwsId('subnet', a.SubnetId)) subnetIds.push(a.SubnetId);
          else if (a.SubnetId !== undefined || (a.Main !== true && a.GatewayId === undefined)) unreadable = true;
        }
        const vpcId = isAwsId('vpc', item.VpcId) ? item.VpcId : undefined;
        this.tables.push({ id: id ?? UNREADABLE, subnetIds, ...((main || unreadable) && vpcId ? { mainOf: vpcId } : {}) });
        break;
      }
      default:
        return false;
    }
    const what = problems.map((p) => `${p.pointer}: ${p.message}`).join('; ');
    this.warnings.push(`skipped ${file}: ${pointer}${id ? ` (${id})` : ''}, so its layer is unknown: ${what}`);
    return true;
  }

  /** Removes objects set aside that another file may have supplied. Call before building indexes. */
  drop(m: Model): void {
    for (const id of this.groups) m.securityGroups.delete(id);
    for (const inst of m.instances.values()) if (inst.eniIds.some((e) => this.enis.has(e))) this.instances.add(inst.id);
    for (const eni of m.enis.values()) if (eni.instanceId && this.instances.has(eni.instanceId)) this.enis.add(eni.id);
    for (const id of this.instances) {
      for (const e of m.instances.get(id)?.eniIds ?? []) this.enis.add(e);
      if (m.instances.delete(id)) this.warnings.push(`skipped instance ${id} and all its interfaces: one of its interfaces was set aside`);
    }
    for (const id of this.enis) m.enis.delete(id);
    for (const n of this.nacls) m.networkAcls.delete(n.id);
    for (const t of this.tables) m.routeTables.delete(t.id);
  }

  /** Pins subnets (and VPC main tables) to the objects set aside. Call after building indexes. */
  pin(m: Model): void {
    for (const n of this.nacls) for (const s of n.subnetIds) m.index.subnetNacl.set(s, n.id);
    for (const t of this.tables) {
      for (const s of t.subnetIds) m.index.subnetRouteTable.set(s, t.id);
      if (t.mainOf) m.index.mainRouteTable.set(t.mainOf, t.id);
    }
    m.warnings.push(...this.warnings);
  }
}
