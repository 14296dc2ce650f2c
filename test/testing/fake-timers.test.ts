/**
 * A user's own tests on vitest's fake timers (README "Testing your code", fake timers): `vi.useFakeTimers()`
 * with its defaults governs every wait of tributary (a `Retry-After`, a back-off, a watch's interval),
 * when fake time is moved in a loop until the call settles, the way the README shows. Moved once, the
 * wait would be scheduled after the move: a call also waits for real I/O (the first request of a process
 * loads ky; `listen()` answers over a socket), which fake time does not move. This file's first test is
 * its process's first request.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { closeRateLimiters, watch, type Page } from 'tributary';
import { illumio } from 'tributary/illumio';
import { createEmulator, DEFAULT_ILLUMIO_CREDENTIAL, type Emulator } from 'tributary/testing';

/** The README's loop: fake time moves a second at a time until the call has settled. */
async function settle<T>(call: Promise<T>): Promise<T> {
  let settled = false;
  const done = call.finally(() => (settled = true));
  done.catch(() => undefined);
  while (!settled) await vi.advanceTimersByTimeAsync(1_000);
  return done;
}

afterEach(async () => {
  vi.useRealTimers();
  // No limiter (its window, its timers) passes from one test's clock to the next's.
  await closeRateLimiters();
});

function client(emulator: Emulator, baseUrl?: string) {
  return illumio({
    baseUrl: baseUrl ?? 'https://pce.example.com:8443',
    orgId: 1,
    ...DEFAULT_ILLUMIO_CREDENTIAL,
    ...(baseUrl === undefined ? { fetch: emulator.fetch } : {}),
  });
}

describe('on fake timers', () => {
  it.each(['in process', 'over listen()'])('waits out a 30 s Retry-After and a back-off in fake time (%s)', async (where) => {
    vi.useFakeTimers();
    const emulator = createEmulator('illumio', { seed: 5, events: 250 });
    emulator.faults.add({ kind: 'status', status: 429, headers: { 'Retry-After': '30' }, schedule: { once: true } });
    emulator.faults.add({ kind: 'status', status: 503, schedule: { once: true, after: 2 } });
    const server = where === 'over listen()' ? await emulator.listen() : undefined;
    try {
      const started = Date.now();
      const events = await settle(client(emulator, server?.url).events.list().toArray());
      expect(events).toHaveLength(250);
      // Fake time moved past the Retry-After: it was waited out on the fake clock, not skipped.
      expect(Date.now() - started).toBeGreaterThanOrEqual(30_000);
    } finally {
      await server?.close();
    }
  });

  it("polls a watch at its interval in fake time", async () => {
    vi.useFakeTimers();
    const emulator = createEmulator('illumio', { seed: 5, events: 40 });
    const pages = watch(client(emulator).events.list(), { interval: 60_000 })[Symbol.asyncIterator]();
    const first = (await settle(pages.next())).value as Page<unknown>;
    expect(first.items).toHaveLength(40);
    const polled = Date.now();
    const second = (await settle(pages.next())).value as Page<unknown>;
    expect(second.items).toHaveLength(0);
    expect(Date.now() - polled).toBeGreaterThanOrEqual(60_000);
    await settle(pages.return?.() ?? Promise.resolve());
  });
});
