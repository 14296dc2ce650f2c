/**
 * The `@example` of `socotraEmulator` runs as written, with only what `tributary/testing` and
 * `tributary/socotra` export in scope: an example naming a helper that does not exist misleads
 * whoever copies it.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import * as socotraExports from '../../../src/providers/socotra/index.js';
import * as testingExports from '../../../src/testing/index.js';

/** The code of the `@example` in the JSDoc right above `export const socotraEmulator`. */
async function example(): Promise<string> {
  const source = await readFile(new URL('../../../src/providers/socotra/emulator.ts', import.meta.url), 'utf8');
  const doc = /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*export const socotraEmulator\b/.exec(source)?.[1];
  const code = doc?.split('@example')[1];
  if (code === undefined) throw new Error('socotraEmulator has no @example');
  return code.replace(/^\s*\* ?/gm, '').trim();
}

describe('socotraEmulator @example', () => {
  it('runs with the package exports and gives a client that reads the emulator', async () => {
    const scope: Record<string, unknown> = { ...testingExports, ...socotraExports };
    type Compiled = (...values: unknown[]) => Promise<unknown>;
    const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => Compiled;
    const run = new AsyncFunction(...Object.keys(scope), `${await example()}\nreturn { server, client };`);
    const { server, client } = (await run(...Object.values(scope))) as {
      server: { close(): Promise<void> };
      client: ReturnType<typeof socotraExports.socotra>;
    };
    try {
      expect(await client.events.list().toArray()).toHaveLength(120);
    } finally {
      await server.close();
    }
  });
});
