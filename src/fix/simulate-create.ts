/**
 * The fix simulator's calls that create objects (a security group, a peering connection): each
 * returns the new documents and the response AWS would give, so a later step of the same fix
 * can use the new id (see applyFixSteps in simulate-steps.ts).
 *
 * New ids are derived from the snapshot and the call (the simulator is pure: no clock, no
 * randomness), in AWS's shape (a prefix and 17 hex digits), never one already in the data.
 * Pure: no SDK, no I/O, no clock.
 */
import { SgwhyError } from '../errors/errors.js';
import type { RawDoc } from '../model/raw.js';

type Obj = Record<string, unknown>;

export interface CreateResult {
  docs: RawDoc[];
  response: Obj;
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const objects = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);
const usage = (message: string): SgwhyError => new SgwhyError('BAD_USAGE', message);
const awsError = (code: string, message: string): SgwhyError => new SgwhyError('AWS_ERROR', `${code}: ${message}`, { details: { awsErrorCode: code } });

function str(input: Obj, op: string, key: string, optional = false): string | undefined {
  const v = input[key];
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'string' || v === '') throw usage(`MissingParameter: ${op} needs ${key} (a non-empty string).`);
  return v;
}

function only(input: Obj, op: string, allowed: readonly string[]): void {
  for (const k of Object.keys(input)) if (!allowed.includes(k) && k !== 'DryRun' && k !== 'TagSpecifications') throw usage(`UnknownParameter: ${op} has no parameter ${k} that sgwhy can simulate.`);
}

/** Every id already used under a list key. */
function usedIds(docs: readonly RawDoc[], key: string, idKey: string): Set<string> {
  const out = new Set<string>();
  for (const d of docs) for (const o of objects(d.data[key])) if (typeof o[idKey] === 'string') out.add(o[idKey] as string);
  return out;
}

/** FNV-1a over the text, as 17 hex digits; bumped until the id is free. */
function newId(prefix: string, seed: string, used: Set<string>): string {
  for (let bump = 0; ; bump++) {
    let h = 0xcbf29ce484222325n;
    for (const ch of `${seed}#${bump}`) h = BigInt.asUintN(64, (h ^ BigInt(ch.codePointAt(0)!)) * 0x100000001b3n);
    const id = `${prefix}-0${h.toString(16).padStart(16, '0')}`;
    if (!used.has(id)) return id;
  }
}

function vpcInfo(docs: readonly RawDoc[], vpcId: string): { vpc?: Obj; doc?: RawDoc } {
  for (const d of docs) for (const v of objects(d.data.Vpcs)) if (v.VpcId === vpcId) return { vpc: v, doc: d };
  return {};
}

/** Adds an item to the first document (of the account and Region) holding `key`, or to a new one. */
function addItem(docs: readonly RawDoc[], key: string, item: Obj, scope: { accountId?: string; region?: string }, file: string): RawDoc[] {
  const i = docs.findIndex((d) => Array.isArray(d.data[key]) && (scope.accountId === undefined || d.accountId === undefined || d.accountId === scope.accountId)
    && (scope.region === undefined || d.region === undefined || d.region === scope.region));
  if (i >= 0) {
    const copy = structuredClone(docs[i]!) as RawDoc;
    (copy.data[key] as unknown[]).push(structuredClone(item));
    return docs.map((d, j) => (j === i ? copy : d));
  }
  const doc: RawDoc = { file, data: { [key]: [structuredClone(item)] } };
  if (scope.accountId !== undefined) doc.accountId = scope.accountId;
  if (scope.region !== undefined) doc.region = scope.region;
  return [...docs, doc];
}

/** CreateSecurityGroup: a group in a VPC with AWS's default rule (all outbound traffic allowed) and no inbound rules. */
export function createSecurityGroup(docs: readonly RawDoc[], input: Obj): CreateResult {
  const op = 'CreateSecurityGroup';
  only(input, op, ['GroupName', 'Description', 'VpcId']);
  const name = str(input, op, 'GroupName')!;
  const description = str(input, op, 'Description')!;
  const vpcId = str(input, op, 'VpcId')!;
  if (name.length > 255 || /^sg-/i.test(name)) throw awsError('InvalidParameterValue', `group name ${JSON.stringify(name)} is longer than 255 characters or starts with sg-.`);
  const { vpc, doc } = vpcInfo(docs, vpcId);
  if (!vpc) throw new SgwhyError('BAD_SNAPSHOT', `VPC ${vpcId} is not in the snapshot, so the fix cannot be simulated.`, { details: { resourceId: vpcId } });
  for (const d of docs) for (const g of objects(d.data.SecurityGroups)) {
    if (g.VpcId === vpcId && g.GroupName === name) throw awsError('InvalidGroup.Duplicate', `the security group ${JSON.stringify(name)} already exists for VPC ${vpcId}.`);
  }
  const id = newId('sg', `${vpcId}/${name}`, usedIds(docs, 'SecurityGroups', 'GroupId'));
  const owner = typeof vpc.OwnerId === 'string' ? vpc.OwnerId : doc?.accountId;
  const group: Obj = {
    Description: description, GroupName: name, IpPermissions: [], GroupId: id, VpcId: vpcId,
    IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] }],
  };
  if (owner) group.OwnerId = owner;
  const scope = { ...(doc?.accountId ? { accountId: doc.accountId } : {}), ...(doc?.region ? { region: doc.region } : {}) };
  return { docs: addItem(docs, 'SecurityGroups', group, scope, 'simulated:CreateSecurityGroup'), response: { GroupId: id } };
}

function side(docs: readonly RawDoc[], vpcId: string, ownerId: string | undefined, region: string | undefined): Obj {
  const { vpc, doc } = vpcInfo(docs, vpcId);
  const info: Obj = { VpcId: vpcId };
  const owner = ownerId ?? (typeof vpc?.OwnerId === 'string' ? vpc.OwnerId : doc?.accountId);
  if (owner) info.OwnerId = owner;
  const reg = region ?? doc?.region;
  if (reg) info.Region = reg;
  if (vpc) {
    if (typeof vpc.CidrBlock === 'string') info.CidrBlock = vpc.CidrBlock;
    const set = objects(vpc.CidrBlockAssociationSet).filter((c) => typeof c.CidrBlock === 'string' && (!isObj(c.CidrBlockState) || c.CidrBlockState.State === 'associated'));
    info.CidrBlockSet = set.length ? set.map((c) => ({ CidrBlock: c.CidrBlock })) : typeof vpc.CidrBlock === 'string' ? [{ CidrBlock: vpc.CidrBlock }] : [];
    const v6 = objects(vpc.Ipv6CidrBlockAssociationSet).filter((c) => typeof c.Ipv6CidrBlock === 'string');
    if (v6.length) info.Ipv6CidrBlockSet = v6.map((c) => ({ Ipv6CidrBlock: c.Ipv6CidrBlock }));
  }
  return info;
}

/**
 * CreateVpcPeeringConnection: a new request, pending acceptance (AWS does not let two active or
 * pending peerings join the same pair of VPCs).
 */
export function createVpcPeeringConnection(docs: readonly RawDoc[], input: Obj): CreateResult {
  const op = 'CreateVpcPeeringConnection';
  only(input, op, ['VpcId', 'PeerVpcId', 'PeerOwnerId', 'PeerRegion']);
  const vpcId = str(input, op, 'VpcId')!;
  const peerVpcId = str(input, op, 'PeerVpcId')!;
  const peerOwner = str(input, op, 'PeerOwnerId', true);
  const peerRegion = str(input, op, 'PeerRegion', true);
  const { doc } = vpcInfo(docs, vpcId);
  if (!doc) throw new SgwhyError('BAD_SNAPSHOT', `VPC ${vpcId} is not in the snapshot, so the fix cannot be simulated.`, { details: { resourceId: vpcId } });
  if (vpcId === peerVpcId) throw awsError('InvalidParameterValue', 'a VPC cannot be peered with itself.');
  for (const d of docs) for (const p of objects(d.data.VpcPeeringConnections)) {
    const ends = [(p.RequesterVpcInfo as Obj | undefined)?.VpcId, (p.AccepterVpcInfo as Obj | undefined)?.VpcId];
    const code = isObj(p.Status) ? p.Status.Code : undefined;
    if (ends.includes(vpcId) && ends.includes(peerVpcId) && (code === 'active' || code === 'pending-acceptance' || code === 'provisioning')) {
      throw awsError('VpcPeeringConnectionAlreadyExists', `${String(p.VpcPeeringConnectionId)} already connects ${vpcId} and ${peerVpcId} (${String(code)}).`);
    }
  }
  const id = newId('pcx', `${vpcId}/${peerVpcId}`, usedIds(docs, 'VpcPeeringConnections', 'VpcPeeringConnectionId'));
  const requester = side(docs, vpcId, undefined, undefined);
  const pcx: Obj = {
    AccepterVpcInfo: side(docs, peerVpcId, peerOwner ?? (requester.OwnerId as string | undefined), peerRegion ?? (requester.Region as string | undefined)),
    RequesterVpcInfo: requester,
    Status: { Code: 'pending-acceptance', Message: `Pending Acceptance by ${String(peerOwner ?? requester.OwnerId ?? 'the peer account')}` },
    Tags: [], VpcPeeringConnectionId: id,
  };
  const scope = { ...(doc.accountId ? { accountId: doc.accountId } : {}), ...(doc.region ? { region: doc.region } : {}) };
  return { docs: addItem(docs, 'VpcPeeringConnections', pcx, scope, 'simulated:CreateVpcPeeringConnection'), response: { VpcPeeringConnection: structuredClone(pcx) } };
}

/** CreateInternetGateway: a detached gateway, in the account and Region of the snapshot's VPCs. */
export function createInternetGateway(docs: readonly RawDoc[], input: Obj): CreateResult {
  only(input, 'CreateInternetGateway', []);
  const home = docs.find((d) => Array.isArray(d.data.Vpcs) && d.data.Vpcs.length > 0);
  const id = newId('igw', `${docs.length}/${usedIds(docs, 'InternetGateways', 'InternetGatewayId').size}`, usedIds(docs, 'InternetGateways', 'InternetGatewayId'));
  const igw: Obj = { Attachments: [], InternetGatewayId: id, Tags: [] };
  const owner = home?.accountId ?? (objects(home?.data.Vpcs)[0]?.OwnerId as string | undefined);
  if (owner) igw.OwnerId = owner;
  const scope = { ...(home?.accountId ? { accountId: home.accountId } : {}), ...(home?.region ? { region: home.region } : {}) };
  return { docs: addItem(docs, 'InternetGateways', igw, scope, 'simulated:CreateInternetGateway'), response: { InternetGateway: structuredClone(igw) } };
}
