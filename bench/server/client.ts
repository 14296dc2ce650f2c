/**
 * The benchmark's side of the emulator server: forks `main.ts` and sends it commands, one at a time.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Command, Reply, ServerRateLimit, ServerStats, StartCommand } from './protocol.js';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

export interface ServerHandle {
  /** Creates the emulator and serves it; resolves with its base URL. */
  start(command: Omit<StartCommand, 'type'>): Promise<{ url: string; setupMs: number }>;
  configure(latencyMs: number, rateLimit?: ServerRateLimit | false): Promise<void>;
  stats(reset?: boolean): Promise<ServerStats>;
  stop(): Promise<void>;
}

export function spawnServer(): ServerHandle {
  const child: ChildProcess = fork(MAIN, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let chain: Promise<unknown> = Promise.resolve();

  const send = (command: Command): Promise<Reply> => {
    const exchange = chain.then(
      () =>
        new Promise<Reply>((resolve, reject) => {
          const onExit = (code: number | null) => reject(new Error(`the benchmark server exited (${String(code)}) during "${command.type}"`));
          child.once('exit', onExit);
          child.once('message', (reply: Reply) => {
            child.off('exit', onExit);
            if (reply.type === 'error') reject(new Error(`benchmark server: ${reply.message}`));
            else resolve(reply);
          });
          child.send(command);
        }),
    );
    chain = exchange.catch(() => undefined);
    return exchange;
  };

  return {
    async start(command) {
      const reply = await send({ type: 'start', ...command });
      if (reply.type !== 'started') throw new Error(`unexpected reply ${reply.type}`);
      return { url: reply.url, setupMs: reply.setupMs };
    },
    async configure(latencyMs, rateLimit = false) {
      await send({ type: 'configure', latencyMs, rateLimit });
    },
    async stats(reset = true) {
      const reply = await send({ type: 'stats', reset });
      if (reply.type !== 'stats') throw new Error(`unexpected reply ${reply.type}`);
      return reply.stats;
    },
    async stop() {
      if (child.exitCode !== null || !child.connected) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      await send({ type: 'stop' });
      await exited;
    },
  };
}
