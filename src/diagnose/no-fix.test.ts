/** "No automatic fix" always comes with its reason, and points at near misses only when there are some. */
import { describe, expect, it } from 'vitest';
import type { NearMiss } from '../answer/types.js';
import { parseAddr } from '../net/ip.js';
import { noFixReason } from './no-fix.js';

const b = { id: 'B1', code: 'BAD_STATE' as const, layer: 'gateway' as const, resourceId: 'pcx-0123456789abcdef0' };

describe('noFixReason', () => {
  it('uses the blocker\'s own reason for NAT gateways, AWS-served addresses and impossible addresses', () => {
    expect(noFixReason(b, { kind: 'aws-service', reason: 'it answers on tcp/80 only' }, [])).toBe('It answers on tcp/80 only.');
    expect(noFixReason(b, { kind: 'no-interface', addr: parseAddr('10.0.3.9')!, vpcId: 'vpc-1', nearest: ['10.0.1.9'], reason: 'no interface can hold 10.0.3.9' }, []))
      .toBe('No interface can hold 10.0.3.9.');
  });

  it('mentions near misses only when this blocker has some', () => {
    const facts = { kind: 'state' as const, resourceId: 'pcx-0123456789abcdef0', state: 'failed' };
    expect(noFixReason(b, facts, [])).not.toMatch(/near miss/);
    const miss: NearMiss = { blockerId: 'B1', kind: 'NO_CONNECTION', message: 'm' };
    expect(noFixReason(b, facts, [miss])).toMatch(/near misses for B1/);
    expect(noFixReason(b, facts, [{ ...miss, blockerId: 'B2' }])).not.toMatch(/near miss/);
  });
});
