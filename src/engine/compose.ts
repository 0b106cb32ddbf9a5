/**
 * Folds the answers of several parts (the interfaces an endpoint stands for, the pieces of a port
 * range) into one Answer: every blocker, fix and near miss of every part (renumbered; a fix two
 * parts share is listed once), the verdict of the worst part, a summary that says how each part
 * fares, and `parts` with each part's own verdict and path. One part: its answer as it is, with
 * the interpretation in front of its summary.
 */
import type { Answer, AnswerPart, Blocker, Fix, HostCheck, NearMiss, UnknownItem, Verdict } from '../answer/types.js';
import type { Question } from '../question/types.js';
import { pieceText, type PortPiece } from './port-range.js';
import type { Pair, Resolution } from './resolve.js';

export interface Part {
  pair: Pair;
  ports?: PortPiece;
  answer: Answer;
}

const RANK: Record<Verdict, number> = { blocked: 2, unknown: 1, reachable: 0 };

function partLabel(res: Resolution, p: Part): { label: string; role?: 'source' | 'destination'; eniId?: string; ip?: string } {
  const bits: string[] = [];
  let role: 'source' | 'destination' | undefined;
  let e = undefined as Part['pair']['dst']['endpoint'] | undefined;
  if (res.destination.mode === 'each') {
    bits.push(p.pair.dst.label);
    role = 'destination';
    e = p.pair.dst.endpoint;
  } else if (res.source.mode !== 'single') {
    bits.push(p.pair.src.label);
    role = 'source';
    e = p.pair.src.endpoint;
  }
  if (p.ports) bits.push(pieceText(p.ports));
  const out: { label: string; role?: 'source' | 'destination'; eniId?: string; ip?: string } = { label: bits.join(' — ') };
  if (role) out.role = role;
  if (e?.kind === 'interface') {
    out.eniId = e.eni.id;
    out.ip = e.own.text;
  }
  return out;
}

function blockedBy(a: Answer, ids: string[]): string {
  const bs = a.blockers.filter((b) => ids.includes(b.id));
  return bs.map((b) => `${b.layer} ${b.resourceId}${b.path === 'return' ? ' (return traffic)' : ''}`).join(', ');
}

export function composeParts(q: Question, res: Resolution, parts: readonly Part[], interpretation: string[]): Answer {
  const lead = interpretation.length ? `${interpretation.join(' ')} ` : '';
  if (parts.length === 1) {
    const a = parts[0]!.answer;
    return { ...a, summary: `${lead}${a.summary}`, ...(interpretation.length ? { interpretation } : {}) };
  }
  const blockers: Blocker[] = [];
  const fixes: Fix[] = [];
  const fixByCall = new Map<string, string>();
  const nearMisses: NearMiss[] = [];
  const unknowns: UnknownItem[] = [];
  const warnings: string[] = [];
  const checks: HostCheck[] = [];
  const out: AnswerPart[] = [];
  for (const part of parts) {
    const a = part.answer;
    const ids = new Map<string, string>();
    const fixIds = new Map<string, string>();
    for (const f of a.fixes) {
      const key = JSON.stringify(f.steps.map((s) => [s.operation, s.input, s.accountId, s.region]));
      const known = fixByCall.get(key);
      if (known) {
        fixIds.set(f.id, known);
        continue;
      }
      const id = `F${fixes.length + 1}`;
      fixByCall.set(key, id);
      fixIds.set(f.id, id);
      fixes.push({ ...f, id });
    }
    for (const b of a.blockers) {
      const id = `B${blockers.length + 1}`;
      ids.set(b.id, id);
      blockers.push({ ...b, id, fixIds: [...new Set(b.fixIds.map((f) => fixIds.get(f) ?? f))] });
    }
    for (const n of a.nearMisses) {
      const m = { ...n, blockerId: ids.get(n.blockerId) ?? n.blockerId };
      if (!nearMisses.some((x) => x.blockerId === m.blockerId && x.message === m.message)) nearMisses.push(m);
    }
    for (const u of a.unknowns) if (!unknowns.some((x) => x.message === u.message)) unknowns.push(u);
    for (const w of a.warnings) if (!warnings.includes(w)) warnings.push(w);
    for (const c of a.hostChecks) if (!checks.some((x) => x.what === c.what && x.command === c.command)) checks.push(c);
    const l = partLabel(res, part);
    const blockerIds = a.blockers.map((b) => ids.get(b.id)!);
    const summary = a.verdict === 'blocked' ? `${l.label}: blocked by ${blockedBy({ ...a, blockers: a.blockers.map((b) => ({ ...b, id: ids.get(b.id)! })) }, blockerIds)}`
      : a.verdict === 'unknown' ? `${l.label}: cannot be decided (${a.unknowns[0]?.message ?? 'data missing'})` : `${l.label}: reachable`;
    const ap: AnswerPart = { label: l.label, verdict: a.verdict, summary, blockerIds, hops: a.hops };
    if (l.role) ap.role = l.role;
    if (l.eniId) ap.networkInterfaceId = l.eniId;
    if (l.ip) ap.ip = l.ip;
    if (part.ports) ap.ports = [part.ports[0], part.ports[1]];
    out.push(ap);
  }
  // A fix keeps the blocker id of the first part that needed it.
  for (const f of fixes) {
    const owner = blockers.find((b) => b.fixIds.includes(f.id));
    if (owner) f.blockerId = owner.id;
  }
  const worst = parts.reduce((w, p) => (RANK[p.answer.verdict] > RANK[w.answer.verdict] ? p : w), parts[0]!);
  const verdict = worst.answer.verdict;
  const what = res.destination.mode === 'each' ? res.destination.what ?? res.destination.input
    : res.source.mode === 'each' ? res.source.what ?? res.source.input : undefined;
  const count = res.destination.mode === 'each' ? res.destination.candidates.length : res.source.candidates.length;
  const range = q.portTo !== undefined && q.port !== undefined ? `Of ${q.protocol} ports ${q.port}-${q.portTo}: ` : '';
  const head = `${what ? `${what} has ${count} interfaces; each is checked. ` : ''}${range}`;
  const byVerdict = (v: Verdict) => out.filter((p) => p.verdict === v);
  const passing = byVerdict('reachable').map((p) => p.label);
  const failing = out.filter((p) => p.verdict !== 'reachable').map((p) => p.summary);
  const summary = `${lead}${head}${failing.length ? `${failing.join('; ')}.` : ''}${passing.length ? ` ${failing.length ? 'Reachable' : 'All reachable'}: ${passing.join('; ')}.` : ''}`.trim();
  const question: Answer['question'] = { ...worst.answer.question };
  if (q.port !== undefined) question.port = q.port;
  if (q.portTo !== undefined) question.portTo = q.portTo;
  else delete question.portTo;
  return {
    schemaVersion: 1,
    question,
    endpoints: worst.answer.endpoints,
    verdict,
    summary,
    blockers,
    hops: worst.answer.hops,
    fixes,
    nearMisses,
    unknowns,
    hostChecks: verdict === 'reachable' ? checks : [],
    warnings,
    ...(interpretation.length ? { interpretation } : {}),
    parts: out,
  };
}
