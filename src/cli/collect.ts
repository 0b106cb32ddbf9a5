/** sgwhy collect --out DIR [--account ID]… [--region R]… [--force]: a full snapshot that `ask --snapshot` reads. */
import { parseArgs } from 'node:util';
import { formatCallStats } from '../aws/call-stats.js';
import { collectFull } from '../aws/collect-full.js';
import { describeGap } from '../aws/gaps.js';
import { writeSnapshot } from '../aws/snapshot-writer.js';
import { SgwhyError } from '../errors/errors.js';
import { type Io } from './io.js';
import { withLive } from './live.js';
import { LIVE_OPTIONS } from './live-options.js';

export async function runCollect(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: false, strict: true,
    options: { out: { type: 'string', short: 'o' }, force: { type: 'boolean', default: false }, verbose: { type: 'boolean', short: 'v', default: false }, ...LIVE_OPTIONS },
  });
  if (positionals.length || !values.out) throw new SgwhyError('BAD_USAGE', 'collect needs --out DIR, e.g. sgwhy collect --out snapshots/today');
  const out = values.out;
  return withLive(values, async (clients, targets) => {
    const full = await collectFull(clients, targets);
    const files = await writeSnapshot(out, full.docs, {
      replace: values.force,
      manifest: { collectedAt: new Date().toISOString(), tool: 'sgwhy 0.1.0', targets: targets.map((t) => ({ accountId: t.accountId, accountName: t.accountName, region: t.region })), gaps: full.gaps, stats: full.stats },
    });
    io.out(`wrote ${files.length} files to ${out} (${targets.map((t) => `${t.accountId}/${t.region}`).join(', ')})\n`);
    for (const g of full.gaps) io.err(`warning: ${describeGap(g)}\n`);
    if (values.verbose) io.err(`${formatCallStats(full.stats)}\n`);
    return 0;
  });
}
