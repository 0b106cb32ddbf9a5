/**
 * The use case "why can't A reach B": resolve endpoints, trace both legs, diagnose near misses,
 * plan fixes, and assemble the Answer. Pure: same model and question, same answer.
 */
import type { Answer, Blocker, EndpointInfo, Fix, NearMiss, UnknownItem, Verdict } from '../answer/types.js';
import { SgwhyError } from '../errors/errors.js';
import { nearMisses } from '../diagnose/near-misses.js';
import { finalizeFix, FixPlanner } from '../fix/plan.js';
import type { Model } from '../model/types.js';
import type { EndpointRef, Question } from '../question/types.js';
import { protocolNumber } from '../question/types.js';
import { EPHEMERAL, type Flow } from '../trace/flow.js';
import { Tracer, describeFlow, type Endpoint } from '../trace/tracer.js';
import { hostChecks } from './host-checks.js';
import { resolveEndpoints } from './resolve.js';
import { shellCommand } from '../fix/shell.js';

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
  return info;
}

function buildFlow(q: Question, src: Endpoint, dst: Endpoint): Flow {
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
    dstPorts: ported ? [q.port!, q.port!] : null,
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

export function ask(model: Model, q: Question): Answer {
  const { src, dst } = resolveEndpoints(model, q.source, q.destination);
  if (src.kind === 'interface' && dst.kind === 'interface' && src.eni.id === dst.eni.id && src.own.text === dst.own.text) {
    throw new SgwhyError('BAD_QUESTION', 'The source and the destination are the same address.');
  }
  const flow = buildFlow(q, src, dst);
  const tracer = new Tracer(model);
  const preUnknowns: UnknownItem[] = [];
  for (const [e, role] of [[src, 'source'], [dst, 'destination']] as const) {
    if (e.kind === 'unowned') {
      preUnknowns.push({ layer: 'network-interface', path: 'forward', code: 'UNOWNED_ADDRESS', resourceId: e.vpcId,
        message: `No network interface in the data owns ${e.addr.text} (the ${role}), although it is inside ${e.vpcId}. Nothing may be running there, or the data is incomplete.`,
        missing: shellCommand(['aws', 'ec2', 'describe-network-interfaces', '--filters', `Name=addresses.private-ip-address,Values=${e.addr.text}`]) });
    }
  }
  const result = tracer.run(src, dst, flow);

  const blockers: Blocker[] = [];
  const fixes: Fix[] = [];
  const misses: NearMiss[] = [];
  const planner = new FixPlanner(model, q);
  result.blockers.forEach((raw, i) => {
    const id = `B${i + 1}`;
    const { facts, ...rest } = raw;
    const blocker: Blocker = { id, ...rest, fixIds: [] };
    misses.push(...nearMisses(model, id, facts));
    const plan = planner.plan({ ...raw, id });
    misses.push(...plan.nearMisses);
    if (plan.changes) blocker.resourceId = plan.changes;
    if (plan.fix) {
      const fix = finalizeFix(plan.fix, `F${fixes.length + 1}`, id, plan.alternatives);
      blocker.fixIds.push(fix.id);
      fixes.push(fix);
    } else if (plan.coveredBy) {
      blocker.fixIds.push(...(blockers.find((x) => x.id === plan.coveredBy)?.fixIds ?? []));
    }
    blockers.push(blocker);
  });
  const unknowns = [...preUnknowns, ...result.unknowns];
  const verdict: Verdict = blockers.length ? 'blocked' : unknowns.length ? 'unknown' : 'reachable';

  const question: Answer['question'] = { text: q.text, source: refText(q.source), destination: refText(q.destination), protocol: flow.protocol };
  if (flow.dstPorts) question.port = flow.dstPorts[0];
  if (q.sourcePort !== undefined) question.sourcePort = q.sourcePort;
  if (flow.icmp) {
    question.icmpType = flow.icmp.type;
    question.icmpCode = flow.icmp.code;
  }
  if (q.service) question.service = q.service;

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
    hostChecks: verdict === 'reachable' ? hostChecks(flow, dst.addr.text) : [],
    warnings: [...model.warnings, ...result.warnings],
  };
}
