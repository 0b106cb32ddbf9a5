import { describe, expect, it } from 'vitest';
import { CallRecorder, formatCallStats, roundTripDepth } from '../../src/aws/call-stats.js';

const scope = { accountId: '123456789012', region: 'us-east-1' };

describe('call stats', () => {
  it('counts parallel calls as one round trip and dependent calls as more', () => {
    let t = 0;
    const r = new CallRecorder(() => t++);
    // wave 1: two calls in parallel
    const a = r.start('ec2', 'DescribeNetworkInterfaces', scope);
    const b = r.start('ec2', 'DescribeInstances', scope);
    r.end(b);
    r.end(a);
    // wave 2: three calls in parallel, one of them paginated (2 pages, sequential)
    const c = r.start('ec2', 'DescribeSecurityGroups', scope);
    const d = r.start('ec2', 'DescribeSubnets', scope);
    const e = r.start('ec2', 'DescribeRouteTables', scope);
    r.end(d);
    r.end(c);
    const e2 = r.start('ec2', 'DescribeRouteTables', scope);
    r.end(e);
    r.end(e2, { attempts: 3 });
    const s = r.stats();
    expect(s).toMatchObject({ calls: 6, attempts: 8, errors: 0, roundTrips: 3 });
    expect(s.byOperation).toEqual({ DescribeNetworkInterfaces: 1, DescribeInstances: 1, DescribeSecurityGroups: 1, DescribeSubnets: 1, DescribeRouteTables: 2 });
    expect(formatCallStats(s)).toMatch(/^6 AWS API calls \(8 attempts\) in 3 round trips, \d+ ms: DescribeRouteTables×2, /);
  });

  it('is 0 for no calls and ignores unfinished ones', () => {
    expect(roundTripDepth([])).toBe(0);
    expect(roundTripDepth([{ startSeq: 1 }])).toBe(0);
    expect(roundTripDepth([{ startSeq: 1, endSeq: 2 }, { startSeq: 3, endSeq: 4 }, { startSeq: 5, endSeq: 6 }])).toBe(3);
    // a call contained in another's interval is still parallel…
    expect(roundTripDepth([{ startSeq: 1, endSeq: 6 }, { startSeq: 2, endSeq: 3 }])).toBe(1);
    // …unless it is the AssumeRole the outer calls waited for: parallel calls sharing one → 2
    expect(roundTripDepth([{ startSeq: 1, endSeq: 6 }, { startSeq: 2, endSeq: 7 }, { startSeq: 3, endSeq: 4, credentials: true }])).toBe(2);
    // overlapping, not nested: parallel
    expect(roundTripDepth([{ startSeq: 1, endSeq: 3 }, { startSeq: 2, endSeq: 4 }])).toBe(1);
  });
});
