/**
 * A body declared `Content-Encoding: gzip` (or `br`, `deflate`) but sent as it is: fetch fails to
 * decode it. The error says so, naming the declared encoding; an error status keeps its typed error,
 * its status and request id, and a success is a typed error that is not retried, as a body over
 * `maxResponseSize` is not: the same request brings the same body.
 */
import { gzipSync } from 'node:zlib';
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpError, NetworkError, NotFoundError, isNetworkError } from '../../src/core/errors.js';
import { client, rejection, startServer, type TestServer } from './helpers/server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const get = { operation: 'events.list', method: 'GET' as const };
const PLAIN = JSON.stringify({ message: 'plain, not compressed' });
const retry = { retries: 2, minDelay: 1, maxDelay: 1 };

function mislabelled(res: ServerResponse, status: number, encoding = 'gzip'): void {
  res.writeHead(status, { 'content-type': 'application/json', 'content-encoding': encoding, 'x-request-id': 'req-7' });
  res.end(PLAIN);
}

describe('a body that does not decode as its Content-Encoding declares', () => {
  it('of an error status: the HttpError of the status, saying the body could not be decoded, request id kept', async () => {
    server = await startServer((_req, res) => mislabelled(res, 404));
    const error = await rejection(client(server.url, { retry }).http.request({ ...get, path: '/x' }));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ status: 404, requestId: 'req-7', provider: 'tines', operation: 'events.list' });
    expect((error as Error).message).toBe(
      `events.list: GET ${server.url}/x returned 404 Not Found (request id req-7); its body could not be decoded as the gzip its Content-Encoding declares (incorrect header check)`,
    );
    expect(((error as Error).cause as NodeJS.ErrnoException).code).toBe('Z_DATA_ERROR');
    expect(server.arrivals).toHaveLength(1);
  });

  it('of a retried status: retried as that status is, and the last one says so', async () => {
    server = await startServer((_req, res) => mislabelled(res, 503, 'br'));
    const error = await rejection(client(server.url, { retry }).http.request({ ...get, path: '/x' }));
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: 503, requestId: 'req-7' });
    expect((error as Error).message).toMatch(/returned 503 Service Unavailable \(request id req-7\); its body could not be decoded as the br its Content-Encoding declares/);
    expect(server.arrivals).toHaveLength(3);
  });

  it('of a success: a NetworkError naming the status, the encoding and the request id, not retried', async () => {
    server = await startServer((_req, res) => mislabelled(res, 200));
    const error = await rejection(client(server.url, { retry }).http.request({ ...get, path: '/x' }));
    expect(error).toBeInstanceOf(NetworkError);
    expect(isNetworkError(error)).toBe(true);
    expect((error as Error).message).toBe(
      `events.list: GET ${server.url}/x answered 200 OK (request id req-7), but its body could not be decoded as the gzip its Content-Encoding declares (incorrect header check)`,
    );
    expect(((error as Error).cause as NodeJS.ErrnoException).code).toBe('Z_DATA_ERROR');
    expect(server.arrivals).toHaveLength(1);
  });

  it('leaves a compressed body that breaks off a network failure, retried', async () => {
    const packed = gzipSync(JSON.stringify({ data: 'x'.repeat(100_000) }));
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(packed.byteLength) });
      res.write(packed.subarray(0, 20), () => res.destroy());
    });
    const error = await rejection(client(server.url, { retry }).http.request({ ...get, path: '/x' }));
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as Error).message).not.toMatch(/could not be decoded/);
    expect(server.arrivals).toHaveLength(3);
  });
});
