/**
 * Tests share the benchmark's moto_server starter, plus the environment for the AWS CLI children
 * (build scripts, printed fix commands) that the moto-backed tests run.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { motoEnv as benchMotoEnv } from '../../src/bench/moto.js';

export * from '../../src/bench/moto.js';

let toolDir: string | undefined | null = null;

/**
 * The real folder of the `aws` executable when PATH finds it through a pyenv shim, else undefined.
 * A shim is a bash script that runs `pyenv exec`: about 70 ms and two more processes per AWS CLI
 * call, and the fix loop makes hundreds of calls. Putting the real folder first runs the same `aws`
 * (the one the shim would pick) without the detour.
 */
export function realAwsDir(): string | undefined {
  if (toolDir !== null) return toolDir;
  toolDir = undefined;
  try {
    const shim = execFileSync('bash', ['-c', 'command -v aws'], { encoding: 'utf8', timeout: 10_000 }).trim();
    if (shim.includes('/shims/')) {
      const real = execFileSync('pyenv', ['which', 'aws'], { encoding: 'utf8', timeout: 10_000 }).trim();
      if (isAbsolute(real)) toolDir = dirname(real);
    }
  } catch {
    /* no aws or no pyenv: PATH stays as it is */
  }
  return toolDir;
}

let cliPython: string | undefined | null = null;

/**
 * The Python interpreter the `aws` executable runs (from its #! line), when it can import the AWS
 * CLI's driver; else undefined. lib.sh uses it to run the build scripts' commands in one AWS CLI
 * process (test/support/aws-server.py) instead of one process each.
 */
export function awsCliPython(): string | undefined {
  if (cliPython !== null) return cliPython;
  cliPython = undefined;
  try {
    const dir = realAwsDir();
    const aws = dir ? join(dir, 'aws') : execFileSync('bash', ['-c', 'command -v aws'], { encoding: 'utf8', timeout: 10_000 }).trim();
    const shebang = /^#!\s*(\S+)(?:[ \t]+(\S+))?/.exec(readFileSync(aws, 'utf8').split('\n', 1)[0] ?? '');
    const python = shebang?.[1]?.endsWith('/env') ? shebang[2] : shebang?.[1];
    if (python && /python/.test(python)) {
      execFileSync(python, ['-c', 'import awscli.clidriver'], { stdio: 'ignore', timeout: 30_000 });
      cliPython = python;
    }
  } catch {
    /* not a Python AWS CLI we can drive: the build scripts start the CLI for each call */
  }
  return cliPython;
}

export const AWS_SERVER_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'aws-server.py');

/**
 * The environment for AWS CLI children of tests (build scripts, printed fix commands) against moto:
 * the benchmark's motoEnv, plus the AWS CLI found without a shim where there is one, and the build
 * scripts' commands run in one AWS CLI process (aws-server.py) where the CLI allows it. (This shadows the
 * benchmark's motoEnv for every test that imports it from here.)
 */
export function motoEnv(endpoint: string, region = 'us-east-1'): NodeJS.ProcessEnv {
  const env = benchMotoEnv(endpoint, region);
  const dir = realAwsDir();
  if (dir) env.PATH = [dir, env.PATH ?? ''].join(delimiter);
  const python = awsCliPython();
  if (python) Object.assign(env, { SGWHY_AWS_SERVER: AWS_SERVER_SCRIPT, SGWHY_AWS_PYTHON: python });
  return env;
}

/** motoEnv with more variables. */
export function cliEnv(endpoint: string, extra: NodeJS.ProcessEnv = {}, region = 'us-east-1'): NodeJS.ProcessEnv {
  return { ...motoEnv(endpoint, region), ...extra };
}
