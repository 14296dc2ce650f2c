import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scaledClock } from '../../src/core/clock.js';
import { createClientContext } from '../../src/core/client.js';
import { ConfigurationError } from '../../src/core/errors.js';
import type { CommonOptions } from '../../src/core/options.js';
import { bearer, json, startServer, type TestServer } from './helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer((_req, res) => json(res, 200, {}));
});
afterAll(() => server.close());

const noop = () => undefined;

// [option named in the error, the options overriding a valid set]
const bad: Array<[string, Record<string, unknown>]> = [
  ['options', null as unknown as Record<string, unknown>],
  ['baseUrl', { baseUrl: undefined }],
  ['baseUrl', { baseUrl: 42 }],
  ['baseUrl', { baseUrl: 'not a url' }],
  ['baseUrl', { baseUrl: 'ftp://127.0.0.1/x' }],
  ['baseUrl', { baseUrl: 'http://example.com' }],
  ['allowInsecureHttp', { allowInsecureHttp: 'yes' }],
  ['fetch', { fetch: 'fetch' }],
  ['timeout', { timeout: 0 }],
  ['timeout', { timeout: -5 }],
  ['timeout', { timeout: true }],
  ['timeout', { timeout: Number.NaN }],
  ['timeout', { timeout: Number.POSITIVE_INFINITY }],
  // Past setTimeout's limit (2^31 - 1 ms) a timer fires after 1 ms: the attempt would time out at once.
  ['timeout', { timeout: 3e9 }],
  ['retry.maxRetryAfter', { retry: { maxRetryAfter: 30 * 86_400_000 } }],
  ['retry.maxDelay', { retry: { maxDelay: 2 ** 31 } }],
  ['rateLimit.interval', { rateLimit: { interval: 2 ** 31 } }],
  ['rateLimit.minTime', { rateLimit: { minTime: 2 ** 31 } }],
  ['retry', { retry: true }],
  ['retry', { retry: 3 }],
  ['retry.limit', { retry: { limit: 3 } }],
  ['retry.retries', { retry: { retries: -1 } }],
  ['retry.retries', { retry: { retries: 1.5 } }],
  ['retry.minDelay', { retry: { minDelay: -1 } }],
  ['retry.maxDelay', { retry: { maxDelay: '1s' } }],
  ['retry.maxDelay', { retry: { minDelay: 1000, maxDelay: 10 } }],
  ['retry.maxRetryAfter', { retry: { maxRetryAfter: Number.NaN } }],
  ['retry.budget', { retry: { budget: -0.1 } }],
  ['retry.budget', { retry: { budget: Infinity } }],
  // Past 2^53 adding one no longer changes a count: the retries would never end.
  ['retry.retries', { retry: { retries: 2 ** 53 } }],
  ['rateLimit', { rateLimit: true }],
  ['rateLimit.rps', { rateLimit: { rps: 5 } }],
  ['rateLimit.requests', { rateLimit: { requests: 0 } }],
  ['rateLimit.requests', { rateLimit: { requests: 2.5 } }],
  ['rateLimit.interval', { rateLimit: { interval: 0 } }],
  ['rateLimit.maxConcurrent', { rateLimit: { maxConcurrent: 0 } }],
  ['rateLimit.minTime', { rateLimit: { minTime: -1 } }],
  ['rateLimit.shared', { rateLimit: { shared: 'redis://localhost' } }],
  ['rateLimit.key', { rateLimit: { key: '' } }],
  ['rateLimit.key', { rateLimit: { key: 7 } }],
  // The Redis options themselves are not a shared limit: `redisRateLimit()` makes one from them.
  ['rateLimit.shared', { rateLimit: { shared: { clientOptions: {} } } }],
  ['rateLimit.redis', { rateLimit: { redis: { clientOptions: {} } } }],
  ['signal', { signal: {} }],
  // Half a signal: one that cannot be listened to, or one that never says whether it is aborted.
  ['signal', { signal: { aborted: false } }],
  ['signal', { signal: new EventTarget() }],
  ['userAgent', { userAgent: '' }],
  ['userAgent', { userAgent: 7 }],
  ['userAgent', { userAgent: 'evil\r\nx-injected: 1' }],
  // fetch cannot send it: every request would fail, after its retries.
  ['userAgent', { userAgent: 'acme–collector/1.0' }],
  ['userAgent', { userAgent: 'acme\u0001/1' }],
  ['userAgent', { userAgent: 'acme\u0085/1' }],
  ['hooks', { hooks: [] }],
  ['hooks.onRequset', { hooks: { onRequset: noop } }],
  ['hooks.onRetry', { hooks: { onRetry: 'log' } }],
  ['maxResponseSize', { maxResponseSize: 0 }],
  ['maxResponseSize', { maxResponseSize: 1.5 }],
  ['clock', { clock: { now: Date.now } }],
  ['clock.scale', { clock: { now: Date.now, sleep: noop, scale: 0 } }],
  ['clock.scale', { clock: { now: Date.now, sleep: noop, scale: Infinity } }],
];

describe('createClientContext validates every common option before any request', () => {
  it.each(bad)('%s: %j', (option, override) => {
    const options = override === null ? null : { baseUrl: server.url, ...override };
    let error: unknown;
    try {
      createClientContext('tines', options as unknown as CommonOptions, bearer(), {});
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).option).toBe(option);
    expect((error as Error).message).toContain(option === 'options' ? 'options' : `\`${option}\``);
    expect(server.arrivals).toHaveLength(0);
  });

  it('takes baseUrl as a URL as well as a string', () => {
    expect(createClientContext('tines', { baseUrl: new URL(server.url) }, bearer(), {}).http.baseUrl.origin).toBe(server.url);
  });

  it('accepts a full, valid set and returns the context', async () => {
    const controller = new AbortController();
    const clock = scaledClock(0.5);
    const ctx = createClientContext(
      'illumio',
      {
        baseUrl: server.url,
        fetch: (input, init) => globalThis.fetch(input, init),
        timeout: false,
        // setTimeout's longest wait is a delay's bound itself.
        retry: { retries: 0, minDelay: 0, maxDelay: 2 ** 31 - 1, maxRetryAfter: 0, budget: 0 },
        rateLimit: { requests: Infinity, interval: 1, maxConcurrent: Infinity, minTime: 0 },
        signal: controller.signal,
        userAgent: 'acme/1',
        hooks: { onRequest: noop, onResponse: noop, onRetry: noop, onRateLimit: noop },
        maxResponseSize: 1024,
        allowInsecureHttp: false,
        clock,
      },
      bearer(),
      { rateLimit: { requests: 500, interval: 60_000 } },
    );
    expect(ctx.provider).toBe('illumio');
    expect(ctx.clock).toBe(clock);
    expect(ctx.signal).toBe(controller.signal);
    expect(ctx.http.baseUrl.origin).toBe(server.url);
    expect((await ctx.http.request({ operation: 'op', method: 'GET', path: '/ok' })).status).toBe(200);
    expect(server.arrivals).toHaveLength(1);
  });
});
