/** The benchmark is not a timed test: CI runs it at the small size only, to check that it works. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

describe('npm run bench (small size)', () => {
  it('prints the table and writes the figures', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sgwhy-bench-test-'));
    try {
      const out = join(dir, 'r.json');
      const { stdout } = await promisify(execFile)(process.execPath, [join(root, 'dist', 'bench', 'run.js'), '--sizes', 'small', '--questions', '300', '--cold-unrelated', '0,20', '--latency', '20', '--slack-requests', '60', '--slack-warmup', '20', '--slack-concurrency', '10', '--slack-size', 'small', '--slack-live-questions', '3', '--out', out], { timeout: 120_000 });
      expect(stdout).toContain('load+index');
      const r = JSON.parse(readFileSync(out, 'utf8'));
      const small = r.sizes[0];
      expect(small.size).toBe('small');
      expect(small.question.n).toBe(300);
      expect(small.question.p50Ms).toBeGreaterThan(0);
      expect(small.jsonParse.ms).toBeGreaterThan(0);
      expect(small.loadAndIndex.maxRssMb).toBeGreaterThan(0);
      expect(Object.values(small.question.verdicts as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(300);
      expect(small.redis.storedMb).toBeLessThan(small.redis.rawMb);
      // The cold path: a fixed number of calls, whatever else is in the account.
      expect(r.coldPath).toHaveLength(2);
      expect(r.coldPath[0].calls).toBeGreaterThan(0);
      expect(r.coldPath[1].calls).toBe(r.coldPath[0].calls);
      expect(r.coldPath[0].roundTrips).toBeLessThanOrEqual(3);
      // The Slack path: two `sgwhy serve` replicas; every signed request acked with 200, "Investigating" posted, the verdict posted.
      expect(r.slack).toMatchObject({ concurrency: 10, replicas: 2, warmup: 20, sustained: { requests: 60, non200: 0 }, bursts: { requests: 60, bursts: 6, non200: 0 } });
      for (const m of [r.slack.sustained, r.slack.bursts]) {
        expect(m.ackMs.p50).toBeGreaterThan(0);
        expect(m.investigatingAfterAckMs.p50).toBeGreaterThanOrEqual(0);
        expect(m.verdictMs.p50).toBeGreaterThan(m.ackMs.p50);
        expect(m.cpuMsPerRequest.replicas).toBeGreaterThan(0);
      }
      // The Slack path on live data: cold answers pay for the collection (at least one round trip of injected latency).
      expect(r.slackLive).toMatchObject({ latencyMs: 20, questions: 3 });
      expect(r.slackLive.coldVerdictMs.p50).toBeGreaterThan(20);
      expect(r.slackLive.cachedVerdictMs.p50).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 150_000);
});
