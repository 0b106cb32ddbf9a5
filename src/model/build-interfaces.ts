/** Model builder: network interfaces and instances (an instance's interfaces merge with DescribeNetworkInterfaces). */
import type { Addr } from '../net/ip.js';
import { type Ctx, type Obj, addrOrProblem, isObj, list, nameTag, num, regionOfAz, requireId, str } from './read.js';
import type { Eni, Model } from './types.js';

export function readEni(o: Obj, ptr: string, ctx: Ctx, inst?: { id: string; subnetId?: string; vpcId?: string; az?: string }): Eni | undefined {
  const id = requireId(o, 'NetworkInterfaceId', ptr, ctx);
  const subnetId = str(o, 'SubnetId') ?? inst?.subnetId;
  const vpcId = str(o, 'VpcId') ?? inst?.vpcId;
  if (!id) return undefined;
  if (!subnetId || !vpcId) {
    ctx.problems.add(ctx.file, ptr, 'network interface without SubnetId/VpcId');
    return undefined;
  }
  const privateIps: Addr[] = [];
  const publicIps: Eni['publicIps'] = [];
  const seen = new Set<string>();
  const addPrivate = (text: string | undefined, p: string, primary: boolean) => {
    const a = addrOrProblem(text, p, ctx);
    if (!a || seen.has(a.text)) return a;
    seen.add(a.text);
    if (primary) privateIps.unshift(a);
    else privateIps.push(a);
    return a;
  };
  addPrivate(str(o, 'PrivateIpAddress'), `${ptr}.PrivateIpAddress`, true);
  list(o, 'PrivateIpAddresses').forEach((p, i) => {
    const a = addPrivate(str(p, 'PrivateIpAddress'), `${ptr}.PrivateIpAddresses[${i}]`, p.Primary === true);
    const pub = isObj(p.Association) ? str(p.Association, 'PublicIp') : undefined;
    const pa = addrOrProblem(pub, `${ptr}.PrivateIpAddresses[${i}].Association.PublicIp`, ctx);
    if (a && pa && !publicIps.some((x) => x.publicIp.text === pa.text)) publicIps.push({ publicIp: pa, privateIp: a });
  });
  const topPub = isObj(o.Association) ? str(o.Association, 'PublicIp') : undefined;
  const tp = addrOrProblem(topPub, `${ptr}.Association.PublicIp`, ctx);
  if (tp && privateIps[0] && !publicIps.some((x) => x.publicIp.text === tp.text)) publicIps.push({ publicIp: tp, privateIp: privateIps[0] });
  const ipv6 = list(o, 'Ipv6Addresses')
    .map((p, i) => addrOrProblem(str(p, 'Ipv6Address'), `${ptr}.Ipv6Addresses[${i}]`, ctx))
    .filter((a): a is Addr => !!a);
  const att = isObj(o.Attachment) ? o.Attachment : undefined;
  const az = str(o, 'AvailabilityZone') ?? inst?.az;
  return {
    id, subnetId, vpcId, az, ownerId: str(o, 'OwnerId') ?? ctx.accountId, region: ctx.region ?? regionOfAz(az),
    status: str(o, 'Status') ?? 'in-use',
    groupIds: list(o, 'Groups').map((g) => str(g, 'GroupId')).filter((g): g is string => !!g),
    privateIps, ipv6, publicIps,
    instanceId: (att && str(att, 'InstanceId')) ?? inst?.id,
    deviceIndex: att ? num(att, 'DeviceIndex') : undefined,
    interfaceType: str(o, 'InterfaceType'), description: str(o, 'Description'), name: nameTag(o),
    requesterManaged: typeof o.RequesterManaged === 'boolean' ? o.RequesterManaged : undefined, requesterId: str(o, 'RequesterId'),
    sourceDestCheck: typeof o.SourceDestCheck === 'boolean' ? o.SourceDestCheck : undefined,
    file: ctx.file,
  };
}

export function mergeEni(m: Model, eni: Eni, fromInstance: boolean): void {
  const existing = m.enis.get(eni.id);
  if (!existing) {
    m.enis.set(eni.id, eni);
    return;
  }
  // describe-network-interfaces is authoritative; an instance's embedded copy only fills gaps.
  // A public address one copy lists and the kept one does not is unconfirmed (never dropped silently).
  const kept = fromInstance ? existing : eni;
  const other = fromInstance ? eni : existing;
  const unconfirmed = [...(other.unconfirmedPublicIps ?? []), ...other.publicIps]
    .filter((p) => !kept.publicIps.some((k) => k.publicIp.text === p.publicIp.text) && !kept.unconfirmedPublicIps?.some((k) => k.publicIp.text === p.publicIp.text));
  if (unconfirmed.length) kept.unconfirmedPublicIps = [...(kept.unconfirmedPublicIps ?? []), ...unconfirmed];
  if (fromInstance) {
    existing.instanceId ??= eni.instanceId;
    existing.deviceIndex ??= eni.deviceIndex;
  } else {
    eni.instanceId ??= existing.instanceId;
    eni.deviceIndex ??= existing.deviceIndex;
    m.enis.set(eni.id, eni);
  }
}

export function addInstance(m: Model, o: Obj, ptr: string, ctx: Ctx, out: Array<{ eni: Eni; fromInstance: true }>): void {
  const id = requireId(o, 'InstanceId', ptr, ctx);
  if (!id) return;
  const az = isObj(o.Placement) ? str(o.Placement, 'AvailabilityZone') : undefined;
  const inst = { id, subnetId: str(o, 'SubnetId'), vpcId: str(o, 'VpcId'), az };
  const eniIds: string[] = [];
  list(o, 'NetworkInterfaces').forEach((n, i) => {
    const eni = readEni(n, `${ptr}.NetworkInterfaces[${i}]`, ctx, inst);
    if (eni) {
      eniIds.push(eni.id);
      out.push({ eni, fromInstance: true });
    }
  });
  const md = isObj(o.MetadataOptions) ? o.MetadataOptions : undefined;
  const metadata = md
    ? { httpEndpoint: str(md, 'HttpEndpoint'), httpTokens: str(md, 'HttpTokens'), hopLimit: num(md, 'HttpPutResponseHopLimit'), httpProtocolIpv6: str(md, 'HttpProtocolIpv6') }
    : undefined;
  m.instances.set(id, { id, name: nameTag(o), state: isObj(o.State) ? str(o.State, 'Name') : undefined, eniIds, ...(metadata ? { metadata } : {}) });
}
