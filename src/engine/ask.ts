/**
 * The use case "why can't A reach B": resolve endpoints, trace both legs, diagnose near misses,
 * plan fixes, and assemble the Answer. Pure: same model and question, same answer.
 *
 * An endpoint that stands for several interfaces, and a port range, make several parts: each
 * (source interface, destination interface, port piece) is answered by `answerPart`, and
 * compose.ts folds the parts into one Answer that lists each part's verdict (see resolve.ts).
 */
import type { Answer, Blocker, EndpointInfo, Fix, NearMiss, UnknownItem, Verdict } from '../answer/types.js';
import { SgwhyError } from '../errors/errors.js';
import { noFixReason } from '../diagnose/no-fix.js';
import { nearMisses } from '../diagnose/near-misses.js';
import { finalizeFix, FixPlanner } from '../fix/plan.js';
import type { Model } from '../model/types.js';
import type { EndpointRef, Question } from '../question/types.js';
import { protocolNumber } from '../question/types.js';
import { describeFlow, EPHEMERAL, type Flow } from '../trace/flow.js';
import { managedInfo } from '../trace/interface.js';
import { Tracer } from '../trace/tracer.js';
import type { Endpoint, RawBlocker } from '../trace/types.js';
import { examineUnowned } from './addresses.js';
import { awsServiceChecks } from './aws-service-checks.js';
import { composeParts, type Part } from './compose.js';
import { hostChecks } from './host-checks.js';
import { portPieces, type PortPiece } from './port-range.js';
import { resolveEndpoints, type Pair, type Resolution } from './resolve.js';

function refText(r: EndpointRef): string {
  return r.value;
}

function endpointInfo(m: Model, input: string, e: Endpoint): EndpointInfo {
  if (e.kind !== 'interface') return { input, ip: e.addr.text, kind: 'external', ...(e.kind === 'unowned' ? { vpcId: e.vpcId } : {}) };
  const eni = e.eni;
  const info: EndpointInfo = {
    input, ip: e.addr.text, kind: 'interface', networkInterfaceId: eni.id, subnetId: eni.subnetId, vpcId: eni.vpcId, securityGroupIds: [...eni.groupIds],
  };
  if (e.viaPublic) info.publicIp = e.addr.text;
  if (eni.instanceId) info.instanceId = eni.instanceId;
  if (eni.ownerId) info.accountId = eni.ownerId;
  if (eni.region) info.region = eni.region;
  const name = eni.name ?? (eni.instanceId ? m.instances.get(eni.instanceId)?.name : undefined);
  if (name) info.name = name;
  if (eni.description) info.description = eni.description;
  const owner = managedInfo(eni).owner;
  if (owner) info.managedBy = owner;
  return info;
}

function buildFlow(q: Question, src: Endpoint, dst: Endpoint, ports?: PortPiece): Flow {
  const s = src.kind === 'interface' ? src.own : src.addr;
  const d = dst.addr;
  if (s.family !== d.family) {
    throw new SgwhyError('BAD_QUESTION', `${s.text} is IPv${s.family} and ${d.text} is IPv${d.family}: there is no path between address families.`);
  }
  let protocol = q.protocol;
  if (protocol === 'icmp' && d.family === 6) protocol = 'icmpv6';
  if (protocol === 'icmpv6' && d.family === 4) protocol = 'icmp';
  const proto = protocolNumber(protocol);
  const ported = proto === 6 || proto === 17;
  const icmp = proto === 1 || proto === 58;
  if (ported && q.port === undefined) throw new SgwhyError('BAD_QUESTION', 'Which port? For example: "why can\'t 10.0.2.100 reach 10.0.1.50:443".');
  const echo = protocol === 'icmpv6' ? 128 : 8;
  return {
    src: s, dst: d, protocol, proto,
    dstPorts: ported ? (ports ?? [q.port!, q.port!]) : null,
    srcPorts: ported ? (q.sourcePort !== undefined ? [q.sourcePort, q.sourcePort] : EPHEMERAL) : null,
    icmp: icmp ? { type: q.icmpType !== undefined && protocol === q.protocol ? q.icmpType : echo, code: q.icmpCode ?? 0 } : null,
  };
}

function summarize(verdict: Verdict, flow: Flow, blockers: Blocker[], unknowns: UnknownItem[]): string {
  const what = `${flow.src.text} → ${flow.dst.text} ${describeFlow(flow)}`;
  if (verdict === 'reachable') return `${what} is allowed by every security group, network ACL and route on the path, both ways.`;
  if (verdict === 'blocked') {
    const parts = blockers.map((b) => `${b.layer} ${b.resourceId} (${b.path === 'return' ? 'return traffic, ' : ''}${b.direction})`);
    return `${what} is blocked by ${blockers.length === 1 ? parts[0] : `${blockers.length} things: ${parts.join('; ')}`}.`;
  }
  return `${what} cannot be decided from the data: ${unknowns[0]?.message ?? 'information is missing'}`;
}

/** The answer for one source interface, one destination interface and one port piece. */
function answerPart(model: Model, q: Question, src: Endpoint, dst: Endpoint, ports?: PortPiece, pairUnknown?: UnknownItem): Answer {
  if (src.kind === 'interface' && dst.kind === 'interface' && src.eni.id === dst.eni.id && src.own.text === dst.own.text) {
    throw new SgwhyError('BAD_QUESTION', 'The source and the destination are the same address.');
  }
  const flow = buildFlow(q, src, dst, ports);
  const tracer = new Tracer(model);
  const preUnknowns: UnknownItem[] = pairUnknown ? [pairUnknown] : [];
  const before: RawBlocker[] = [];
  const after: RawBlocker[] = [];
  for (const [e, role] of [[src, 'source'], [dst, 'destination']] as const) {
    if (e.kind !== 'unowned') continue;
    const finding = examineUnowned(model, e.addr, e.vpcId, role);
    if (finding.unknown) preUnknowns.push(finding.unknown);
    if (finding.blocker) (role === 'source' ? before : after).push({ ...finding.blocker, path: 'forward' });
  }
  const result = tracer.run(src, dst, flow);
  const raws = [...before, ...result.blockers, ...after];

  const blockers: Blocker[] = [];
  const fixes: Fix[] = [];
  const misses: NearMiss[] = [];
  const planner = new FixPlanner(model, q);
  raws.forEach((raw, i) => {
    const id = `B${i + 1}`;
    const { facts, ...rest } = raw;
    const blocker: Blocker = { id, ...rest, fixIds: [] };
    const mine = nearMisses(model, id, facts, raw.subnetId);
    const plan = planner.plan({ ...raw, id });
    mine.push(...plan.nearMisses);
    misses.push(...mine);
    if (plan.changes) blocker.resourceId = plan.changes;
    if (plan.fix) {
      const fix = finalizeFix(plan.fix, `F${fixes.length + 1}`, id, plan.alternatives);
      blocker.fixIds.push(fix.id);
      fixes.push(fix);
    } else if (plan.coveredBy) {
      blocker.fixIds.push(...(blockers.find((x) => x.id === plan.coveredBy)?.fixIds ?? []));
    }
    if (blocker.fixIds.length === 0) blocker.noFixReason = noFixReason(blocker, facts, mine);
    blockers.push(blocker);
  });
  const unknowns = [...preUnknowns, ...result.unknowns];
  const verdict: Verdict = blockers.length ? 'blocked' : unknowns.length ? 'unknown' : 'reachable';

  const question: Answer['question'] = { text: q.text, source: refText(q.source), destination: refText(q.destination), protocol: flow.protocol };
  if (flow.dstPorts) question.port = flow.dstPorts[0];
  if (flow.dstPorts && flow.dstPorts[1] !== flow.dstPorts[0]) question.portTo = flow.dstPorts[1];
  if (q.sourcePort !== undefined) question.sourcePort = q.sourcePort;
  if (flow.icmp) {
    question.icmpType = flow.icmp.type;
    question.icmpCode = flow.icmp.code;
  }
  if (q.service) question.service = q.service;

  let checks = verdict === 'reachable' ? hostChecks(flow, dst.addr.text) : [];
  if (verdict === 'reachable' && dst.kind === 'aws-service') checks = awsServiceChecks(model, src, dst, flow);
  return {
    schemaVersion: 1,
    question,
    endpoints: { source: endpointInfo(model, refText(q.source), src), destination: endpointInfo(model, refText(q.destination), dst) },
    verdict,
    summary: summarize(verdict, flow, blockers, unknowns),
    blockers,
    hops: result.hops,
    fixes,
    nearMisses: misses,
    unknowns,
    hostChecks: checks,
    warnings: [...model.warnings, ...result.warnings],
  };
}

/** A signature of a part's outcome: neighbouring port pieces with the same one are answered together. */
function outcome(a: Answer): string {
  return `${a.verdict}|${a.blockers.map((b) => `${b.layer}:${b.resourceId}:${b.direction}:${b.path}:${b.code}`).join(',')}|${a.unknowns.map((u) => u.code).join(',')}`;
}

function pairParts(model: Model, q: Question, pair: Pair): Part[] {
  const src = pair.src.endpoint;
  const dst = pair.dst.endpoint;
  if (q.portTo === undefined || q.port === undefined || (q.protocol !== 'tcp' && q.protocol !== 'udp')) {
    return [{ pair, answer: answerPart(model, q, src, dst, undefined, pair.unknown) }];
  }
  const pieces = portPieces(model, q.port, q.portTo, protocolNumber(q.protocol), [src, dst]);
  // Answer each piece, then merge neighbours that end the same way and answer the merged ranges.
  const merged: Array<{ ports: PortPiece; key: string }> = [];
  for (const p of pieces) {
    const key = outcome(answerPart(model, q, src, dst, p, pair.unknown));
    const last = merged[merged.length - 1];
    if (last && last.key === key) last.ports = [last.ports[0], p[1]];
    else merged.push({ ports: p, key });
  }
  return merged.map((m) => ({ pair, ports: m.ports, answer: answerPart(model, q, src, dst, m.ports, pair.unknown) }));
}

export function ask(model: Model, q: Question): Answer {
  const res = resolveEndpoints(model, q.source, q.destination);
  const parts = res.pairs.flatMap((pair) => pairParts(model, q, pair));
  const interpretation: string[] = [];
  const first = res.pairs[0]!;
  if (q.directionCue) {
    const s = first.src.endpoint.kind === 'interface' ? first.src.endpoint.own.text : first.src.endpoint.addr.text;
    interpretation.push(`Checked ${q.source.value}${s !== q.source.value ? ` (${s})` : ''} → ${q.destination.value}: the wording ("${q.directionCue}") makes ${q.source.value} the source.`);
  }
  for (const why of new Set(res.pairs.map((p) => p.why).filter((w): w is string => !!w))) interpretation.push(why);
  return withUnseen(composeParts(q, res, parts, interpretation), res);
}

/** Parts of an endpoint the data cannot show (resolve.ts `unseen`): each an unknown, so a reachable answer becomes unknown. */
function withUnseen(a: Answer, res: Resolution): Answer {
  const unseen = [...(res.source.unseen ?? []).map((u) => ({ ...u, role: 'source' as const })), ...(res.destination.unseen ?? []).map((u) => ({ ...u, role: 'destination' as const }))];
  if (!unseen.length) return a;
  const verdict: Verdict = a.verdict === 'reachable' ? 'unknown' : a.verdict;
  const summaries = unseen.map((u) => `${u.label}: cannot be decided (${u.unknown.message})`);
  const what = [res.source, res.destination].filter((sd) => sd.unseen?.length && sd.what).map((sd) => `${sd.what}: `).join('');
  return {
    ...a, verdict,
    // A reachable rest must not read as the answer: the part that cannot be decided comes first.
    summary: a.verdict === 'reachable' ? `${what}${summaries.join('; ')}. The rest is reachable: ${a.summary}` : `${a.summary} ${summaries.join('; ')}.`,
    unknowns: [...a.unknowns, ...unseen.map((u) => u.unknown)],
    hostChecks: [],
    ...(a.parts ? { parts: [...a.parts, ...unseen.map((u, i) => ({ label: u.label, role: u.role, verdict: 'unknown' as const, summary: summaries[i]!, blockerIds: [], hops: [] }))] } : {}),
  };
}
