/**
 * The demo: starts every built-in emulator on 127.0.0.1 and runs each example program against it,
 * printing what each collected. `npm start` runs this file.
 */
import { createEmulator } from 'tributary/testing';
import type { ProviderName } from 'tributary';

interface Example {
  provider: ProviderName;
  main: (env: Record<string, string | undefined>) => Promise<string[]>;
  demoEnv: (url: string) => Record<string, string>;
}

const examples: Array<() => Promise<Example>> = [
  async () => ({
    provider: 'socotra',
    main: (await import('./socotra.js')).main,
    demoEnv: (await import('../src/providers/socotra/emulator.js')).demoEnv,
  }),
  async () => ({
    provider: 'tines',
    main: (await import('./tines.js')).main,
    demoEnv: (await import('../src/providers/tines/emulator.js')).demoEnv,
  }),
  async () => ({
    provider: 'fujitsu',
    main: (await import('./fujitsu.js')).main,
    demoEnv: (await import('../src/providers/fujitsu/emulator.js')).demoEnv,
  }),
  async () => ({
    provider: 'illumio',
    main: (await import('./illumio.js')).main,
    demoEnv: (await import('../src/providers/illumio/emulator.js')).demoEnv,
  }),
  async () => ({
    provider: 'informatica',
    main: (await import('./informatica.js')).main,
    demoEnv: (await import('../src/providers/informatica/emulator.js')).demoEnv,
  }),
];

let failed = 0;
for (const load of examples) {
  const example = await load();
  const emulator = createEmulator(example.provider, { seed: 7 });
  const server = await emulator.listen();
  const started = performance.now();
  try {
    const lines = await example.main(example.demoEnv(server.url));
    const ms = Math.round(performance.now() - started);
    console.log(`\n== ${example.provider} (emulator at ${server.url}, ${emulator.requests.length} requests, ${ms} ms)`);
    for (const line of lines) console.log(`   ${line}`);
  } catch (error) {
    failed += 1;
    console.error(`\n== ${example.provider} FAILED: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  } finally {
    await server.close();
  }
}
console.log(failed === 0 ? '\nAll examples ran against the built-in emulators.' : `\n${failed} example(s) failed.`);
process.exitCode = failed === 0 ? 0 : 1;
