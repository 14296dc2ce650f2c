/**
 * A `100 Continue` the request did not ask for (fetch sends no `Expect: 100-continue`, and refuses
 * to) before the real answer: undici (Node 20 and 24) fails the request as a "bad response" and closes
 * the connection, and no setting of fetch makes it read on. The SDK names what happened, retries it as
 * the network error it is (a read; a bounded number of times), and never sends a re-emit again after it,
 * since the server had the request.
 */
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { scaledClock } from '../../src/core/clock.js';
import { isNetworkError, type NetworkError } from '../../src/core/errors.js';
import { tines } from '../../src/providers/tines/index.js';
import { DEFAULT_TINES_CREDENTIAL } from '../../src/providers/tines/emulator.js';

const PAGE = JSON.stringify({ events: [], meta: { current_page: null, previous_page: null, next_page: null, next_page_number: null, per_page: 100, pages: 1, count: 0 } });

interface ContinueServer {
  url: string;
  /** The request lines received, one per attempt. */
  requests: string[];
  close(): Promise<void>;
}

/** Answers its first `continues` requests with `100 Continue` before a page, the rest with the page alone. */
function startServer(continues: number): Promise<ContinueServer> {
  const requests: string[] = [];
  const server: Server = createServer((socket) => {
    socket.on('error', () => {});
    socket.once('data', (data) => {
      requests.push(String(data).split('\r\n', 1)[0] ?? '');
      const interim = requests.length <= continues ? 'HTTP/1.1 100 Continue\r\n\r\n' : '';
      const status = String(data).startsWith('POST') ? 'HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n' : `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${PAGE.length}\r\nConnection: close\r\n\r\n${PAGE}`;
      socket.end(interim + status);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((done) => server.close(() => done())) });
    }),
  );
}

let server: ContinueServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const client = (url: string, retries: number) =>
  tines({ baseUrl: url, token: DEFAULT_TINES_CREDENTIAL.key, clock: scaledClock(0.001), rateLimit: false, retry: { retries, minDelay: 1, maxDelay: 1 } });

describe('a 100 Continue the request did not ask for', () => {
  it('fails a read with a NetworkError that names it, after its retries, and no more', async () => {
    server = await startServer(Number.POSITIVE_INFINITY);
    const error = (await client(server.url, 2).events.list().toArray().catch((e: unknown) => e)) as NetworkError;
    expect(isNetworkError(error)).toBe(true);
    expect(error.message).toMatch(/100 Continue/);
    expect(error.message).toMatch(/did not ask for/);
    expect(server.requests).toHaveLength(3);
  });

  it('is retried on a read: the next attempt that gets a plain answer lists', async () => {
    server = await startServer(1);
    expect(await client(server.url, 2).events.list().toArray()).toEqual([]);
    expect(server.requests).toHaveLength(2);
  });

  it('is not retried on a re-emit, which the server had received', async () => {
    server = await startServer(Number.POSITIVE_INFINITY);
    const error = (await client(server.url, 2).events.reemit(2_000_000_001).catch((e: unknown) => e)) as NetworkError;
    expect(isNetworkError(error)).toBe(true);
    expect(error.message).toMatch(/100 Continue/);
    expect(server.requests).toEqual(['POST /api/v1/events/2000000001/reemit HTTP/1.1']);
  });
});
