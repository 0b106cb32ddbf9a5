/**
 * Reads the records of one flow from a CloudWatch Logs flow-log group: one FilterLogEvents query
 * per direction over a bounded time window and a bounded number of pages. The pattern is built
 * from the flow log's own LogFormat; every record is re-checked after parsing.
 */
import { paginateFilterLogEvents, type FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import type { AwsClients } from '../aws/clients.js';
import type { Gap } from '../aws/gaps.js';
import { guardedCall } from '../aws/guarded-call.js';
import { drainPages } from '../aws/paginate.js';
import type { Target } from '../aws/target.js';
import { parseLogFormat, parseRecord, PROTOCOL_NUMBERS } from './format.js';
import { classifyRecord } from './match.js';
import { buildFilterPattern } from './pattern.js';
import type { FlowLogInfo, FlowRecord, FlowTuple } from './types.js';

export interface QueryLimits {
  /** Pages per direction. Default 5. */
  maxPages: number;
  /** Events per page. Default 1000. */
  pageLimit: number;
}

/** The two patterns (forward, return) for a format. */
export function directionPatterns(fields: readonly string[], tuple: FlowTuple): [string, string] {
  const protocol = PROTOCOL_NUMBERS[tuple.protocol];
  const ported = tuple.port !== undefined && (tuple.protocol === 'tcp' || tuple.protocol === 'udp');
  return [
    buildFilterPattern(fields, { srcaddr: tuple.src, dstaddr: tuple.dst, ...(ported ? { dstport: tuple.port } : {}), ...(protocol !== undefined ? { protocol } : {}) }),
    buildFilterPattern(fields, { srcaddr: tuple.dst, dstaddr: tuple.src, ...(ported ? { srcport: tuple.port } : {}), ...(protocol !== undefined ? { protocol } : {}) }),
  ];
}

export async function queryFlowLogGroup(
  clients: AwsClients,
  target: Target,
  flowLog: FlowLogInfo & { logGroupName: string },
  tuple: FlowTuple,
  window: { startMs: number; endMs: number },
  limits: QueryLimits,
  gaps: Gap[],
): Promise<{ records: FlowRecord[]; truncated: boolean }> {
  const fields = parseLogFormat(flowLog.logFormat);
  const logs = clients.logs(target);
  const seen = new Set<string>();
  const records: FlowRecord[] = [];
  let truncated = false;
  await Promise.all(
    directionPatterns(fields, tuple).map(async (filterPattern) => {
      const drained = await guardedCall(gaps, 'FilterLogEvents', target, () =>
        drainPages(
          paginateFilterLogEvents(
            { client: logs, pageSize: limits.pageLimit },
            { logGroupName: flowLog.logGroupName, startTime: window.startMs, endTime: window.endMs, filterPattern },
          ),
          limits.maxPages,
        ),
      );
      if (!drained) return;
      truncated ||= drained.truncated;
      for (const e of (drained.data['events'] as FilteredLogEvent[] | undefined) ?? []) {
        const key = e.eventId ?? `${e.logStreamName}|${e.timestamp}|${e.message}`;
        if (seen.has(key) || !e.message) continue;
        const rec = parseRecord(fields, e.message, { ...(e.timestamp !== undefined ? { timestamp: e.timestamp } : {}), flowLogId: flowLog.flowLogId });
        if (!rec || !classifyRecord(rec, tuple)) continue;
        seen.add(key);
        records.push(rec);
      }
    }),
  );
  return { records, truncated };
}
