/**
 * A connection refused (nothing listens on the port, a server restarting) carries no request: the
 * server cannot have applied it, nor counted it. So even a request that is not idempotent (Keystone's
 * login, which counts towards a lockout; Socotra's resume) is retried after it, its place in the rate
 * limiter given back, where an attempt whose connection was taken and then broke stays in doubt and
 * is not sent again. Real sockets on 127.0.0.1; `fetch`
 * is wrapped only to start the server once the first connection has been refused.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { NetworkError } from '../../src/core/errors.js';
import type { FetchFunction } from '../../src/core/fetch.js';
import { fujitsu } from '../../src/providers/fujitsu/index.js';
import { tines } from '../../src/providers/tines/index.js';
import { tinesEmulator, DEFAULT_TINES_CREDENTIAL } from '../../src/providers/tines/emulator.js';
import { DEFAULT_FUJITSU_TENANT, DEFAULT_FUJITSU_USER, fujitsuEmulator } from '../../src/providers/fujitsu/emulator.js';
import type { EmulatorServer } from '../../src/testing/types.js';
import { client, rejection } from './helpers/server.js';

const retry = { retries: 2, minDelay: 1, maxDelay: 1 };
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** A port of 127.0.0.1 nothing listens on (one just let go by the system). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** globalThis.fetch, which runs `start` once a connection has been refused and before the refusal is passed on. */
function startingOnRefusal(start: () => Promise<void>): FetchFunction {
  let started: Promise<void> | undefined;
  return async (url, init) => {
    try {
      return await globalThis.fetch(url, init);
    } catch (error) {
      if ((error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED') await (started ??= start());
      throw error;
    }
  };
}

describe('a connection refused', () => {
  it("is retried for Keystone's login, which is not idempotent: the listing completes, the login sent once", async () => {
    const port = await freePort();
    const emulator = fujitsuEmulator.create({ seed: 5, events: 30 });
    const origin = `http://127.0.0.1:${port}`;
    const fetch = startingOnRefusal(async () => {
      const server: EmulatorServer = await emulator.listen({ port });
      closers.push(() => server.close());
    });
    const retried: string[] = [];
    const events = fujitsu({
      baseUrl: origin,
      tenantId: DEFAULT_FUJITSU_TENANT,
      identity: { ...DEFAULT_FUJITSU_USER, url: origin },
      fetch,
      rateLimit: false,
      timeout: 5_000,
      retry,
      hooks: { onRetry: (info) => void retried.push(`${info.operation} ${info.reason}`) },
    });
    const listed = await events.events.list({ since: new Date(0) }).toArray();
    expect(listed).toHaveLength(30);
    expect(new Set(listed.map((event) => event.id)).size).toBe(30);
    expect(retried).toEqual(['auth.login network']);
    expect(emulator.requests.filter((request) => request.path === '/v3/auth/tokens')).toHaveLength(1);
  });

  it('gives its place in the rate limiter back: the vendor counted nothing, and the retry is not held for a window', async () => {
    const port = await freePort();
    const emulator = tinesEmulator.create({ seed: 5, events: 3, rateLimit: false });
    const fetch = startingOnRefusal(async () => {
      const server: EmulatorServer = await emulator.listen({ port });
      closers.push(() => server.close());
    });
    const events = tines({
      baseUrl: `http://127.0.0.1:${port}`,
      token: DEFAULT_TINES_CREDENTIAL.key,
      fetch,
      // One request an hour: a refused attempt that kept its place would hold the retry for that hour.
      rateLimit: { requests: 1, interval: 3_600_000 },
      retry,
    });
    const [first] = await events.events.list({ pageSize: 5 }).toArray();
    expect(first).toBeDefined();
    expect(emulator.requests).toHaveLength(1);
  });

  it('is retried for a POST that is not idempotent, as often as `retries` allows', async () => {
    const port = await freePort();
    const error = await rejection(client(`http://127.0.0.1:${port}`, { retry }).http.request({ operation: 'jobs.resume', method: 'POST', path: '/resume', json: { id: 1 } }));
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as Error).message).toMatch(/ECONNREFUSED.* after 3 attempts$/);
  });

  it('but one taken and then closed before any answer leaves the POST in doubt: it is not sent again', async () => {
    const sockets = new Set<Socket>();
    let requests = 0;
    const server: Server = createServer((socket) => {
      sockets.add(socket);
      socket.once('data', () => {
        requests += 1;
        socket.destroy();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }));
    const { port } = server.address() as { port: number };
    const error = await rejection(client(`http://127.0.0.1:${port}`, { retry }).http.request({ operation: 'jobs.resume', method: 'POST', path: '/resume', json: { id: 1 } }));
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as Error).message).not.toMatch(/after \d attempts/);
    expect(requests).toBe(1);
  });
});
