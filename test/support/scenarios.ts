/** Loads the scenario corpus: folders of real describe-* JSON plus the expected answer. */
import { readdirSync, existsSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SCENARIO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', 'scenarios');

export interface ExpectedBlocker {
  layer?: string;
  resourceId?: string;
  direction?: string;
  path?: string;
  code?: string;
  networkInterfaceId?: string;
}

export interface Scenario {
  name: string;
  dir: string;
  description: string;
  question: string;
  vpcIds: string[];
  expect: {
    verdict: 'reachable' | 'blocked' | 'unknown';
    blockers: ExpectedBlocker[];
    nearMisses: string[];
    unknownCodes: string[];
    fixLoop: boolean;
    fixLoopMoto?: boolean;
    /** An answer that covers several interfaces or port pieces: each part's verdict, in order (label: a substring of it). */
    parts?: Array<{ label?: string; verdict: string; ports?: [number, number] }>;
    /** Substrings the summary (the answer's first line) must contain. */
    summaryIncludes?: string[];
    /** Substrings the blockers' explanations must contain (any blocker). */
    explanationIncludes?: string[];
    /** Substrings of host-check commands that must be proposed. */
    hostChecksInclude?: string[];
    /** Substrings no fix note may contain (e.g. "ephemeral" for ICMP). */
    fixNotesExclude?: string[];
    /** Steps the forward path must contain (e.g. "AWS_SERVICE"). */
    hopSteps?: string[];
  };
}

export function loadScenarios(): Scenario[] {
  return readdirSync(SCENARIO_ROOT, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('_') && existsSync(join(SCENARIO_ROOT, d.name, 'scenario.json')))
    .map((d) => {
      const s = JSON.parse(readFileSync(join(SCENARIO_ROOT, d.name, 'scenario.json'), 'utf8')) as Omit<Scenario, 'dir'>;
      return { ...s, dir: join(SCENARIO_ROOT, d.name) };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}
