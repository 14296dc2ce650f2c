/**
 * Which limiter a request goes through (README "Retries and rate limits"): one per (vendor, base URL,
 * credential), made by the first client of the key to send, not the first made, and shared by later
 * clients as it is; a client with `rateLimit: false` neither waits for the key's limiter nor pauses it.
 */
import { describe, expect, it, vi } from 'vitest';
import { scaledClock } from '../../src/core/clock.js';
import { bearer, client } from './helpers/server.js';

const get = { operation: 'events.list', method: 'GET' as const, path: '/x' };

/** A fetch that holds every answer until `release()`, counting the requests it holds per origin. */
function holdingFetch() {
  const held: Array<{ origin: string; answer: (response: Response) => void }> = [];
  const fetch: typeof globalThis.fetch = (input) =>
    new Promise<Response>((answer) => held.push({ origin: new URL(input instanceof Request ? input.url : String(input)).origin, answer }));
  const ok = () => new Response('{}', { headers: { 'content-type': 'application/json' } });
  return {
    fetch,
    held,
    release: () => {
      for (const { answer } of held.splice(0)) answer(ok());
    },
  };
}

/** Lets every pending turn of the limiter and the pipeline run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('the limiter of a key', () => {
  it('is made with the settings of the first client to send, not of the first client made', async () => {
    const wire = holdingFetch();
    const auth = bearer();
    const madeFirst = client('https://a.example', { fetch: wire.fetch, rateLimit: { maxConcurrent: 1 } }, auth);
    const sentFirst = client('https://a.example', { fetch: wire.fetch, rateLimit: { maxConcurrent: 3 } }, auth);
    const all = [sentFirst.http.request(get)];
    await vi.waitFor(() => expect(wire.held).toHaveLength(1));
    all.push(...Array.from({ length: 4 }, () => madeFirst.http.request(get)));
    // The limiter is sentFirst's, shared as it is: three in flight, not one, nor five.
    await vi.waitFor(() => expect(wire.held).toHaveLength(3));
    await settle();
    expect(wire.held).toHaveLength(3);
    const releaser = setInterval(wire.release, 5);
    await Promise.all(all);
    clearInterval(releaser);
  });

  it('is another for another base URL, with the same credential', async () => {
    const wire = holdingFetch();
    const auth = bearer();
    const a = client('https://a.example', { fetch: wire.fetch, rateLimit: { maxConcurrent: 1 } }, auth);
    const b = client('https://b.example', { fetch: wire.fetch, rateLimit: { maxConcurrent: 1 } }, auth);
    const both = Promise.all([a.http.request(get), b.http.request(get)]);
    await vi.waitFor(() => expect(wire.held.map((h) => h.origin).sort()).toEqual(['https://a.example', 'https://b.example']));
    wire.release();
    await both;
  });
});

describe('a client with rateLimit: false', () => {
  it("does not wait for its key's limiter, and its 429 does not pause it", async () => {
    const answers: Array<(response: Response) => void> = [];
    let limitedSent = 0;
    const fetch: typeof globalThis.fetch = (_input, init) => {
      if ((init?.headers as Record<string, string> | undefined)?.['x-client'] === 'free') {
        return Promise.resolve(new Response('{}', { status: 429, headers: { 'content-type': 'application/json', 'retry-after': '3600' } }));
      }
      limitedSent += 1;
      return new Promise<Response>((answer) => answers.push(answer));
    };
    const auth = bearer();
    // An hour's Retry-After on a clock at its own pace: a pause would hold the limited client's next request.
    const clock = scaledClock(1);
    const limited = client('https://a.example', { fetch, clock, rateLimit: { maxConcurrent: 1 } }, auth);
    const freeAuth = { key: auth.key, headers: () => ({ authorization: 'Bearer free', 'x-client': 'free' }) };
    const free = client('https://a.example', { fetch, clock, rateLimit: false, retry: false }, freeAuth);

    const first = limited.http.request(get);
    const second = limited.http.request(get);
    await vi.waitFor(() => expect(limitedSent).toBe(1));
    // The key's only place is taken: the free client is sent all the same, and meets its 429.
    const refused = await free.http.request(get).catch((error: unknown) => error);
    expect(refused).toMatchObject({ status: 429, retryAfterMs: 3_600_000 });
    answers.shift()?.(new Response('{}'));
    await first;
    // The limiter was not paused by that 429: the queued request goes as soon as the first is answered.
    await vi.waitFor(() => expect(limitedSent).toBe(2));
    answers.shift()?.(new Response('{}'));
    await second;
  });
});
