/**
 * `tributary emulate <provider>`: serves the built-in emulator on 127.0.0.1 and prints, as one JSON
 * line, its URL and the `TRIBUTARY_*` environment a client needs to talk to it, so a shell pipeline or
 * a test suite in another language can run against a faithful fake of the vendor.
 */
import { once } from 'node:events';
import { isConfigurationError } from '../core/errors.js';
import { integerFlag, UsageError, type ParsedArgs } from './args.js';
import { writeStdout } from './output.js';
import type { CliIo } from './pull.js';
import { providerOf } from './providers.js';

export async function emulate(name: string, args: ParsedArgs, io: CliIo): Promise<number> {
  const provider = providerOf(name);
  const port = integerFlag(args, 'port');
  if (port !== undefined && port > 65_535) throw new UsageError(`--port must be at most 65535, got ${port}`);
  const testing = await import('../testing/index.js');
  const { UNRECORDED_REQUESTS } = await import('../testing/options.js');
  const seed = integerFlag(args, 'seed');
  const events = integerFlag(args, 'events');
  const emulator = emulatorOf(() =>
    testing.createEmulator(provider, {
      ...(seed === undefined ? {} : { seed }),
      ...(events === undefined ? {} : { events }),
      // Nobody reads them here, and the server may run for days.
      [UNRECORDED_REQUESTS]: true,
    }),
  );
  const server = await emulator.listen({ port: port ?? 0 });
  const env = testing[`${provider}DemoEnv`](server.url);
  try {
    // An emulator whose address nobody was told serves nobody: one whose line stdout refused (a full
    // disk under `> emulator.json`) ends, where it served on while its caller waited for the line.
    if (!(await writeStdout(io.stdout, `${JSON.stringify({ provider, url: server.url, env })}\n`))) return 0;
    if (!io.signal.aborted) await once(io.signal, 'abort');
    return 0;
  } finally {
    await server.close();
  }
}

/**
 * The emulator; a `--seed` or `--events` it refuses (`--events 60000`, past its most) is a mistake in
 * the command line, as `--port 99999` is, named by its flag.
 */
function emulatorOf<T>(create: () => T): T {
  try {
    return create();
  } catch (error) {
    if (!isConfigurationError(error) || (error.option !== 'seed' && error.option !== 'events')) throw error;
    throw new UsageError(`${error.message} (from --${error.option})`);
  }
}
