/**
 * Terminal rendering of an Answer: verdict first, then blockers with evidence and fixes, then the path.
 * Every string that can carry AWS text (names, descriptions, messages built from them) goes through
 * escapeTerminal; commands are printed verbatim when terminalSafe, else escaped and marked as such.
 */
import type { Answer, Hop } from '../answer/types.js';
import { escapeTerminal as e, terminalSafe } from './escape.js';

const MARK: Record<Hop['decision'], string> = {
  allow: '✓', forward: '→', deny: '✗', drop: '✗', unknown: '?',
};

export interface TextOptions {
  color?: boolean;
  /** Show every hop (default: yes). */
  hops?: boolean;
}

/** A command's lines, indented; escaped (and said so) only if it holds characters a terminal would interpret. */
function commandLines(cmd: string, indent: string): string[] {
  if (terminalSafe(cmd)) return cmd.split('\n').map((l) => `${indent}${l}`);
  return [`${indent}${e(cmd)}`, `${indent}(this command holds control characters and is shown escaped; use --format json for the exact text)`];
}

export function renderText(a: Answer, opts: TextOptions = {}): string {
  const c = (code: string, s: string) => (opts.color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const lines: string[] = [];
  const verdictColor = a.verdict === 'reachable' ? '32' : a.verdict === 'blocked' ? '31' : '33';
  lines.push(`${c(`1;${verdictColor}`, e(a.verdict.toUpperCase()))}  ${e(a.summary)}`);
  const ep = (label: string, x: Answer['endpoints']['source']) => {
    if (!x) return;
    const parts = [x.ip];
    if (x.networkInterfaceId) parts.push(x.networkInterfaceId);
    if (x.instanceId) parts.push(x.instanceId);
    if (x.name) parts.push(`"${x.name}"`);
    if (x.subnetId) parts.push(x.subnetId);
    if (x.vpcId) parts.push(x.vpcId);
    if (x.securityGroupIds?.length) parts.push(`groups ${x.securityGroupIds.join(', ')}`);
    if (x.kind === 'external') parts.push('(not an interface in the data)');
    lines.push(`  ${label}: ${e(parts.join('  '))}`);
  };
  ep('source     ', a.endpoints.source);
  ep('destination', a.endpoints.destination);
  if (a.parts?.length) {
    // An endpoint with several interfaces, or a port range: each part's own verdict (the path below is the first that fails).
    lines.push('', c('1', 'Each part'));
    for (const p of a.parts) lines.push(`  ${p.verdict === 'reachable' ? '✓' : p.verdict === 'blocked' ? '✗' : '?'} ${e(p.summary)}`);
  }

  if (a.blockers.length) {
    lines.push('', c('1', 'Blocked by'));
    for (const b of a.blockers) {
      const name = b.resourceName ? ` (${b.resourceName})` : '';
      lines.push(`  ${e(`${b.id}  ${b.layer} ${b.resourceId}${name} — ${b.direction}, ${b.path} path — ${b.code}`)}`);
      lines.push(`      ${e(b.explanation)}`);
      if (b.evidence.decidingRule) lines.push(`      deciding rule: ${e(b.evidence.decidingRule.text)}`);
      if (b.layer === 'security-group' && b.evidence.evaluated.length) {
        lines.push(`      rules evaluated (${b.evidence.evaluated.length}):`);
        for (const r of b.evidence.evaluated.slice(0, 12)) lines.push(`        - ${e(`${r.resourceId}: ${r.text}${r.description ? `  "${r.description}"` : ''}`)}`);
        if (b.evidence.evaluated.length > 12) lines.push(`        … ${b.evidence.evaluated.length - 12} more`);
      }
      for (const n of a.nearMisses.filter((x) => x.blockerId === b.id)) lines.push(`      ${c('33', 'near miss')}: ${e(n.message)}`);
    }
  }
  if (a.fixes.length) {
    lines.push('', c('1', 'Fix'));
    for (const f of a.fixes) {
      lines.push(`  ${e(`${f.id} (${f.blockerId})  ${f.title}${f.accountId ? `  [account ${f.accountId}${f.region ? `, ${f.region}` : ''}]` : ''}`)}`);
      lines.push(...commandLines(f.cli, '      '));
      for (const n of f.notes) lines.push(`      · ${e(n)}`);
      for (const alt of f.alternatives ?? []) lines.push(`      or: ${e(alt.title)}`, ...commandLines(alt.cli, '          '));
    }
  }
  const unfixed = a.blockers.filter((b) => b.fixIds.length === 0);
  if (unfixed.length) {
    lines.push('');
    for (const b of unfixed) lines.push(`  No automatic fix for ${e(b.id)}: ${e(b.noFixReason ?? 'the change it needs is not one sgwhy can plan from the data.')}`);
  }
  if (a.unknowns.length) {
    lines.push('', c('1', 'Cannot decide'));
    for (const u of a.unknowns) {
      lines.push(`  ? ${e(u.message)}`);
      if (u.missing) {
        const [first, ...rest] = commandLines(u.missing, '');
        lines.push(`      to decide: ${first}`, ...rest.map((l) => `                 ${l}`));
      }
    }
  }
  if (a.hostChecks.length) {
    lines.push('', c('1', 'The network configuration allows it. If it still fails, check the hosts'));
    for (const h of a.hostChecks) lines.push(`  [${h.where === 'source' ? 'source' : 'destination'}] ${e(h.what)}`, ...(h.command ? commandLines(h.command, '      ') : []));
  }
  if (a.warnings.length) lines.push('', ...a.warnings.map((w) => `  note: ${e(w)}`));
  if (opts.hops !== false && a.hops.length) {
    lines.push('', c('1', 'Path'));
    let leg = '';
    for (const h of a.hops) {
      if (h.path !== leg) {
        leg = h.path;
        lines.push(`  ${leg === 'forward' ? 'forward' : 'return'} (${e(`${h.packet.src} → ${h.packet.dst}${h.packet.dstPort ? ` ${h.packet.protocol}/${h.packet.dstPort}` : ` ${h.packet.protocol}`}`)}):`);
      }
      lines.push(`   ${MARK[h.decision] ?? '?'} ${e(String(h.step)).padEnd(21)} ${e(h.detail)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
