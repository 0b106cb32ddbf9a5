/**
 * The Dockerfile without a Docker engine: its instructions are parsed and held to the rules
 * (current Node LTS base, production dependencies only, non-root, HEALTHCHECK without curl, CMD
 * runs `sgwhy serve`), then the runtime stage is run step by step in a clean folder: the files it
 * COPYs (`--from=build` ones from the repo's built dist/, which `npm test` builds first), its RUN
 * commands, the server started exactly as CMD starts it, /healthz, the HEALTHCHECK command itself,
 * a real slash command answered through a local fake Slack, and a clean exit on SIGTERM.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, posix, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlack } from '../../src/bench/fake-slack-socket.js';
import { postToApp, slashCommandBody, slashCommandPayload } from '../../src/bench/slack-harness.js';
import { freePort } from '../slack/support.js';
import { copyArgs, dockerignore, envArgs, parseDockerfile, parseInstruction, type Instruction, type Stage } from './dockerfile-parse.js';

const ROOT = join(import.meta.dirname, '..', '..');
const stages = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
const ignored = dockerignore(readFileSync(join(ROOT, '.dockerignore'), 'utf8'));
const build = stages.find((s) => s.name === 'build');
const runtime = stages.at(-1)!;
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string>; dependencies: Record<string, string> };

/**
 * Node.js release lines with Long Term Support (github.com/nodejs/Release, schedule.json). The
 * base image must be the line in Active LTS today. When today is past every line's Active LTS,
 * a newer line has taken over: add it here and move the base image.
 */
const NODE_LTS = [
  { major: 20, activeLts: '2023-10-24', maintenance: '2024-10-22', end: '2026-04-30' },
  { major: 22, activeLts: '2024-10-29', maintenance: '2025-10-21', end: '2027-04-30' },
  { major: 24, activeLts: '2025-10-28', maintenance: '2026-10-20', end: '2028-04-30' },
  { major: 26, activeLts: '2026-10-28', maintenance: '2027-10-20', end: '2029-04-30' },
];
function activeLts(today: string): number | undefined {
  return NODE_LTS.find((l) => l.activeLts <= today && today < l.maintenance)?.major;
}

const of = (s: Stage, op: string) => s.instructions.filter((i) => i.op === op);
const last = (s: Stage, op: string) => of(s, op).at(-1);

describe('Dockerfile parsing helpers', () => {
  it('reads continuations, flags and exec forms', () => {
    const [s] = parseDockerfile('# c\nFROM node:26-bookworm-slim AS b\nRUN a \\\n  # inside\n  && b\nCOPY --from=b --chown=1:1 /app/dist ./dist\nCMD ["node", "x"]\n');
    expect(s).toMatchObject({ image: 'node:26-bookworm-slim', name: 'b' });
    expect(s!.instructions.map((i) => i.op)).toEqual(['RUN', 'COPY', 'CMD']);
    expect(s!.instructions[0]!.rest).toBe('a && b');
    expect(s!.instructions[1]!.flags).toEqual({ from: 'b', chown: '1:1' });
    expect(s!.instructions[2]!.exec).toEqual(['node', 'x']);
    expect(parseInstruction('HEALTHCHECK --interval=5s CMD ["node","-e","1"]').exec).toEqual(['node', '-e', '1']);
    expect(() => parseDockerfile('RUN x\n')).toThrow(/before FROM/);
  });
  it('matches .dockerignore patterns as Docker does', () => {
    const ig = dockerignore('node_modules\n**/*.test.ts\ndist\n!dist/keep.js\n# comment\n');
    expect(ig('node_modules/a/b.js')).toBe(true);
    expect(ig('src/a/b.test.ts')).toBe(true);
    expect(ig('x.test.ts')).toBe(true);
    expect(ig('src/a/b.ts')).toBe(false);
    expect(ig('dist/x.js')).toBe(true);
    expect(ig('dist/keep.js')).toBe(false);
  });
  it('knows which Node line is in Active LTS', () => {
    expect(activeLts('2026-06-01')).toBe(24);
    expect(activeLts('2026-10-28')).toBe(26);
    expect(activeLts('2027-10-21')).toBeUndefined();
  });
});

describe('Dockerfile rules', () => {
  it('is multi-stage: a build stage compiles, the runtime stage is another one', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(build).toBeDefined();
    expect(runtime).not.toBe(build);
    const runs = of(build!, 'RUN').map((i) => i.rest);
    expect(runs.some((r) => /\bnpm ci\b/.test(r))).toBe(true);
    expect(runs.some((r) => /\bnpm run build\b/.test(r))).toBe(true);
  });

  it('copies into the build stage, before each RUN, what that RUN needs', () => {
    const copied = (upTo: number) =>
      build!.instructions.slice(0, upTo).filter((i) => i.op === 'COPY').flatMap((i) => copyArgs(i).sources.map((x) => x.replace(/^\.\//, '').replace(/\/$/, '')));
    const at = (re: RegExp) => build!.instructions.findIndex((i) => i.op === 'RUN' && re.test(i.rest));
    expect(copied(at(/\bnpm ci\b/))).toEqual(expect.arrayContaining(['package.json', 'package-lock.json']));
    // `npm run build` is `tsc -p tsconfig.build.json`: that file, what it extends, what it includes.
    const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    const project = /-p\s+(\S+)/.exec(scripts.build!)![1]!;
    const tsconfig = JSON.parse(readFileSync(join(ROOT, project), 'utf8')) as { extends?: string; include: string[] };
    const needed = [project, ...(tsconfig.extends ? [tsconfig.extends.replace(/^\.\//, '')] : []), ...tsconfig.include];
    expect(copied(at(/\bnpm run build\b/))).toEqual(expect.arrayContaining(needed));
    // The build writes dist/, which the runtime stage takes.
    const fromBuild = of(runtime, 'COPY').filter((i) => i.flags.from === build!.name).flatMap((i) => copyArgs(i).sources);
    expect(fromBuild).toEqual([`${last(build!, 'WORKDIR')!.rest}/dist`]);
  });

  it('uses the Node line in Active LTS today (official bookworm-slim image), never Node 20', () => {
    const today = new Date().toISOString().slice(0, 10);
    const lts = activeLts(today);
    expect(lts, `no Node line is in Active LTS on ${today} in NODE_LTS: a newer one has taken over, add it and move the base image`).toBeDefined();
    for (const s of stages) {
      const m = /^node:(\d+)-bookworm-slim$/.exec(s.image);
      expect(m, `${s.image} is an official node:<major>-bookworm-slim image`).not.toBeNull();
      expect(Number(m![1])).not.toBe(20);
      expect(Number(m![1])).toBe(lts);
    }
  });

  it('installs production dependencies only in the runtime image, without running the build script', () => {
    const runs = of(runtime, 'RUN').map((i) => i.rest);
    expect(runs.some((r) => /\bnpm ci\b/.test(r) && /--omit=dev\b/.test(r) && /--ignore-scripts\b/.test(r))).toBe(true);
    expect(runs.join(' ')).not.toMatch(/npm (install|i)\b/);
    expect(of(runtime, 'ENV').map(envArgs).some((e) => e.NODE_ENV === 'production')).toBe(true);
  });

  it('runs as a user who is not root, exposes 3000, checks /healthz without curl, and CMD runs sgwhy serve', () => {
    const user = last(runtime, 'USER')?.rest;
    expect(user).toBeDefined();
    expect(['root', '0', '0:0']).not.toContain(user);
    const userAt = runtime.instructions.indexOf(last(runtime, 'USER')!);
    expect(runtime.instructions.findIndex((i) => i.op === 'CMD')).toBeGreaterThan(userAt);
    expect(of(runtime, 'EXPOSE').map((i) => i.rest)).toContain('3000');
    const hc = last(runtime, 'HEALTHCHECK')!;
    expect(hc.exec?.[0]).toBe('node');
    expect(hc.exec?.join(' ')).toContain('/healthz');
    expect(hc.rest).not.toMatch(/\b(curl|wget)\b/);
    expect(last(runtime, 'CMD')?.exec).toEqual(['node', 'bin/sgwhy.js', 'serve']);
  });

  it('keeps node_modules, dist, tests, secrets and .git out of the build context, and every COPY source in it', () => {
    for (const p of ['node_modules/x/index.js', 'dist/cli/main.js', 'test/cli.test.ts', 'src/slack/turn-queue.test.ts', '.git/HEAD', 'deploy/.env', '.env']) {
      expect(ignored(p), `${p} is ignored`).toBe(true);
    }
    for (const s of stages) {
      for (const c of of(s, 'COPY').filter((i) => !i.flags.from)) {
        for (const src of copyArgs(c).sources) {
          expect(existsSync(join(ROOT, src)), `COPY ${src} exists`).toBe(true);
          expect(ignored(src), `COPY ${src} is not dropped by .dockerignore`).toBe(false);
        }
      }
    }
    expect(ignored('src/slack/app.ts')).toBe(false);
    expect(ignored('examples/incident/accounts')).toBe(false);
  });
});

/** Copies a COPY instruction's files into the folder standing for the runtime stage's WORKDIR. */
function copyInto(dir: string, workdir: string, ins: Instruction): void {
  const { sources, dest } = copyArgs(ins);
  const target = join(dir, posix.relative(workdir, posix.resolve(workdir, dest)));
  for (const src of sources) {
    let from: string;
    if (ins.flags.from) {
      const stage = stages.find((s) => s.name === ins.flags.from);
      expect(stage, `COPY --from=${ins.flags.from} names a stage`).toBeDefined();
      const buildWorkdir = last(stage!, 'WORKDIR')!.rest;
      const abs = posix.resolve(buildWorkdir, src);
      expect(abs.startsWith(`${buildWorkdir}/`), `${src} is under the build stage's WORKDIR`).toBe(true);
      // The build stage's output is what `npm run build` leaves in the repo.
      from = join(ROOT, posix.relative(buildWorkdir, abs));
    } else {
      from = join(ROOT, src);
    }
    expect(existsSync(from), `${from} exists (run npm run build first)`).toBe(true);
    const isDir = statSync(from).isDirectory();
    const to = isDir || sources.length > 1 || dest.endsWith('/') ? (isDir ? target : join(target, posix.basename(src))) : target;
    cpSync(from, to, {
      recursive: true,
      filter: (p) => ins.flags.from !== undefined || !ignored(relative(ROOT, p) || '.'),
    });
  }
}

/** The image's process: started from the folder exactly as CMD starts it (plus `extra` arguments). */
interface Proc { child: ChildProcess; output: () => string; logs: () => Array<Record<string, unknown>>; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> }
function startLikeCmd(dir: string, env: Record<string, string>, extra: string[]): Proc {
  const cmd = last(runtime, 'CMD')!.exec!;
  const child = spawn(cmd[0]!, [...cmd.slice(1), ...extra], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const logs = () => out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
  return { child, output: () => out, logs, exited };
}

async function healthy(p: Proc, port: number): Promise<Response | undefined> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline && p.child.exitCode === null) {
    const r = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
    if (r) return r;
    await new Promise((res) => setTimeout(res, 100));
  }
  return undefined;
}

/** The image's HEALTHCHECK command, run as Docker runs it (same env, same folder): its exit status. */
function healthcheck(dir: string, env: Record<string, string>): number | null {
  const hc = last(runtime, 'HEALTHCHECK')!.exec!;
  return spawnSync(hc[0]!, hc.slice(1), { cwd: dir, env, encoding: 'utf8', timeout: 10_000 }).status;
}

async function sigterm(p: Proc) {
  p.child.kill('SIGTERM');
  return Promise.race([p.exited, new Promise<'timeout'>((res) => setTimeout(() => res('timeout'), 25_000))]);
}

describe('the runtime stage, run without Docker', () => {
  let dir: string;
  const imageEnv: Record<string, string> = {};
  let fake: Awaited<ReturnType<typeof startFakeSlack>>;
  const procs: Proc[] = [];
  const SECRET = 'packagingsigningsecret0123456789';
  const BOT = 'xoxb-packaging-test-token';
  const APP = 'xapp-1-packaging-test';
  const texts = (b: unknown) => JSON.stringify(b ?? []);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sgwhy-image-'));
    const workdirs = of(runtime, 'WORKDIR');
    expect(workdirs).toHaveLength(1);
    const workdir = workdirs[0]!.rest;
    expect(isAbsolute(workdir)).toBe(true);
    for (const ins of runtime.instructions) {
      if (ins.op === 'ENV') Object.assign(imageEnv, envArgs(ins));
      else if (ins.op === 'COPY') copyInto(dir, workdir, ins);
      else if (ins.op === 'RUN') {
        // The same command; the npm cache answers what it can (the registry is reachable).
        const r = spawnSync('sh', ['-c', ins.rest], {
          cwd: dir, encoding: 'utf8', timeout: 150_000,
          env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, ...imageEnv, npm_config_prefer_offline: 'true', npm_config_update_notifier: 'false' },
        });
        expect(r.status, `RUN ${ins.rest}\n${r.stderr}`).toBe(0);
      }
    }
    fake = await startFakeSlack({ botToken: BOT, appToken: APP });
  }, 180_000);

  afterAll(async () => {
    for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    await fake?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('holds the production dependencies and no dev dependency', () => {
    const lock = JSON.parse(readFileSync(join(dir, 'node_modules', '.package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
    const dev = Object.entries(lock.packages).filter(([, p]) => p.dev).map(([k]) => k);
    expect(dev).toEqual([]);
    // Every package the repo's lock file marks dev-only (typescript, vitest, …) is absent.
    const repoLock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
    const devOnly = Object.entries(repoLock.packages).filter(([k, p]) => p.dev && k.startsWith('node_modules/')).map(([k]) => k);
    expect(devOnly).toEqual(expect.arrayContaining(['node_modules/typescript', 'node_modules/vitest', 'node_modules/fast-check']));
    for (const d of devOnly) expect(existsSync(join(dir, d)), `${d} absent`).toBe(false);
    for (const d of Object.keys(pkg.dependencies)) expect(existsSync(join(dir, 'node_modules', d, 'package.json')), `${d} present`).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['bin', 'dist', 'examples', 'node_modules', 'package-lock.json', 'package.json']);
    expect(existsSync(join(dir, 'dist', 'slack', 'worker-main.js'))).toBe(true);
  });

  it('over HTTP: /healthz, /readyz, its own HEALTHCHECK, a signed /sgwhy answered, exit 0 on SIGTERM', async () => {
    const port = await freePort();
    const env = { PATH: process.env.PATH ?? '', ...imageEnv, SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SECRET, PORT: String(port), SLACK_API_URL: fake.api.url };
    const p = startLikeCmd(dir, env, ['--snapshot', 'examples/incident']);
    procs.push(p);
    const health = await healthy(p, port);
    expect(health?.status, p.output()).toBe(200);
    expect(await health!.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', redis: 'memory' });
    // SGWHY_WORKER unset: answers run in the worker thread, which the build stage compiled.
    expect(p.logs().find((l) => l.event === 'started'), p.output()).toMatchObject({ mode: 'http', port, worker: true, source: 'snapshot' });

    expect(healthcheck(dir, env)).toBe(0);
    // …and it can fail: nothing listens on another free port.
    expect(healthcheck(dir, { ...env, PORT: String(await freePort()) })).not.toBe(0);

    const r = await postToApp(`http://127.0.0.1:${port}/slack/events`, {
      secret: SECRET, contentType: 'application/x-www-form-urlencoded', body: slashCommandBody("why can't 10.0.2.100 reach 10.0.1.50:443", 'C-IMAGE', 'U1', { triggerId: 't-image' }),
    });
    expect(r.status).toBe(200);
    const first = await fake.api.waitFor((c) => c.method === 'chat.postMessage' && c.body.channel === 'C-IMAGE', 15_000);
    expect(texts(first.body.blocks)).toContain('Investigating 10.0.2.100');
    const verdict = await fake.api.waitFor((c) => c.method === 'chat.update' && c.body.channel === 'C-IMAGE', 15_000);
    expect(texts(verdict.body.blocks)).toContain('BLOCKED');

    expect(await sigterm(p), p.output()).toEqual({ code: 0, signal: null });
    expect(p.logs().some((l) => l.event === 'stopped')).toBe(true);
    expect(p.output()).not.toContain(SECRET);
    expect(p.output()).not.toContain(BOT);
  }, 60_000);

  it('in Socket Mode (the manifest\'s default): health on PORT, HEALTHCHECK, a /sgwhy envelope answered, exit 0 on SIGTERM', async () => {
    const port = await freePort();
    const env = { PATH: process.env.PATH ?? '', ...imageEnv, SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP, PORT: String(port), SLACK_API_URL: fake.api.url, SGWHY_SNAPSHOT: 'examples/incident' };
    const p = startLikeCmd(dir, env, []);
    procs.push(p);
    expect((await healthy(p, port))?.status, p.output()).toBe(200);
    expect(healthcheck(dir, env)).toBe(0);
    await fake.socket.waitForConnections(1, 15_000);
    // The health routes answer before the WebSocket is up; "started" is logged once both are.
    await expect.poll(() => p.logs().find((l) => l.event === 'started'), { timeout: 15_000 }).toMatchObject({ mode: 'socket', port, worker: true, source: 'snapshot' });
    const ack = await fake.socket.send('slash_commands', slashCommandPayload("why can't 10.0.2.100 reach 10.0.1.50:443", 'C-IMAGE-SOCK', 'U1'));
    expect(ack.envelope_id).toBeTruthy();
    const verdict = await fake.api.waitFor((c) => c.method === 'chat.update' && c.body.channel === 'C-IMAGE-SOCK', 15_000);
    expect(texts(verdict.body.blocks)).toContain('BLOCKED');
    expect(await sigterm(p), p.output()).toEqual({ code: 0, signal: null });
    expect(p.output()).not.toContain(APP);
  }, 60_000);
});
