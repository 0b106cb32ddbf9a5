/**
 * Input as people (and attackers) produce it: errors as JSON under --format json with the same
 * exit code, every exit code in the usage text, snapshot folders with symbolic links (followed,
 * loops reported), UTF-8 byte-order marks and UTF-16, unreadable entries named (exit 64), mutated
 * snapshot files (fast-check), and corrupt or truncated cache values (typed error, fresh data).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT, main, type Io } from '../../src/cli/main.js';
import { ask } from '../../src/engine/ask.js';
import { isSgwhyError } from '../../src/errors/errors.js';
import { buildModel } from '../../src/model/build.js';
import { parseQuestion } from '../../src/question/parse.js';
import { decodeJsonText, readSnapshotDir } from '../../src/snapshot/read.js';
import { decodeSnapshot, encodeSnapshot, getOrCollect, RedisSnapshotStore, type RedisLike, type StoredSnapshot } from '../../src/store/snapshot-store.js';
import { SCENARIO_ROOT } from '../support/scenarios.js';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { out: (s) => { out += s; }, err: (s) => { err += s; } };
  return { code: await main(args, io), out, err };
}

const tmp = mkdtempSync(join(tmpdir(), 'sgwhy-input-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const SCENARIO = 'sg-wrong-port';
const QUESTION = "why can't 10.0.2.100 reach 10.0.1.50:8443";
const snap = join(SCENARIO_ROOT, SCENARIO, 'snapshot');
const FILES = 'accounts/123456789012/us-east-1';

function copy(): string {
  const dir = mkdtempSync(join(tmp, 'snap-'));
  cpSync(snap, dir, { recursive: true });
  return dir;
}

/** Every .json file below dir. */
function jsonFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json')).map((f) => join(dir, f));
}

describe('errors as data', () => {
  it('--format json: the error is a JSON object on stdout with the same exit code', async () => {
    const cases: Array<[string[], string, number]> = [
      [['ask', 'hello there', '--snapshot', snap, '--format', 'json'], 'BAD_QUESTION', 64],
      [['ask', QUESTION, '--snapshot', join(tmp, 'nope'), '--format=json'], 'SNAPSHOT_NOT_FOUND', 64],
      [['ask', QUESTION, '--bogus', '-f', 'json'], 'BAD_USAGE', 64],
      [['ask', QUESTION, '--snapshot', snap, '--format', 'json', '--flow-logs'], 'BAD_USAGE', 64],
      [['nonsense', '--format', 'json'], 'BAD_USAGE', 64],
    ];
    for (const [args, code, exit] of cases) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(exit);
      expect(r.err, args.join(' ')).toBe('');
      const body = JSON.parse(r.out) as { error: { code: string; message: string; hints: string[]; file?: string } };
      expect(Object.keys(body)).toEqual(['error']);
      expect(body.error.code).toBe(code);
      expect(typeof body.error.message).toBe('string');
      expect(Array.isArray(body.error.hints)).toBe(true);
    }
    const missing = JSON.parse((await run(['ask', QUESTION, '--snapshot', join(tmp, 'nope'), '--format', 'json'])).out);
    expect(missing.error.file).toBe(join(tmp, 'nope'));
  });

  it('a malformed file is named in "file"', async () => {
    const dir = copy();
    writeFileSync(join(dir, 'broken.json'), '{"SecurityGroups": [');
    const r = await run(['ask', QUESTION, '--snapshot', dir, '--format', 'json']);
    expect(r.code).toBe(64);
    const { error } = JSON.parse(r.out);
    expect(error.code).toBe('BAD_SNAPSHOT');
    expect(error.file).toBe('broken.json');
    expect(error.hints.join(' ')).toContain('--skip-bad-files');
  });

  it('the usage text lists every exit code', async () => {
    const r = await run(['--help']);
    for (const code of new Set(Object.values(EXIT))) expect(r.out).toMatch(new RegExp(`^\\s+${code}\\s+\\S`, 'm'));
    expect(r.out).toContain('--format json');
  });

  it('text errors quote hostile input escaped', async () => {
    const r = await run(['ask', 'why \u001b[2J\u001b]0;x\u0007 reach', '--snapshot', snap]);
    expect(r.code).toBe(64);
    expect(r.err).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });
});

describe('snapshot folders as people produce them', () => {
  it('symbolic links to files and folders are followed; a loop is reported, not followed', async () => {
    const real = copy();
    const dir = mkdtempSync(join(tmp, 'links-'));
    const flat = mkdtempSync(join(tmp, 'flat-'));
    const [first] = readdirSync(join(real, FILES));
    mkdirSync(join(dir, 'accounts', '123456789012', 'us-east-1'), { recursive: true });
    for (const f of readdirSync(join(real, FILES))) {
      if (f === first) symlinkSync(join(real, FILES, f), join(dir, 'accounts', '123456789012', 'us-east-1', f)); // a linked file
      else cpSync(join(real, FILES, f), join(flat, f));
    }
    symlinkSync(flat, join(dir, 'accounts', '123456789012', 'us-east-1', 'more')); // a linked folder
    symlinkSync(dir, join(dir, 'loop')); // a loop
    const r = await run(['ask', QUESTION, '--snapshot', dir, '--format', 'json']);
    expect(r.code).toBe(1);
    const a = JSON.parse(r.out);
    expect(a.verdict).toBe('blocked');
    expect(a.warnings.join('\n')).toMatch(/loop\/: symbolic link to a folder already being read/);
  });

  it('a dangling link or a non-file named *.json is named (exit 64), or skipped with --skip-bad-files', async () => {
    const dir = copy();
    symlinkSync(join(tmp, 'does-not-exist.json'), join(dir, 'dangling.json'));
    execFileSync('mkfifo', [join(dir, 'fifo.json')]);
    const r = await run(['ask', QUESTION, '--snapshot', dir, '--format', 'json']);
    expect(r.code).toBe(64);
    const { error } = JSON.parse(r.out);
    expect(error.code).toBe('SNAPSHOT_UNREADABLE');
    expect(error.message).toContain('dangling.json: symbolic link cannot be followed');
    expect(error.message).toContain('fifo.json: not a regular file');
    const s = await run(['ask', QUESTION, '--snapshot', dir, '--skip-bad-files']);
    expect(s.code).toBe(1);
    expect(s.out).toContain('skipped dangling.json');
  });

  it.skipIf(process.getuid?.() === 0)('an unreadable folder or file is exit 64 naming it (not an internal error)', async () => {
    const dir = copy();
    const sub = join(dir, FILES);
    const file = jsonFiles(sub)[0]!;
    chmodSync(file, 0o000);
    let r = await run(['ask', QUESTION, '--snapshot', dir]);
    expect(r.code).toBe(64);
    expect(r.err).toMatch(/cannot be read: permission denied \(EACCES\)/);
    chmodSync(file, 0o644);
    chmodSync(sub, 0o000);
    r = await run(['ask', QUESTION, '--snapshot', dir]);
    expect(r.code).toBe(64);
    expect(r.err).toContain(`${FILES}/: folder cannot be read`);
    chmodSync(sub, 0o755);
  });

  it('UTF-8 with a byte-order mark, UTF-16 LE and BE (with and without a mark) give the same answer', async () => {
    const encode: Record<string, (s: string) => Buffer> = {
      'utf-8 bom': (s) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(s, 'utf8')]),
      'utf-16le bom': (s) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]),
      'utf-16le': (s) => Buffer.from(s, 'utf16le'),
      'utf-16be bom': (s) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(s, 'utf16le').swap16()]),
      'utf-16be': (s) => Buffer.from(s, 'utf16le').swap16(),
    };
    for (const [name, enc] of Object.entries(encode)) {
      const dir = copy();
      for (const f of jsonFiles(dir)) writeFileSync(f, enc(readFileSync(f, 'utf8')));
      const r = await run(['ask', QUESTION, '--snapshot', dir, '--format', 'json']);
      expect(r.code, `${name}: ${r.err}`).toBe(1);
    }
  });

  it('invalid UTF-8 is an error naming the file, never replaced silently', async () => {
    const dir = copy();
    writeFileSync(join(dir, 'latin1.json'), Buffer.from('{"Vpcs": [], "x": "caf\xe9"}', 'latin1'));
    const r = await run(['ask', QUESTION, '--snapshot', dir]);
    expect(r.code).toBe(64);
    expect(r.err).toContain('latin1.json: not valid UTF-8 text');
    expect(() => decodeJsonText(Buffer.from([0xff, 0xfe, 0x00, 0xd8]))).toThrow(/UTF-16LE/);
  });

  it('mutated snapshot files (fast-check): a typed error or an answer that is not reachable, never a crash', async () => {
    const files = jsonFiles(snap).map((f) => ({ rel: f.slice(snap.length + 1), bytes: readFileSync(f) }));
    const dir = copy();
    const q = parseQuestion(QUESTION);
    await fc.assert(fc.asyncProperty(fc.nat(), fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('flip', 'truncate', 'insert', 'delete'), async (fi, pos, byte, how) => {
      for (const g of files) writeFileSync(join(dir, g.rel), g.bytes);
      const f = files[fi % files.length]!;
      const b = Buffer.from(f.bytes);
      const p = pos % b.length;
      const mutated = how === 'flip' ? (b[p] = byte, b) : how === 'truncate' ? b.subarray(0, p)
        : how === 'insert' ? Buffer.concat([b.subarray(0, p), Buffer.from([byte]), b.subarray(p)]) : Buffer.concat([b.subarray(0, p), b.subarray(p + 1)]);
      writeFileSync(join(dir, f.rel), mutated);
      for (const skipBadFiles of [false, true]) {
        try {
          const { docs } = await readSnapshotDir(dir, { skipBadFiles });
          expect(ask(buildModel(docs, { skipBad: skipBadFiles }), q).verdict).not.toBe('reachable');
        } catch (e) {
          expect(isSgwhyError(e), String((e as Error)?.stack)).toBe(true);
        }
      }
    }), { numRuns: 60 });
  });
});

describe('the snapshot cache: corrupt values are typed errors and fresh data is used', () => {
  const sample: StoredSnapshot = { collectedAt: 1_700_000_000_000, docs: [{ file: 'live:DescribeVpcs', accountId: '123456789012', region: 'us-east-1', data: { Vpcs: [] } }] };
  const good = encodeSnapshot(sample).buf;
  const corrupt: Array<[string, Buffer]> = [
    ['random bytes', Buffer.from('not gzip at all')],
    ['truncated gzip', good.subarray(0, good.length - 7)],
    ['gzip of non-JSON', gzipSync('{"docs": [')],
    ['JSON of the wrong shape', gzipSync(JSON.stringify({ docs: 'nope', collectedAt: 'yesterday' }))],
    ['docs without data', gzipSync(JSON.stringify({ collectedAt: 1, docs: [{ file: 'x' }] }))],
    ['empty', Buffer.alloc(0)],
  ];

  it('decodeSnapshot: CACHE_CORRUPT for each kind of damage, and for a value larger than the limit', () => {
    expect(decodeSnapshot(good)).toEqual(sample);
    for (const [name, buf] of corrupt) {
      try {
        decodeSnapshot(buf);
        expect.fail(`${name} decoded`);
      } catch (e) {
        expect(isSgwhyError(e) && e.code, name).toBe('CACHE_CORRUPT');
      }
    }
    expect(() => decodeSnapshot(gzipSync(Buffer.alloc(100_000, 32)), 1000)).toThrow(/cannot be decoded/);
  });

  it('getOrCollect drops a corrupt value and stores fresh data (in-process Redis stand-in)', async () => {
    const values = new Map<string, Buffer>();
    const redis: RedisLike = {
      set: async (k, v) => { values.set(k, v); return 'OK'; },
      getBuffer: async (k) => values.get(k) ?? null,
      del: async (...ks) => { ks.forEach((k) => values.delete(k)); return ks.length; },
    };
    const store = new RedisSnapshotStore(redis, 'p:');
    for (const [name, buf] of corrupt) {
      values.set('p:k', buf);
      let collected = 0;
      const reported: string[] = [];
      const r = await getOrCollect(store, 'k', 60, async () => { collected++; return sample; }, (e) => reported.push(e.code));
      expect(r, name).toEqual({ snapshot: sample, cached: false });
      expect(collected).toBe(1);
      expect(reported).toEqual(['CACHE_CORRUPT']);
      expect(await getOrCollect(store, 'k', 60, async () => { throw new Error('must not collect'); })).toEqual({ snapshot: sample, cached: true });
    }
  });

  it('against the real Redis: a truncated value falls back to fresh data', async () => {
    const redis = new Redis({ host: '127.0.0.1', port: 6379, maxRetriesPerRequest: 2 });
    const prefix = `sgwhy-test-untrusted:${process.pid}:${statSync(tmp).ino}:`;
    try {
      const store = new RedisSnapshotStore(redis, prefix);
      await store.put('k', sample, 60);
      const buf = await redis.getBuffer(`${prefix}k`);
      await redis.set(`${prefix}k`, buf!.subarray(0, 10), 'EX', 60);
      await expect(store.get('k')).rejects.toMatchObject({ code: 'CACHE_CORRUPT' });
      const r = await getOrCollect(store, 'k', 60, async () => sample);
      expect(r.cached).toBe(false);
      expect(await store.get('k')).toEqual(sample);
    } finally {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    }
  });
});
