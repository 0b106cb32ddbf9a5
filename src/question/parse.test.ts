import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { SgwhyError } from '../errors/errors.js';
import { MAX_QUESTION_LENGTH, exampleQuestions, parseQuestion } from './parse.js';
import { SERVICES, lookupService } from './services.js';
import type { EndpointRef, Question } from './types.js';

const ip = (value: string): EndpointRef => ({ kind: 'ip', value });
const A = ip('10.0.2.100');
const B = ip('10.0.1.50');
type Expected = Omit<Question, 'text'>;
const tcp = (port: number, extra: Partial<Expected> = {}): Expected => ({ source: A, destination: B, protocol: 'tcp', port, ...extra });
const udp = (port: number, extra: Partial<Expected> = {}): Expected => ({ source: A, destination: B, protocol: 'udp', port, ...extra });

const TABLE: Array<[string, Expected]> = [
  // the phrasings from the incident channel
  ["why can't 10.0.2.100 reach 10.0.1.50:443", tcp(443)],
  ['why cant 10.0.2.100 connect to 10.0.1.50 on port 5432', tcp(5432)],
  ['why can’t 10.0.2.100 reach 10.0.1.50:443', tcp(443)],
  ["Why can't 10.0.2.100 talk to 10.0.1.50 port 80?", tcp(80)],
  ['WHY CANNOT 10.0.2.100 REACH 10.0.1.50 ON PORT 8443', tcp(8443)],
  ['why cant 10.0.2.100 connect to 10.0.1.50 on 5432', tcp(5432)],
  ["why can't 10.0.1.50 be reached from 10.0.2.100 on port 443", tcp(443, { directionCue: 'from' })],
  ['is 10.0.1.50:443 unreachable from 10.0.2.100?', tcp(443, { directionCue: 'from' })],
  ['to 10.0.1.50:443 from 10.0.2.100', tcp(443, { directionCue: 'from' })],
  ['src=10.0.2.100 dst=10.0.1.50 dport=443', tcp(443)],
  ['source: 10.0.2.100, destination: 10.0.1.50, port: 443', tcp(443)],
  ['10.0.2.100 to 10.0.1.50 443', tcp(443)],
  // arrows and protocol notations
  ['10.0.2.100 -> 10.0.1.50:53/udp', udp(53)],
  ['10.0.2.100 → 10.0.1.50 udp/53', udp(53)],
  ['10.0.2.100 to 10.0.1.50 tcp 443', tcp(443)],
  ['10.0.2.100 -> 10.0.1.50 udp 53', udp(53)],
  ['10.0.2.100 -> 10.0.1.50 port 53 udp', udp(53)],
  ['10.0.2.100 -> 10.0.1.50 53/udp', udp(53)],
  ['10.0.2.100 -> 10.0.1.50 tcp/53', tcp(53)],
  ['10.0.2.100->10.0.1.50:443', tcp(443)],
  ['10.0.2.100 --> 10.0.1.50:443', tcp(443)],
  ['10.0.2.100 => 10.0.1.50:443', tcp(443)],
  ['10.0.2.100 ⇒ 10.0.1.50 tcp:443', tcp(443)],
  ['10.0.2.100 -> 10.0.1.50:53', tcp(53)],
  // ping / icmp
  ['can 10.0.2.100 ping 10.0.1.50', { source: A, destination: B, protocol: 'icmp', icmpType: 8, icmpCode: 0 }],
  ['icmp from 10.0.2.100 to 10.0.1.50', { source: A, destination: B, protocol: 'icmp', icmpType: 8, icmpCode: 0 }],
  ['icmp type 3 code 4 from 10.0.2.100 to 10.0.1.50', { source: A, destination: B, protocol: 'icmp', icmpType: 3, icmpCode: 4 }],
  [
    'can 2600:1f18::1 ping 2600:1F18:0:0::2',
    { source: ip('2600:1f18::1'), destination: ip('2600:1f18::2'), protocol: 'icmpv6', icmpType: 128, icmpCode: 0 },
  ],
  ['can 10.0.2.100 ping 10.0.1.50 on port 443', tcp(443)],
  // services
  ['ssh from 10.0.2.100 to 10.0.1.50', tcp(22, { service: 'ssh' })],
  ['can 10.0.2.100 reach 10.0.1.50 over https', tcp(443, { service: 'https' })],
  [
    'postgres from i-0abc12345678 to 10.0.1.50',
    { source: { kind: 'instance', value: 'i-0abc12345678' }, destination: B, protocol: 'tcp', port: 5432, service: 'postgres' },
  ],
  ['dns from 10.0.2.100 to 10.0.1.50', udp(53, { service: 'dns' })],
  ['dns over tcp from 10.0.2.100 to 10.0.1.50', tcp(53, { service: 'dns' })],
  ['why cant 10.0.2.100 resolve via 10.0.1.50 dns', udp(53, { service: 'dns' })],
  ['mariadb from 10.0.2.100 to 10.0.1.50', tcp(3306, { service: 'mysql' })],
  ['kubernetes api from 10.0.2.100 to 10.0.1.50', tcp(6443, { service: 'kubernetes-api' })],
  ['node exporter from 10.0.2.100 to 10.0.1.50', tcp(9100, { service: 'node-exporter' })],
  ['sql server from 10.0.2.100 to 10.0.1.50', tcp(1433, { service: 'mssql' })],
  ['http-alt from 10.0.2.100 to 10.0.1.50', tcp(8080, { service: 'http-alt' })],
  ['ntp from 10.0.2.100 to 10.0.1.50', udp(123, { service: 'ntp' })],
  ['wireguard from 10.0.2.100 to 10.0.1.50', udp(51820, { service: 'wireguard' })],
  ['ssh on port 2222 from 10.0.2.100 to 10.0.1.50', tcp(2222, { service: 'ssh' })],
  ['10.0.2.100 -> 10.0.1.50 port https', tcp(443, { service: 'https' })],
  ['10.0.2.100 -> 10.0.1.50:ssh', tcp(22, { service: 'ssh' })],
  ['kafka box 10.0.2.100 cannot reach zookeeper 10.0.1.50:2181', tcp(2181, { service: 'zookeeper' })],
  ["why can't 10.0.2.100 reach https://10.0.1.50/health", tcp(443, { service: 'https' })],
  ['ssh ec2-user@10.0.1.50 from 10.0.2.100', tcp(22, { service: 'ssh', directionCue: 'from' })],
  // source ports
  ['10.0.2.100:40000 -> 10.0.1.50:443', tcp(443, { sourcePort: 40000 })],
  ['10.0.2.100 -> 10.0.1.50:443 from port 40000', tcp(443, { sourcePort: 40000 })],
  ['10.0.2.100 -> 10.0.1.50:443 sport 40000', tcp(443, { sourcePort: 40000 })],
  ['from 10.0.2.100 port 40000 to 10.0.1.50 port 443', tcp(443, { sourcePort: 40000 })],
  // ids and IPv6
  [
    'eni-0123456789abcdef0 -> i-0123456789abcdef0:22',
    { source: { kind: 'eni', value: 'eni-0123456789abcdef0' }, destination: { kind: 'instance', value: 'i-0123456789ABCDEF0'.toLowerCase() }, protocol: 'tcp', port: 22 },
  ],
  [
    'ssh from i-1234abcd to eni-1234abcd',
    { source: { kind: 'instance', value: 'i-1234abcd' }, destination: { kind: 'eni', value: 'eni-1234abcd' }, protocol: 'tcp', port: 22, service: 'ssh' },
  ],
  ["why can't 2600:1f18::5 reach [2600:1f18::1]:443", { source: ip('2600:1f18::5'), destination: ip('2600:1f18::1'), protocol: 'tcp', port: 443 }],
  ['2600:1f18::5 -> 2600:1F18:0000::1 port 443', { source: ip('2600:1f18::5'), destination: ip('2600:1f18::1'), protocol: 'tcp', port: 443 }],
  ['[2600:1f18::5]:40000 -> [2600:1f18::1]:53/udp', { source: ip('2600:1f18::5'), destination: ip('2600:1f18::1'), protocol: 'udp', port: 53, sourcePort: 40000 }],
  ['ip-10-0-2-100.ec2.internal -> ip-10-0-1-50.us-west-2.compute.internal:22', tcp(22)],
  ['10.0.2.100 -> 10.0.01.050:443', tcp(443)],
  // Slack noise
  ['<@U123ABC> why can\'t 10.0.2.100 reach <http://10.0.1.50:443|10.0.1.50:443>?', tcp(443)],
  ['@sgwhy please why can\'t `10.0.2.100` reach `10.0.1.50:443`', tcp(443)],
  ['10.0.2.100 -&gt; 10.0.1.50:443', tcp(443)],
  ['*why* can’t _10.0.2.100_ reach ~10.0.1.50~ port 443 ??', tcp(443)],
  ['  hey   <@U0LAN0Z89|sgwhy>:   why\u00a0can\'t 10.0.2.100\u200b reach (10.0.1.50) port 443.  ', tcp(443)],
  ['<@U123> ssh from <http://10.0.2.100|10.0.2.100> to <http://10.0.1.50|10.0.1.50> pls', tcp(22, { service: 'ssh' })],
  ['"10.0.2.100" -> "10.0.1.50:443", thanks!', tcp(443)],
];

describe('parseQuestion: table', () => {
  it('has at least 40 cases', () => expect(TABLE.length).toBeGreaterThanOrEqual(40));
  it.each(TABLE)('%s', (text, expected) => {
    expect(parseQuestion(text)).toStrictEqual({ ...expected, text });
  });
});

function errorOf(text: unknown): SgwhyError {
  try {
    parseQuestion(text as string);
  } catch (e) {
    expect(e).toBeInstanceOf(SgwhyError);
    return e as SgwhyError;
  }
  throw new Error(`expected an error for ${JSON.stringify(text)}`);
}

describe('parseQuestion: errors', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['empty', '', /empty/],
    ['blank', '  \n\t ', /empty/],
    ['not a string', 42, /must be text/],
    ['no endpoints', 'why is the network broken', /I need a source and a destination/],
    ['one endpoint', "why can't 10.0.2.100 reach the database", /I need a source and a destination.*found only 10\.0\.2\.100/],
    ['hostnames', 'db.prod.example.com -> 10.0.1.50:443', /can't look up DNS names like db\.prod\.example\.com/],
    ['same endpoint', '10.0.1.50 -> 10.0.1.50:443', /both 10\.0\.1\.50/],
    ['same endpoint, different spelling', '2600:1f18::1 -> [2600:1f18:0::1]:443', /both 2600:1f18::1/],
    ['missing port', '10.0.2.100 -> 10.0.1.50', /^Which port\?/],
    ['missing port, udp', '10.0.2.100 -> 10.0.1.50 udp', /^Which port\?/],
    ['unknown service (grpc)', 'grpc from 10.0.2.100 to 10.0.1.50', /^Which port\? I don't know which port "grpc"/],
    ['unknown service after over', 'can 10.0.2.100 reach 10.0.1.50 over thrift', /"thrift"/],
    ['unknown service after port', '10.0.2.100 -> 10.0.1.50 port foo', /"foo"/],
    ['unknown service where the port is', '10.0.2.100 -> 10.0.1.50:foo', /I don't know which port "foo" is/],
    ['two services, no port', 'kafka from 10.0.2.100 to zookeeper 10.0.1.50', /more than one service \(kafka 9092, zookeeper 2181\)/],
    ['port 0', '10.0.2.100 -> 10.0.1.50:0', /Port 0 is out of range; ports are 1-65535/],
    ['port too big', '10.0.2.100 -> 10.0.1.50 port 70000', /Port 70000 is out of range/],
    ['absurd port', '10.0.2.100 -> 10.0.1.50:99999999999999999999', /Port 9+ is out of range/],
    ['source port too big', '10.0.2.100 -> 10.0.1.50:443 sport 65536', /Source port 65536 is out of range/],
    ['bad octet', '10.0.2.100 -> 10.0.0.256:443', /10\.0\.0\.256 is not a valid IPv4 address/],
    ['IPv4 CIDR', 'why cant 10.0.2.0/24 reach 10.0.1.50:443', /10\.0\.2\.0\/24 is a CIDR block/],
    ['IPv6 CIDR', '2600:1f18::/56 -> 2600:1f18::1 port 443', /2600:1f18::\/56 is a CIDR block/],
    ['bad IPv6', '2600:1f18:::1 -> 2600:1f18::1 port 443', /not a valid IPv6 address/],
    ['bad bracketed address', '[2600:1f18::1::2]:443 from 2600:1f18::1', /not a valid IP address/],
    ['bad instance id', 'i-abc -> 10.0.1.50:22', /i-abc is not a valid instance id/],
    ['bad ENI id', '10.0.2.100 -> eni-12ab:22', /eni-12ab is not a valid ENI id/],
    ['three endpoints', '10.0.2.100 -> 10.0.1.50 -> 10.0.1.51:22', /found 3 endpoints/],
    ['mixed families', '10.0.2.100 -> 2600:1f18::1:443', /is IPv4 but 2600:1f18::1:443 is IPv6/],
    ['two ports', '10.0.2.100 -> 10.0.1.50:443 port 80', /more than one destination port \(443, 80\)/],
    ['two source ports', '10.0.2.100:1 -> 10.0.1.50:443 sport 2', /more than one source port/],
    ['two protocols', '10.0.2.100 -> 10.0.1.50:53/udp tcp', /more than one protocol \(udp, tcp\)/],
    ['icmpv6 between IPv4 addresses', 'icmpv6 from 10.0.2.100 to 10.0.1.50', /ICMPv6 needs IPv6 addresses/],
    ['icmp type out of range', 'icmp type 300 from 10.0.2.100 to 10.0.1.50', /ICMP type 300 is out of range/],
  ];
  it.each(cases)('%s', (_name, text, message) => {
    const e = errorOf(text);
    expect(e.code).toBe('BAD_QUESTION');
    expect(e.message).toMatch(message);
    // One sentence (after the "Which port?" lead-in).
    expect(e.message.replace(/^Which port\? /, '').replace(/e\.g\./g, '').match(/[.?!](\s|$)/g) ?? []).toHaveLength(1);
    expect(e.message).not.toMatch(/\n|at .*\.ts/);
    expect(e.hints).toHaveLength(3);
    expect(e.details?.internal).toBeUndefined();
  });

  it('rejects input longer than 2,000 characters with INPUT_TOO_LARGE', () => {
    const e = errorOf(`why can't 10.0.2.100 reach 10.0.1.50:443 ${'x'.repeat(MAX_QUESTION_LENGTH)}`);
    expect(e.code).toBe('INPUT_TOO_LARGE');
    expect(e.message).toMatch(/limit is 2,000/);
    expect(e.hints).toHaveLength(3);
    const ok = `why can't 10.0.2.100 reach 10.0.1.50:443 `.padEnd(MAX_QUESTION_LENGTH, ' ');
    expect(parseQuestion(ok).port).toBe(443);
  });

  it('hints are example questions that parse, and use the user’s endpoints for "Which port?"', () => {
    for (const h of exampleQuestions()) expect(() => parseQuestion(h)).not.toThrow();
    const e = errorOf('from 2600:1f18::9 to 2600:1f18::1');
    expect(e.message).toMatch(/^Which port\?/);
    expect(e.hints[0]).toBe("why can't 2600:1f18::9 reach [2600:1f18::1]:443");
    for (const h of e.hints) expect(() => parseQuestion(h)).not.toThrow();
  });
});

describe('services', () => {
  it('maps every alias to its canonical service, and parses each one', () => {
    for (const s of SERVICES) {
      for (const alias of [s.name, ...s.aliases]) {
        expect(lookupService(alias)).toBe(s);
        const q = parseQuestion(`${alias} from 10.0.2.100 to 10.0.1.50`);
        expect(q).toMatchObject({ protocol: s.protocol, port: s.port, service: s.name });
      }
    }
  });
  it('has no default for grpc, and nginx is not http-alt', () => {
    expect(lookupService('grpc')).toBeUndefined();
    expect(lookupService('nginx')).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const norm = (a: string): string => {
  const p = ipaddr.parse(a);
  return p.kind() === 'ipv6' ? (p as ipaddr.IPv6).toRFC5952String() : p.toString();
};
const distinctPair = (arb: fc.Arbitrary<string>) =>
  fc.tuple(arb, arb).filter(([a, b]) => norm(a) !== norm(b));
const pairs = fc.oneof(
  distinctPair(fc.ipV4()).map(([a, b]) => ({ a, b, v6: false })),
  distinctPair(fc.ipV6()).map(([a, b]) => ({ a, b, v6: true })),
);
const port = fc.integer({ min: 1, max: 65535 });

describe('parseQuestion: properties', () => {
  it('round-trips formatted questions', () => {
    fc.assert(
      fc.property(pairs, port, fc.constantFrom('tcp' as const, 'udp' as const), ({ a, b, v6 }, p, proto) => {
        const dst = v6 ? `[${b}]` : b;
        const expected = { source: ip(norm(a)), destination: ip(norm(b)), port: p };
        expect(parseQuestion(`why can't ${a} reach ${dst}:${p}`)).toMatchObject({ ...expected, protocol: 'tcp' });
        const q = parseQuestion(`${a} -> ${dst}:${p}/${proto}`);
        expect(q).toMatchObject({ ...expected, protocol: proto });
        expect(q.sourcePort).toBeUndefined();
        expect(q.service).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });

  /** Returns normally or throws a (non-internal) SgwhyError; if it returns, the Question is well-formed. */
  const wellBehaved = (text: string): void => {
    const t0 = performance.now();
    try {
      const q = parseQuestion(text);
      expect(q.text).toBe(text);
      expect(q.source.value === q.destination.value && q.source.kind === q.destination.kind).toBe(false);
      if (q.protocol === 'tcp' || q.protocol === 'udp') {
        expect(q.port).toBeGreaterThanOrEqual(1);
        expect(q.port).toBeLessThanOrEqual(65535);
      } else {
        expect(q.port).toBeUndefined();
        expect(q.icmpType).toBeGreaterThanOrEqual(0);
      }
    } catch (e) {
      expect(e).toBeInstanceOf(SgwhyError);
      expect((e as SgwhyError).details?.internal).toBeUndefined();
    }
    expect(performance.now() - t0).toBeLessThan(250);
  };

  it('never throws anything but SgwhyError on arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 3000 }), wellBehaved), { numRuns: 300 });
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 2500 }), wellBehaved), { numRuns: 300 });
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 600 }), wellBehaved), { numRuns: 200 });
  });

  it('never throws anything but SgwhyError on question-like soup', () => {
    const word = fc.constantFrom(
      '10.0.2.100', '10.0.1.50', '10.0.1.50:443', '2600:1f18::1', '[2600:1f18::2]:53', '::', 'i-0abc12345678', 'eni-1234abcd',
      '10.0.0.256', '10.0.0.0/8', 'port', 'sport', 'from', 'to', '->', '→', '&gt;', 'tcp', 'udp', 'icmp', 'icmpv6', 'ping', 'ssh',
      'dns', 'over', 'https://10.0.1.50', '<@U1>', '<http://10.0.1.50|10.0.1.50>', '443', '0', '99999', '53/udp', 'udp/53', 'type',
      'code', '`', '?', ':', '[', ']', '<', '>', '|', 'why', "can't", 'kubernetes', 'api', 'ip-10-0-1-5', 'x@', '@sgwhy', '/', '.',
    );
    const soup = fc.tuple(fc.array(word, { maxLength: 40 }), fc.constantFrom(' ', '', '  ', '\n', ',')).map(([ws, sep]) => ws.join(sep));
    fc.assert(fc.property(soup, wellBehaved), { numRuns: 2000 });
  });

  it('is fast on pathological input', () => {
    const n = MAX_QUESTION_LENGTH;
    for (const s of ['-'.repeat(n), ':'.repeat(n), '1.'.repeat(n / 2), 'a'.repeat(n), '<'.repeat(n), '<a|'.repeat(n / 3), 'a://'.repeat(n / 4), `ip-1-2-3-4${'.a'.repeat(990)}`, '[:'.repeat(n / 2), '1:'.repeat(n / 2), '.'.repeat(n), `${'a.'.repeat(n / 2 - 1)}1`])
      wellBehaved(s);
  });
});
