/**
 * The defaults of the README's options table that only a client left to them shows: `timeout` is
 * 30_000 ms per attempt (and `false` is none), `maxResponseSize` is 64 MiB, `retry`'s back-off runs
 * from `minDelay` 500 up to `maxDelay` 30_000 and `maxRetryAfter` is 300_000.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { scaledClock } from '../../src/core/clock.js';
import { NetworkError, RateLimitError, TimeoutError } from '../../src/core/errors.js';
import type { RetryInfo } from '../../src/core/options.js';
import { client, rejection } from './helpers/server.js';

const get = { operation: 'events.list', method: 'GET' as const, path: '/x' };
const MIB = 1024 * 1024;

afterEach(() => {
  vi.useRealTimers();
});

/** A fetch that answers `response` after `ms` of (fake) time, or never, failing as fetch does on abort. */
function answeringAfter(ms: number | undefined, response = () => new Response('{}', { headers: { 'content-type': 'application/json' } })) {
  const fetch: typeof globalThis.fetch = (_input, init) =>
    new Promise<Response>((resolve, reject) => {
      const signal = init?.signal;
      const timer = ms === undefined ? undefined : setTimeout(() => resolve(response()), ms);
      signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(signal.reason);
      });
    });
  return fetch;
}

describe('timeout', () => {
  it('is 30_000 ms per attempt when not given', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const outcome = client('https://a.example', { fetch: answeringAfter(undefined), rateLimit: false, retry: false }).http.request(get);
    let settled = false;
    const error = rejection(outcome).finally(() => (settled = true));
    await vi.advanceTimersByTimeAsync(29_999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await error).toBeInstanceOf(TimeoutError);
    expect(await error).toMatchObject({ timeoutMs: 30_000 });
  });

  it('false lets an attempt take as long as it takes', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const outcome = client('https://a.example', { fetch: answeringAfter(3_600_000), timeout: false, rateLimit: false, retry: false }).http.request(get);
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect((await outcome).status).toBe(200);
  });
});

describe('maxResponseSize', () => {
  /** A body of `chunks` MiB, streamed without a length, one chunk reused. */
  const streamed = (chunks: number) => {
    const chunk = new Uint8Array(MIB).fill(0x20);
    let sent = 0;
    return new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < chunks) controller.enqueue(chunk);
        else controller.close();
      },
    });
  };

  it('is 64 MiB when not given: a larger declared length is refused before the body is read', async () => {
    const fetch: typeof globalThis.fetch = async () =>
      new Response(streamed(1), { headers: { 'content-type': 'application/json', 'content-length': String(64 * MIB + 1) } });
    const error = await rejection(client('https://a.example', { fetch, rateLimit: false, retry: false }).http.request(get));
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as Error).message).toMatch(/declares 67108865 bytes, more than maxResponseSize \(67108864 bytes\)/);
  });

  it('is 64 MiB when not given: a body without a length fails once it passes them, not before', async () => {
    const fetch: typeof globalThis.fetch = async () => new Response(streamed(65), { headers: { 'content-type': 'application/json' } });
    const error = await rejection(client('https://a.example', { fetch, rateLimit: false, retry: false }).http.request(get));
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as Error).message).toMatch(/exceeds maxResponseSize \(67108864 bytes\)/);
  });
});

describe('retry', () => {
  /** A fetch that answers each of `answers` in turn, then 200. */
  const answering = (answers: Array<() => Response>): typeof globalThis.fetch => {
    let calls = 0;
    return async () => (answers[calls++] ?? (() => new Response('{}', { headers: { 'content-type': 'application/json' } })))();
  };
  const clock = scaledClock(0.0001);

  it('backs off from minDelay 500, doubling, up to maxDelay 30_000 when neither is given', async () => {
    const retries: RetryInfo[] = [];
    const random = vi.spyOn(Math, 'random').mockReturnValue(0.99);
    try {
      const fetch = answering(Array.from({ length: 8 }, () => () => new Response('', { status: 503 })));
      await client('https://a.example', { fetch, clock, rateLimit: false, retry: { retries: 8 }, hooks: { onRetry: (info) => retries.push(info) } }).http.request(get);
    } finally {
      random.mockRestore();
    }
    expect(retries.map((info) => Math.round(info.delayMs / clock.scale))).toEqual([495, 990, 1_980, 3_960, 7_920, 15_840, 29_700, 29_700]);
  });

  it('waits a Retry-After of 300 s (maxRetryAfter 300_000 when not given), and fails at once on one of 301 s', async () => {
    const tooMany = (seconds: number) => () => new Response('', { status: 429, headers: { 'retry-after': String(seconds) } });
    const retries: RetryInfo[] = [];
    const waited = client('https://a.example', { fetch: answering([tooMany(300)]), clock, rateLimit: false, hooks: { onRetry: (info) => retries.push(info) } });
    expect((await waited.http.request(get)).status).toBe(200);
    expect(retries.map((info) => Math.round(info.delayMs / clock.scale))).toEqual([300_000]);

    const refused = await rejection(client('https://a.example', { fetch: answering([tooMany(301)]), clock, rateLimit: false }).http.request(get));
    expect(refused).toBeInstanceOf(RateLimitError);
    expect(refused).toMatchObject({ retryAfterMs: 301_000 });
    expect((refused as Error).message).toMatch(/Retry-After 301 s exceeds maxRetryAfter/);
  });
});
