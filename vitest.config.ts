import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Test files that spend their time waiting on child processes (moto_server, the AWS CLI, a
 * benchmark run) rather than computing, longest first. They start before everything else so the
 * long serial chains (a fix-loop shard rebuilds scenarios one after another) never end up last, and
 * the quick files fill the CPU around them. Vitest's own order (failed first, then longest by the
 * last run's timings; on a fresh clone, largest file first) applies within each group.
 */
const START_FIRST = [/[\\/]test[\\/]fix-loop-moto[^\\/]*\.test\.ts$/, /[\\/]test[\\/]bench\.test\.ts$/, /[\\/]test[\\/](aws|flowlogs|execute)[\\/]/, /[\\/]test[\\/]cli-live\.test\.ts$/, /[\\/]test[\\/]packaging[\\/]dockerfile\.test\.ts$/];

class WaitingFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const base = await super.sort(files);
    const group = (f: TestSpecification): number => {
      const i = START_FIRST.findIndex((re) => re.test(f.moduleId));
      return i < 0 ? START_FIRST.length : i;
    };
    return base
      .map((f, i) => ({ f, i, g: group(f) }))
      .sort((a, b) => a.g - b.g || a.i - b.i)
      .map((x) => x.f);
  }
}

/**
 * Two workers per core: most of the slow files wait on moto_server and AWS CLI children, so one
 * worker per core (vitest's default leaves one core idle) would leave the CPU idle while they wait.
 */
const workers = Math.max(2, 2 * availableParallelism());

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: workers,
    minWorkers: 1,
    sequence: { sequencer: WaitingFilesFirst },
  },
});
