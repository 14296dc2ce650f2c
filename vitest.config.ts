import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = fileURLToPath(new URL('./src/', import.meta.url));

/**
 * Files that need a process of their own: they replace a module (`vi.mock`), or watch the garbage collector
 * release what the SDK holds, which what an earlier file left alive would hold up.
 */
const ISOLATED = [
  'test/cli/emulate-requests.test.ts',
  'test/cli/interval.test.ts',
  'test/core/checkpoint-faults.property.test.ts',
  'test/core/checkpoint-refused-folder.test.ts',
  'test/core/checkpoint-sweep-unlisted.test.ts',
  'test/core/checkpoint-sync.test.ts',
  'test/core/strategies/marker.test.ts',
  'test/core/http.test.ts',
  'test/core/merge.test.ts',
  'test/core/redact-index.test.ts',
  'test/core/secret-lifetime.test.ts',
  'test/core/watch-soak.test.ts',
  'test/providers/fujitsu/token-renewal.test.ts',
];

export default defineConfig({
  resolve: {
    // Examples import the package by its public name, as a user's program would; in the repository
    // those names resolve to the sources (tsconfig.json `paths` does the same for tsc and tsx).
    alias: [
      { find: /^tributary$/, replacement: `${src}index.ts` },
      { find: /^tributary\/(testing|redis)$/, replacement: `${src}$1/index.ts` },
      { find: /^tributary\/(socotra|tines|fujitsu|illumio|informatica)$/, replacement: `${src}providers/$1/index.ts` },
    ],
  },
  test: {
    setupFiles: ['test/support/fast-check-seed.ts'],
    // CI also keeps a machine-readable result, from which .ci/run prints its closing count.
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'test-results/vitest.json' }]] : ['default'],
    testTimeout: 20_000,
    pool: 'forks',
    // Most tests wait on sockets, timers and child processes rather than the CPU: vitest's default of one
    // worker fewer than the cores left a 2-core machine running one file at a time (tests 279 s of a
    // 391 s run).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        extends: true,
        test: {
          name: 'shared',
          include: ['test/**/*.test.ts'],
          exclude: ISOLATED,
          // A process a file took 0.4 s of CPU to import in (zod, msw, fast-check), a third of the run's work.
          // The next file in a worker starts from a clean SDK instead (test/support/between-files.ts).
          isolate: false,
          setupFiles: ['test/support/between-files.ts'],
        },
      },
      { extends: true, test: { name: 'isolated', include: ISOLATED } },
    ],
  },
});
