/**
 * Why a blocker has no automatic fix, in one sentence that stands on its own: the reason is the
 * blocker's own (a NAT gateway takes no inbound connections, no interface can hold the address),
 * or the kind of change it would take; it points at the near misses only when there are some.
 */
import type { Blocker, NearMiss } from '../answer/types.js';
import type { BlockerFacts } from '../trace/types.js';

export function noFixReason(b: Pick<Blocker, 'id' | 'code' | 'layer' | 'resourceId'>, facts: BlockerFacts, misses: readonly NearMiss[]): string {
  const mine = misses.filter((n) => n.blockerId === b.id);
  const seeMisses = mine.length ? ` The near misses for ${b.id} show the closest existing rules.` : '';
  switch (facts.kind) {
    case 'managed':
    case 'aws-service':
    case 'no-interface':
      return capitalise(facts.reason);
    case 'state':
      if (facts.reason) return capitalise(facts.reason);
      return `${facts.resourceId} is ${facts.state}: restoring it is a change to the resource itself, which sgwhy does not make automatically.${seeMisses}`;
    case 'no-public-ip':
      return `${facts.eni.id} needs a public address (an Elastic IP or a NAT gateway route), a choice with cost and exposure that a person must make.${seeMisses}`;
    case 'route':
    case 'tgw-route':
      return `No connection that could carry this traffic exists in the data (peering, transit gateway or gateway), so no route can be pointed at one.${seeMisses}`;
    case 'sg':
      return `No single rule change on ${b.resourceId} is safe to propose for this flow (quota or group limits).${seeMisses}`;
    case 'nacl':
      return `No free rule number lets an allow take precedence in ${b.resourceId} without reordering its entries.${seeMisses}`;
  }
}

function capitalise(s: string): string {
  return s.length ? s[0]!.toUpperCase() + s.slice(1).replace(/([^.])$/, '$1.') : s;
}
