import { describe, expect, it } from 'vitest';
import { descriptionMatches, lbDescriptionPattern } from '../../src/aws/lb-lookup.js';

describe('load balancer interfaces by description', () => {
  it('builds the filter from every way of naming a load balancer', () => {
    expect(lbDescriptionPattern('alb/orders')).toBe('ELB app/orders/*');
    expect(lbDescriptionPattern('nlb/ingest')).toBe('ELB net/ingest/*');
    expect(lbDescriptionPattern('arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/orders/50dc6c495c0c9188')).toBe('ELB app/orders/50dc6c495c0c9188');
    expect(lbDescriptionPattern('internal-orders-1234567890.us-east-1.elb.amazonaws.com')).toBe('ELB */orders/*');
    expect(lbDescriptionPattern('ingest-0123456789abcdef.elb.us-east-1.amazonaws.com')).toBe('ELB */ingest/*');
  });

  it('matches the node interfaces and nothing else', () => {
    const p = lbDescriptionPattern('alb/orders');
    expect(descriptionMatches('ELB app/orders/50dc6c495c0c9188', p)).toBe(true);
    expect(descriptionMatches('ELB app/orders-v2/50dc6c495c0c9188', p)).toBe(false);
    expect(descriptionMatches('ELB net/orders/50dc6c495c0c9188', p)).toBe(false);
    expect(descriptionMatches('ELB app/orders/x/y', p)).toBe(false);
    expect(descriptionMatches(undefined, p)).toBe(false);
    expect(descriptionMatches('ELB net/ingest/0a1b', lbDescriptionPattern('ingest-0123456789abcdef.elb.us-east-1.amazonaws.com'))).toBe(true);
  });
});
