import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateFlowLogsCommand } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsSession } from '../../src/aws/clients.js';
import type { Target } from '../../src/aws/target.js';
import { locateEndpoints } from '../../src/aws/locate.js';
import { flowEndpointsFor, flowLogEvidence } from '../../src/flowlogs/evidence.js';
import { fetchFlowLogRecords } from '../../src/flowlogs/fetch.js';
import { summariseFlowLogs } from '../../src/flowlogs/summarise.js';
import type { FlowEndpoint } from '../../src/flowlogs/types.js';
import { startMoto, useMotoEnv, type Moto } from '../support/moto.js';
import { builderFor, DEFAULT_ACCOUNT, twoTier, type TwoTier } from '../../src/bench/moto-topology.js';

let moto: Moto;
let t: TwoTier;
let endpoints: FlowEndpoint[];
const here: Target = { accountId: DEFAULT_ACCOUNT, accountName: 'main', region: 'us-east-1' };
const tuple = { src: '10.0.2.100', dst: '10.0.1.50', protocol: 'tcp' as const, port: 443 };
const NOW = Date.now();
const CUSTOM = '${interface-id} ${flow-direction} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${action} ${end} ${tcp-flags}';
let lonely: string;

const sec = (minAgo: number) => Math.floor((NOW - minAgo * 60_000) / 1000);
const dflt = (eni: string, s: string, d: string, sp: number, dp: number, action: string, minAgo: number) =>
  `2 ${DEFAULT_ACCOUNT} ${eni} ${s} ${d} ${sp} ${dp} 6 4 240 ${sec(minAgo) - 60} ${sec(minAgo)} ${action} OK`;

async function put(logs: CloudWatchLogsClient, group: string, stream: string, lines: Array<[number, string]>): Promise<void> {
  await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
  const events = lines.map(([minAgo, message]) => ({ timestamp: NOW - minAgo * 60_000, message })).sort((a, b) => a.timestamp - b.timestamp);
  await logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: events }));
}

beforeAll(async () => {
  moto = await startMoto();
  useMotoEnv(moto.endpoint);
  const b = await builderFor();
  t = await twoTier(b);
  lonely = await b.eni(await b.subnet(await b.vpc('172.31.0.0/16'), '172.31.1.0/24'), '172.31.1.10', []);
  const logs = new CloudWatchLogsClient({});
  for (const g of ['vpc-flow-logs', 'db-subnet-flows']) await logs.send(new CreateLogGroupCommand({ logGroupName: g }));
  const role = `arn:aws:iam::${DEFAULT_ACCOUNT}:role/flow-logs-delivery`;
  await b.ec2.send(new CreateFlowLogsCommand({ ResourceType: 'VPC', ResourceIds: [t.vpc], TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs', LogGroupName: 'vpc-flow-logs', DeliverLogsPermissionArn: role }));
  await b.ec2.send(
    new CreateFlowLogsCommand({ ResourceType: 'Subnet', ResourceIds: [t.dbSubnet], TrafficType: 'REJECT', LogDestinationType: 'cloud-watch-logs', LogGroupName: 'db-subnet-flows', DeliverLogsPermissionArn: role, LogFormat: CUSTOM }),
  );
  // default-format VPC flow log: the client keeps trying (egress ACCEPT at the source, ingress ACCEPT at
  // the destination, replies REJECTed leaving the destination), plus noise and old records
  await put(logs, 'vpc-flow-logs', `${t.src}-all`, [
    [9, dflt(t.src, '10.0.2.100', '10.0.1.50', 40001, 443, 'ACCEPT', 9)],
    [4, dflt(t.src, '10.0.2.100', '10.0.1.50', 40002, 443, 'ACCEPT', 4)],
    [4, dflt(t.src, '10.0.2.100', '10.0.1.50', 40003, 22, 'ACCEPT', 4)], // another port
    [90, dflt(t.src, '10.0.2.100', '10.0.1.50', 39999, 443, 'REJECT', 90)], // outside the window
  ]);
  await put(logs, 'vpc-flow-logs', `${t.dst}-all`, [
    [9, dflt(t.dst, '10.0.2.100', '10.0.1.50', 40001, 443, 'ACCEPT', 9)],
    [9, dflt(t.dst, '10.0.1.50', '10.0.2.100', 443, 40001, 'REJECT', 9)],
    [4, dflt(t.dst, '10.0.2.100', '10.0.1.50', 40002, 443, 'ACCEPT', 4)],
    [4, dflt(t.dst, '10.0.1.50', '10.0.2.100', 443, 40002, 'REJECT', 4)],
    [3, dflt(t.dst, '10.0.2.77', '10.0.1.50', 50000, 443, 'ACCEPT', 3)], // another client
    [3, `2 ${DEFAULT_ACCOUNT} ${t.dst} - - - - - - - ${sec(3) - 60} ${sec(3)} - NODATA`],
  ]);
  // custom-format REJECT-only subnet flow log on the db subnet
  await put(logs, 'db-subnet-flows', `${t.dst}-all`, [
    [4, `${t.dst} egress 10.0.1.50 10.0.2.100 443 40002 6 REJECT ${sec(4)} 18`],
    [2, `${t.dst} egress 10.0.1.50 10.0.2.100 443 40010 6 REJECT ${sec(2)} 18`],
    [2, `${t.dst} ingress 10.0.9.9 10.0.1.50 1234 443 6 REJECT ${sec(2)} 2`],
  ]);
  logs.destroy();
  b.destroy();
  endpoints = [
    { role: 'source', networkInterfaceId: t.src, subnetId: t.appSubnet, vpcId: t.vpc, accountId: DEFAULT_ACCOUNT, region: 'us-east-1' },
    { role: 'destination', networkInterfaceId: t.dst, subnetId: t.dbSubnet, vpcId: t.vpc, accountId: DEFAULT_ACCOUNT, region: 'us-east-1' },
  ];
});
afterAll(async () => moto?.stop());

describe('flow-log evidence from CloudWatch Logs', () => {
  it('finds the covering flow logs, queries both directions, and explains the pattern', async () => {
    const session = new AwsSession();
    const clients = session.forQuestion({ asker: 'flowlogs' });
    const f = await fetchFlowLogRecords(clients, [here], tuple, endpoints, { now: NOW, windowMinutes: 30 });
    expect(f.gaps).toEqual([]);
    expect(f.coverage.map((c) => c.flowLogs.map((l) => [l.resourceId, l.trafficType, l.logGroupName]))).toEqual([
      [[t.vpc, 'ALL', 'vpc-flow-logs']],
      expect.arrayContaining([
        [t.vpc, 'ALL', 'vpc-flow-logs'],
        [t.dbSubnet, 'REJECT', 'db-subnet-flows'],
      ]),
    ]);
    // 2 forward at the source, 2 forward + 2 return at the destination (VPC log), 2 return (subnet log, custom format)
    expect(f.records).toHaveLength(8);
    expect(f.truncated).toBe(false);
    // one DescribeFlowLogs, then two queries per (log group, format), in parallel
    expect(f.stats.byOperation).toEqual({ DescribeFlowLogs: 1, FilterLogEvents: 4 });
    expect(f.stats.roundTrips).toBe(2);

    const e = summariseFlowLogs(f, { verdict: 'blocked', now: NOW });
    expect(e.findings.map((x) => x.code)).toEqual(expect.arrayContaining(['NACL_RETURN_PATH', 'PARTIAL_TRAFFIC_TYPE']));
    // the reply REJECTed 4 min ago is in both the VPC and the subnet flow log: counted once
    expect(e.sentences[0]).toBe(`3 REJECT records 10.0.1.50:443 → 10.0.2.100 on ${t.dst} (destination) in the last 30 min, last 2 min ago`);
    expect(e.sentences).toContain(`2 ACCEPT records 10.0.2.100 → 10.0.1.50:443 on ${t.dst} (destination) in the last 30 min, last 4 min ago`);
    expect(e.sentences.join('\n')).toMatch(/Inbound ACCEPT but outbound REJECT on eni-[0-9a-f]+: a stateless NACL/);
    expect(e.agreement.status).toBe('agrees');
    session.destroy();
  });

  it('as a step after a live verdict: from the located endpoints to evidence', async () => {
    const session = new AwsSession();
    const clients = session.forQuestion({ asker: 'bot' });
    const located = await locateEndpoints(clients, [here], [{ kind: 'ip', value: '10.0.2.100' }, { kind: 'eni', value: t.dst }]);
    const pair = { source: located.outcomes[0]!, destination: located.outcomes[1]! };
    expect(flowEndpointsFor(pair).map((e) => [e.role, e.networkInterfaceId, e.subnetId])).toEqual([
      ['source', t.src, t.appSubnet],
      ['destination', t.dst, t.dbSubnet],
    ]);
    const e = await flowLogEvidence(session.forQuestion({ asker: 'bot' }), [here], { protocol: 'tcp', port: 443 }, pair, 'reachable', { now: NOW });
    expect(e?.tuple).toEqual(tuple);
    // the configuration (say, after a fix) allows it, but replies were REJECTed 2 minutes ago
    expect(e?.agreement).toMatchObject({ status: 'stale', message: expect.stringMatching(/last REJECT was 2 min ago: the fix is still propagating/) });
    session.destroy();
  });

  it('bounds pages and says the counts are lower bounds', async () => {
    const session = new AwsSession();
    const f = await fetchFlowLogRecords(session.forQuestion({ asker: 'x' }), [here], tuple, endpoints, { now: NOW, pageLimit: 2, maxPages: 1 });
    expect(f.truncated).toBe(true);
    expect(f.stats.byOperation['FilterLogEvents']).toBe(4);
    expect(summariseFlowLogs(f).findings.map((x) => x.code)).toContain('TRUNCATED');
    session.destroy();
  });

  it('an interface without flow logs: says so, no log queries', async () => {
    const session = new AwsSession();
    const lonelyEndpoint: FlowEndpoint = { role: 'destination', networkInterfaceId: lonely, accountId: DEFAULT_ACCOUNT, region: 'us-east-1' };
    const f = await fetchFlowLogRecords(session.forQuestion({ asker: 'x' }), [here], { ...tuple, dst: '172.31.1.10' }, [lonelyEndpoint], { now: NOW });
    expect(f.stats.byOperation).toEqual({ DescribeFlowLogs: 1 });
    const e = summariseFlowLogs(f, { verdict: 'unknown' });
    expect(e.sentences[0]).toBe(`No flow logs cover ${lonely} (destination): no records to check.`);
    expect(e.agreement.status).toBe('inconclusive');
    session.destroy();
  });
});
