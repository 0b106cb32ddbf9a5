/**
 * Reads a snapshot directory: every *.json file below it, recursively, as RawDoc[].
 * Account and region come from path segments accounts/<12 digits>/<region>/ when present.
 * Every unreadable or malformed file is reported, by name, in one error.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { SgwhyError } from '../errors/errors.js';
import { ACCOUNT_ID, REGION } from '../model/aws-names.js';
import type { RawDoc } from '../model/raw.js';

/** Refuse single files larger than this (describe-* output of a very large account is well below). */
export const MAX_FILE_BYTES = 512 * 1024 * 1024;

export function pathContext(rel: string): { accountId?: string; region?: string } {
  const parts = rel.split(/[\\/]/);
  const out: { accountId?: string; region?: string } = {};
  const i = parts.indexOf('accounts');
  if (i >= 0 && ACCOUNT_ID.test(parts[i + 1] ?? '')) {
    out.accountId = parts[i + 1]!;
    const r = parts[i + 2];
    if (r && REGION.test(r)) out.region = r;
  }
  return out;
}

async function listJson(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listJson(p)));
    else if (e.isFile() && e.name.toLowerCase().endsWith('.json')) out.push(p);
  }
  return out;
}

export async function readSnapshotDir(dir: string, opts: { skipBadFiles?: boolean } = {}): Promise<{ docs: RawDoc[]; skipped: string[] }> {
  let st;
  try {
    st = await stat(dir);
  } catch {
    throw new SgwhyError('SNAPSHOT_NOT_FOUND', `Snapshot directory ${dir} does not exist.`);
  }
  if (!st.isDirectory()) throw new SgwhyError('SNAPSHOT_NOT_FOUND', `${dir} is not a directory.`);
  const files = await listJson(dir);
  if (files.length === 0) {
    throw new SgwhyError('SNAPSHOT_NOT_FOUND', `No .json files under ${dir}. Save the output of aws ec2 describe-* calls there (see sgwhy collect).`);
  }
  const docs: RawDoc[] = [];
  const bad: string[] = [];
  for (const f of files) {
    const rel = relative(dir, f).split(sep).join('/');
    try {
      const size = (await stat(f)).size;
      if (size > MAX_FILE_BYTES) {
        bad.push(`${rel}: ${size} bytes is larger than the ${MAX_FILE_BYTES}-byte limit`);
        continue;
      }
      const text = await readFile(f, 'utf8');
      const data: unknown = JSON.parse(text);
      if (typeof data !== 'object' || data === null || Array.isArray(data)) {
        bad.push(`${rel}: expected a JSON object (the output of an aws ec2 describe-* call)`);
        continue;
      }
      docs.push({ file: rel, ...pathContext(rel), data: data as Record<string, unknown> });
    } catch (e) {
      bad.push(`${rel}: ${e instanceof SyntaxError ? `not valid JSON (${e.message})` : (e as Error).message}`);
    }
  }
  if (bad.length && !opts.skipBadFiles) {
    throw new SgwhyError('BAD_SNAPSHOT', `${bad.length} snapshot file(s) could not be read:\n  ${bad.join('\n  ')}`, {
      hints: ['Fix or remove those files, or pass --skip-bad-files to answer from the rest.'], details: { files: bad },
    });
  }
  return { docs, skipped: bad };
}
