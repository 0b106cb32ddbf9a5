import { describe, expect, it } from 'vitest';
import { parseLogFormat, parseRecord } from '../../src/flowlogs/format.js';
import { ago, summariseFlowLogs } from '../../src/flowlogs/summarise.js';
import type { FlowCoverage, FlowLogFetch, FlowLogInfo, FlowRecord } from '../../src/flowlogs/types.js';

const NOW = Date.UTC(2025, 0, 1, 12, 0, 0);
const SRC = 'eni-0src';
const DST = 'eni-0dst';
const tuple = { src: '10.0.2.100', dst: '10.0.1.50', protocol: 'tcp' as const, port: 443 };
const fields = parseLogFormat(undefined);

/** A default-format record, `minAgo` minutes before NOW. */
function rec(dir: 'forward' | 'return', action: 'ACCEPT' | 'REJECT', eni: string, minAgo: number): FlowRecord {
  const end = Math.floor((NOW - minAgo * 60_000) / 1000);
  const [s, d, sp, dp] = dir === 'forward' ? ['10.0.2.100', '10.0.1.50', 40123, 443] : ['10.0.1.50', '10.0.2.100', 443, 40123];
  return parseRecord(fields, `2 123456789012 ${eni} ${s} ${d} ${sp} ${dp} 6 3 180 ${end - 60} ${end} ${action} OK`, { timestamp: (end - 60) * 1000 })!;
}

const flowLog = (resourceId: string, over: Partial<FlowLogInfo> = {}): FlowLogInfo => ({
  flowLogId: `fl-${resourceId}`,
  resourceId,
  trafficType: 'ALL',
  destinationType: 'cloud-watch-logs',
  logGroupName: 'vpc-flow-logs',
  logFormat: '',
  accountId: '123456789012',
  region: 'us-east-1',
  deliveryFailing: false,
  ...over,
});

function coverage(src: FlowLogInfo[] = [flowLog('vpc-1')], dst: FlowLogInfo[] = [flowLog('vpc-1')]): FlowCoverage[] {
  const base = { accountId: '123456789012', region: 'us-east-1', vpcId: 'vpc-1' };
  return [
    { endpoint: { role: 'source', networkInterfaceId: SRC, subnetId: 'subnet-app', ...base }, flowLogs: src },
    { endpoint: { role: 'destination', networkInterfaceId: DST, subnetId: 'subnet-db', ...base }, flowLogs: dst },
  ];
}

const fetch = (records: FlowRecord[], over: Partial<FlowLogFetch> = {}): FlowLogFetch => ({
  tuple,
  window: { startMs: NOW - 30 * 60_000, endMs: NOW },
  coverage: coverage(),
  records,
  truncated: false,
  gaps: [],
  unusableFormats: [],
  ...over,
});

const codes = (e: ReturnType<typeof summariseFlowLogs>) => e.findings.map((f) => f.code);

describe('flow-log summary', () => {
  it('counts REJECTs per direction and interface and says so in one sentence', () => {
    const records = Array.from({ length: 12 }, (_, i) => rec('forward', 'REJECT', DST, 3 + i));
    const e = summariseFlowLogs(fetch(records), { verdict: 'blocked' });
    expect(e.groups).toEqual([
      { direction: 'forward', action: 'REJECT', networkInterfaceId: DST, side: 'destination', records: 12, packets: 36, bytes: 2160, firstSeen: NOW - 15 * 60_000, lastSeen: NOW - 3 * 60_000 },
    ]);
    expect(e.sentences[0]).toBe('12 REJECT records 10.0.2.100 → 10.0.1.50:443 on eni-0dst (destination) in the last 30 min, last 3 min ago');
    expect(codes(e)).toEqual(['REJECT_AT_DESTINATION']);
    expect(e.agreement).toEqual({ status: 'agrees', message: 'Flow logs agree with the blocked verdict: REJECT records, the last 3 min ago.' });
    expect(e.window.minutes).toBe(30);
  });

  it('inbound ACCEPT but outbound REJECT: the stateless NACL return path', () => {
    const e = summariseFlowLogs(fetch([rec('forward', 'ACCEPT', DST, 2), rec('return', 'REJECT', DST, 2), rec('forward', 'ACCEPT', SRC, 2)]), { verdict: 'blocked' });
    expect(codes(e)).toContain('NACL_RETURN_PATH');
    const s = e.sentences.join('\n');
    expect(s).toMatch(/1 REJECT record 10\.0\.1\.50:443 → 10\.0\.2\.100 on eni-0dst \(destination\)/);
    expect(s).toMatch(/Inbound ACCEPT but outbound REJECT on eni-0dst: a stateless NACL/);
    expect(e.agreement.status).toBe('agrees');
  });

  it('replies rejected entering the source: the source NACL', () => {
    const e = summariseFlowLogs(fetch([rec('forward', 'ACCEPT', SRC, 1), rec('forward', 'ACCEPT', DST, 1), rec('return', 'ACCEPT', DST, 1), rec('return', 'REJECT', SRC, 1)]));
    expect(e.findings.find((f) => f.code === 'NACL_RETURN_PATH')).toMatchObject({ networkInterfaceId: SRC });
  });

  it('no flow logs on the interfaces: says which', () => {
    const e = summariseFlowLogs(fetch([], { coverage: coverage([], []) }), { verdict: 'blocked' });
    expect(codes(e)).toEqual(['NO_FLOW_LOGS', 'NO_FLOW_LOGS']);
    expect(e.sentences[0]).toBe('No flow logs cover eni-0src (source) or its subnet/VPC (subnet-app, vpc-1): no records to check.');
    expect(e.agreement.status).toBe('inconclusive');
  });

  it('flow logs to S3, ACCEPT-only traffic type, failing delivery, unusable format', () => {
    const e = summariseFlowLogs(
      fetch([], {
        coverage: coverage([flowLog('subnet-app', { destinationType: 's3', destination: 'arn:aws:s3:::flows', logGroupName: undefined })], [flowLog(DST, { trafficType: 'ACCEPT', deliveryFailing: true })]),
        unusableFormats: [{ flowLogId: 'fl-x', missing: ['action'] }],
      }),
    );
    expect(codes(e)).toEqual(['NOT_QUERYABLE', 'PARTIAL_TRAFFIC_TYPE', 'DELIVERY_FAILING', 'UNUSABLE_FORMAT', 'NO_RECORDS']);
    expect(e.findings[0]?.message).toMatch(/go to s3 arn:aws:s3:::flows; sgwhy reads CloudWatch Logs destinations only/);
    expect(e.findings[1]?.message).toMatch(/records only ACCEPT traffic: the absence of REJECT records proves nothing/);
  });

  it('config allows now, REJECTs 3 min ago: fix propagating / stale records', () => {
    const e = summariseFlowLogs(fetch([rec('forward', 'REJECT', DST, 20), rec('forward', 'REJECT', DST, 3)]), { verdict: 'reachable' });
    expect(e.agreement.status).toBe('stale');
    expect(e.agreement.message).toMatch(/allows it now; the last REJECT was 3 min ago: the fix is still propagating or these records predate it/);
    expect(e.sentences.at(-1)).toBe(e.agreement.message);
  });

  it('config allows now, REJECTs long ago and nothing since: retry to confirm', () => {
    const e = summariseFlowLogs(fetch([rec('forward', 'REJECT', DST, 25)]), { verdict: 'reachable' });
    expect(e.agreement).toMatchObject({ status: 'stale', message: expect.stringMatching(/25 min ago and nothing was recorded since/) });
  });

  it('REJECTs stopped and ACCEPTs since: the fix took effect', () => {
    const e = summariseFlowLogs(fetch([rec('forward', 'REJECT', DST, 12), rec('forward', 'ACCEPT', DST, 4), rec('return', 'ACCEPT', DST, 4)]), { verdict: 'reachable' });
    expect(e.agreement).toMatchObject({ status: 'agrees', message: expect.stringMatching(/REJECTs stopped 12 min ago/) });
    expect(codes(e)).toContain('FLOWING');
  });

  it('config says blocked but the flow is accepted both ways: disagreement', () => {
    const e = summariseFlowLogs(fetch([rec('forward', 'ACCEPT', DST, 1), rec('return', 'ACCEPT', DST, 1)]), { verdict: 'blocked' });
    expect(e.agreement.status).toBe('disagrees');
    expect(codes(e)).toEqual(['FLOWING']);
    expect(e.findings[0]?.message).toMatch(/look at the host/);
  });

  it('leaves the source, never reaches the destination', () => {
    const e = summariseFlowLogs(fetch([rec('forward', 'ACCEPT', SRC, 2)]), { verdict: 'blocked' });
    expect(codes(e)).toEqual(['NOT_DELIVERED']);
    expect(e.agreement).toMatchObject({ status: 'agrees', message: expect.stringMatching(/never reach the destination/) });
  });

  it('counts the same packets logged by two flow logs once', () => {
    const r = rec('forward', 'REJECT', DST, 5);
    const e = summariseFlowLogs(fetch([r, { ...r, flowLogId: 'fl-subnet' }, rec('forward', 'REJECT', DST, 6)]));
    expect(e.groups[0]?.records).toBe(2);
  });

  it('ignores records of other flows, marks truncation, formats durations', () => {
    const other = parseRecord(fields, `2 1 ${DST} 10.0.9.9 10.0.1.50 1 443 6 1 1 1 2 REJECT OK`)!;
    const e = summariseFlowLogs(fetch([other], { truncated: true }));
    expect(e.groups).toEqual([]);
    expect(codes(e)).toEqual(['NO_RECORDS', 'TRUNCATED']);
    expect(ago(NOW - 30_000, NOW)).toBe('less than a minute ago');
    expect(ago(NOW - 3 * 3600_000, NOW)).toBe('3 h ago');
  });
});
