/**
 * Finding a load balancer's nodes in live mode: they are network interfaces described
 * "ELB app/NAME/ID" (net/… for NLB, gwy/… for GWLB), so one DescribeNetworkInterfaces call with a
 * `description` filter finds every zone's node, with no call beyond the ones an address costs.
 * To wire into locate.ts: lookupsFor(load-balancer ref) → [{ filter: 'description', value: lbDescriptionPattern(ref.value) }],
 * and eniMatches → descriptionMatches(eni.Description, lbDescriptionPattern(ref.value)).
 */

/** The description filter (with * wildcards) for alb/NAME, nlb/NAME, gwlb/NAME, an ELBv2 ARN or its DNS name. */
export function lbDescriptionPattern(value: string): string {
  const arn = value.match(/:loadbalancer\/((?:app|net|gwy)\/[^/]+\/[0-9a-f]+)$/);
  if (arn) return `ELB ${arn[1]}`;
  const typed = value.match(/^(alb|nlb|gwlb|elb)\/(.+)$/i);
  if (typed) return `ELB ${({ alb: 'app', nlb: 'net', gwlb: 'gwy' } as Record<string, string>)[typed[1]!.toLowerCase()] ?? '*'}/${typed[2]}/*`;
  // NAME-1234567890.REGION.elb.amazonaws.com, internal-NAME-….elb.amazonaws.com, NAME-hex.elb.REGION.amazonaws.com (NLB)
  const dns = value.toLowerCase().match(/^(?:internal-)?([^.]+)-[0-9a-z]+\.(?:[a-z0-9-]+\.)?elb\.(?:[a-z0-9-]+\.)?amazonaws\.com\.?$/);
  return `ELB */${dns ? dns[1] : value}/*`;
}

/** Client-side check of the filter (emulators differ): * stands for one path segment. */
export function descriptionMatches(description: string | undefined, pattern: string): boolean {
  if (!description) return false;
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.?+^$()[\]{}|\\/]/g, '\\$&')).join('[^/]*')}$`, 'i');
  return re.test(description);
}
