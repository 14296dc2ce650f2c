/**
 * Scenario 5: cold import time of each public subpath of the built package, each in a fresh Node
 * process (`performance.now()` around one dynamic `import()`, process start-up excluded), interleaved
 * over rounds, under every Node binary given. References: `zod` and `bottleneck` alone, and the
 * illumio subpath bundled by esbuild with its dependencies into one file (what bundling what you
 * import buys).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { BUILT, CACHE, SUBPATHS } from '../build.js';
import { lastJsonLine, runNode } from '../child.js';
import { summarize, type Summary } from '../stats.js';

export interface ColdImportSettings {
  rounds: number;
  /** Node binaries to measure under (the running one first). */
  nodes: readonly string[];
}

export interface ColdImportResult {
  node: string;
  nodeVersion: string;
  subpath: string;
  ms: Summary;
}

const SCRIPT = 'const s = performance.now(); await import(process.argv[1]); process.stdout.write(JSON.stringify({ ms: performance.now() - s }) + "\\n");';

/** One file with every dependency inlined, as an application bundler would make it. */
async function bundled(file: string, name: string): Promise<string> {
  const outfile = join(CACHE, 'bundled', `${name}.mjs`);
  mkdirSync(join(CACHE, 'bundled'), { recursive: true });
  await build({
    entryPoints: [join(BUILT, file)],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    minify: true,
    // CommonJS dependencies (bottleneck) call `require` for their own files and Node built-ins.
    banner: { js: 'import { createRequire as __cr } from "node:module"; const require = __cr(import.meta.url);' },
    external: ['msw', 'msw/node', 'ioredis', 'redis'],
    logLevel: 'silent',
  });
  return outfile;
}

export async function coldImport(settings: ColdImportSettings, log: (line: string) => void): Promise<ColdImportResult[]> {
  const targets: Array<{ subpath: string; url: string }> = [
    ...SUBPATHS.map(({ subpath, file }) => ({ subpath, url: pathToFileURL(join(BUILT, file)).href })),
    { subpath: 'zod (reference)', url: 'zod' },
    { subpath: 'bottleneck (reference)', url: 'bottleneck' },
    { subpath: 'tributary/illumio, bundled (reference)', url: pathToFileURL(await bundled('providers/illumio/index.js', 'illumio')).href },
  ];
  const results: ColdImportResult[] = [];
  for (const node of settings.nodes) {
    const version = (await runNode(node, ['--version'])).stdout.trim();
    const times = new Map<string, number[]>(targets.map((target) => [target.subpath, []]));
    // Round by round, every target once, so that a slow moment of the machine hits all of them alike.
    for (let round = 0; round < settings.rounds + 1; round++) {
      for (const target of targets) {
        const run = await runNode(node, ['--input-type=module', '-e', SCRIPT, target.url], { cwd: CACHE });
        const { ms } = lastJsonLine<{ ms: number }>(run, `importing ${target.subpath} under ${version}`);
        // The first round warms the file-system cache; the process itself is cold every time.
        if (round > 0) times.get(target.subpath)?.push(ms);
      }
    }
    for (const target of targets) {
      const result = { node, nodeVersion: version, subpath: target.subpath, ms: summarize(times.get(target.subpath) ?? []) };
      results.push(result);
      log(`  ${version.padEnd(9)} ${target.subpath.padEnd(40)} ${result.ms.median.toFixed(1).padStart(6)} ms [${result.ms.min.toFixed(1)}-${result.ms.max.toFixed(1)}]`);
    }
  }
  return results;
}
