/**
 * npm run bench — measures what sgwhy promises: answers in milliseconds on large accounts.
 *   node dist/bench/run.js [--sizes small,medium,large] [--questions 5000] [--out bench-results.json] [--no-redis]
 * Prints a table and writes the figures to a JSON file. Heavy phases run in child processes so
 * each peak-memory figure is its own.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ask } from '../engine/ask.js';
import { buildModel } from '../model/build.js';
import { parseQuestion } from '../question/parse.js';
import { readSnapshotDir } from '../snapshot/read.js';
import type { ColdResult } from './cold-path.js';
import type { Measured, SlackPathResult } from './slack-path.js';
import { generate, SIZES, type Generated } from './generate.js';
import { round, summarize } from './stats.js';

const here = fileURLToPath(import.meta.url);

function writeSnapshot(g: Generated, dir: string): number {
  let bytes = 0;
  for (const d of g.docs) {
    const p = join(dir, d.file);
    mkdirSync(dirname(p), { recursive: true });
    const text = JSON.stringify(d.data);
    bytes += Buffer.byteLength(text);
    writeFileSync(p, text);
  }
  return bytes;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
}

/** Child process: one measured phase, printed as JSON on stdout. */
async function child(mode: string, dir: string): Promise<void> {
  const t0 = performance.now();
  if (mode === 'parse') {
    let n = 0;
    for (const f of listFiles(dir)) n += Object.keys(JSON.parse(readFileSync(f, 'utf8'))).length;
    if (n < 0) throw new Error('unreachable');
  } else {
    const { docs } = await readSnapshotDir(dir);
    const m = buildModel(docs);
    if (m.enis.size < 0) throw new Error('unreachable');
  }
  const ms = performance.now() - t0;
  process.stdout.write(JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
}

function runChild(mode: string, dir: string): { ms: number; maxRssMb: number } {
  const out = execFileSync(process.execPath, ['--max-old-space-size=8192', here, '--child', mode, dir], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out) as { ms: number; maxRssMb: number };
}

const QUESTION_PORTS = ['443', '5432', '22', '6379', '8080', '53/udp', '3306'];

function questions(g: Generated, n: number, seed = 7): string[] {
  let x = seed;
  const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
  const out: string[] = [];
  while (out.length < n) {
    const a = g.addresses[next() % g.addresses.length]![0];
    const b = g.addresses[next() % g.addresses.length]![0];
    if (a === b) continue;
    const port = QUESTION_PORTS[next() % QUESTION_PORTS.length]!;
    out.push(port.includes('/') ? `${a} -> ${b}:${port}` : `why can't ${a} reach ${b}:${port}`);
  }
  return out;
}

interface SizeResult {
  size: string;
  counts: Record<string, number>;
  snapshotMb: number;
  jsonParse: { ms: number; maxRssMb: number };
  loadAndIndex: { ms: number; maxRssMb: number };
  loadOverParse: number;
  question: { n: number; p50Ms: number; p99Ms: number; meanMs: number; maxMs: number; perSecond: number; verdicts: Record<string, number> };
  redis?: { rawMb: number; storedMb: number; ratio: number; setMs: number; getMs: number } | { error: string };
}

async function benchSize(name: string, nQuestions: number, useRedis: boolean, tmp: string): Promise<SizeResult> {
  const size = SIZES[name];
  if (!size) throw new Error(`unknown size ${name} (small, medium, large)`);
  const g = generate(size);
  const dir = join(tmp, name);
  const bytes = writeSnapshot(g, dir);
  const jsonParse = runChild('parse', dir);
  const loadAndIndex = runChild('load', dir);

  const model = buildModel(g.docs);
  const qs = questions(g, nQuestions + 200);
  for (const q of qs.slice(0, 200)) ask(model, parseQuestion(q)); // warm-up
  const times: number[] = [];
  const verdicts: Record<string, number> = {};
  const t0 = performance.now();
  for (const q of qs.slice(200)) {
    const s = performance.now();
    const a = ask(model, parseQuestion(q));
    times.push(performance.now() - s);
    verdicts[a.verdict] = (verdicts[a.verdict] ?? 0) + 1;
  }
  const total = performance.now() - t0;
  const st = summarize(times);

  let redis: SizeResult['redis'];
  if (useRedis) {
    const { Redis } = await import('ioredis');
    const client = new Redis({ host: '127.0.0.1', port: 6379, maxRetriesPerRequest: 1, connectTimeout: 2000 });
    try {
      const { RedisSnapshotStore } = await import('../store/snapshot-store.js');
      const store = new RedisSnapshotStore(client, `sgwhy-bench:${process.pid}:`);
      const s = performance.now();
      const { bytes: stored, rawBytes } = await store.put(name, { docs: g.docs, collectedAt: 0 }, 120);
      const setMs = performance.now() - s;
      const s2 = performance.now();
      const back = await store.get(name);
      const getMs = performance.now() - s2;
      if (!back || back.docs.length !== g.docs.length) throw new Error('round trip failed');
      await store.delete(name);
      redis = { rawMb: round(rawBytes / 1e6, 2), storedMb: round(stored / 1e6, 2), ratio: round(rawBytes / stored, 1), setMs: round(setMs, 1), getMs: round(getMs, 1) };
    } catch (e) {
      redis = { error: (e as Error).message };
    } finally {
      client.disconnect();
    }
  }
  return {
    size: name, counts: g.counts, snapshotMb: round(bytes / 1e6, 1), jsonParse: { ms: round(jsonParse.ms, 0), maxRssMb: round(jsonParse.maxRssMb, 0) },
    loadAndIndex: { ms: round(loadAndIndex.ms, 0), maxRssMb: round(loadAndIndex.maxRssMb, 0) }, loadOverParse: round(loadAndIndex.ms / jsonParse.ms, 1),
    question: { n: st.n, p50Ms: round(st.p50), p99Ms: round(st.p99), meanMs: round(st.mean), maxMs: round(st.max), perSecond: Math.round((st.n / total) * 1000), verdicts },
    ...(redis ? { redis } : {}),
  };
}

function table(rows: SizeResult[]): string {
  const lines = [
    'size    ENIs    SGs   rules  snapshot  JSON.parse      load+index       ratio  q p50    q p99    q/s     redis raw→stored  set/get',
  ];
  for (const r of rows) {
    const redis = r.redis && 'storedMb' in r.redis ? `${r.redis.rawMb}→${r.redis.storedMb} MB (${r.redis.ratio}x)  ${r.redis.setMs}/${r.redis.getMs} ms` : r.redis ? `error: ${r.redis.error}` : 'skipped';
    lines.push([
      r.size.padEnd(7), String(r.counts.enis).padStart(6), String(r.counts.securityGroups).padStart(6), String(r.counts.sgRules).padStart(7),
      `${r.snapshotMb} MB`.padStart(9), `${r.jsonParse.ms} ms ${r.jsonParse.maxRssMb} MB`.padStart(16), `${r.loadAndIndex.ms} ms ${r.loadAndIndex.maxRssMb} MB`.padStart(16),
      `${r.loadOverParse}x`.padStart(6), `${r.question.p50Ms} ms`.padStart(8), `${r.question.p99Ms} ms`.padStart(8), String(r.question.perSecond).padStart(7), ` ${redis}`,
    ].join(' '));
  }
  return lines.join('\n');
}

export async function runBench(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: {
    sizes: { type: 'string', default: 'small,medium,large' }, questions: { type: 'string', default: '5000' },
    out: { type: 'string', default: 'bench-results.json' }, 'no-redis': { type: 'boolean', default: false },
    'no-moto': { type: 'boolean', default: false }, 'no-slack': { type: 'boolean', default: false },
    'slack-requests': { type: 'string', default: '3000' }, 'slack-warmup': { type: 'string', default: '3000' }, 'slack-concurrency': { type: 'string', default: '50' }, 'slack-size': { type: 'string', default: 'large' }, 'slack-live-questions': { type: 'string', default: '10' }, 'cold-unrelated': { type: 'string', default: '0,100,300' }, latency: { type: 'string', default: '100' },
  } });
  const tmp = mkdtempSync(join(tmpdir(), 'sgwhy-bench-'));
  try {
    const rows: SizeResult[] = [];
    for (const s of values.sizes.split(',')) {
      rows.push(await benchSize(s.trim(), Number(values.questions), !values['no-redis'], tmp));
      process.stderr.write(`… ${s} done\n`);
    }
    let cold: ColdResult[] | { error: string } | 'skipped' = 'skipped';
    if (!values['no-moto']) {
      try {
        const { benchColdPath } = await import('./cold-path.js');
        cold = await benchColdPath(values['cold-unrelated'].split(',').map(Number), Number(values.latency));
      } catch (e) {
        cold = { error: (e as Error).message };
      }
    }
    let slackLive: import('./slack-live.js').SlackLiveResult | { error: string } | 'skipped' = 'skipped';
    if (!values['no-slack'] && !values['no-moto']) {
      try {
        const { benchSlackLive } = await import('./slack-live.js');
        slackLive = await benchSlackLive(Number(values.latency), Number(values['slack-live-questions']));
      } catch (e) {
        slackLive = { error: (e as Error).message };
      }
    }
    let slack: SlackPathResult | { error: string } | 'skipped' = 'skipped';
    if (!values['no-slack']) {
      try {
        const { benchSlackPath } = await import('./slack-path.js');
        slack = await benchSlackPath({ requests: Number(values['slack-requests']), concurrency: Number(values['slack-concurrency']), size: values['slack-size'], warmup: Number(values['slack-warmup']) });
      } catch (e) {
        slack = { error: (e as Error).message };
      }
    }
    const result = {
      date: new Date().toISOString(), node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGb: round(totalmem() / 2 ** 30, 0),
      sizes: rows,
      coldPath: cold,
      slack,
      slackLive,
    };
    process.stdout.write(`${table(rows)}\n`);
    if (Array.isArray(cold)) {
      process.stdout.write(`\ncold path (moto, ${values.latency} ms injected per call)\nunrelated objects  API calls  round trips  wall to verdict\n`);
      for (const c of cold) process.stdout.write(`${String(c.unrelated).padStart(17)}  ${String(c.calls).padStart(9)}  ${String(c.roundTrips).padStart(11)}  ${String(c.wallMs).padStart(12)} ms   (${c.verdict})\n`);
    } else if (cold !== 'skipped') process.stdout.write(`\ncold path: ${cold.error}\n`);
    if (slack !== 'skipped' && 'sustained' in slack) {
      process.stdout.write(`\nslack path (signed /sgwhy requests, ${slack.replicas} replicas sharing Redis, ${slack.snapshot} snapshot, after ${slack.warmup} warm-up requests)\n`);
      const shapes: Array<[string, Measured]> = [
        [`${slack.sustained.requests} requests, ${slack.concurrency} always in flight`, slack.sustained],
        [`${slack.bursts.requests} requests in ${slack.bursts.bursts} bursts of ${slack.concurrency} at once`, slack.bursts],
      ];
      for (const [what, m] of shapes) {
        const cpu = m.cpuMsPerRequest ? `; CPU per request: replicas ${m.cpuMsPerRequest.replicas} ms, load generator ${m.cpuMsPerRequest.loadGenerator} ms, Web API stand-in ${m.cpuMsPerRequest.webApiStandIn} ms` : '';
        process.stdout.write(`  ${what} (${m.wallMs} ms${cpu})\n`);
        process.stdout.write(`    HTTP 200 ack                p50 ${m.ackMs.p50} ms  p99 ${m.ackMs.p99} ms  max ${m.ackMs.max} ms\n`);
        process.stdout.write(`    "Investigating" after ack   p50 ${m.investigatingAfterAckMs.p50} ms  p99 ${m.investigatingAfterAckMs.p99} ms  max ${m.investigatingAfterAckMs.max} ms\n`);
        process.stdout.write(`    verdict posted              p50 ${m.verdictMs.p50} ms  p99 ${m.verdictMs.p99} ms  max ${m.verdictMs.max} ms  (non-200: ${m.non200})\n`);
      }
    } else if (slack !== 'skipped') process.stdout.write(`\nslack path: ${slack.error}\n`);
    if (slackLive !== 'skipped' && 'coldVerdictMs' in slackLive) {
      process.stdout.write(`\nslack path, live (moto behind a proxy adding ${slackLive.latencyMs} ms per AWS request; ${slackLive.questions} questions each)\n`);
      process.stdout.write(`  verdict, cold (collects)   p50 ${slackLive.coldVerdictMs.p50} ms  p99 ${slackLive.coldVerdictMs.p99} ms\n`);
      process.stdout.write(`  verdict, cached data       p50 ${slackLive.cachedVerdictMs.p50} ms  p99 ${slackLive.cachedVerdictMs.p99} ms\n`);
    } else if (slackLive !== 'skipped') process.stdout.write(`\nslack path, live: ${slackLive.error}\n`);
    writeFileSync(values.out, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`figures written to ${values.out}\n`);
    return 0;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const args = process.argv.slice(2);
if (args[0] === '--child') {
  await child(args[1]!, args[2]!);
} else if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await runBench(args);
}
