/**
 * The fix simulator: network ACL entries (Create/Replace/DeleteNetworkAclEntry).
 * Conventions (copy-on-write, errors) in simulate.ts. Pure: no SDK, no I/O, no clock.
 */
import type { RawDoc } from '../model/raw.js';
import { isObj, objects, usage, notInSnapshot, awsError, Input, intIn, cidrKey, allCopies, rewriteItems, arrayField, type ApiCall, PROTOCOL_NUMBER, type Obj } from './simulate-common.js';

// Network ACLs

const NACL_PROTOCOLS: Readonly<Record<string, string>> = { tcp: '6', udp: '17', icmp: '1', icmpv6: '58', all: '-1', '-1': '-1' };

function naclProtocol(v: unknown, op: string): string {
  const s = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.toLowerCase() : '';
  const named = NACL_PROTOCOLS[s];
  if (named !== undefined) return named;
  if (PROTOCOL_NUMBER.test(s) && Number(s) <= 255) return String(Number(s));
  throw usage(`InvalidParameterValue: ${op} Protocol ${JSON.stringify(v)} is not a protocol number (use "6" for TCP, "17" for UDP, "-1" for all).`);
}

const NACL_ENTRY_KEYS = ['NetworkAclId', 'RuleNumber', 'Protocol', 'RuleAction', 'Egress', 'CidrBlock', 'Ipv6CidrBlock', 'PortRange', 'IcmpTypeCode'];

/** A NACL entry in describe-network-acls shape. */
function naclEntry(input: Input): Obj {
  const op = input.op;
  const ruleNumber = input.int('RuleNumber', 1, 32766);
  const protocol = naclProtocol(input.raw.Protocol, op);
  const action = typeof input.raw.RuleAction === 'string' ? input.raw.RuleAction.toLowerCase() : '';
  if (action !== 'allow' && action !== 'deny') throw usage(`InvalidParameterValue: ${op} RuleAction must be "allow" or "deny".`);
  const egress = input.bool('Egress');
  const v4 = input.optStr('CidrBlock');
  const v6 = input.optStr('Ipv6CidrBlock');
  if ((v4 === undefined) === (v6 === undefined)) throw usage(`InvalidParameterCombination: ${op} needs exactly one of CidrBlock or Ipv6CidrBlock.`);
  const entry: Obj = {};
  if (v4 !== undefined) {
    cidrKey(v4, 'ipv4', `${op} CidrBlock`);
    entry.CidrBlock = v4;
  }
  entry.Egress = egress;
  if (protocol === '1' || protocol === '58') {
    const itc = input.raw.IcmpTypeCode;
    if (!isObj(itc)) throw usage(`MissingParameter: ${op} needs IcmpTypeCode {Type, Code} for ICMP.`);
    entry.IcmpTypeCode = { Code: intIn(itc.Code, `${op} IcmpTypeCode.Code`, -1, 255), Type: intIn(itc.Type, `${op} IcmpTypeCode.Type`, -1, 255) };
  }
  if (v6 !== undefined) {
    cidrKey(v6, 'ipv6', `${op} Ipv6CidrBlock`);
    entry.Ipv6CidrBlock = v6;
  }
  if (protocol === '6' || protocol === '17') {
    const pr = input.raw.PortRange;
    if (!isObj(pr)) throw usage(`MissingParameter: ${op} needs PortRange {From, To} for TCP and UDP.`);
    const from = intIn(pr.From, `${op} PortRange.From`, 0, 65535);
    const to = intIn(pr.To, `${op} PortRange.To`, 0, 65535);
    if (from > to) throw usage(`InvalidParameterValue: ${op} PortRange.From ${from} is greater than PortRange.To ${to}.`);
    entry.PortRange = { From: from, To: to };
  }
  entry.Protocol = protocol;
  entry.RuleAction = action;
  entry.RuleNumber = ruleNumber;
  return entry;
}

const sameSlot = (e: unknown, ruleNumber: number, egress: boolean): boolean => isObj(e) && e.RuleNumber === ruleNumber && e.Egress === egress;

/** describe-network-acls lists egress entries first, each direction by rule number. */
const entryOrder = (e: unknown): number =>
  isObj(e) ? (e.Egress === true ? 0 : 40000) + (typeof e.RuleNumber === 'number' ? e.RuleNumber : 39999) : 80000;

/** Insert where AWS would list it when the entries are in AWS's order; otherwise append. */
function insertEntry(entries: unknown[], entry: Obj): void {
  const sorted = entries.every((e, i) => i === 0 || entryOrder(entries[i - 1]) <= entryOrder(e));
  const at = sorted ? entries.findIndex((e) => entryOrder(e) > entryOrder(entry)) : -1;
  if (at >= 0) entries.splice(at, 0, entry);
  else entries.push(entry);
}

export function networkAclEntry(docs: readonly RawDoc[], call: ApiCall, mode: 'create' | 'replace' | 'delete'): RawDoc[] {
  const input = new Input(call.operation, call.input).only(mode === 'delete' ? ['NetworkAclId', 'RuleNumber', 'Egress'] : NACL_ENTRY_KEYS);
  const aclId = input.str('NetworkAclId');
  const ruleNumber = input.int('RuleNumber', 1, 32766);
  const egress = input.bool('Egress');
  const entry = mode === 'delete' ? undefined : naclEntry(input);
  const first = allCopies(docs, 'NetworkAcls', 'NetworkAclId', aclId)[0];
  if (first === undefined) throw notInSnapshot('Network ACL', aclId);
  const exists = objects(first.Entries).some((e) => sameSlot(e, ruleNumber, egress));
  const dir = egress ? 'egress' : 'ingress';
  if (mode === 'create' && exists)
    throw awsError('NetworkAclEntryAlreadyExists', `the network ACL entry identified by ${ruleNumber} (${dir}) already exists in ${aclId}.`);
  if (mode !== 'create' && !exists)
    throw awsError('InvalidNetworkAclEntry.NotFound', `the network ACL entry identified by ${ruleNumber} (${dir}) does not exist in ${aclId}.`);

  return rewriteItems(docs, 'NetworkAcls', 'NetworkAclId', aclId, (acl) => {
    const entries = arrayField(acl, 'Entries');
    const at = entries.findIndex((e) => sameSlot(e, ruleNumber, egress));
    if (mode === 'delete') {
      if (at >= 0) entries.splice(at, 1);
    } else if (at >= 0) entries[at] = structuredClone(entry);
    else insertEntry(entries, structuredClone(entry) as Obj);
  });
}
