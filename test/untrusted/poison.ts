/**
 * Shared by the untrusted-data tests: put hostile text in every free-text field of a snapshot
 * (names, descriptions, tag keys and values, keeping the data valid), answer from it, and list
 * every command an answer prints.
 */
import type { Answer } from '../../src/answer/types.js';
import { ask } from '../../src/engine/ask.js';
import { isSgwhyError } from '../../src/errors/errors.js';
import { buildModel } from '../../src/model/build.js';
import type { RawDoc } from '../../src/model/raw.js';
import { parseQuestion } from '../../src/question/parse.js';

/**
 * Questions may name endpoints by their Name tag (or a load balancer, found by its interfaces'
 * descriptions): when the fully poisoned snapshot cannot answer, Name tags and interface
 * descriptions keep their value (all other text is still hostile).
 */
export function poisoner(hostile: () => string) {
  let keepNames = false;
  const poison = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(poison);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const o = value as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      if (['GroupName', 'Description', 'PrefixListName'].includes(k) && typeof o[k] === 'string') {
        if (!(keepNames && k === 'Description' && 'NetworkInterfaceId' in o)) o[k] = hostile(); // interface descriptions name their owner (ELB app/…)
      }
      else if (k === 'Tags' || k === 'TagSet') {
        const name = (o[k] as Array<{ Key?: string; Value?: string }>).find((t) => t.Key === 'Name');
        o[k] = [{ Key: 'Name', Value: keepNames && name ? name.Value : hostile() }, { Key: hostile(), Value: hostile() }];
      }
      else poison(o[k]);
    }
  };
  /** The answer from the poisoned snapshot (Name tags kept only when the question names an endpoint by one). */
  const poisonedAnswer = (docs: RawDoc[], question: string, edit: (d: RawDoc) => void = () => {}): Answer => {
    for (const keep of [false, true]) {
      keepNames = keep;
      const poisoned: RawDoc[] = docs.map((d) => ({ ...d, data: structuredClone(d.data) }));
      for (const d of poisoned) {
        poison(d.data);
        edit(d);
      }
      try {
        return ask(buildModel(poisoned), parseQuestion(question));
      } catch (e) {
        if (keep || !isSgwhyError(e)) throw e;
      } finally {
        keepNames = false;
      }
    }
    throw new Error('unreachable');
  };
  return { poison, poisonedAnswer };
}

/** Every command an answer prints: fixes, their steps and alternatives, "to decide" hints, host checks. */
export function commandsOf(a: Answer): string[] {
  const out: string[] = [];
  for (const f of a.fixes) {
    out.push(f.cli, ...(f.steps ?? []).map((s) => s.cli));
    for (const alt of f.alternatives ?? []) out.push(alt.cli, ...((alt as { steps?: Array<{ cli: string }> }).steps ?? []).map((s) => s.cli));
  }
  for (const u of a.unknowns) if (u.missing) out.push(u.missing);
  for (const h of a.hostChecks) if (h.command) out.push(h.command);
  return out;
}
