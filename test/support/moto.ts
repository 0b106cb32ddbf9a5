/**
 * Tests share the benchmark's moto_server starter, plus the environment for the AWS CLI children
 * (build scripts, printed fix commands) that the moto-backed tests run.
 */
import { execFileSync } from 'node:child_process';
import { delimiter, dirname, isAbsolute } from 'node:path';
import { motoEnv } from '../../src/bench/moto.js';

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

/** motoEnv for AWS CLI children, with the AWS CLI found without a shim where there is one. */
export function cliEnv(endpoint: string, extra: NodeJS.ProcessEnv = {}, region = 'us-east-1'): NodeJS.ProcessEnv {
  const env = { ...motoEnv(endpoint, region), ...extra };
  const dir = realAwsDir();
  if (dir) env.PATH = [dir, env.PATH ?? ''].join(delimiter);
  return env;
}
