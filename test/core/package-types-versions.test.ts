/**
 * `typesVersions` mirrors the subpaths of `exports`: TypeScript's old `node10` resolution (what
 * `module: commonjs` implies) reads only `typesVersions`, so a subpath missing there has no types for
 * such a project (README, "Use"; test/smoke/pack.sh compiles one against the packed tarball).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface Manifest {
  exports: Record<string, string | { import: { types: string } }>;
  typesVersions: Record<string, Record<string, string[]>>;
}

const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as Manifest;

describe('typesVersions', () => {
  it('maps every subpath of exports to its declarations, and nothing else', () => {
    const subpaths = Object.entries(manifest.exports).flatMap(([key, target]) =>
      key === '.' || typeof target === 'string' ? [] : [[key.slice(2), [target.import.types]] as const],
    );
    expect(subpaths.length).toBeGreaterThanOrEqual(7);
    expect(manifest.typesVersions).toEqual({ '*': Object.fromEntries(subpaths) });
  });
});
