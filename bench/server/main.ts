/**
 * The benchmark's emulator server, run as a child process (`fork`) and driven over IPC: it creates the
 * emulator of `tributary/testing` that a scenario asks for and serves it over real HTTP on 127.0.0.1.
 */
import { scaledClock } from '../../src/core/clock.js';
import { createBenchEmulator } from './emulator.js';
import { startPageServer, type PageServer } from './page-server.js';
import type { Command, Reply, StartCommand } from './protocol.js';

let server: PageServer | undefined;

async function start(command: StartCommand): Promise<Reply> {
  const started = performance.now();
  const emulator = createBenchEmulator(command);
  await server?.close();
  // The server's limit runs on the real clock, scaled: windows must pass while the client waits.
  server = await startPageServer(emulator.handle, scaledClock(command.scale), command.cache);
  return { type: 'started', url: server.url, setupMs: performance.now() - started };
}

async function handle(command: Command): Promise<Reply> {
  switch (command.type) {
    case 'start':
      return start(command);
    case 'configure':
      if (!server) throw new Error('configure before start');
      server.configure(command.latencyMs, command.rateLimit);
      return { type: 'configured' };
    case 'stats':
      if (!server) throw new Error('stats before start');
      return { type: 'stats', stats: server.stats(command.reset) };
    case 'stop':
      await server?.close();
      server = undefined;
      return { type: 'stopped' };
  }
}

// The benchmark went away (finished, failed or was interrupted): nothing is left to serve.
process.on('disconnect', () => {
  void server?.close();
  process.exit(0);
});

process.on('message', (command: Command) => {
  handle(command).then(
    (reply) => process.send?.(reply, () => {
      // Leaving the IPC channel lets the process exit once its server is closed.
      if (reply.type === 'stopped') process.disconnect?.();
    }),
    (error: unknown) => process.send?.({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
