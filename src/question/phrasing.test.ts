/** The questions people really type: passive and reversed phrasing, arrows both ways, port ranges, #ports, any IP protocol, names. */
import { describe, expect, it } from 'vitest';
import { SgwhyError } from '../errors/errors.js';
import { parseQuestion } from './parse.js';
import { protocolNumber, protocolOf, type EndpointRef, type Question } from './types.js';

const ip = (value: string): EndpointRef => ({ kind: 'ip', value });
const A = ip('10.0.2.100');
const B = ip('10.0.1.50');
const name = (value: string): EndpointRef => ({ kind: 'name', value });
type Expected = Omit<Question, 'text'>;

const CASES: Array<[string, Expected]> = [
  // direction from passive and reversed wording: the source is 10.0.2.100 in every one
  ['10.0.1.50:443 is not reachable from 10.0.2.100', { source: A, destination: B, protocol: 'tcp', port: 443, directionCue: 'from' }],
  ['why is 10.0.1.50 rejecting 10.0.2.100 on 443', { source: A, destination: B, protocol: 'tcp', port: 443, directionCue: 'rejecting' }],
  ['why does 10.0.1.50 refuse 10.0.2.100 port 443', { source: A, destination: B, protocol: 'tcp', port: 443, directionCue: 'refuse' }],
  ['10.0.2.100 cant get to 10.0.1.50:443', { source: A, destination: B, protocol: 'tcp', port: 443 }],
  ['10.0.1.50:443 <- 10.0.2.100', { source: A, destination: B, protocol: 'tcp', port: 443, directionCue: '<-' }],
  ['10.0.1.50:443 &lt;- 10.0.2.100', { source: A, destination: B, protocol: 'tcp', port: 443, directionCue: '<-' }],
  ['10.0.1.50:443 ← 10.0.2.100', { source: A, destination: B, protocol: 'tcp', port: 443, directionCue: '<-' }],
  // "unreachable from X port 8443": the port written after the source is the destination port
  ['10.0.1.50 unreachable from 10.0.2.100 port 8443', { source: A, destination: B, protocol: 'tcp', port: 8443, directionCue: 'from' }],
  // ports as people write them
  ['10.0.2.100 -> 10.0.1.50 #8443', { source: A, destination: B, protocol: 'tcp', port: 8443 }],
  ["why can't 10.0.2.100 reach 10.0.1.50 #8443", { source: A, destination: B, protocol: 'tcp', port: 8443 }],
  ['10.0.2.100 -> 10.0.1.50 ports 8080-8090', { source: A, destination: B, protocol: 'tcp', port: 8080, portTo: 8090 }],
  ['10.0.2.100 -> 10.0.1.50:8080-8090', { source: A, destination: B, protocol: 'tcp', port: 8080, portTo: 8090 }],
  ['can 10.0.2.100 reach 10.0.1.50 on ports 8080 to 8090', { source: A, destination: B, protocol: 'tcp', port: 8080, portTo: 8090 }],
  ['from 10.0.2.100 to 10.0.1.50 ports 8080 through 8090', { source: A, destination: B, protocol: 'tcp', port: 8080, portTo: 8090 }],
  ['10.0.2.100 -> 10.0.1.50 udp ports 60000-61000', { source: A, destination: B, protocol: 'udp', port: 60000, portTo: 61000 }],
  // any IP protocol, by name or number
  ['esp from 10.0.2.100 to 10.0.1.50', { source: A, destination: B, protocol: 'esp' }],
  ['10.0.2.100 -> 10.0.1.50 esp/50', { source: A, destination: B, protocol: 'esp' }],
  ['10.0.2.100 -> 10.0.1.50 ah/51', { source: A, destination: B, protocol: 'ah' }],
  ['gre/47 from 10.0.2.100 to 10.0.1.50', { source: A, destination: B, protocol: 'gre' }],
  ['10.0.2.100 -> 10.0.1.50 protocol 47', { source: A, destination: B, protocol: 'gre' }],
  ['10.0.2.100 -> 10.0.1.50 sctp/132', { source: A, destination: B, protocol: 'sctp' }],
  ['10.0.2.100 -> 10.0.1.50 proto 89', { source: A, destination: B, protocol: 'proto-89' }],
  ['10.0.2.100 -> 10.0.1.50 protocol 6 port 22', { source: A, destination: B, protocol: 'tcp', port: 22 }],
  [
    'can 2600:1f18::5 ping6 2600:1f18::1',
    { source: ip('2600:1f18::5'), destination: ip('2600:1f18::1'), protocol: 'icmpv6', icmpType: 128, icmpCode: 0 },
  ],
  [
    'icmpv6/58 from 2600:1f18::5 to 2600:1f18::1',
    { source: ip('2600:1f18::5'), destination: ip('2600:1f18::1'), protocol: 'icmpv6', icmpType: 128, icmpCode: 0 },
  ],
  // Name tags and load balancers
  ["why can't web-1 reach orders-db:5432", { source: name('web-1'), destination: name('orders-db'), protocol: 'tcp', port: 5432 }],
  ["why can't Web-1 reach ORDERS-db:5432", { source: name('Web-1'), destination: name('ORDERS-db'), protocol: 'tcp', port: 5432 }],
  ['ssh from bastion to app-1', { source: name('bastion'), destination: name('app-1'), protocol: 'tcp', port: 22, service: 'ssh' }],
  ['web-1 -> 10.0.1.50:443', { source: name('web-1'), destination: B, protocol: 'tcp', port: 443 }],
  ['why is orders-db rejecting web-1 on 5432', { source: name('web-1'), destination: name('orders-db'), protocol: 'tcp', port: 5432, directionCue: 'rejecting' }],
  ['10.0.2.100 -> alb/orders-alb:443', { source: A, destination: { kind: 'load-balancer', value: 'alb/orders-alb' }, protocol: 'tcp', port: 443 }],
  [
    '10.0.2.100 -> internal-orders-123.us-east-1.elb.amazonaws.com:443',
    { source: A, destination: { kind: 'load-balancer', value: 'internal-orders-123.us-east-1.elb.amazonaws.com' }, protocol: 'tcp', port: 443 },
  ],
  [
    '10.0.2.100 -> arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/orders/50dc6c495c0c9188 port 443',
    { source: A, destination: { kind: 'load-balancer', value: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/orders/50dc6c495c0c9188' }, protocol: 'tcp', port: 443 },
  ],
];

describe('parseQuestion: the questions people really type', () => {
  it.each(CASES)('%s', (text, expected) => {
    expect(parseQuestion(text)).toStrictEqual({ ...expected, text });
  });

  it('does not mark the direction as inferred when the order already says it', () => {
    expect(parseQuestion("why can't 10.0.2.100 reach 10.0.1.50:443").directionCue).toBeUndefined();
    expect(parseQuestion('from 10.0.2.100 to 10.0.1.50:443').directionCue).toBeUndefined();
  });

  it('does not take words for names when two addresses are there', () => {
    const q = parseQuestion('kafka box 10.0.2.100 cannot reach zookeeper 10.0.1.50:2181');
    expect([q.source, q.destination]).toEqual([A, B]);
  });

  const errors: Array<[string, RegExp]> = [
    ['10.0.2.100 -> 10.0.1.50 esp/51', /ESP is IP protocol 50, not 51/],
    ['esp from 10.0.2.100 to 10.0.1.50 port 500', /has no ports/],
    ['10.0.2.100 -> 10.0.1.50 ports 9000-8000', /runs backwards/],
    ['10.0.2.100 -> 10.0.1.50 ports 8080-70000', /out of range/],
    ['10.0.2.100 -> 10.0.1.50 protocol 300', /0-255/],
  ];
  it.each(errors)('rejects %s', (text, message) => {
    expect(() => parseQuestion(text)).toThrowError(SgwhyError);
    expect(() => parseQuestion(text)).toThrowError(message);
  });

  it('maps protocol names and numbers both ways', () => {
    for (const [n, p] of [[50, 'esp'], [51, 'ah'], [47, 'gre'], [132, 'sctp'], [58, 'icmpv6'], [6, 'tcp'], [89, 'proto-89']] as const) {
      expect(protocolOf(n)).toBe(p);
      expect(protocolNumber(p)).toBe(n);
    }
  });
});
