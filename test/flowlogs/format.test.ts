import { describe, expect, it } from 'vitest';
import { DEFAULT_LOG_FORMAT, missingFields, parseLogFormat, parseRecord } from '../../src/flowlogs/format.js';
import { classifyRecord } from '../../src/flowlogs/match.js';
import { buildFilterPattern } from '../../src/flowlogs/pattern.js';
import { directionPatterns } from '../../src/flowlogs/query.js';

const tuple = { src: '10.0.2.100', dst: '10.0.1.50', protocol: 'tcp' as const, port: 443 };

describe('flow-log formats', () => {
  it('parses the default format by field names', () => {
    const fields = parseLogFormat(undefined);
    expect(fields).toEqual(parseLogFormat(DEFAULT_LOG_FORMAT));
    expect(fields).toHaveLength(14);
    const r = parseRecord(fields, '2 123456789012 eni-abc 10.0.2.100 10.0.1.50 52000 443 6 3 180 1700000000 1700000060 REJECT OK', { timestamp: 1700000000000 });
    expect(r).toMatchObject({ interfaceId: 'eni-abc', srcaddr: '10.0.2.100', dstaddr: '10.0.1.50', srcport: 52000, dstport: 443, protocol: 6, packets: 3, bytes: 180, start: 1700000000, end: 1700000060, action: 'REJECT', logStatus: 'OK', timestamp: 1700000000000 });
    expect(classifyRecord(r!, tuple)).toBe('forward');
  });

  it('parses custom formats in any order, with v5 fields', () => {
    const fields = parseLogFormat('${flow-direction} ${action} ${dstport} ${srcaddr} ${dstaddr} ${srcport} ${protocol} ${interface-id} ${vpc-id} ${tcp-flags} ${end}');
    const r = parseRecord(fields, 'egress REJECT 52000 10.0.1.50 10.0.2.100 443 6 eni-db vpc-1 18 1700000060');
    expect(r).toMatchObject({ flowDirection: 'egress', action: 'REJECT', srcaddr: '10.0.1.50', dstaddr: '10.0.2.100', srcport: 443, dstport: 52000, interfaceId: 'eni-db', end: 1700000060 });
    expect(r?.fields['tcp-flags']).toBe('18');
    expect(classifyRecord(r!, tuple)).toBe('return');
    expect(missingFields(parseLogFormat('${srcaddr} ${dstport}'))).toEqual(['dstaddr', 'action']);
  });

  it('rejects malformed formats and mismatched lines', () => {
    expect(() => parseLogFormat('${srcaddr} dstaddr')).toThrow(/not \$\{field-name\}/);
    expect(parseRecord(parseLogFormat(undefined), '2 123 eni-a - - - - - - - 1 2 - NODATA')).toMatchObject({ logStatus: 'NODATA' });
    expect(parseRecord(parseLogFormat(undefined), 'too short')).toBeUndefined();
  });

  it('classifies only this flow', () => {
    const f = parseLogFormat(undefined);
    const line = (s: string, d: string, sp: number, dp: number, p = 6) => parseRecord(f, `2 1 eni-a ${s} ${d} ${sp} ${dp} ${p} 1 1 1 2 ACCEPT OK`)!;
    expect(classifyRecord(line('10.0.2.100', '10.0.1.50', 40000, 443), tuple)).toBe('forward');
    expect(classifyRecord(line('10.0.1.50', '10.0.2.100', 443, 40000), tuple)).toBe('return');
    expect(classifyRecord(line('10.0.2.100', '10.0.1.50', 40000, 22), tuple)).toBeUndefined();
    expect(classifyRecord(line('10.0.2.100', '10.0.1.50', 40000, 443, 17), tuple)).toBeUndefined();
    expect(classifyRecord(line('10.0.2.101', '10.0.1.50', 40000, 443), tuple)).toBeUndefined();
    // ICMP has no ports
    expect(classifyRecord(line('10.0.2.100', '10.0.1.50', 0, 0, 1), { src: '10.0.2.100', dst: '10.0.1.50', protocol: 'icmp' })).toBe('forward');
  });

  it('builds space-delimited filter patterns from the format', () => {
    const [fwd, ret] = directionPatterns(parseLogFormat(undefined), tuple);
    expect(fwd).toBe('[version, account_id, interface_id, srcaddr="10.0.2.100", dstaddr="10.0.1.50", srcport, dstport=443, protocol=6, packets, bytes, start, end, action, log_status]');
    expect(ret).toBe('[version, account_id, interface_id, srcaddr="10.0.1.50", dstaddr="10.0.2.100", srcport=443, dstport, protocol=6, packets, bytes, start, end, action, log_status]');
    expect(buildFilterPattern(['srcaddr', 'dstaddr'], { srcaddr: '2600:1f18::1', dstaddr: '10.0.0.1' })).toBe('[srcaddr, dstaddr="10.0.0.1"]');
  });
});
