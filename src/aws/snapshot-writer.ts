/**
 * Writes collected docs as a snapshot directory that `sgwhy ask --snapshot DIR` reads:
 *
 *   DIR/accounts/<12-digit id>/<region>/<call>.json   one describe-* response per file
 *   DIR/sgwhy-manifest.json                           when/what was collected, the gaps
 *
 * File names are the AWS CLI command names (describe-security-groups.json, …), the per-id calls
 * wrapped as the scenario builder does (get-managed-prefix-list-entries.json holds
 * {ManagedPrefixListEntries:[{PrefixListId, Entries}]}, search-transit-gateway-routes.json holds
 * {TransitGatewayStaticRoutes:[{TransitGatewayRouteTableId, Routes}]}). Empty results are written
 * too: "collected, none" is different from "not collected".
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SgwhyError } from '../errors/errors.js';
import { ACCOUNT_ID, REGION, kebabOperation } from '../model/aws-names.js';
import type { RawDoc } from '../model/raw.js';
import type { CallStats } from './call-stats.js';
import type { Gap } from './gaps.js';
import { mergeDocs } from './raw-docs.js';

export const MANIFEST_FILE = 'sgwhy-manifest.json';

/** "DescribeSecurityGroups" → "describe-security-groups.json" */
export function snapshotFileName(operation: string): string {
  return `${kebabOperation(operation)}.json`;
}

export interface SnapshotManifest {
  collectedAt: string;
  tool: string;
  targets: Array<{ accountId: string; accountName: string; region: string }>;
  gaps: Gap[];
  stats?: CallStats;
}

export interface WriteSnapshotOptions {
  /** Replace an existing snapshot in DIR (its accounts/ tree and manifest). Default: refuse. */
  replace?: boolean;
  manifest?: SnapshotManifest;
}


/** Writes the docs; returns the written paths relative to `dir`, sorted. */
export async function writeSnapshot(dir: string, docs: readonly RawDoc[], opts: WriteSnapshotOptions = {}): Promise<string[]> {
  const files = new Map<string, Record<string, unknown>>();
  for (const d of mergeDocs(docs)) {
    const op = d.file.startsWith('live:') ? d.file.slice('live:'.length) : undefined;
    if (!op || !d.accountId || !ACCOUNT_ID.test(d.accountId) || !d.region || !REGION.test(d.region)) {
      throw new SgwhyError('AWS_ERROR', `Internal: cannot place document ${d.file} (account ${d.accountId ?? '?'}, region ${d.region ?? '?'}) in a snapshot.`);
    }
    files.set(join('accounts', d.accountId, d.region, snapshotFileName(op)), d.data);
  }

  const existing = await readdir(dir).catch(() => [] as string[]);
  if (existing.includes('accounts') || existing.includes(MANIFEST_FILE)) {
    if (!opts.replace) {
      throw new SgwhyError('BAD_USAGE', `${dir} already holds a snapshot; choose another output directory or ask to replace it.`);
    }
    await rm(join(dir, 'accounts'), { recursive: true, force: true });
    await rm(join(dir, MANIFEST_FILE), { force: true });
  }

  const written: string[] = [];
  for (const [rel, data] of files) {
    const path = join(dir, rel);
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, `${JSON.stringify(data, null, 4)}\n`);
    written.push(rel);
  }
  if (opts.manifest) {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, MANIFEST_FILE), `${JSON.stringify({ SgwhyManifest: opts.manifest }, null, 2)}\n`);
    written.push(MANIFEST_FILE);
  }
  return written.sort();
}
