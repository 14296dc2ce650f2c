import { afterEach, describe, expect, it, vi } from 'vitest';
import { scaledClock } from '../../src/core/clock.js';
import { HttpError, NetworkError, RateLimitError, TimeoutError } from '../../src/core/errors.js';
import type { RateLimitInfo, RetryInfo } from '../../src/core/options.js';
import { RetryBudget } from '../../src/core/retry.js';
import { client, json, rejection, startServer, type TestServer } from './helpers/server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

// A minute of back-off lasts 6 ms: retries are real, the test stays fast.
const fast = { clock: scaledClock(0.0001), rateLimit: false as const };

/** Fails `failures` times with `status`, then answers 200. */
async function flaky(status: number, failures: number, headers: Record<string, string> = {}): Promise<TestServer> {
  return startServer((_req, res, _arrival, index) => {
    if (index < failures) json(res, status, { message: `failure ${index + 1}` }, headers);
    else json(res, 200, { ok: true });
  });
}

describe('what is retried', () => {
  it.each([408, 429, 500, 502, 503, 504])('retries status %i', async (status) => {
    server = await flaky(status, 2);
    const response = await client(server.url, fast).http.request({ operation: 'op', method: 'GET', path: '/x' });
    expect(response.data).toEqual({ ok: true });
    expect(server.arrivals).toHaveLength(3);
  });

  // Safe like GET: a 502 or a reset after which an unsafe POST is not sent again.
  it.each(['HEAD', 'DELETE'] as const)('retries a %s after a 502 and after a connection reset', async (method) => {
    server = await startServer((req, res, _arrival, index) => {
      if (index === 0) json(res, 502, { message: 'bad gateway' });
      else if (index === 1) req.socket.destroy();
      else json(res, 200, { ok: true });
    });
    const reasons: string[] = [];
    const response = await client(server.url, { ...fast, hooks: { onRetry: (i) => reasons.push(i.reason) } }).http.request({ operation: 'op', method, path: '/x' });
    expect(response.status).toBe(200);
    expect(reasons).toEqual(['status 502', 'network']);
    expect(server.arrivals.map((a) => a.method)).toEqual([method, method, method]);
  });

  it.each([400, 401, 403, 404, 409, 501])('does not retry status %i', async (status) => {
    server = await flaky(status, 5);
    const error = await rejection(client(server.url, fast).http.request({ operation: 'op', method: 'GET', path: '/x' }));
    expect((error as HttpError).status).toBe(status);
    expect(server.arrivals).toHaveLength(1);
    expect((error as Error).message).not.toMatch(/attempts/);
  });

  // A POST that is not idempotent may have been applied when its answer is lost or a 500, 502 or 504.
  it.each([500, 502, 504])('does not retry an unsafe POST after %i', async (status) => {
    server = await flaky(status, 5);
    const error = await rejection(client(server.url, fast).http.request({ operation: 'op', method: 'POST', path: '/x', json: {} }));
    expect((error as HttpError).status).toBe(status);
    expect(server.arrivals).toHaveLength(1);
  });

  it('does not retry an unsafe POST after a timeout', async () => {
    server = await startServer((_req, res, _arrival, index) => {
      if (index > 0) json(res, 200, { ok: true });
    });
    const error = await rejection(client(server.url, { ...fast, timeout: 500 }).http.request({ operation: 'op', method: 'POST', path: '/x', json: {} }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(server.arrivals).toHaveLength(1);
  });

  // 408, 429 and 503 refuse a request before any work: sending it again cannot apply it twice.
  it.each([408, 429, 503])('retries an unsafe POST after %i', async (status) => {
    server = await flaky(status, 2);
    await client(server.url, fast).http.request({ operation: 'op', method: 'POST', path: '/x', json: { q: 1 } });
    expect(server.arrivals).toHaveLength(3);
  });

  it('retries a POST marked idempotent (a read sent as POST)', async () => {
    server = await flaky(503, 2);
    await client(server.url, fast).http.request({ operation: 'op', method: 'POST', path: '/x', json: { q: 1 }, idempotent: true });
    expect(server.arrivals).toHaveLength(3);
    expect(server.arrivals.map((a) => a.body)).toEqual(['{"q":1}', '{"q":1}', '{"q":1}']);
  });

  it('does not retry a GET marked not idempotent after a 502', async () => {
    server = await flaky(502, 2);
    await rejection(client(server.url, fast).http.request({ operation: 'op', method: 'GET', path: '/x', idempotent: false }));
    expect(server.arrivals).toHaveLength(1);
  });

  it('retries a network error (connection reset)', async () => {
    server = await startServer((req, res, _a, index) => {
      if (index === 0) req.socket.destroy();
      else json(res, 200, { ok: true });
    });
    const reasons: string[] = [];
    const response = await client(server.url, { ...fast, hooks: { onRetry: (i) => reasons.push(i.reason) } }).http.request({
      operation: 'op',
      method: 'GET',
      path: '/x',
    });
    expect(response.data).toEqual({ ok: true });
    expect(reasons).toEqual(['network']);
  });

  it('retries a timeout', async () => {
    // The first answer never comes in time; the second comes at once, well within a timeout that a
    // busy machine cannot exceed (at 40 ms, a loaded run timed the retry out too).
    server = await startServer((_req, res, _a, index) => {
      if (index === 0) setTimeout(() => json(res, 200, { late: true }), 10_000).unref();
      else json(res, 200, { ok: true });
    });
    const reasons: string[] = [];
    const response = await client(server.url, { ...fast, timeout: 400, hooks: { onRetry: (i) => reasons.push(i.reason) } }).http.request({
      operation: 'op',
      method: 'GET',
      path: '/x',
    });
    expect(response.data).toEqual({ ok: true });
    expect(reasons).toEqual(['timeout']);
  });

  it('retry: false never retries', async () => {
    server = await flaky(503, 2);
    await rejection(client(server.url, { ...fast, retry: false }).http.request({ operation: 'op', method: 'GET', path: '/x' }));
    expect(server.arrivals).toHaveLength(1);
  });
});

describe('giving up', () => {
  it('says how many attempts were made and keeps the last error as cause', async () => {
    server = await flaky(503, 100);
    const error = (await rejection(
      client(server.url, fast).http.request({ operation: 'op', method: 'GET', path: '/x' }),
    )) as HttpError;
    expect(error.constructor).toBe(HttpError);
    expect(error.status).toBe(503);
    expect(error.message).toMatch(/ after 5 attempts$/);
    expect(error.cause).toBeInstanceOf(HttpError);
    expect((error.cause as HttpError).vendorMessage).toBe('failure 5');
    expect(server.arrivals).toHaveLength(5);
  });

  it('keeps the class of network errors and timeouts', async () => {
    server = await startServer(() => undefined); // never answers
    const error = await rejection(
      client(server.url, { ...fast, timeout: 20, retry: { retries: 2 } }).http.request({ operation: 'op', method: 'GET', path: '/x' }),
    );
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toMatch(/after 3 attempts/);
    expect((error as Error).cause).toBeInstanceOf(TimeoutError);

    const closed = server.url;
    await server.close();
    server = undefined;
    const network = await rejection(
      client(closed, { ...fast, retry: { retries: 1 } }).http.request({ operation: 'op', method: 'GET', path: '/x' }),
    );
    expect(network).toBeInstanceOf(NetworkError);
    expect((network as Error).message).toMatch(/after 2 attempts/);
  });

  it('fails at once when Retry-After exceeds maxRetryAfter', async () => {
    server = await flaky(429, 100, { 'retry-after': '600' });
    const started = performance.now();
    const error = (await rejection(
      client(server.url, { clock: scaledClock(1), rateLimit: false, retry: { maxRetryAfter: 60_000 } }).http.request({
        operation: 'op',
        method: 'GET',
        path: '/x',
      }),
    )) as RateLimitError;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryAfterMs).toBe(600_000);
    expect(error.message).toMatch(/Retry-After 600 s exceeds maxRetryAfter/);
    expect(server.arrivals).toHaveLength(1);
    // With an unscaled clock, honouring the ask would have taken ten minutes; a loaded machine's stall
    // takes a second or two.
    expect(performance.now() - started).toBeLessThan(15_000);
  });
});

describe('an attempt refused unsent', () => {
  // Another request's Retry-After, beyond maxRetryAfter, holds the limiter: the retry is refused before it
  // is sent, and the error counted it among the attempts made.
  it('is not counted among the attempts the error tells', async () => {
    server = await startServer((req, res, _a, index) => {
      if (req.url === '/b') json(res, 429, {}, { 'retry-after': '600' });
      else if (index === 0) json(res, 503, {});
      else json(res, 200, { ok: true });
    });
    const retried: string[] = [];
    const c = client(server.url, {
      clock: scaledClock(0.01),
      retry: { minDelay: 10_000, maxRetryAfter: 60_000 },
      // While /a backs off, /b meets a 10-minute Retry-After.
      hooks: { onRetry: (info) => void retried.push(info.url) },
    });
    const random = vi.spyOn(Math, 'random').mockReturnValue(0.99);
    try {
      const a = rejection(c.http.request({ operation: 'op', method: 'GET', path: '/a' }));
      await vi.waitFor(() => expect(retried).toHaveLength(1));
      await rejection(c.http.request({ operation: 'op', method: 'GET', path: '/b' }));
      const error = (await a) as RateLimitError;
      expect(error).toBeInstanceOf(RateLimitError);
      expect(error.message).toMatch(/was not sent/);
      expect(server.arrivals.filter((arrival) => arrival.url === '/a')).toHaveLength(1);
      expect(error.message).toMatch(/ after 1 attempt$/);
    } finally {
      random.mockRestore();
    }
  });
});

describe('back-off', () => {
  it('draws full-jitter delays under an exponential, capped ceiling, on the injected clock', async () => {
    server = await flaky(503, 4);
    const retries: RetryInfo[] = [];
    const clock = scaledClock(0.001);
    await client(server.url, {
      clock,
      rateLimit: false,
      retry: { minDelay: 1000, maxDelay: 3000 },
      hooks: { onRetry: (info) => retries.push(info) },
    }).http.request({ operation: 'op', method: 'GET', path: '/x' });
    expect(retries.map((r) => r.attempt)).toEqual([1, 2, 3, 4]);
    const ceilings = [1000, 2000, 3000, 3000];
    retries.forEach((r, i) => {
      expect(r.delayMs).toBeGreaterThanOrEqual(0);
      // delayMs is reported scaled (it is how long the wait really lasts).
      expect(r.delayMs).toBeLessThan((ceilings[i] ?? 0) * clock.scale);
      expect(r.error).toBeInstanceOf(HttpError);
      expect(r.reason).toBe('status 503');
    });
  });

  it('bounds the back-off by minDelay, not the default 30 s, when minDelay alone asks for more', async () => {
    server = await flaky(503, 2);
    const retries: RetryInfo[] = [];
    const clock = scaledClock(0.0001);
    const random = vi.spyOn(Math, 'random').mockReturnValue(0.99);
    try {
      await client(server.url, { clock, rateLimit: false, retry: { minDelay: 60_000 }, hooks: { onRetry: (info) => retries.push(info) } }).http.request({
        operation: 'op',
        method: 'GET',
        path: '/x',
      });
    } finally {
      random.mockRestore();
    }
    // 0.99 of the ceiling: 59.4 s, where the default bound cut it to 29.7 s.
    expect(retries.map((r) => Math.round(r.delayMs / clock.scale))).toEqual([59_400, 59_400]);
  });
});

describe('onRetry', () => {
  it('names the request as onRequest does: provider, operation, method and the URL without credentials', async () => {
    server = await flaky(503, 1);
    const retries: RetryInfo[] = [];
    await client(server.url, { ...fast, hooks: { onRetry: (info) => retries.push(info) } }).http.request({
      operation: 'events.list',
      method: 'GET',
      path: '/x',
      query: { page: 2 },
    });
    expect(retries).toHaveLength(1);
    expect(retries[0]).toMatchObject({
      provider: 'tines',
      operation: 'events.list',
      method: 'GET',
      url: `${server.url}/x?page=2`,
      attempt: 1,
      reason: 'status 503',
    });
  });
});

describe('a 429 without Retry-After', () => {
  // The limiter's pause of a bare 429 is the client's own (one minDelay), not the server's ask: a
  // minDelay above maxRetryAfter failed the retry unsent, as if the server had asked for too long a wait.
  it('is retried after its back-off when minDelay exceeds maxRetryAfter', async () => {
    server = await flaky(429, 1);
    const c = client(server.url, { clock: scaledClock(0.05), retry: { minDelay: 2_000, maxRetryAfter: 1_000 } });
    // No jitter: the retry comes while the 2 s pause still has more than maxRetryAfter left.
    const random = vi.spyOn(Math, 'random').mockReturnValue(0);
    try {
      const response = await c.http.request({ operation: 'op', method: 'GET', path: '/x' });
      expect(response.data).toEqual({ ok: true });
    } finally {
      random.mockRestore();
    }
    expect(server.arrivals).toHaveLength(2);
  });

  // The limiter holds the retry for one minDelay: a back-off drawn shorter was announced, not waited.
  it('announces in onRetry the minDelay its limiter holds the retry for', async () => {
    server = await flaky(429, 1);
    const delays: number[] = [];
    const clock = scaledClock(0.01);
    const c = client(server.url, { clock, retry: { minDelay: 1_000 }, hooks: { onRetry: (info) => void delays.push(info.delayMs) } });
    const random = vi.spyOn(Math, 'random').mockReturnValue(0);
    try {
      await c.http.request({ operation: 'op', method: 'GET', path: '/x' });
    } finally {
      random.mockRestore();
    }
    expect(delays).toEqual([1_000 * clock.scale]);
    expect(server.arrivals[1]!.at - server.arrivals[0]!.at).toBeGreaterThanOrEqual(1_000 * clock.scale - 1);
  });

  it('holds the other requests of its limiter for one minDelay, bounded by maxRetryAfter', async () => {
    server = await startServer((req, res, _arrival, index) => {
      if (req.url === '/a' && index === 0) json(res, 429, { message: 'slow down' });
      else json(res, 200, { ok: true });
    });
    const infos: RateLimitInfo[] = [];
    const clock = scaledClock(0.05);
    const c = client(server.url, { clock, retry: { minDelay: 2_000, maxRetryAfter: 1_000 }, hooks: { onRateLimit: (info) => void infos.push(info) } });
    const random = vi.spyOn(Math, 'random').mockReturnValue(0);
    try {
      const a = c.http.request({ operation: 'op', method: 'GET', path: '/a' });
      await vi.waitFor(() => expect(infos.filter((info) => info.cause === 'retry-after')).toHaveLength(1));
      // Sent while the pause lasts: held, not refused as beyond maxRetryAfter.
      const b = await c.http.request({ operation: 'op', method: 'GET', path: '/b' });
      expect(b.data).toEqual({ ok: true });
      expect((await a).data).toEqual({ ok: true });
    } finally {
      random.mockRestore();
    }
    expect(infos.find((info) => info.cause === 'retry-after')?.waitMs).toBe(1_000 * clock.scale);
  });

  it('is backed off by jitter alone without a limiter', async () => {
    server = await flaky(429, 1);
    const delays: number[] = [];
    const c = client(server.url, { ...fast, retry: { minDelay: 1_000 }, hooks: { onRetry: (info) => void delays.push(info.delayMs) } });
    const random = vi.spyOn(Math, 'random').mockReturnValue(0);
    try {
      await c.http.request({ operation: 'op', method: 'GET', path: '/x' });
    } finally {
      random.mockRestore();
    }
    expect(delays).toEqual([0]);
  });
});

describe('Retry-After floor without a limiter', () => {
  it('the retry of the request itself waits at least Retry-After (rateLimit: false)', async () => {
    let sentAt = 0;
    server = await startServer((_req, res, _a, index) => {
      if (index === 0) {
        sentAt = performance.now();
        json(res, 503, {}, { 'retry-after': '4' });
      } else json(res, 200, {});
    });
    const delays: number[] = [];
    await client(server.url, {
      clock: scaledClock(0.05), // 4 s → 200 ms, against a back-off ceiling of 25 ms
      rateLimit: false,
      hooks: { onRetry: (i) => delays.push(i.delayMs) },
    }).http.request({ operation: 'op', method: 'GET', path: '/x' });
    expect(delays).toEqual([200]);
    expect(server.arrivals[1]!.at - sentAt).toBeGreaterThanOrEqual(200 - 1);
  });
});

describe('retry budget', () => {
  it('allows at most budget × requests retries over the window, with a floor of 10', () => {
    const budget = new RetryBudget(0.5);
    budget.recordRequest();
    // Bounded loops, so a budget that never says no fails the test instead of hanging it.
    const drain = () => {
      let granted = 0;
      while (granted < 1000 && budget.tryRetry()) granted += 1;
      return granted;
    };
    expect(drain()).toBe(10);
    for (let i = 0; i < 40; i += 1) budget.recordRequest();
    // 41 requests and 10 retries in the window: 0.5 × 41 = 20.5 → 11 more.
    expect(drain()).toBe(11);
  });

  it('forgets entries older than the last 100', () => {
    const budget = new RetryBudget(0);
    budget.recordRequest();
    for (let i = 0; i < 10; i += 1) expect(budget.tryRetry()).toBe(true);
    expect(budget.tryRetry()).toBe(false);
    for (let i = 0; i < 100; i += 1) budget.recordRequest();
    expect(budget.tryRetry()).toBe(true);
  });

  it('keeps a dead server from being hit retries + 1 times per request', async () => {
    server = await flaky(503, Number.POSITIVE_INFINITY);
    const c = client(server.url, fast);
    const errors: Error[] = [];
    for (let i = 0; i < 40; i += 1) {
      errors.push((await rejection(c.http.request({ operation: 'op', method: 'GET', path: '/x' }))) as Error);
    }
    // Without a budget: 40 × 5 = 200 requests. With 0.5: 40 requests + at most max(10, 20) retries.
    expect(server.arrivals.length).toBeLessThanOrEqual(40 + 20);
    expect(server.arrivals.length).toBeGreaterThanOrEqual(40 + 10);
    expect(errors.at(-1)?.message).toMatch(/retry budget exhausted/);
  });
});

describe('abort', () => {
  it('during back-off rejects with the signal’s reason and sends nothing more', async () => {
    server = await flaky(503, 100, { 'retry-after': '100' });
    const controller = new AbortController();
    const reason = new Error('stop now');
    const promise = client(server.url, { clock: scaledClock(1), rateLimit: false }).http.request({
      operation: 'op',
      method: 'GET',
      path: '/x',
      signal: controller.signal,
    });
    await vi.waitFor(() => expect(server?.arrivals).toHaveLength(1));
    controller.abort(reason);
    await expect(promise).rejects.toBe(reason);
    expect(server.arrivals).toHaveLength(1);
  });

  it('by the client’s signal, also rejects with its reason', async () => {
    server = await startServer(() => undefined);
    const controller = new AbortController();
    const promise = client(server.url, { ...fast, signal: controller.signal }).http.request({ operation: 'op', method: 'GET', path: '/x' });
    await vi.waitFor(() => expect(server?.arrivals).toHaveLength(1));
    controller.abort('client closed');
    await expect(promise).rejects.toBe('client closed');
  });

  it('an already aborted signal sends nothing', async () => {
    server = await flaky(200, 0);
    const reason = new Error('already');
    await expect(
      client(server.url, fast).http.request({ operation: 'op', method: 'GET', path: '/x', signal: AbortSignal.abort(reason) }),
    ).rejects.toBe(reason);
    expect(server.arrivals).toHaveLength(0);
  });
});

describe('retry options given as undefined', () => {
  it('take the defaults: four retries of a 503', async () => {
    server = await flaky(503, 4);
    const response = await client(server.url, { ...fast, retry: { retries: undefined, minDelay: undefined, maxDelay: undefined } }).http.request({
      operation: 'op',
      method: 'GET',
      path: '/x',
    });
    expect(response.data).toEqual({ ok: true });
    expect(server.arrivals).toHaveLength(5);
  });
});

describe('retry: false', () => {
  it('fails with the error of the one attempt, announcing no retry', async () => {
    server = await flaky(503, 2);
    const reasons: string[] = [];
    const error = await rejection(
      client(server.url, { ...fast, retry: false, hooks: { onRetry: (info) => void reasons.push(info.reason) } }).http.request({ operation: 'op', method: 'GET', path: '/x' }),
    );
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(503);
    expect((error as Error).message).not.toMatch(/attempt/);
    expect(reasons).toEqual([]);
  });
});

describe('the retry budget of a client', () => {
  it('counts the requests that succeeded at once: after 30 of them, 25 requests that fail once are each retried', async () => {
    const seen = new Set<string>();
    server = await startServer((req, res) => {
      const first = !seen.has(req.url ?? '');
      seen.add(req.url ?? '');
      json(res, first && req.url?.startsWith('/flaky') ? 503 : 200, { ok: true });
    });
    const c = client(server.url, fast);
    for (let i = 0; i < 30; i += 1) await c.http.request({ operation: 'op', method: 'GET', path: `/ok/${i}` });
    // 30 requests and k retries in the window allow max(10, 0.5 × (30 + k)) retries: every one of the 25.
    for (let i = 0; i < 25; i += 1) {
      expect((await c.http.request({ operation: 'op', method: 'GET', path: `/flaky/${i}` })).status).toBe(200);
    }
    expect(server.arrivals).toHaveLength(30 + 2 * 25);
  });
});

describe('abort after an answer that may be retried', () => {
  it('announces no retry: the request ends with the signal’s reason', async () => {
    server = await flaky(503, 100);
    const controller = new AbortController();
    const reasons: string[] = [];
    const promise = client(server.url, {
      ...fast,
      hooks: { onResponse: () => controller.abort('stopped'), onRetry: (info) => void reasons.push(info.reason) },
    }).http.request({ operation: 'op', method: 'GET', path: '/x', signal: controller.signal });
    await expect(promise).rejects.toBe('stopped');
    expect(reasons).toEqual([]);
    expect(server.arrivals).toHaveLength(1);
  });
});
