/**
 * A redis-server for the tests that share a limit across processes: started on a port of its own,
 * stopped, frozen or started again. The tests that need one are skipped where none is installed.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { Socket } from 'node:net';
import { Redis } from 'ioredis';
import { afterEach } from 'vitest';
import type { RedisRateLimitOptions } from '../../../src/core/rate-limit/redis.js';

function randomPort(): number {
  return 20_000 + Math.floor(Math.random() * 20_000);
}

export function hasRedisServer(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A redis-server of one test: started, stopped, started again on the same port. */
export class RedisServer {
  #port = randomPort();
  #process: ChildProcess | undefined;

  get port(): number {
    return this.#port;
  }

  /**
   * Starts the server and checks that what answers on its port is this server: test files run in
   * parallel, and one that picked the same port (and froze its server) would make this one hang.
   */
  async start(): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const server = spawn('redis-server', ['--port', String(this.#port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
      this.#process = server;
      if ((await this.#listening(server)) && (await this.#answersAs(server.pid))) return;
      await this.kill();
      if (this.#process === server && server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
      this.#port = randomPort();
    }
    throw new Error('redis-server did not start');
  }

  /** Whether the port takes connections; not once `server` has exited (it could not bind the port, say). */
  async #listening(server: ChildProcess): Promise<boolean> {
    for (let i = 0; i < 200; i += 1) {
      if (server.exitCode !== null || server.signalCode !== null) return false;
      const ok = await new Promise<boolean>((resolve) => {
        const socket = new Socket();
        socket.once('connect', () => (socket.destroy(), resolve(true)));
        socket.once('error', () => resolve(false));
        socket.connect(this.#port, '127.0.0.1');
      });
      if (ok) return true;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return false;
  }

  /** Whether the server on the port is the process `pid`. */
  async #answersAs(pid: number | undefined): Promise<boolean> {
    const client = new Redis({ host: '127.0.0.1', port: this.#port, lazyConnect: true, connectTimeout: 2_000, commandTimeout: 2_000, maxRetriesPerRequest: 0 });
    try {
      await client.connect();
      const info = await client.info('server');
      return new RegExp(`^process_id:${pid}\\r?$`, 'm').test(info);
    } catch {
      return false;
    } finally {
      client.disconnect();
    }
  }

  /** Ends the server as a crash would; resolves once it is gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const server = this.#process;
    if (!server || server.exitCode !== null || server.signalCode !== null) return;
    server.kill('SIGCONT');
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill(signal);
    await exited;
  }

  /** Stops the server without closing its connections: it no longer answers. */
  freeze(): void {
    this.#process?.kill('SIGSTOP');
  }

  options(extra: RedisRateLimitOptions = {}): RedisRateLimitOptions {
    return { clientOptions: { host: '127.0.0.1', port: this.port }, ...extra };
  }

  /** A plain connection, to look at or change what the limiters keep. */
  connect(): Redis {
    return new Redis({ host: '127.0.0.1', port: this.port, lazyConnect: false });
  }
}

/**
 * What a test file registers to be undone after each test (run newest first), and a redis-server of
 * the test's own, stopped among them.
 */
export function perTestCleanups(): { cleanups: Array<() => unknown>; redisServer(): Promise<RedisServer> } {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return {
    cleanups,
    async redisServer() {
      const server = new RedisServer();
      cleanups.push(() => server.kill());
      await server.start();
      return server;
    },
  };
}
