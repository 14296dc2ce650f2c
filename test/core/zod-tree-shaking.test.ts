import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

// `import { z } from 'zod'` hands the bundler zod's whole namespace as one object, so nothing of it can
// be dropped: every locale (40 languages) and all of JSON Schema came along, 485 KiB of the provider
// chunk and half of its cold import. `import * as z from 'zod'` lets it keep what the schemas use.
describe('zod in a provider bundle', () => {
  it('carries English messages only, not the other locales', async () => {
    const result = await build({
      entryPoints: [new URL('../../src/providers/illumio/index.ts', import.meta.url).pathname],
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'node',
      write: false,
      external: ['ky', 'p-retry', 'bottleneck'],
      logLevel: 'silent',
    });
    const code = result.outputFiles.map((file) => file.text).join('\n');
    expect(code).toContain('Invalid input'); // zod's English messages are there
    expect(code).not.toContain('Nieprawid'); // its Polish ones are not
    expect(code).not.toContain('Ung\\xFCltig'); // nor its German ones
    expect(code.length).toBeLessThan(250_000); // 540 KB with the whole namespace
  });
});
