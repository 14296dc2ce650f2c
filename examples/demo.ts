/**
 * The demo: starts every built-in emulator on 127.0.0.1 and runs each example program against it,
 * printing what each collected. `npm start` runs this file.
 */
import * as testing from 'tributary/testing';
import type { ProviderName } from 'tributary';

const providers: ProviderName[] = ['socotra', 'tines', 'fujitsu', 'illumio', 'informatica'];

let failed = 0;
for (const provider of providers) {
  const { main } = (await import(`./${provider}.ts`)) as { main: (env: Record<string, string | undefined>) => Promise<string[]> };
  const demoEnv = testing[`${provider}DemoEnv`];
  const emulator = testing.createEmulator(provider, { seed: 7 });
  const server = await emulator.listen();
  const started = performance.now();
  try {
    const lines = await main(demoEnv(server.url));
    const ms = Math.round(performance.now() - started);
    console.log(`\n== ${provider} (emulator at ${server.url}, ${emulator.requests.length} requests, ${ms} ms)`);
    for (const line of lines) console.log(`   ${line}`);
  } catch (error) {
    failed += 1;
    console.error(`\n== ${provider} FAILED: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  } finally {
    await server.close();
  }
}
console.log(failed === 0 ? '\nAll examples ran against the built-in emulators.' : `\n${failed} example(s) failed.`);
process.exitCode = failed === 0 ? 0 : 1;
