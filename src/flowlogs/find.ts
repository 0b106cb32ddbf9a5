/** Finds the flow logs attached to the endpoints' ENIs, subnets and VPCs (DescribeFlowLogs, one call per account/region). */
import { paginateDescribeFlowLogs, type FlowLog } from '@aws-sdk/client-ec2';
import type { AwsClients } from '../aws/clients.js';
import type { Gap } from '../aws/gaps.js';
import { guardedCall } from '../aws/guarded-call.js';
import { drainPages } from '../aws/paginate.js';
import type { Target } from '../aws/target.js';
import { DEFAULT_LOG_FORMAT } from './format.js';
import type { FlowLogInfo } from './types.js';

/** arn:aws:logs:<region>:<account>:log-group:<name>[:*] */
export function parseLogGroupArn(arn: string | undefined): { accountId: string; region: string; logGroupName: string } | undefined {
  const m = /^arn:aws[\w-]*:logs:([a-z0-9-]+):(\d{12}):log-group:([^:]+)(?::\*)?$/.exec(arn ?? '');
  return m ? { region: m[1] as string, accountId: m[2] as string, logGroupName: m[3] as string } : undefined;
}

export function toFlowLogInfo(f: FlowLog, target: Target): FlowLogInfo | undefined {
  if (!f.FlowLogId || !f.ResourceId) return undefined;
  const type = f.LogDestinationType ?? 'cloud-watch-logs';
  const arn = parseLogGroupArn(f.LogDestination);
  const logGroupName = f.LogGroupName ?? arn?.logGroupName;
  return {
    flowLogId: f.FlowLogId,
    resourceId: f.ResourceId,
    trafficType: f.TrafficType ?? 'ALL',
    destinationType: type,
    ...(type === 'cloud-watch-logs' && logGroupName ? { logGroupName } : {}),
    ...(f.LogDestination ? { destination: f.LogDestination } : {}),
    logFormat: f.LogFormat || DEFAULT_LOG_FORMAT,
    // a cross-account CloudWatch destination lives where its ARN says
    accountId: type === 'cloud-watch-logs' && arn ? arn.accountId : target.accountId,
    region: type === 'cloud-watch-logs' && arn ? arn.region : target.region,
    deliveryFailing: f.DeliverLogsStatus === 'FAILED',
  };
}

export async function findFlowLogs(clients: AwsClients, target: Target, resourceIds: readonly string[], gaps: Gap[]): Promise<FlowLogInfo[]> {
  const ids = [...new Set(resourceIds.filter(Boolean))];
  if (ids.length === 0) return [];
  const drained = await guardedCall(gaps, 'DescribeFlowLogs', target, () =>
    drainPages(paginateDescribeFlowLogs({ client: clients.ec2(target) }, { Filter: [{ Name: 'resource-id', Values: ids }] })),
  );
  const logs = (drained?.data['FlowLogs'] as FlowLog[] | undefined) ?? [];
  return logs.flatMap((f) => {
    const info = f.ResourceId && ids.includes(f.ResourceId) ? toFlowLogInfo(f, target) : undefined;
    return info ? [info] : [];
  });
}
