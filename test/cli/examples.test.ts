/**
 * The examples as a user runs them beside the CLI: their own variables must stay out of the CLI's
 * `TRIBUTARY_<PROVIDER>_*` namespace, and they must run from any path.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ProviderName } from '../../src/core/event.js';
import { run } from '../../src/cli/main.js';
import * as testing from '../../src/testing/index.js';

const examples = fileURLToPath(new URL('../../examples/', import.meta.url));
const providers: ProviderName[] = ['socotra', 'tines', 'fujitsu', 'illumio', 'informatica'];

async function cli(argv: string[], env: NodeJS.ProcessEnv) {
  const stderr: string[] = [];
  const errors = new PassThrough().on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const code = await run(argv, { stdout: new PassThrough().resume(), stderr: errors, env, signal: new AbortController().signal });
  return { code, stderr: stderr.join('') };
}

describe('examples beside the CLI', () => {
  it.each(providers)('%s: no variable the example reads or prints is an unknown option to a later `tributary pull`', async (provider) => {
    const emulator = testing.createEmulator(provider, { seed: 7, events: 20 });
    const server = await emulator.listen();
    try {
      const env = testing[`${provider}DemoEnv`](server.url);
      const { main } = (await import(join(examples, `${provider}.ts`))) as { main: (env: NodeJS.ProcessEnv) => Promise<string[]> };
      const [, name = '', cursor = ''] = /resume with (\w+)=(\S+)/.exec((await main(env)).join('\n')) ?? [];
      expect(name).not.toBe('');
      // Each variable the example reads beyond the demo's, set as a user following its header would; one
      // at a time, so that one the factory refuses for another reason cannot hide an unknown one.
      const read = [...(await readFile(join(examples, `${provider}.ts`), 'utf8')).matchAll(/env\['(\w+)'\]/g)].map(([, variable]) => variable ?? '');
      const optional = read.filter((variable) => !(variable in env) && variable !== name).map((variable) => ({ [variable]: '1' }));
      for (const extra of [{ [name]: cursor }, ...optional]) {
        const { stderr } = await cli(['pull', provider, '--limit', '1'], { ...env, ...extra });
        // Refused as unknown, in the factory's words or the CLI's hint for them.
        expect(stderr).not.toMatch(/unknown option|remove or correct/);
      }
    } finally {
      await server.close();
    }
  });

  it('runs an example whose path needs URL-encoding', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tributary examples '));
    try {
      const script = join(dir, 'probe.ts');
      await writeFile(script, `import { runIfMain } from ${JSON.stringify(join(examples, 'run.ts'))};\nrunIfMain(import.meta, async () => ['ran']);\n`);
      const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(0);
      expect(stdout).toBe('ran\n');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
