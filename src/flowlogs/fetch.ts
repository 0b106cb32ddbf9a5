/**
 * The flow-log step of a question, run after (never before) the configuration verdict: find the
 * flow logs covering both endpoints, query their CloudWatch Logs groups for the flow in both
 * directions, and hand the records to summariseFlowLogs(). Two sequential round trips plus pages.
 */
import type { AwsClients } from '../aws/clients.js';
import { makeGap, dedupeGaps, type Gap } from '../aws/gaps.js';
import { scopeKey, type Target } from '../aws/target.js';
import { findFlowLogs } from './find.js';
import { missingFields, parseLogFormat } from './format.js';
import { queryFlowLogGroup, type QueryLimits } from './query.js';
import type { FlowCoverage, FlowEndpoint, FlowLogFetch, FlowLogInfo, FlowRecord, FlowTuple } from './types.js';

export interface FetchFlowLogOptions {
  /** Look back this far. Default 30 minutes. */
  windowMinutes?: number;
  /** End of the window (epoch ms). Default now. */
  now?: number;
  maxPages?: number;
  pageLimit?: number;
}

export async function fetchFlowLogRecords(
  clients: AwsClients,
  targets: readonly Target[],
  tuple: FlowTuple,
  endpoints: readonly FlowEndpoint[],
  opts: FetchFlowLogOptions = {},
): Promise<FlowLogFetch & { stats: ReturnType<AwsClients['recorder']['stats']> }> {
  const endMs = opts.now ?? Date.now();
  const window = { startMs: endMs - (opts.windowMinutes ?? 30) * 60_000, endMs };
  const limits: QueryLimits = { maxPages: opts.maxPages ?? 5, pageLimit: opts.pageLimit ?? 1000 };
  const byScope = new Map(targets.map((t) => [scopeKey(t), t]));
  const gaps: Gap[] = [];

  // Round trip 1: DescribeFlowLogs per account/region, for all the endpoints' ENIs, subnets, VPCs.
  const scopes = new Map<string, FlowEndpoint[]>();
  for (const e of endpoints) (scopes.get(scopeKey(e)) ?? scopes.set(scopeKey(e), []).get(scopeKey(e))!).push(e);
  const found: FlowLogInfo[] = (
    await Promise.all(
      [...scopes.entries()].map(async ([key, eps]) => {
        const target = byScope.get(key);
        if (!target) return [];
        return findFlowLogs(clients, target, eps.flatMap((e) => [e.networkInterfaceId, e.subnetId ?? '', e.vpcId ?? '']), gaps);
      }),
    )
  ).flat();

  const coverage: FlowCoverage[] = endpoints.map((endpoint) => ({
    endpoint,
    // ENI, subnet and VPC ids are globally unique
    flowLogs: found.filter((f) => f.resourceId === endpoint.networkInterfaceId || f.resourceId === endpoint.subnetId || f.resourceId === endpoint.vpcId),
  }));

  // Round trip 2: one query pair per distinct (log group, format).
  const unusableFormats: FlowLogFetch['unusableFormats'] = [];
  const groups = new Map<string, FlowLogInfo & { logGroupName: string }>();
  for (const f of found) {
    if (f.destinationType !== 'cloud-watch-logs' || !f.logGroupName) continue;
    let fields: string[];
    try {
      fields = parseLogFormat(f.logFormat);
    } catch {
      unusableFormats.push({ flowLogId: f.flowLogId, missing: ['(unparseable format)'] });
      continue;
    }
    const missing = missingFields(fields);
    if (missing.length > 0) {
      unusableFormats.push({ flowLogId: f.flowLogId, missing });
      continue;
    }
    const k = `${f.accountId}/${f.region}|${f.logGroupName}|${f.logFormat}`;
    if (!groups.has(k)) groups.set(k, { ...f, logGroupName: f.logGroupName });
  }
  const records: FlowRecord[] = [];
  let truncated = false;
  await Promise.all(
    [...groups.values()].map(async (g) => {
      const target = byScope.get(scopeKey(g));
      if (!target) {
        gaps.push(makeGap('FilterLogEvents', g, 'error', 'AccountNotConfigured', `flow log ${g.flowLogId} writes to log group ${g.logGroupName} in account ${g.accountId} ${g.region}, which sgwhy is not configured to read`));
        return;
      }
      const r = await queryFlowLogGroup(clients, target, g, tuple, window, limits, gaps);
      records.push(...r.records);
      truncated ||= r.truncated;
    }),
  );
  records.sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0));
  return { tuple, window, coverage, records, truncated, gaps: dedupeGaps(gaps), unusableFormats, stats: clients.recorder.stats() };
}

