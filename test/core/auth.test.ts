import { afterEach, describe, expect, it, vi } from 'vitest';
import { scaledClock } from '../../src/core/clock.js';
import { AuthenticationError } from '../../src/core/errors.js';
import type { Auth } from '../../src/core/request.js';
import { client, json, rejection, startServer, type TestServer } from './helpers/server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A token auth whose token can be swapped by `refresh`, like a Keystone login. */
function rotating(first: string, next: string | undefined) {
  let token = first;
  const refresh = vi.fn(async () => {
    if (next === undefined) return false;
    token = next;
    return true;
  });
  const headers = vi.fn(() => ({ 'x-auth-token': token }));
  const auth: Auth = { key: `rot-${Math.random()}`, headers, refresh };
  return { auth, refresh, headers };
}

/** Accepts only `valid`; anything else is a 401. */
async function acceptOnly(valid: string): Promise<TestServer> {
  return startServer((req, res) =>
    req.headers['x-auth-token'] === valid ? json(res, 200, { ok: true }) : json(res, 401, { error: { message: 'token expired' } }),
  );
}

describe('401 → refresh → resend once', () => {
  it('refreshes an expired token and resends with the new one', async () => {
    server = await acceptOnly('fresh');
    const { auth, refresh } = rotating('stale', 'fresh');
    const response = await client(server.url, {}, auth).http.request({ operation: 'op', method: 'GET', path: '/x' });
    expect(response.data).toEqual({ ok: true });
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(server.arrivals.map((a) => a.headers['x-auth-token'])).toEqual(['stale', 'fresh']);
  });

  it('also for a POST (a 401 was not processed)', async () => {
    server = await acceptOnly('fresh');
    const { auth } = rotating('stale', 'fresh');
    await client(server.url, {}, auth).http.request({ operation: 'op', method: 'POST', path: '/x', json: { a: 1 } });
    expect(server.arrivals.map((a) => a.body)).toEqual(['{"a":1}', '{"a":1}']);
  });

  it('resends only once: a second 401 is an AuthenticationError', async () => {
    server = await acceptOnly('never');
    const { auth, refresh } = rotating('stale', 'also-bad');
    const error = await rejection(client(server.url, {}, auth).http.request({ operation: 'op', method: 'GET', path: '/x' }));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).vendorMessage).toBe('token expired');
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(server.arrivals).toHaveLength(2);
  });

  it('does not resend when refresh obtains nothing', async () => {
    server = await acceptOnly('never');
    const { auth, refresh } = rotating('stale', undefined);
    await rejection(client(server.url, {}, auth).http.request({ operation: 'op', method: 'GET', path: '/x' }));
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(server.arrivals).toHaveLength(1);
  });

  it('without refresh, a 401 fails at once and is never retried', async () => {
    server = await acceptOnly('never');
    const auth: Auth = { key: 'plain', headers: () => ({ 'x-auth-token': 'x' }) };
    await rejection(client(server.url, { clock: scaledClock(0.001) }, auth).http.request({ operation: 'op', method: 'GET', path: '/x' }));
    expect(server.arrivals).toHaveLength(1);
  });

  it('asks the auth for headers before every attempt', async () => {
    server = await startServer((_req, res, _a, i) => (i < 2 ? json(res, 503, {}) : json(res, 200, {})));
    const { auth, headers } = rotating('t', 't');
    await client(server.url, { clock: scaledClock(0.0001) }, auth).http.request({ operation: 'op', method: 'GET', path: '/x' });
    expect(headers).toHaveBeenCalledTimes(3);
  });
});
