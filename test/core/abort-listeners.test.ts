/**
 * Many requests at once must not pile listeners onto one signal: Node warns about "a possible
 * EventTarget memory leak" past 10 listeners, in the application's own output.
 *
 * The warning alone proves little: Node 24 sets no limit on an AbortSignal (`getMaxListeners` reads 0)
 * and so never warns, and Node warns once per signal, so a signal shared across tests (that of
 * requests without one) warns in whichever test comes first. The tests therefore read the limit
 * itself, and give their own signals Node 20's default limit explicitly, so that both versions take
 * the path that raises it.
 */
import { defaultMaxListeners, getEventListeners, getMaxListeners, setMaxListeners } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { scaledClock } from '../../src/core/clock.js';
import { requestSignal } from '../../src/core/signal.js';
import { informatica } from '../../src/providers/informatica/index.js';
import { DEFAULT_INFORMATICA_USER, informaticaEmulator } from '../../src/providers/informatica/emulator.js';
import { json, client, startServer, type TestServer } from './helpers/server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function warningsDuring(run: () => Promise<unknown>): Promise<string[]> {
  const warnings: string[] = [];
  const onWarning = (warning: Error): void => {
    warnings.push(`${warning.name}: ${warning.message}`);
  };
  process.on('warning', onWarning);
  try {
    await run();
    // Warnings are emitted on the next turn.
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', onWarning);
  }
  return warnings.filter((warning) => warning.startsWith('MaxListenersExceededWarning'));
}

/** A new signal with the limit Node 20 gives every signal (Node 24 gives an AbortSignal none). */
function signalWithDefaultLimit(): AbortSignal {
  const signal = new AbortController().signal;
  setMaxListeners(defaultMaxListeners, signal);
  return signal;
}

/** The signal that requests without a client or call signal share (the same one in every test). */
function sharedSignal(): AbortSignal {
  return requestSignal(undefined, undefined).signal;
}

/** Records the most abort listeners `signal` holds at the moments `sample` is called. */
function listenerPeak(signal: AbortSignal): { sample(): void; readonly peak: number } {
  let peak = 0;
  return {
    sample() {
      peak = Math.max(peak, getEventListeners(signal, 'abort').length);
    },
    get peak() {
      return peak;
    },
  };
}

/** The signal's limit allows the `expected` listeners the test put on it, and the most it saw at once. */
function expectRoomFor(signal: AbortSignal, expected: number, peak: number): void {
  // The test does reach past Node's default limit: otherwise it would prove nothing.
  expect(peak).toBeGreaterThan(defaultMaxListeners);
  expect(getMaxListeners(signal)).toBeGreaterThanOrEqual(Math.max(expected, peak));
}

/** A client of an Informatica emulator of `events` events, on a fast clock. */
function informaticaClient(
  events: number,
  options: { rateLimit?: false; signal?: AbortSignal } = {},
  onFetch: () => void = () => {},
) {
  const clock = scaledClock(0.0001);
  // Without the client's limiter, the emulator's 5 a minute would answer 429 on a fast clock.
  const emulator = informaticaEmulator.create({ seed: 7, events, clock, ...(options.rateLimit === false ? { rateLimit: false } : {}) });
  const { user: username, password } = DEFAULT_INFORMATICA_USER;
  const fetch: typeof globalThis.fetch = (input, init) => {
    onFetch();
    return emulator.fetch(input, init);
  };
  return informatica({ baseUrl: 'https://cih.example.com', username, password, fetch, clock, ...options });
}

describe('abort listeners', () => {
  it.each([
    ['no signal', () => undefined],
    ['a client signal', signalWithDefaultLimit],
  ])('40 requests at once with %s: room for every listener, no MaxListenersExceededWarning, every request answered', async (_name, signal) => {
    const clientSignal = signal();
    const watched = clientSignal ?? sharedSignal();
    const listeners = listenerPeak(watched);
    server = await startServer(async (_req, res) => {
      listeners.sample();
      await new Promise((resolve) => setTimeout(resolve, 5));
      json(res, 200, { ok: true });
    });
    const ctx = client(server.url, clientSignal === undefined ? {} : { signal: clientSignal });
    const calls = Array.from({ length: 40 }, () => ctx.http.request({ operation: 'op', method: 'GET', path: '/x' }));
    const warnings = await warningsDuring(() => Promise.all(calls));
    expectRoomFor(watched, 40, listeners.peak);
    expect(warnings).toEqual([]);
    expect(server.arrivals).toHaveLength(40);
  });

  it('2000 requests queued at once without a signal: room for every listener on the shared signal', async () => {
    const shared = sharedSignal();
    const listeners = listenerPeak(shared);
    const answer: typeof fetch = () => {
      listeners.sample();
      return Promise.resolve(Response.json({ ok: true }));
    };
    const ctx = client('http://127.0.0.1:1', { fetch: answer });
    const warnings = await warningsDuring(() =>
      Promise.all(Array.from({ length: 2000 }, () => ctx.http.request({ operation: 'op', method: 'GET', path: '/x' }))),
    );
    // The limit, not the warning, is what counts: Node warns once per signal, and this one is shared
    // with the other tests that send requests without a signal.
    expectRoomFor(shared, 2000, listeners.peak);
    expect(warnings).toEqual([]);
  });

  it('2000 requests queued at once on a client signal: room for every listener, no MaxListenersExceededWarning', async () => {
    const clientSignal = signalWithDefaultLimit();
    const listeners = listenerPeak(clientSignal);
    const answer: typeof fetch = () => {
      listeners.sample();
      return Promise.resolve(Response.json({ ok: true }));
    };
    const ctx = client('http://127.0.0.1:1', { fetch: answer, signal: clientSignal });
    const warnings = await warningsDuring(() =>
      Promise.all(Array.from({ length: 2000 }, () => ctx.http.request({ operation: 'op', method: 'GET', path: '/x' }))),
    );
    expectRoomFor(clientSignal, 2000, listeners.peak);
    expect(warnings).toEqual([]);
    expect(getEventListeners(clientSignal, 'abort')).toHaveLength(0);
  });

  it("an application's signal shared by many single calls at once: room for every listener, no MaxListenersExceededWarning", async () => {
    const shutdown = signalWithDefaultLimit();
    const listeners = listenerPeak(shutdown);
    const cih = informaticaClient(5, {}, () => listeners.sample());
    const warnings = await warningsDuring(() =>
      Promise.allSettled(Array.from({ length: 12 }, (_, i) => cih.events.get(i + 1, { signal: shutdown }))),
    );
    expectRoomFor(shutdown, 12, listeners.peak);
    expect(warnings).toEqual([]);
  });

  it('listings peeked at and dropped without return() leave no listener on the client signal', async () => {
    const controller = new AbortController();
    const cih = informaticaClient(30, { rateLimit: false, signal: controller.signal });
    // Each takes its first page (prefetching more) and is let go, as a "peek" helper would.
    for (let i = 0; i < 30; i++) await cih.events.list({ pageSize: 5 }).byPage()[Symbol.asyncIterator]().next();
    // Their prefetches settle in their own time; none leaves its listener once it has.
    await vi.waitFor(() => expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0), { timeout: 5_000 });
  });

  it('still aborts every queued and running request when the client signal aborts', async () => {
    server = await startServer(async (_req, res) => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      json(res, 200, { ok: true });
    });
    const controller = new AbortController();
    const ctx = client(server.url, { signal: controller.signal });
    const calls = Array.from({ length: 20 }, () => ctx.http.request({ operation: 'op', method: 'GET', path: '/x' }));
    setTimeout(() => controller.abort(new Error('stop')), 10);
    const settled = await Promise.allSettled(calls);
    expect(settled.every((result) => result.status === 'rejected' && (result.reason as Error).message === 'stop')).toBe(true);
    // Only the first four (the default concurrency) were sent; the queued ones left the queue unsent.
    expect(server.arrivals.length).toBeLessThanOrEqual(4);
  });
});
