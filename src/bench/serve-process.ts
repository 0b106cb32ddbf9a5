/** `sgwhy serve` in a process of its own, for the benchmarks: started, its port read from what it prints. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/sgwhy.js', import.meta.url));

/**
 * SGWHY_BENCH_NODE_ARGS: extra Node options for each replica, space-separated (for finding where
 * its time goes: `--cpu-prof --cpu-prof-dir DIR` writes a profile per thread; `--trace-gc`, with
 * SGWHY_BENCH_STDOUT=inherit to see it).
 */
export async function startServe(args: string[], env: NodeJS.ProcessEnv): Promise<{ proc: ChildProcess; port: number }> {
  const extra = (process.env.SGWHY_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const out = process.env.SGWHY_BENCH_STDOUT === 'inherit' ? 'inherit' : 'ignore';
  const proc = spawn(process.execPath, [...extra, BIN, 'serve', ...args, '--port', '0'], { env, stdio: ['ignore', out, 'pipe'] });
  const port = await new Promise<number>((resolve, reject) => {
    let buf = '';
    proc.stderr!.on('data', (c: Buffer) => {
      buf += c.toString();
      const m = /on port (\d+)/.exec(buf);
      if (m) resolve(Number(m[1]));
    });
    proc.once('exit', (code) => reject(new Error(`sgwhy serve exited with ${code}: ${buf.slice(0, 500)}`)));
  });
  return { proc, port };
}

/** Writes generated describe-* documents as a snapshot folder `sgwhy serve --snapshot` reads (accounts/<id>/<region>/ when known). */
export function writeSnapshotFolder(dir: string, docs: ReadonlyArray<{ accountId?: string; region?: string; data: unknown }>): void {
  docs.forEach((d, i) => {
    const sub = d.accountId && d.region ? join(dir, 'accounts', d.accountId, d.region) : dir;
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, `doc-${i}.json`), JSON.stringify(d.data));
  });
}
