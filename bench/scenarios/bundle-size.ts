/**
 * Scenario 6: what each subpath costs an application's bundle. For every public subpath a small app
 * that uses it is bundled by esbuild (minified, tree-shaken, for Node) against the built package, as an
 * application would: the bundle's size minified and gzipped. tributary's own code is measured on its own
 * from the sources (the same app with every dependency external, gzipped): the built package carries a
 * copy of zod, which an external would not remove. The same app is bundled once more against the
 * sources, so that every byte can be traced to its file: the largest files, the dependencies pulled
 * in, and any file of another provider or of `tributary/testing` that should not be there.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Metafile, type Plugin } from 'esbuild';
import { BUILT, CACHE, ROOT, SUBPATHS } from '../build.js';

export interface BundleSizeResult {
  subpath: string;
  /** The whole app bundle, against the built package. */
  minifiedBytes: number;
  gzipBytes: number;
  /** tributary's own code only: the app against the sources with every dependency external, minified and gzipped. */
  ownGzipBytes: number;
  ownMinifiedBytes: number;
  /** Minified bytes per dependency package (from the sources' bundle). */
  dependencies: Record<string, number>;
  /** tributary's largest source files in the app, minified bytes. */
  ownFiles: Record<string, number>;
  /** Source files that belong to another provider or to `testing` (empty for the testing app itself). */
  foreign: string[];
}

const PROVIDERS = ['socotra', 'tines', 'fujitsu', 'illumio', 'informatica'] as const;

/** An app that uses the subpath the way its README shows, so tree-shaking keeps what a user ships. */
const APPS: Record<string, string> = {
  tributary: `import { illumio, toCloudEvent } from 'tributary';
const pce = illumio({ baseUrl: process.env.PCE_URL, orgId: 1, apiKey: process.env.PCE_KEY, apiSecret: process.env.PCE_SECRET });
for await (const event of pce.events.list({ since: '2026-11-01' })) console.log(JSON.stringify(toCloudEvent(event)));`,
  'tributary/socotra': `import { socotra } from 'tributary/socotra';
const client = socotra({ baseUrl: process.env.URL, tenantLocator: process.env.TENANT, token: process.env.TOKEN });
for await (const event of client.events.list({ since: '2026-11-01' })) console.log(event.id, event.type);`,
  'tributary/tines': `import { tines } from 'tributary/tines';
const client = tines({ baseUrl: process.env.URL, token: process.env.TOKEN });
for await (const event of client.events.list({ actionId: 21 })) console.log(event.id, event.type);`,
  'tributary/fujitsu': `import { fujitsu } from 'tributary/fujitsu';
const k5 = fujitsu({ baseUrl: process.env.URL, tenantId: process.env.TENANT, token: process.env.TOKEN });
for await (const event of k5.events.list({ since: '2026-11-01' })) console.log(event.id, event.type);`,
  'tributary/illumio': `import { illumio } from 'tributary/illumio';
const pce = illumio({ baseUrl: process.env.URL, orgId: 1, apiKey: process.env.KEY, apiSecret: process.env.SECRET });
for await (const event of pce.events.list({ since: '2026-11-01' })) console.log(event.id, event.type);`,
  'tributary/informatica': `import { informatica } from 'tributary/informatica';
const cih = informatica({ baseUrl: process.env.URL, username: process.env.USER, password: process.env.PASSWORD });
for await (const event of cih.events.list({ range: 'LAST_HOUR' })) console.log(event.id, event.type);`,
  'tributary/testing': `import { createEmulator } from 'tributary/testing';
const emulator = createEmulator('illumio', { events: 10 });
const server = await emulator.listen();
console.log(server.url);
await server.close();`,
};

/** The provider an app is about (the root app uses illumio), or `testing`. */
function subject(subpath: string): string {
  const name = subpath.split('/')[1];
  return name ?? 'illumio';
}

function packageOf(input: string): string {
  const parts = input.split('node_modules/')[1]?.split('/') ?? [];
  return (parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1] ?? ''}` : parts[0]) ?? input;
}

/** The packages tributary depends on (and their subpaths): external when measuring its own code. */
function dependencyNames(): string[] {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
  const names = Object.keys({ ...manifest['dependencies'], ...manifest['peerDependencies'] });
  return names.flatMap((name) => [name, `${name}/*`]);
}

const OPTIONAL_PEERS = ['msw', 'msw/node', 'ioredis', 'redis'];

/** The source file of each subpath (what `tsup.config.ts` builds it from). */
const SOURCES: Record<string, string> = {
  tributary: 'src/index.ts',
  'tributary/testing': 'src/testing/index.ts',
  ...Object.fromEntries(PROVIDERS.map((name) => [`tributary/${name}`, `src/providers/${name}/index.ts`])),
};

/** Resolves `tributary` and `tributary/*` to the built package or to the sources. */
function tributaryResolver(from: 'build' | 'sources'): Plugin {
  return {
    name: 'tributary',
    setup(builder) {
      builder.onResolve({ filter: /^tributary(\/[a-z]+)?$/ }, ({ path }) => {
        const file =
          from === 'build' ? SUBPATHS.find(({ subpath }) => subpath === path)?.file : SOURCES[path];
        if (file === undefined) return { errors: [{ text: `unknown subpath ${path}` }] };
        return { path: from === 'build' ? join(BUILT, file) : join(ROOT, file) };
      });
    },
  };
}

async function bundle(entry: string, from: 'build' | 'sources', ownOnly: boolean): Promise<{ code: Uint8Array; metafile: Metafile }> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    minify: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    metafile: true,
    plugins: [tributaryResolver(from)],
    external: ownOnly ? [...dependencyNames(), ...OPTIONAL_PEERS] : OPTIONAL_PEERS,
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error(`esbuild produced nothing for ${entry}`);
  return { code: output.contents, metafile: result.metafile };
}

export async function bundleSize(log: (line: string) => void): Promise<BundleSizeResult[]> {
  const apps = join(CACHE, 'apps');
  mkdirSync(apps, { recursive: true });
  const results: BundleSizeResult[] = [];
  for (const [subpath, source] of Object.entries(APPS)) {
    const entry = join(apps, `${subpath.replace('/', '-')}.mjs`);
    writeFileSync(entry, `${source}\n`);
    const full = await bundle(entry, 'build', false);
    // The built package carries its own copy of zod (cold import), so its own code is measured from the
    // sources, with every dependency external: what tributary adds to an app beyond them.
    const own = await bundle(entry, 'sources', true);
    const sources = await bundle(entry, 'sources', false);
    const dependencies: Record<string, number> = {};
    const foreign: string[] = [];
    const about = subject(subpath);
    const ownFiles: Record<string, number> = {};
    for (const output of Object.values(sources.metafile.outputs)) {
      for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
        if (input.includes('tributary-bench/apps/')) continue;
        if (input.includes('node_modules/')) {
          const name = packageOf(input);
          dependencies[name] = (dependencies[name] ?? 0) + bytesInOutput;
          continue;
        }
        const file = relative(ROOT, join(process.cwd(), input));
        ownFiles[file] = (ownFiles[file] ?? 0) + bytesInOutput;
        // The testing subpath is made of every provider's emulator: nothing is foreign to it.
        if (about === 'testing' || bytesInOutput === 0) continue;
        const other = PROVIDERS.some((name) => name !== about && file.startsWith(`src/providers/${name}/`));
        if (other || file.startsWith('src/testing/')) foreign.push(file);
      }
    }
    const largest = Object.fromEntries(Object.entries(ownFiles).sort((a, b) => b[1] - a[1]).slice(0, 8));
    const result: BundleSizeResult = {
      subpath,
      minifiedBytes: full.code.byteLength,
      gzipBytes: gzipSync(full.code, { level: 9 }).byteLength,
      ownMinifiedBytes: own.code.byteLength,
      ownGzipBytes: gzipSync(own.code, { level: 9 }).byteLength,
      dependencies,
      ownFiles: largest,
      foreign,
    };
    results.push(result);
    const deps = Object.entries(dependencies)
      .sort((a, b) => b[1] - a[1])
      .map(([name, bytes]) => `${name} ${(bytes / 1024).toFixed(0)}`)
      .join(', ');
    log(
      `  ${subpath.padEnd(22)} app ${(result.gzipBytes / 1024).toFixed(1).padStart(6)} KiB gz (${(result.minifiedBytes / 1024).toFixed(0)} KiB min); ` +
        `tributary ${(result.ownGzipBytes / 1024).toFixed(1)} KiB gz; deps (KiB min): ${deps}` +
        (foreign.length > 0 ? `; FOREIGN: ${foreign.join(', ')}` : ''),
    );
  }
  return results;
}
