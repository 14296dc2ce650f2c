/**
 * A Redis-shared limiter whose server fails the TLS handshake (a plain server reached with `tls`, a
 * certificate the client does not trust): something answered, so the request fails at once with the
 * TLS failure, not after `connectTimeout` as a server that does not answer; the password is nowhere in
 * the error. redis-server itself answers a handshake with nothing: that error says TLS may be why.
 */
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isNetworkError } from '../../src/core/errors.js';
import { hasRedisServer, perTestCleanups } from './helpers/redis-server.js';
import { sharedLimiterOutcome } from './helpers/redis-outcome.js';
import { startTlsProxy } from './helpers/tls-proxy.js';

const { cleanups, redisServer } = perTestCleanups();
const PASSWORD = 'tls-secret-8163';

const outcome = (clientOptions: Record<string, unknown>): Promise<unknown> => sharedLimiterOutcome(cleanups, clientOptions, 10_000);

function expectTlsFailure(error: unknown, reason: RegExp): void {
  expect(isNetworkError(error), String(error)).toBe(true);
  expect((error as Error).message).toMatch(/Redis server of the shared rate limit \(127\.0\.0\.1:\d+\) failed the TLS handshake/);
  expect((error as Error).message).toMatch(reason);
  expect(inspect(error, { depth: 10 })).not.toContain(PASSWORD);
}

describe('a shared limiter whose Redis server fails the TLS handshake', () => {
  it('a plain server reached with tls fails the request at once, naming the TLS failure', async () => {
    // One that answers the handshake in plain text, as a proxy does. redis-server 7.0 answers nothing
    // until a line ends, and a handshake has no line end: that server did not answer.
    const plain = createServer((socket) => socket.once('data', () => socket.end('-ERR unknown command\r\n')));
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => plain.close(resolve)));
    const { port } = plain.address() as AddressInfo;
    expectTlsFailure(await outcome({ host: '127.0.0.1', port, password: PASSWORD, tls: {} }), /wrong version number \(ERR_SSL_WRONG_VERSION_NUMBER\)$/);
  }, 60_000);

  it.runIf(hasRedisServer())('a real redis-server reached with tls answers nothing: the error after connectTimeout says it may not speak TLS', async () => {
    const redis = await redisServer();
    const error = await sharedLimiterOutcome(cleanups, { host: '127.0.0.1', port: redis.port, password: PASSWORD, tls: {} }, 10_000, 500);
    expect(isNetworkError(error), String(error)).toBe(true);
    expect((error as Error).message).toMatch(/\(127\.0\.0\.1:\d+\) did not answer within 500 ms: reached with `tls`, a server that does not speak TLS answers nothing either$/);
    expect(inspect(error, { depth: 10 })).not.toContain(PASSWORD);
  }, 60_000);

  it('without tls, a server that does not answer is not said to lack TLS', async () => {
    const held = new Set<Socket>();
    const silent = createServer((socket) => held.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => silent.close(resolve)), () => held.forEach((socket) => socket.destroy()));
    const { port } = silent.address() as AddressInfo;
    const error = await sharedLimiterOutcome(cleanups, { host: '127.0.0.1', port }, 10_000, 500);
    expect((error as Error).message).toMatch(/\(127\.0\.0\.1:\d+\) did not answer within 500 ms$/);
  }, 60_000);

  it.runIf(hasRedisServer())('a certificate the client does not trust fails it at once; trusted, the request is sent', async () => {
    const redis = await redisServer();
    const proxy = await startTlsProxy(redis.port);
    cleanups.push(() => proxy.close());
    const tls = { servername: 'localhost' };
    expectTlsFailure(await outcome({ host: '127.0.0.1', port: proxy.port, password: PASSWORD, tls }), /self-signed certificate\b.*\(DEPTH_ZERO_SELF_SIGNED_CERT\)$/);
    expect(await outcome({ host: '127.0.0.1', port: proxy.port, tls: { ...tls, ca: proxy.cert } })).toBe(200);
  }, 60_000);
});
