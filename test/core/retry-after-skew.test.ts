/**
 * An HTTP-date `Retry-After` is an instant on the server's clock. A client whose clock is behind or
 * ahead of the server's reads it against the answer's `Date` (retry-after.ts): an emulator that dates
 * it on its own clock must send that `Date` too, or a client 90 s ahead of it sends a 30 s `Retry-After`
 * at once.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { systemClock, type Clock } from '../../src/core/clock.js';
import { closeRateLimiters } from '../../src/core/rate-limit.js';
import { illumio } from '../../src/providers/illumio/index.js';
import { DEFAULT_ILLUMIO_CREDENTIAL, illumioEmulator } from '../../src/providers/illumio/emulator.js';

afterEach(async () => {
  await closeRateLimiters();
  vi.useRealTimers();
});

describe.each([-90_000, 90_000])('an HTTP-date Retry-After from a server whose clock is %i ms off the client\'s', (skew) => {
  it('holds the retry for the whole Retry-After', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'], now: Date.UTC(2026, 10, 23, 12) });
    const server: Clock = { now: () => Date.now() + skew, scale: 1, sleep: (ms, signal) => systemClock.sleep(ms, signal) };
    const emulator = illumioEmulator.create({ events: 1, clock: server });
    emulator.faults.add({ kind: 'rate-limit', retryAfter: 30, retryAfterFormat: 'http-date', schedule: { once: true } });
    const sent: number[] = [];
    const pce = illumio({
      baseUrl: 'https://pce.example.com:8443',
      orgId: 1,
      apiKey: DEFAULT_ILLUMIO_CREDENTIAL.apiKey,
      apiSecret: DEFAULT_ILLUMIO_CREDENTIAL.apiSecret,
      fetch: (input, init) => (sent.push(Date.now()), emulator.fetch(input, init)),
    });
    let done = false;
    const got = pce.events.get(emulator.store.events[0]!.href).finally(() => (done = true));
    while (!done) await vi.advanceTimersToNextTimerAsync();
    await got;
    expect(sent).toHaveLength(2);
    // The date is rounded up to the second on the server's clock: at least 30 s, at most 31 s.
    expect(sent[1]! - sent[0]!).toBeGreaterThanOrEqual(30_000);
    expect(sent[1]! - sent[0]!).toBeLessThanOrEqual(31_000);
  });
});
