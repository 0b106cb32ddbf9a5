/**
 * Starts a private moto_server on a free port (tests and the benchmark), points the AWS SDK at
 * it through the standard AWS_ENDPOINT_URL variable (with dummy credentials), and stops it after.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export interface Moto {
  endpoint: string;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function startMoto(): Promise<Moto> {
  let child: ChildProcess | undefined;
  let endpoint = '';
  for (let attempt = 0; attempt < 3 && !child; attempt++) {
    const port = await freePort();
    const proc = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
    endpoint = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 15_000;
    let exited = false;
    proc.once('exit', () => (exited = true));
    while (Date.now() < deadline && !exited) {
      try {
        const r = await fetch(`${endpoint}/moto-api/`);
        if (r.ok) break;
      } catch {
        /* not up yet */
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    if (!exited && Date.now() < deadline) child = proc;
    else if (!exited) proc.kill();
  }
  if (!child) throw new Error('moto_server did not start');
  const proc = child;
  return {
    endpoint,
    async reset() {
      await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
    },
    async stop() {
      if (proc.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
        setTimeout(() => {
          if (proc.exitCode === null) proc.kill('SIGKILL');
        }, 3000).unref();
      });
    },
  };
}

/** Points the SDK's standard configuration at moto (this test process only). */
export function useMotoEnv(endpoint: string, region = 'us-east-1'): void {
  process.env['AWS_ENDPOINT_URL'] = endpoint;
  process.env['AWS_ACCESS_KEY_ID'] = 'testing';
  process.env['AWS_SECRET_ACCESS_KEY'] = 'testing';
  process.env['AWS_SESSION_TOKEN'] = 'testing';
  process.env['AWS_REGION'] = region;
  delete process.env['AWS_PROFILE'];
  delete process.env['AWS_DEFAULT_PROFILE'];
  process.env['AWS_EC2_METADATA_DISABLED'] = 'true';
}

/** The same settings as an environment for child processes (the AWS CLI, build scripts). */
export function motoEnv(endpoint: string, region = 'us-east-1'): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env, AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_SESSION_TOKEN: 'testing',
    AWS_DEFAULT_REGION: region, AWS_REGION: region, AWS_PAGER: '', AWS_EC2_METADATA_DISABLED: 'true',
  };
  delete env.AWS_PROFILE;
  delete env.AWS_DEFAULT_PROFILE;
  return env;
}
