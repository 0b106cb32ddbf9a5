/**
 * The fix simulator: applies one proposed EC2 API call (SDK v3 input shape) to a raw snapshot
 * and returns the documents the next describe-* calls would print. The caller re-asks the
 * question on the result to prove that a fix works.
 *
 * Rules:
 * - Never mutates its arguments. A document the call changes is deep-copied first; documents
 *   it does not touch are returned as they are (the same objects), so treat all docs as
 *   immutable. Nothing from `call.input` is aliased into the result.
 * - The same AWS object may appear in several documents (e.g. a group dumped twice); every
 *   copy is changed. Preconditions are checked against the first copy.
 * - Errors: the object is not in the snapshot → BAD_SNAPSHOT; the call is malformed or cannot
 *   be simulated → BAD_USAGE; AWS itself would reject the call (duplicate rule, route exists,
 *   rule quota…)
 *   → AWS_ERROR whose message starts with AWS's error code, e.g.
 *   "InvalidPermission.Duplicate: …", and details.awsErrorCode.
 *
 * The operations live in one module per kind of API call: simulate-sg.ts (security groups),
 * simulate-nacl.ts (network ACLs), simulate-routes.ts (VPC routes), simulate-interfaces.ts
 * (interface attributes), simulate-tgw.ts (transit gateway routes and attachments, peering),
 * simulate-hybrid.ts (propagation, internet gateways), simulate-create.ts (calls that create
 * objects); shared parts in simulate-common.ts.
 *
 * Pure: no SDK, no I/O, no clock.
 */
import type { RawDoc } from '../model/raw.js';
import { isObj, usage, type ApiCall, type SimulateOptions } from './simulate-common.js';
import { attachInternetGateway, enableTgwPropagation, enableVgwPropagation } from './simulate-hybrid.js';
import { modifyNetworkInterface } from './simulate-interfaces.js';
import { networkAclEntry } from './simulate-nacl.js';
import { vpcRoute } from './simulate-routes.js';
import { securityGroupRules } from './simulate-sg.js';
import { acceptPeering, modifyTgwVpcAttachment, transitGatewayRoute } from './simulate-tgw.js';

export { DEFAULT_RULES_PER_SECURITY_GROUP, type ApiCall, type SimulateOptions } from './simulate-common.js';

const HANDLERS: Readonly<Record<string, (docs: readonly RawDoc[], call: ApiCall, options: SimulateOptions) => RawDoc[]>> = {
  AuthorizeSecurityGroupIngress: (d, c, o) => securityGroupRules(d, c, 'ingress', 'authorize', o),
  AuthorizeSecurityGroupEgress: (d, c, o) => securityGroupRules(d, c, 'egress', 'authorize', o),
  RevokeSecurityGroupIngress: (d, c, o) => securityGroupRules(d, c, 'ingress', 'revoke', o),
  RevokeSecurityGroupEgress: (d, c, o) => securityGroupRules(d, c, 'egress', 'revoke', o),
  CreateNetworkAclEntry: (d, c) => networkAclEntry(d, c, 'create'),
  ReplaceNetworkAclEntry: (d, c) => networkAclEntry(d, c, 'replace'),
  DeleteNetworkAclEntry: (d, c) => networkAclEntry(d, c, 'delete'),
  CreateRoute: (d, c) => vpcRoute(d, c, 'create'),
  ReplaceRoute: (d, c) => vpcRoute(d, c, 'replace'),
  DeleteRoute: (d, c) => vpcRoute(d, c, 'delete'),
  ModifyNetworkInterfaceAttribute: modifyNetworkInterface,
  CreateTransitGatewayRoute: (d, c) => transitGatewayRoute(d, c, 'create'),
  DeleteTransitGatewayRoute: (d, c) => transitGatewayRoute(d, c, 'delete'),
  ReplaceTransitGatewayRoute: (d, c) => transitGatewayRoute(d, c, 'replace'),
  AcceptVpcPeeringConnection: acceptPeering,
  ModifyTransitGatewayVpcAttachment: modifyTgwVpcAttachment,
  EnableTransitGatewayRouteTablePropagation: (d, c) => enableTgwPropagation(d, c),
  EnableVgwRoutePropagation: (d, c) => enableVgwPropagation(d, c),
  AttachInternetGateway: (d, c) => attachInternetGateway(d, c),
};

/** The operations applyApiCall can simulate. */
export const SIMULATED_OPERATIONS: readonly string[] = Object.freeze(Object.keys(HANDLERS));

/**
 * Apply one EC2 API call to a snapshot. Returns new documents showing the call's effect as the
 * next describe-* output would; the arguments are never mutated. Throws SgwhyError
 * (BAD_SNAPSHOT, BAD_USAGE or AWS_ERROR; see the file comment).
 */
export function applyApiCall(docs: readonly RawDoc[], call: ApiCall, options: SimulateOptions = {}): RawDoc[] {
  if (!isObj(call) || typeof call.operation !== 'string') throw usage('cannot simulate a call without an operation name.');
  const handler = Object.hasOwn(HANDLERS, call.operation) ? HANDLERS[call.operation] : undefined;
  if (handler === undefined) throw usage(`cannot simulate ${call.operation}`);
  if (!isObj(call.input)) throw usage(`cannot simulate ${call.operation}: its input is not an object.`);
  return handler(docs, call, options);
}

/** Apply calls in order (a fix plan); the first failure throws. */
export function applyApiCalls(docs: readonly RawDoc[], calls: readonly ApiCall[], options: SimulateOptions = {}): RawDoc[] {
  return calls.reduce<RawDoc[]>((acc, call) => applyApiCall(acc, call, options), [...docs]);
}
