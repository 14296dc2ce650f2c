/**
 * Answers far beyond `maxResponseSize` over a real socket, with and without `Content-Length`, plain
 * and gzip-compressed, and one that never ends: each is a `NetworkError` saying so, not retried (the
 * same request brings the same body), and the client stops reading: the server sees its connection
 * closed rather than writing on into it.
 */
import { createServer, type ServerResponse } from 'node:http';
import { constants, createGzip } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { NetworkError } from '../../src/core/errors.js';
import { tines } from '../../src/providers/tines/index.js';
import { DEFAULT_TINES_CREDENTIAL } from '../../src/providers/tines/emulator.js';

const CAP = 64 * 1024;
/** Far beyond the cap: what a server that does not stop would send. */
const HUGE = 256 * 1024 * 1024;
const PIECE = Buffer.alloc(64 * 1024, 0x20);

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

/** Writes `total` bytes of spaces to `out` as fast as it drains, until it is closed. */
function pour(out: NodeJS.WritableStream & { destroyed?: boolean }, total: number): void {
  let left = total;
  const more = (): void => {
    while (left > 0 && !out.destroyed) {
      left -= PIECE.length;
      if (!out.write(PIECE)) return void out.once('drain', more);
    }
    if (left <= 0) out.end();
  };
  more();
}

type Form = 'plain, with its length' | 'plain, chunked' | 'plain, without end' | 'gzip, chunked';

function answer(res: ServerResponse, form: Form): void {
  const head = { 'content-type': 'application/json' };
  if (form === 'plain, with its length') {
    res.writeHead(200, { ...head, 'content-length': String(HUGE) });
    return pour(res, HUGE);
  }
  if (form === 'gzip, chunked') {
    res.writeHead(200, { ...head, 'content-encoding': 'gzip' });
    const gzip = createGzip({ level: constants.Z_BEST_SPEED });
    gzip.pipe(res);
    res.once('close', () => gzip.destroy());
    return pour(gzip, HUGE);
  }
  res.writeHead(200, head);
  pour(res, form === 'plain, without end' ? Number.POSITIVE_INFINITY : HUGE);
}

describe('an answer far beyond maxResponseSize', () => {
  it.each<Form>(['plain, with its length', 'plain, chunked', 'plain, without end', 'gzip, chunked'])('%s: a NetworkError, not retried, its connection closed', async (form) => {
    let requests = 0;
    const closed: Array<Promise<void>> = [];
    const server = createServer((req, res) => {
      requests += 1;
      closed.push(new Promise((resolve) => res.once('close', () => resolve())));
      answer(res, form);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    close = () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    const client = tines({
      baseUrl: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
      token: DEFAULT_TINES_CREDENTIAL.key,
      rateLimit: false,
      maxResponseSize: CAP,
      timeout: 10_000,
      retry: { retries: 2, minDelay: 1, maxDelay: 1 },
    });
    const error = await client.events.get('7').then(() => undefined, (failure: unknown) => failure);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as Error).message).toMatch(form === 'plain, with its length' ? /declares 268435456 bytes, more than maxResponseSize \(65536 bytes\)$/ : /exceeds maxResponseSize \(65536 bytes\)$/);
    expect(requests).toBe(1);
    // Ends once the client has let the answer go: a body read on would hold the test to its timeout.
    await Promise.all(closed);
  });
});
