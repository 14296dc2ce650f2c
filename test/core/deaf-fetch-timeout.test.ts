/**
 * A custom `fetch` (the `fetch` option: a wrapper, a polyfill, a proxy's client) that does not heed
 * the request's signal, as undici's does: its answer, or its body, then goes on coming after the
 * attempt timed out. A vendor or proxy that never answers, or trickles a byte now and then, held the
 * listing for as long as it went on (for good, for an endless one), though `timeout` promises to bound
 * an attempt, its body too, and `signal` to stop it.
 */
import { describe, expect, it } from 'vitest';
import { HttpError, TimeoutError } from '../../src/core/errors.js';
import { tines } from '../../src/providers/tines/index.js';
import { DEFAULT_TINES_CREDENTIAL } from '../../src/providers/tines/emulator.js';

const encoder = new TextEncoder();

/** A body that sends one byte every `everyMs` for ever, heeding no signal; `pulls` counts its reads. */
function trickle(everyMs: number, pulls: { count: number }): ReadableStream<Uint8Array> {
  return new ReadableStream({
    async pull(controller) {
      pulls.count += 1;
      await new Promise((resolve) => setTimeout(resolve, everyMs));
      controller.enqueue(encoder.encode(pulls.count === 1 ? '[' : ' '));
    },
  });
}

function clientOver(answer: () => Response | Promise<Response>, signal?: AbortSignal) {
  let requests = 0;
  const fetch: typeof globalThis.fetch = async () => {
    requests += 1;
    if (requests > 5) throw new Error('more requests than the test allows');
    return answer();
  };
  const client = tines({
    baseUrl: 'https://tenant-1234.tines.com',
    token: DEFAULT_TINES_CREDENTIAL.key,
    fetch,
    rateLimit: false,
    retry: false,
    timeout: 200,
    ...(signal === undefined ? {} : { signal }),
  });
  return { client, requests: () => requests };
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(() => undefined, (error: unknown) => error);
}

describe('a custom fetch that does not heed the signal', () => {
  it('never answering: a TimeoutError, a second after the attempt timed out', async () => {
    const { client, requests } = clientOver(() => new Promise<Response>(() => undefined));
    const started = Date.now();
    const error = await failureOf(client.events.list().toArray());
    expect(error).toBeInstanceOf(TimeoutError);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(requests()).toBe(1);
  }, 10_000);

  it("never answering: the client's signal rejects the call with its reason, a second after it aborts", async () => {
    const controller = new AbortController();
    const { client } = clientOver(() => new Promise<Response>(() => undefined), controller.signal);
    const call = failureOf(client.events.get('7'));
    setTimeout(() => controller.abort(new Error('stopped')), 50);
    expect(await call).toMatchObject({ message: 'stopped' });
  }, 10_000);

  it('answering after the attempt timed out: the late body is let go of', async () => {
    const cancelled: unknown[] = [];
    const late = (): Promise<Response> =>
      new Promise((resolve) =>
        setTimeout(() => resolve(new Response(new ReadableStream({ cancel: (reason) => void cancelled.push(reason) }), { status: 200 })), 400),
      );
    const { client } = clientOver(late);
    expect(await failureOf(client.events.get('7'))).toBeInstanceOf(TimeoutError);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(cancelled).toHaveLength(1);
  }, 10_000);

  it.each([
    ['with no length', {}],
    ['with a declared length', { 'content-length': '100000' }],
  ])('a success trickling without end, %s: a TimeoutError at the attempt timeout, and the body is read no further', async (_form, length) => {
    const pulls = { count: 0 };
    const { client, requests } = clientOver(() => new Response(trickle(10, pulls), { status: 200, headers: { 'content-type': 'application/json', ...length } }));
    const started = Date.now();
    const error = await failureOf(client.events.list().toArray());
    expect(error).toBeInstanceOf(TimeoutError);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(requests()).toBe(1);
    const read = pulls.count;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(pulls.count).toBeLessThanOrEqual(read + 1);
  }, 10_000);

  it('an error status whose body trickles without end: its HttpError once the excerpt is given up on', async () => {
    const pulls = { count: 0 };
    const { client } = clientOver(() => new Response(trickle(10, pulls), { status: 404, headers: { 'content-type': 'application/json' } }));
    const started = Date.now();
    const error = await failureOf(client.events.get('7'));
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(404);
    expect(Date.now() - started).toBeLessThan(7_000);
  }, 15_000);
});
