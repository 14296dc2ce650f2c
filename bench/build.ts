/**
 * The package as users get it, built for the import and size scenarios: `tsup` with the project's own
 * config (declarations off, they do not load at run time) into a folder under `node_modules/.cache`,
 * where bare imports (`zod`, `ky`, ...) resolve as they would in an application.
 */
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runNode } from './child.js';

export const ROOT = join(import.meta.dirname, '..');
export const CACHE = join(ROOT, 'node_modules', '.cache', 'tributary-bench');
export const BUILT = join(CACHE, 'dist');

/** The public subpaths and the file each resolves to in the build (package.json `exports`). */
export const SUBPATHS: ReadonlyArray<{ subpath: string; file: string }> = [
  { subpath: 'tributary', file: 'index.js' },
  { subpath: 'tributary/socotra', file: 'providers/socotra/index.js' },
  { subpath: 'tributary/tines', file: 'providers/tines/index.js' },
  { subpath: 'tributary/fujitsu', file: 'providers/fujitsu/index.js' },
  { subpath: 'tributary/illumio', file: 'providers/illumio/index.js' },
  { subpath: 'tributary/informatica', file: 'providers/informatica/index.js' },
  { subpath: 'tributary/testing', file: 'testing/index.js' },
  { subpath: 'tributary/redis', file: 'redis/index.js' },
];

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) latest = Math.max(latest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return latest;
}

/** Builds unless the build is newer than every source file; resolves with the build's folder. */
export async function buildPackage(log: (line: string) => void): Promise<string> {
  const marker = join(BUILT, 'index.js');
  if (existsSync(marker) && statSync(marker).mtimeMs > Math.max(newest(join(ROOT, 'src')), statSync(join(ROOT, 'tsup.config.ts')).mtimeMs)) {
    return BUILT;
  }
  mkdirSync(CACHE, { recursive: true });
  const started = performance.now();
  const tsup = join(ROOT, 'node_modules', 'tsup', 'dist', 'cli-default.js');
  const result = await runNode(process.execPath, [tsup, '--config', join(ROOT, 'bench', 'tsup.config.ts')], {
    cwd: ROOT,
    env: { ...process.env, TRIBUTARY_BENCH_OUT_DIR: BUILT },
  });
  if (result.code !== 0) throw new Error(`tsup failed: ${result.stderr.slice(-2000)}`);
  log(`  built the package with tsup in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return BUILT;
}
