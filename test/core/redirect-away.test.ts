/**
 * A vendor's client redirected away from its base URL's origin over real sockets: to another port of
 * the same host, to another name of it (`localhost` for `127.0.0.1`), to another loopback address, and
 * as a protocol-relative `Location`, for each of 301, 302, 303, 307 and 308. The redirect is refused
 * as an `HttpError` of its status, and the other server receives no connection at all, so no credential.
 */
import { createServer, type Server } from 'node:net';
import { createServer as createHttpServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpError } from '../../src/core/errors.js';
import { tines } from '../../src/providers/tines/index.js';
import { DEFAULT_TINES_CREDENTIAL } from '../../src/providers/tines/emulator.js';

/** Connections the other server accepted, each one a request that could have carried the token. */
let accepted = 0;
let other: Server;
let port = 0;
beforeAll(async () => {
  other = createServer((socket) => {
    accepted += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => other.listen(0, '0.0.0.0', resolve));
  port = (other.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((resolve) => other.close(() => resolve())));

const STATUSES = [301, 302, 303, 307, 308] as const;
const TARGETS: Record<string, (path: string) => string> = {
  'another port of the same host': (path) => `http://127.0.0.1:${port}${path}`,
  'another name of the host': (path) => `http://localhost:${port}${path}`,
  'another loopback address': (path) => `http://127.0.0.2:${port}${path}`,
  'a protocol-relative URL': (path) => `//localhost:${port}${path}`,
};

describe.each(STATUSES)('a %i redirect away from the origin', (status) => {
  it.each(Object.keys(TARGETS))('to %s is refused; the other server receives nothing', async (target) => {
    const redirector = createHttpServer((req, res) => {
      res.writeHead(status, { location: (TARGETS[target] as (path: string) => string)(req.url ?? '/') });
      res.end();
    });
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
    try {
      const client = tines({
        baseUrl: `http://127.0.0.1:${(redirector.address() as { port: number }).port}`,
        token: DEFAULT_TINES_CREDENTIAL.key,
        rateLimit: false,
        timeout: 2_000,
        retry: { retries: 2, minDelay: 1, maxDelay: 1 },
      });
      const before = accepted;
      const error = await client.events.get('7').then(() => undefined, (failure: unknown) => failure);
      expect(error).toBeInstanceOf(HttpError);
      expect(error).toMatchObject({ status });
      expect((error as Error).message).toMatch(/redirected to another origin \(http:\/\/(?:127\.0\.0\.[12]|localhost):\d+\); the redirect was refused/);
      expect((error as Error).message).not.toContain(DEFAULT_TINES_CREDENTIAL.key);
      expect(accepted - before).toBe(0);
    } finally {
      redirector.closeAllConnections();
      await new Promise<void>((resolve) => redirector.close(() => resolve()));
    }
  });
});
