/**
 * Reads a snapshot directory: every *.json file below it, recursively, as RawDoc[].
 * Account and region come from path segments accounts/<12 digits>/<region>/ when present.
 *
 * Files as people produce them: symbolic links are followed (a link back to a folder already
 * being read is reported, not followed again; a dangling link is reported), UTF-8 with or
 * without a byte-order mark and UTF-16 (what PowerShell's `>` writes) are read. Every unreadable
 * or malformed file or folder is reported by name, in one error (exit 64), unless skipBadFiles.
 * An unreadable snapshot root is always an error.
 */
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { SgwhyError } from '../errors/errors.js';
import { ACCOUNT_ID, REGION } from '../model/aws-names.js';
import type { RawDoc } from '../model/raw.js';

/** Refuse single files larger than this (describe-* output of a very large account is well below). */
export const MAX_FILE_BYTES = 512 * 1024 * 1024;
/** Folder depth below the root (a guard besides the loop check). */
const MAX_DEPTH = 32;

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

/** "EACCES: permission denied, open '…'" → "permission denied (EACCES)". */
function fsReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (!err?.code) return (e as Error)?.message ?? String(e);
  const why: Record<string, string> = {
    EACCES: 'permission denied', EPERM: 'operation not permitted', ENOENT: 'does not exist', EISDIR: 'is a directory',
    ENOTDIR: 'is not a directory', ELOOP: 'too many levels of symbolic links', EMFILE: 'too many open files', EIO: 'input/output error',
  };
  return `${why[err.code] ?? err.message} (${err.code})`;
}

/**
 * Text of a JSON file: UTF-8 (a byte-order mark is dropped), or UTF-16 LE/BE with a byte-order
 * mark or recognisable from its first character. Invalid encoding is an error, never replaced.
 */
export function decodeJsonText(buf: Buffer): string {
  let encoding: 'utf-8' | 'utf-16le' | 'utf-16be' = 'utf-8';
  let start = 0;
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) start = 3;
  else if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) [encoding, start] = ['utf-16le', 2];
  else if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) [encoding, start] = ['utf-16be', 2];
  else if (buf.length >= 2 && buf[0] !== 0 && buf[1] === 0) encoding = 'utf-16le';
  else if (buf.length >= 2 && buf[0] === 0 && buf[1] !== 0) encoding = 'utf-16be';
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(buf.subarray(start));
  } catch {
    throw new Error(`not valid ${encoding.toUpperCase()} text`);
  }
}

interface Listing {
  files: string[];
  /** Unreadable entries: errors unless skipBadFiles. */
  bad: Array<{ rel: string; why: string }>;
  /** Links not followed (loops): reported with the answer, not errors. */
  notes: string[];
}

async function listJson(root: string, dir: string, seen: Set<string>, out: Listing, depth: number): Promise<void> {
  const rel = (p: string) => relative(root, p).split(sep).join('/') || '.';
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    out.bad.push({ rel: `${rel(dir)}/`, why: `folder cannot be read: ${fsReason(e)}` });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = join(dir, e.name);
    const isJson = e.name.toLowerCase().endsWith('.json');
    let isDir = e.isDirectory();
    let isFile = e.isFile();
    if (e.isSymbolicLink()) {
      try {
        const st = await stat(p);
        isDir = st.isDirectory();
        isFile = st.isFile();
      } catch (err) {
        if (isJson) out.bad.push({ rel: rel(p), why: `symbolic link cannot be followed: ${fsReason(err)}` });
        else out.notes.push(`${rel(p)}: symbolic link not followed: ${fsReason(err)}`);
        continue;
      }
    }
    if (isDir) {
      let real: string;
      try {
        real = await realpath(p);
      } catch (err) {
        out.bad.push({ rel: `${rel(p)}/`, why: `folder cannot be read: ${fsReason(err)}` });
        continue;
      }
      if (seen.has(real)) {
        out.notes.push(`${rel(p)}/: symbolic link to a folder already being read (a loop); not followed`);
        continue;
      }
      if (depth >= MAX_DEPTH) {
        out.bad.push({ rel: `${rel(p)}/`, why: `more than ${MAX_DEPTH} folders deep; not read` });
        continue;
      }
      seen.add(real);
      await listJson(root, p, seen, out, depth + 1);
      seen.delete(real);
    } else if (isJson) {
      if (isFile) out.files.push(p);
      else out.bad.push({ rel: rel(p), why: 'not a regular file' });
    }
  }
}

export async function readSnapshotDir(dir: string, opts: { skipBadFiles?: boolean } = {}): Promise<{ docs: RawDoc[]; skipped: string[] }> {
  let st;
  try {
    st = await stat(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new SgwhyError('SNAPSHOT_NOT_FOUND', `Snapshot directory ${dir} does not exist.`, { details: { file: dir } });
    throw new SgwhyError('SNAPSHOT_UNREADABLE', `Snapshot directory ${dir} cannot be read: ${fsReason(e)}.`, { details: { file: dir } });
  }
  if (!st.isDirectory()) throw new SgwhyError('SNAPSHOT_NOT_FOUND', `${dir} is not a directory.`, { details: { file: dir } });
  let root: string;
  try {
    root = await realpath(dir);
    await readdir(dir);
  } catch (e) {
    throw new SgwhyError('SNAPSHOT_UNREADABLE', `Snapshot directory ${dir} cannot be read: ${fsReason(e)}.`, {
      hints: ['Check the folder\'s permissions (the user running sgwhy needs to list it and read its files).'], details: { file: dir },
    });
  }
  const listing: Listing = { files: [], bad: [], notes: [] };
  await listJson(dir, dir, new Set([root]), listing, 0);
  if (listing.files.length === 0 && listing.bad.length === 0) {
    throw new SgwhyError('SNAPSHOT_NOT_FOUND', `No .json files under ${dir}. Save the output of aws ec2 describe-* calls there (see sgwhy collect).`, { details: { file: dir } });
  }
  const docs: RawDoc[] = [];
  const bad = listing.bad.map((b) => `${b.rel}: ${b.why}`);
  const badFiles = listing.bad.map((b) => b.rel);
  let unreadable = listing.bad.length > 0;
  for (const f of listing.files) {
    const rel = relative(dir, f).split(sep).join('/');
    let buf: Buffer;
    try {
      const size = (await stat(f)).size;
      if (size > MAX_FILE_BYTES) {
        bad.push(`${rel}: ${size} bytes is larger than the ${MAX_FILE_BYTES}-byte limit`);
        badFiles.push(rel);
        continue;
      }
      buf = await readFile(f);
    } catch (e) {
      bad.push(`${rel}: cannot be read: ${fsReason(e)}`);
      badFiles.push(rel);
      unreadable = true;
      continue;
    }
    try {
      const data: unknown = JSON.parse(decodeJsonText(buf));
      if (typeof data !== 'object' || data === null || Array.isArray(data)) {
        bad.push(`${rel}: expected a JSON object (the output of an aws ec2 describe-* call)`);
        badFiles.push(rel);
        continue;
      }
      docs.push({ file: rel, ...pathContext(rel), data: data as Record<string, unknown> });
    } catch (e) {
      bad.push(`${rel}: ${e instanceof SyntaxError ? `not valid JSON (${e.message})` : (e as Error).message}`);
      badFiles.push(rel);
    }
  }
  if (bad.length && !opts.skipBadFiles) {
    throw new SgwhyError(unreadable ? 'SNAPSHOT_UNREADABLE' : 'BAD_SNAPSHOT', `${bad.length} snapshot file(s) could not be read:\n  ${bad.join('\n  ')}`, {
      hints: ['Fix or remove those files, or pass --skip-bad-files to answer from the rest.'], details: { files: bad, file: badFiles[0] },
    });
  }
  if (docs.length === 0) {
    throw new SgwhyError('SNAPSHOT_NOT_FOUND', `No readable .json files under ${dir}:\n  ${bad.join('\n  ')}`, { details: { files: bad, file: dir } });
  }
  return { docs, skipped: [...listing.notes, ...bad] };
}
