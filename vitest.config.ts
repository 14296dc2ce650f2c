import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = fileURLToPath(new URL('./src/', import.meta.url));

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
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/support/fast-check-seed.ts'],
    // CI also keeps a machine-readable result, from which .ci/run prints its closing count.
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'test-results/vitest.json' }]] : ['default'],
    testTimeout: 20_000,
    pool: 'forks',
    // Most tests wait on sockets, timers and child processes rather than the CPU: vitest's default of one
    // worker fewer than the cores left a 2-core machine running one file at a time (tests 279 s of a
    // 391 s run).
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
