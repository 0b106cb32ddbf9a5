/**
 * Finds the network interface(s) behind an endpoint (IP, i-, eni-, Name tag, load balancer) across every configured account
 * and region, concurrently — the first round trip of a live question. An address found in two
 * networks (overlapping CIDRs, other accounts) is an AMBIGUOUS_ENDPOINT error listing the
 * candidates: sgwhy never picks one silently. Nothing found is a `not-found` outcome that the
 * caller turns into an `unknown`/external endpoint.
 */
import { DescribeInstancesCommand, paginateDescribeNetworkInterfaces, type Filter, type Instance, type NetworkInterface } from '@aws-sdk/client-ec2';
import ipaddr from 'ipaddr.js';
import type { RawDoc } from '../model/raw.js';
import type { EndpointRef } from '../question/types.js';
import { SgwhyError, isSgwhyError } from '../errors/errors.js';
import type { AwsClients } from './clients.js';
import type { Gap } from './gaps.js';
import { guardedCall } from './guarded-call.js';
import { descriptionMatches, lbDescriptionPattern } from './lb-lookup.js';
import { drainPages } from './paginate.js';
import { makeDoc, mergeDocs } from './raw-docs.js';
import { scopeKey, type Scope, type Target } from './target.js';

export type MatchKind = 'private-ip' | 'public-ip' | 'ipv6' | 'instance' | 'eni' | 'name' | 'load-balancer';

export interface LocatedInterface {
  accountId: string;
  accountName: string;
  region: string;
  vpcId: string;
  subnetId: string;
  networkInterfaceId: string;
  instanceId?: string;
  /** Attachment device index (0 = the instance's primary interface). */
  deviceIndex?: number;
  privateIp?: string;
  matchedBy: MatchKind;
  name?: string;
  description?: string;
  securityGroupIds: string[];
}

/** One network (account, region, VPC) that holds the endpoint; for an instance, all its interfaces. */
export interface LocateCandidate {
  accountId: string;
  accountName: string;
  region: string;
  vpcId: string;
  interfaces: LocatedInterface[];
}

export type LocateOutcome =
  | { status: 'found'; ref: EndpointRef; candidate: LocateCandidate }
  | {
      status: 'not-found';
      ref: EndpointRef;
      searched: Scope[];
      /** Some accounts/regions could not be searched (see the gaps): "not found" is then not conclusive. */
      incomplete: boolean;
    };

export interface LocateResult {
  outcomes: LocateOutcome[];
  docs: RawDoc[];
  gaps: Gap[];
}

/** Narrows where an endpoint may be (e.g. after the user picked one of the ambiguous candidates). */
export interface LocateWithin {
  accountId?: string;
  region?: string;
  vpcId?: string;
}

interface Lookup {
  filter: 'addresses.private-ip-address' | 'association.public-ip' | 'ipv6-addresses.ipv6-address' | 'attachment.instance-id' | 'network-interface-id' | 'tag:Name' | 'description';
  value: string;
}

/** Which ENI filters find this endpoint. Public-looking IPv4 may also be a private address (VPCs can use non-RFC1918 CIDRs). */
export function lookupsFor(ref: EndpointRef): Lookup[] {
  if (ref.kind === 'instance') return [{ filter: 'attachment.instance-id', value: ref.value }];
  if (ref.kind === 'eni') return [{ filter: 'network-interface-id', value: ref.value }];
  // A Name tag: interfaces tagged with it here; instances tagged with it are found by DescribeInstances.
  if (ref.kind === 'name') return [{ filter: 'tag:Name', value: ref.value }];
  // A load balancer: its nodes' interfaces, described "ELB app/NAME/ID" (lb-lookup.ts).
  if (ref.kind === 'load-balancer') return [{ filter: 'description', value: lbDescriptionPattern(ref.value) }];
  if (ref.kind !== 'ip' || !ipaddr.isValid(ref.value)) return [];
  const addr = ipaddr.parse(ref.value);
  if (addr.kind() === 'ipv6') {
    const v6 = addr as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) return lookupsFor({ kind: 'ip', value: v6.toIPv4Address().toString() });
    return [{ filter: 'ipv6-addresses.ipv6-address', value: v6.toString() }];
  }
  const range = addr.range();
  const out: Lookup[] = [{ filter: 'addresses.private-ip-address', value: addr.toString() }];
  if (range === 'unicast') out.push({ filter: 'association.public-ip', value: addr.toString() });
  return out;
}

const sameIp = (a: string | undefined, b: string): boolean => {
  if (!a) return false;
  try {
    return ipaddr.parse(a).toString() === ipaddr.parse(b).toString();
  } catch {
    return false;
  }
};

/** Does this ENI really own the endpoint? (Filters are verified client-side: emulators and old APIs differ.) */
export function eniMatches(eni: NetworkInterface, ref: EndpointRef): MatchKind | undefined {
  if (ref.kind === 'eni') return eni.NetworkInterfaceId === ref.value ? 'eni' : undefined;
  if (ref.kind === 'instance') return eni.Attachment?.InstanceId === ref.value ? 'instance' : undefined;
  if (ref.kind === 'name') return nameTag(eni.TagSet)?.toLowerCase() === ref.value.toLowerCase() ? 'name' : undefined;
  if (ref.kind === 'load-balancer') return descriptionMatches(eni.Description, lbDescriptionPattern(ref.value)) ? 'load-balancer' : undefined;
  if (ref.kind !== 'ip') return undefined;
  const ip = ref.value;
  if (sameIp(eni.PrivateIpAddress, ip) || (eni.PrivateIpAddresses ?? []).some((p) => sameIp(p.PrivateIpAddress, ip))) return 'private-ip';
  if (sameIp(eni.Association?.PublicIp, ip) || (eni.PrivateIpAddresses ?? []).some((p) => sameIp(p.Association?.PublicIp, ip))) return 'public-ip';
  if ((eni.Ipv6Addresses ?? []).some((a) => sameIp(a.Ipv6Address, ip))) return 'ipv6';
  return undefined;
}

const nameTag = (tags: ReadonlyArray<{ Key?: string; Value?: string }> | undefined): string | undefined => tags?.find((t) => t.Key === 'Name')?.Value;

function toLocated(eni: NetworkInterface, target: Target, matchedBy: MatchKind, ref: EndpointRef): LocatedInterface {
  const ip = ref.kind === 'ip' ? ref.value : eni.PrivateIpAddress;
  const name = nameTag(eni.TagSet);
  return {
    accountId: target.accountId,
    accountName: target.accountName,
    region: target.region,
    vpcId: eni.VpcId ?? '',
    subnetId: eni.SubnetId ?? '',
    networkInterfaceId: eni.NetworkInterfaceId ?? '',
    ...(eni.Attachment?.InstanceId ? { instanceId: eni.Attachment.InstanceId } : {}),
    ...(eni.Attachment?.DeviceIndex !== undefined ? { deviceIndex: eni.Attachment.DeviceIndex } : {}),
    ...(ip ? { privateIp: matchedBy === 'public-ip' ? (eni.PrivateIpAddress ?? ip) : ip } : {}),
    matchedBy,
    ...(name ? { name } : {}),
    ...(eni.Description ? { description: eni.Description } : {}),
    securityGroupIds: (eni.Groups ?? []).map((g) => g.GroupId ?? '').filter(Boolean),
  };
}

function describeCandidate(c: LocateCandidate): string {
  const i = c.interfaces[0];
  const what = i ? `${i.networkInterfaceId}${i.instanceId ? ` (${i.instanceId})` : ''}${i.name ? ` "${i.name}"` : ''}, subnet ${i.subnetId}` : '';
  const account = c.accountName !== c.accountId ? `${c.accountName} ${c.accountId}` : c.accountId;
  return `${what} in ${c.vpcId}, account ${account}, ${c.region}`;
}

const refText = (r: EndpointRef): string => r.value;

/**
 * Locates each endpoint in every target. One DescribeNetworkInterfaces call per (target, filter)
 * carries all endpoints' values; instances also get a DescribeInstances call. All in parallel.
 */
export async function locateEndpoints(
  clients: AwsClients,
  targets: readonly Target[],
  refs: readonly EndpointRef[],
  opts: { within?: ReadonlyArray<LocateWithin | undefined> } = {},
): Promise<LocateResult> {
  const gaps: Gap[] = [];
  const docs: RawDoc[] = [];
  const failedScopes = new Set<string>();
  let roleError: SgwhyError | undefined;

  const lookups = refs.map((r) => lookupsFor(r));
  const byFilter = new Map<Lookup['filter'], Set<string>>();
  for (const ls of lookups) for (const l of ls) (byFilter.get(l.filter) ?? byFilter.set(l.filter, new Set()).get(l.filter)!).add(l.value);
  const instanceIds = refs.filter((r) => r.kind === 'instance').map((r) => r.value);
  const names = refs.filter((r) => r.kind === 'name').map((r) => r.value);

  const enisFound: Array<{ eni: NetworkInterface; target: Target }> = [];
  const instancesFound: Array<{ instance: Instance; target: Target }> = [];

  const track = async <T>(target: Target, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (e) {
      failedScopes.add(scopeKey(target));
      if (isSgwhyError(e) && e.code === 'AWS_ASSUME_ROLE_FAILED') roleError ??= e;
      throw e;
    }
  };

  const calls: Array<Promise<unknown>> = [];
  for (const target of targets) {
    const ec2 = clients.ec2(target);
    for (const [filter, values] of byFilter) {
      calls.push(
        guardedCall(gaps, 'DescribeNetworkInterfaces', target, () =>
          track(target, async () => {
            const Filters: Filter[] = [{ Name: filter, Values: [...values] }];
            const { data } = await drainPages(paginateDescribeNetworkInterfaces({ client: ec2 }, { Filters }));
            const enis = (data['NetworkInterfaces'] as NetworkInterface[] | undefined) ?? [];
            for (const eni of enis) enisFound.push({ eni, target });
            docs.push(makeDoc('DescribeNetworkInterfaces', target, data));
          }),
        ),
      );
    }
    if (instanceIds.length > 0) {
      calls.push(
        guardedCall(gaps, 'DescribeInstances', target, () =>
          track(target, async () => {
            const out = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'instance-id', Values: instanceIds }] }));
            for (const r of out.Reservations ?? []) for (const instance of r.Instances ?? []) instancesFound.push({ instance, target });
            docs.push(makeDoc('DescribeInstances', target, { Reservations: out.Reservations ?? [] }));
          }),
        ),
      );
    }
    if (names.length > 0) {
      // Instances by Name tag (tag filters match the exact value, as typed).
      calls.push(
        guardedCall(gaps, 'DescribeInstances', target, () =>
          track(target, async () => {
            const out = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:Name', Values: names }] }));
            for (const r of out.Reservations ?? []) for (const instance of r.Instances ?? []) instancesFound.push({ instance, target });
            docs.push(makeDoc('DescribeInstances', target, { Reservations: out.Reservations ?? [] }));
          }),
        ),
      );
    }
  }
  await Promise.all(calls);

  const outcomes: LocateOutcome[] = [];
  const ambiguous: Array<{ ref: EndpointRef; candidates: LocateCandidate[] }> = [];
  refs.forEach((ref, i) => {
    const within = opts.within?.[i];
    const seen = new Set<string>();
    const matched: LocatedInterface[] = [];
    // Prefer the copy seen from the ENI owner's account (shared VPCs show an ENI to several accounts).
    const ordered = [...enisFound].sort((a, b) => Number(b.eni.OwnerId === b.target.accountId) - Number(a.eni.OwnerId === a.target.accountId));
    for (const { eni, target } of ordered) {
      const how = eniMatches(eni, ref);
      if (!how || !eni.NetworkInterfaceId || seen.has(eni.NetworkInterfaceId)) continue;
      seen.add(eni.NetworkInterfaceId);
      matched.push(toLocated(eni, target, how, ref));
    }
    const byName = (i: Instance) => ref.kind === 'name' && nameTag(i.Tags)?.toLowerCase() === ref.value.toLowerCase();
    if ((ref.kind === 'instance' && matched.length === 0) || ref.kind === 'name') {
      // ENI lookup denied or unsupported: fall back to the interfaces listed on the instance itself.
      // A Name tag on an instance: its interfaces are the instance's (they carry no tag of their own).
      for (const { instance, target } of instancesFound) {
        if (instance.InstanceId !== ref.value && !byName(instance)) continue;
        for (const ni of instance.NetworkInterfaces ?? []) {
          if (!ni.NetworkInterfaceId || seen.has(ni.NetworkInterfaceId)) continue;
          seen.add(ni.NetworkInterfaceId);
          matched.push({
            accountId: target.accountId,
            accountName: target.accountName,
            region: target.region,
            vpcId: ni.VpcId ?? instance.VpcId ?? '',
            subnetId: ni.SubnetId ?? instance.SubnetId ?? '',
            networkInterfaceId: ni.NetworkInterfaceId,
            instanceId: instance.InstanceId ?? ref.value,
            ...(ni.Attachment?.DeviceIndex !== undefined ? { deviceIndex: ni.Attachment.DeviceIndex } : {}),
            ...(ni.PrivateIpAddress ? { privateIp: ni.PrivateIpAddress } : {}),
            matchedBy: ref.kind === 'name' ? 'name' : 'instance',
            ...(nameTag(instance.Tags) ? { name: nameTag(instance.Tags) as string } : {}),
            securityGroupIds: (ni.Groups ?? []).map((g) => g.GroupId ?? '').filter(Boolean),
          });
        }
      }
    }
    const kept = matched.filter(
      (m) => (!within?.accountId || m.accountId === within.accountId) && (!within?.region || m.region === within.region) && (!within?.vpcId || m.vpcId === within.vpcId),
    );
    const groups = new Map<string, LocateCandidate>();
    for (const m of kept) {
      // An instance is one endpoint even if its interfaces sit in several VPCs (multi-VPC ENI attachment).
      const k = ref.kind === 'instance' ? `${m.accountId}/${m.region}/${m.instanceId}`
        // A Name tag: one endpoint per instance (all its interfaces) or per tagged interface; two of them are ambiguous.
        : ref.kind === 'name' ? `${m.accountId}/${m.region}/${m.instanceId ?? m.networkInterfaceId}`
          : `${m.accountId}/${m.region}/${m.vpcId}`;
      const g = groups.get(k) ?? groups.set(k, { accountId: m.accountId, accountName: m.accountName, region: m.region, vpcId: m.vpcId, interfaces: [] }).get(k)!;
      g.interfaces.push(m);
    }
    const candidates = [...groups.values()];
    // An instance's primary interface (device index 0) first: its address and VPC are the instance's.
    for (const c of candidates) {
      c.interfaces.sort((a, b) => (a.deviceIndex ?? 99) - (b.deviceIndex ?? 99));
      c.vpcId = c.interfaces[0]?.vpcId ?? c.vpcId;
    }
    if (candidates.length === 1) outcomes.push({ status: 'found', ref, candidate: candidates[0] as LocateCandidate });
    else if (candidates.length > 1) {
      ambiguous.push({ ref, candidates });
      outcomes.push({ status: 'found', ref, candidate: candidates[0] as LocateCandidate });
    } else {
      if (roleError && failedScopes.size > 0) {
        throw new SgwhyError('AWS_ASSUME_ROLE_FAILED', `${roleError.message}\n${refText(ref)} was not found in the accounts that could be searched.`, {
          cause: roleError,
          hints: roleError.hints,
          ...(roleError.details ? { details: roleError.details } : {}),
        });
      }
      outcomes.push({
        status: 'not-found',
        ref,
        searched: targets.filter((t) => !failedScopes.has(scopeKey(t))).map((t) => ({ accountId: t.accountId, region: t.region })),
        incomplete: failedScopes.size > 0,
      });
    }
  });

  if (ambiguous.length > 0) {
    const lines = ambiguous.map(
      (a) =>
        `${refText(a.ref)} matches network interfaces in ${a.candidates.length} different networks:\n` +
        a.candidates.map((c) => `  - ${describeCandidate(c)}`).join('\n'),
    );
    const example = ambiguous[0]?.candidates[0]?.interfaces[0]?.networkInterfaceId;
    throw new SgwhyError('AMBIGUOUS_ENDPOINT', `${lines.join('\n')}\nWhich one did you mean?`, {
      hints: [
        `Ask again with the interface or instance id instead of the address${example ? `, e.g. ${example}` : ''}.`,
        'Or narrow the search to one account/region (--account, --region).',
      ],
      details: {
        endpoints: ambiguous.map((a) => ({ input: refText(a.ref), candidates: a.candidates })),
        ...(failedScopes.size > 0 ? { notSearched: [...failedScopes] } : {}),
      },
    });
  }

  return { outcomes, docs: mergeDocs(docs), gaps };
}

