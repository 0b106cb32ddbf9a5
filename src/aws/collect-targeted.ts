/**
 * Targeted collection: from the located endpoint interfaces, fetch only what the path between
 * them needs (see targeted-plan.ts), in waves of parallel calls. A failed call (AccessDenied,
 * throttled past the retry budget, timeout) becomes a gap; the rest goes on.
 */
import type { NatGateway, NetworkInterface, RouteTable, SecurityGroup, TransitGatewayAttachment } from '@aws-sdk/client-ec2';
import type { RawDoc } from '../model/raw.js';
import type { CallStats } from './call-stats.js';
import type { AwsClients } from './clients.js';
import { dedupeGaps, type Gap } from './gaps.js';
import { guardedCall } from './guarded-call.js';
import type { LocateCandidate } from './locate.js';
import { makeDoc, mergeDocs } from './raw-docs.js';
import { scopeKey, type Scope, type Target } from './target.js';
import { FETCHERS } from './targeted-fetchers.js';
import { batchWants, emptyKnown, plannedWants, type Batch, type Known, type Scoped } from './targeted-plan.js';

export interface TargetedCollection {
  docs: RawDoc[];
  gaps: Gap[];
  stats: CallStats;
  /** Waves of parallel calls after locating (normally 2). */
  waves: number;
}

export interface CollectTargetedOptions {
  /** Docs already fetched (the locate step's ENIs), merged into the result. */
  docs?: readonly RawDoc[];
  /** Safety bound on waves. Default 6. */
  maxWaves?: number;
}

const scoped = <T extends object>(items: unknown, scope: Scope): Array<Scoped<T>> =>
  (Array.isArray(items) ? (items as T[]) : []).map((o) => ({ ...o, scope }));

/** The located endpoints of a flow. An endpoint outside AWS (or not found) has no candidate, only its address. */
export interface TargetedEndpoints {
  source?: LocateCandidate;
  destination?: LocateCandidate;
  /** The flow's addresses: the typed IPs, else the located interfaces' IPs. Used to follow only the routes that apply. */
  sourceAddress?: string;
  destinationAddress?: string;
}

/**
 * Collects what the path between the located endpoints needs. `targets` are all configured
 * (account, region) pairs: they bound cross-account references and carry the credentials.
 */
export async function collectTargeted(
  clients: AwsClients,
  targets: readonly Target[],
  endpoints: TargetedEndpoints,
  opts: CollectTargetedOptions = {},
): Promise<TargetedCollection> {
  const byScope = new Map(targets.map((t) => [scopeKey(t), t]));
  const configured = new Set(byScope.keys());
  const gaps: Gap[] = [];
  const docs: RawDoc[] = [...(opts.docs ?? [])];
  const known = emptyKnown({
    ...(endpoints.sourceAddress ? { source: endpoints.sourceAddress } : {}),
    ...(endpoints.destinationAddress ? { destination: endpoints.destinationAddress } : {}),
  });
  const requested = new Set<string>();

  const enis = new Map<string, Known['endpointEnis'][number]>();
  for (const [role, c] of [['source', endpoints.source], ['destination', endpoints.destination]] as const) {
    if (!c) continue;
    const scope = { accountId: c.accountId, region: c.region };
    for (const i of c.interfaces) {
      const fromDocs = findEni(docs, i.networkInterfaceId);
      enis.set(i.networkInterfaceId, {
        ...(fromDocs ?? {
          NetworkInterfaceId: i.networkInterfaceId,
          SubnetId: i.subnetId,
          VpcId: i.vpcId,
          Groups: i.securityGroupIds.map((GroupId) => ({ GroupId })),
          ...(i.instanceId ? { Attachment: { InstanceId: i.instanceId } } : {}),
        }),
        scope,
        role,
      });
    }
  }
  known.endpointEnis.push(...enis.values());

  const run = async (b: Batch): Promise<void> => {
    const target = byScope.get(scopeKey(b));
    if (!target) return;
    const fetcher = FETCHERS[b.kind];
    const data = await guardedCall(gaps, fetcher.operation, b, () => fetcher.fetch(clients.ec2(target), b.ids));
    if (!data) return;
    docs.push(makeDoc(fetcher.operation, b, data));
    const scope = { accountId: b.accountId, region: b.region };
    if (b.kind === 'SecurityGroups') known.securityGroups.push(...scoped<SecurityGroup>(data['SecurityGroups'], scope));
    if (b.kind === 'RouteTablesForVpcs') known.routeTables.push(...scoped<RouteTable>(data['RouteTables'], scope));
    if (b.kind === 'NatGateways') known.natGateways.push(...scoped<NatGateway>(data['NatGateways'], scope));
    if (b.kind === 'TgwAttachmentsForVpcs') known.tgwAttachments.push(...scoped<TransitGatewayAttachment>(data['TransitGatewayAttachments'], scope));
  };

  const maxWaves = opts.maxWaves ?? 6;
  let waves = 0;
  while (waves < maxWaves) {
    const batches = batchWants(plannedWants(known, configured), requested);
    if (batches.length === 0) break;
    waves++;
    await Promise.all(batches.map(run));
  }

  return { docs: mergeDocs(docs), gaps: dedupeGaps(gaps), stats: clients.recorder.stats(), waves };
}

function findEni(docs: readonly RawDoc[], id: string): NetworkInterface | undefined {
  for (const d of docs) {
    const list = d.data['NetworkInterfaces'];
    if (!Array.isArray(list)) continue;
    const hit = (list as NetworkInterface[]).find((e) => e.NetworkInterfaceId === id);
    if (hit) return hit;
  }
  return undefined;
}
