/** Terminal rendering of an Answer: verdict first, then blockers with evidence and fixes, then the path. */
import type { Answer, Hop } from '../answer/types.js';

const MARK: Record<Hop['decision'], string> = {
  allow: '✓', forward: '→', deny: '✗', drop: '✗', unknown: '?',
};

export interface TextOptions {
  color?: boolean;
  /** Show every hop (default: yes). */
  hops?: boolean;
}

export function renderText(a: Answer, opts: TextOptions = {}): string {
  const c = (code: string, s: string) => (opts.color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const lines: string[] = [];
  const verdictColor = a.verdict === 'reachable' ? '32' : a.verdict === 'blocked' ? '31' : '33';
  lines.push(`${c(`1;${verdictColor}`, a.verdict.toUpperCase())}  ${a.summary}`);
  const ep = (label: string, e: Answer['endpoints']['source']) => {
    if (!e) return;
    const parts = [e.ip];
    if (e.networkInterfaceId) parts.push(e.networkInterfaceId);
    if (e.instanceId) parts.push(e.instanceId);
    if (e.name) parts.push(`"${e.name}"`);
    if (e.subnetId) parts.push(e.subnetId);
    if (e.vpcId) parts.push(e.vpcId);
    if (e.securityGroupIds?.length) parts.push(`groups ${e.securityGroupIds.join(', ')}`);
    if (e.kind === 'external') parts.push('(not an interface in the data)');
    lines.push(`  ${label}: ${parts.join('  ')}`);
  };
  ep('source     ', a.endpoints.source);
  ep('destination', a.endpoints.destination);

  if (a.blockers.length) {
    lines.push('', c('1', 'Blocked by'));
    for (const b of a.blockers) {
      const name = b.resourceName ? ` (${b.resourceName})` : '';
      lines.push(`  ${b.id}  ${b.layer} ${b.resourceId}${name} — ${b.direction}, ${b.path} path — ${b.code}`);
      lines.push(`      ${b.explanation}`);
      if (b.evidence.decidingRule) lines.push(`      deciding rule: ${b.evidence.decidingRule.text}`);
      if (b.layer === 'security-group' && b.evidence.evaluated.length) {
        lines.push(`      rules evaluated (${b.evidence.evaluated.length}):`);
        for (const r of b.evidence.evaluated.slice(0, 12)) lines.push(`        - ${r.resourceId}: ${r.text}${r.description ? `  "${r.description}"` : ''}`);
        if (b.evidence.evaluated.length > 12) lines.push(`        … ${b.evidence.evaluated.length - 12} more`);
      }
      for (const n of a.nearMisses.filter((x) => x.blockerId === b.id)) lines.push(`      ${c('33', 'near miss')}: ${n.message}`);
    }
  }
  if (a.fixes.length) {
    lines.push('', c('1', 'Fix'));
    for (const f of a.fixes) {
      lines.push(`  ${f.id} (${f.blockerId})  ${f.title}${f.accountId ? `  [account ${f.accountId}${f.region ? `, ${f.region}` : ''}]` : ''}`);
      lines.push(`      ${f.cli}`);
      for (const n of f.notes) lines.push(`      · ${n}`);
      for (const alt of f.alternatives ?? []) lines.push(`      or: ${alt.title}`, `          ${alt.cli}`);
    }
  }
  const unfixed = a.blockers.filter((b) => b.fixIds.length === 0);
  if (unfixed.length) lines.push('', `  No automatic fix for ${unfixed.map((b) => b.id).join(', ')}: see the near misses above.`);
  if (a.unknowns.length) {
    lines.push('', c('1', 'Cannot decide'));
    for (const u of a.unknowns) {
      lines.push(`  ? ${u.message}`);
      if (u.missing) lines.push(`      to decide: ${u.missing}`);
    }
  }
  if (a.hostChecks.length) {
    lines.push('', c('1', 'The network configuration allows it. If it still fails, check the hosts'));
    for (const h of a.hostChecks) lines.push(`  [${h.where}] ${h.what}`, ...(h.command ? [`      ${h.command}`] : []));
  }
  if (a.warnings.length) lines.push('', ...a.warnings.map((w) => `  note: ${w}`));
  if (opts.hops !== false && a.hops.length) {
    lines.push('', c('1', 'Path'));
    let leg = '';
    for (const h of a.hops) {
      if (h.path !== leg) {
        leg = h.path;
        lines.push(`  ${leg === 'forward' ? 'forward' : 'return'} (${h.packet.src} → ${h.packet.dst}${h.packet.dstPort ? ` ${h.packet.protocol}/${h.packet.dstPort}` : ` ${h.packet.protocol}`}):`);
      }
      lines.push(`   ${MARK[h.decision]} ${h.step.padEnd(21)} ${h.detail}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
