import { defineConfig } from 'tsup';

// One entry per public subpath; the exports map in package.json mirrors this list and
// test/smoke checks both against the packed tarball.
export const entries = {
  index: 'src/index.ts',
  'providers/socotra/index': 'src/providers/socotra/index.ts',
  'providers/tines/index': 'src/providers/tines/index.ts',
  'providers/fujitsu/index': 'src/providers/fujitsu/index.ts',
  'providers/illumio/index': 'src/providers/illumio/index.ts',
  'providers/informatica/index': 'src/providers/informatica/index.ts',
  'testing/index': 'src/testing/index.ts',
  'cli/main': 'src/cli/main.ts',
};

export default defineConfig({
  entry: entries,
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  platform: 'node',
  splitting: true,
  treeshake: true,
  // ky and p-retry are ESM-only: the CJS build inlines them so `require('tributary')` never
  // reaches `require('ky')` (which fails at run time as `import_ky.default.create is not a function`).
  noExternal: ['ky', 'p-retry', 'is-network-error'],
  external: ['msw', 'zod', 'bottleneck'],
});
