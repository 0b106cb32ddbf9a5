/**
 * Bench section 3: the cold path against moto_server. A two-tier VPC plus N unrelated groups and
 * interfaces; one live question; API calls, sequential round trips before the verdict, and wall
 * time with an injected per-call latency (a stand-in for the real distance to AWS).
 */
import { AwsSession, type SdkPlugin } from '../aws/clients.js';
import { answerLive } from '../aws/live-answer.js';
import { resolveTargets } from '../aws/targets.js';
import { implicitConfig } from '../config/validate.js';
import { selectAccounts } from '../config/select.js';
import { parseQuestion } from '../question/parse.js';
import { startMoto, useMotoEnv } from './moto.js';
import { builderFor, twoTier, tcp } from './moto-topology.js';
import { round } from './stats.js';

export interface ColdResult {
  unrelated: number;
  calls: number;
  roundTrips: number;
  wallMs: number;
  latencyMs: number;
  verdict: string;
}

function latencyPlugin(ms: number): SdkPlugin {
  return {
    applyToStack: (stack: { add: (mw: unknown, opts: unknown) => void }) => {
      stack.add((next: (a: unknown) => Promise<unknown>) => async (args: unknown) => {
        await new Promise((r) => setTimeout(r, ms));
        return next(args);
      }, { step: 'finalizeRequest', name: 'sgwhyBenchLatency', priority: 'low' });
    },
  };
}

export async function benchColdPath(unrelatedSizes: number[], latencyMs: number): Promise<ColdResult[]> {
  const moto = await startMoto();
  const saved = { ...process.env };
  const out: ColdResult[] = [];
  try {
    useMotoEnv(moto.endpoint);
    for (const unrelated of unrelatedSizes) {
      await moto.reset();
      const b = await builderFor();
      const t = await twoTier(b, '10.0.0.0/16', { instances: true });
      // Unrelated objects the question must not pay for.
      for (let i = 0; i < unrelated; i++) {
        const sg = await b.sg(t.vpc, `noise-${i}`, { ingress: [tcp(8000 + (i % 100), { cidr: `10.0.${i % 200}.0/24` })] });
        await b.eni(t.dbSubnet, `10.0.1.${60 + (i % 190)}`, [sg]).catch(() => undefined);
      }
      const session = new AwsSession({ plugins: latencyMs > 0 ? [latencyPlugin(latencyMs)] : [] });
      try {
        const setup = session.forQuestion({ asker: 'bench' });
        const targets = await resolveTargets(setup, selectAccounts(implicitConfig()));
        const clients = session.forQuestion({ asker: 'bench' });
        const q = parseQuestion("why can't 10.0.2.100 reach 10.0.1.50:443");
        const s = performance.now();
        const { answer, collection } = await answerLive(clients, targets, q);
        const wallMs = performance.now() - s;
        out.push({ unrelated, calls: collection.stats.calls, roundTrips: collection.stats.roundTrips, wallMs: round(wallMs, 0), latencyMs, verdict: answer.verdict });
      } finally {
        session.destroy();
      }
    }
  } finally {
    process.env = saved;
    await moto.stop();
  }
  return out;
}
