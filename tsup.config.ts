import { defineConfig, type Options } from 'tsup';

// One entry per public subpath; the exports map in package.json mirrors this list and
// test/smoke/pack.sh checks both against the packed tarball.
const entry = {
  index: 'src/index.ts',
  'providers/socotra/index': 'src/providers/socotra/index.ts',
  'providers/tines/index': 'src/providers/tines/index.ts',
  'providers/fujitsu/index': 'src/providers/fujitsu/index.ts',
  'providers/illumio/index': 'src/providers/illumio/index.ts',
  'providers/informatica/index': 'src/providers/informatica/index.ts',
  'testing/index': 'src/testing/index.ts',
  'redis/index': 'src/redis/index.ts',
  'cli/main': 'src/cli/main.ts',
};

const shared: Options = {
  entry,
  // Members marked `@internal` (symbol-keyed brands) stay out of the declarations: the ESM and CommonJS
  // builds each declare their own symbols, which would make their types of one class incompatible.
  dts: { compilerOptions: { stripInternal: true } },
  sourcemap: true,
  target: 'node20',
  platform: 'node',
  // Shared chunks keep one copy of module state (the limiter registry, the secret registry) however
  // many subpaths an application imports.
  splitting: true,
  treeshake: true,
  // zod's own ESM is many small modules: importing it costs about 45 ms cold. Bundled and tree-shaken
  // with the schemas that use it, a provider subpath imports in under 60 ms (bench: cold import).
  noExternal: ['zod'],
  minify: true,
  // Node shows the source line of an uncaught error's throw: one line of a whole chunk printed
  // thousands of characters of code before the message.
  esbuildOptions(options) {
    options.lineLimit = 100;
  },
  clean: false,
  // msw is an optional peer dependency: `npm run build` then marks the declarations' import of it
  // optional (scripts/optional-peer-types.mjs), which no tsup option can do.
  external: ['msw', 'msw/node', 'ioredis', 'redis'],
};

export default defineConfig([
  { ...shared, format: ['esm'] },
  {
    ...shared,
    // The CLI is an ES module (it awaits at top level); only the library gets a CommonJS build.
    entry: Object.fromEntries(Object.entries(entry).filter(([name]) => name !== 'cli/main')),
    format: ['cjs'],
    // ky and p-retry are ESM-only: a CJS file that `require`s them fails at run time
    // (`import_ky.default.create is not a function`) while type checkers stay silent. The CJS build
    // carries its own copy of them instead.
    noExternal: ['zod', 'ky', 'p-retry', 'is-network-error'],
  },
]);
