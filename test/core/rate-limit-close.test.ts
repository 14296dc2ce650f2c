/**
 * `closeRateLimiters()` called while requests hold an in-process limiter (a shutdown hook, a test's
 * clean-up racing the last requests): the requests it queued are still sent, so those made after the
 * call must wait behind them in the same limiter, not in a new one that knows nothing of them. Found by
 * client-life.property.test.ts: Informatica's emulator, which keeps the vendor's 5 a minute, refused the
 * requests a fresh limiter sent beside the queued ones. An idle limiter is still forgotten: that is
 * how a test starts afresh.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { scaledClock } from '../../src/core/clock.js';
import { closeRateLimiters } from '../../src/core/rate-limit.js';
import { informatica } from '../../src/providers/informatica/index.js';
import { DEFAULT_INFORMATICA_USER, informaticaEmulator } from '../../src/providers/informatica/emulator.js';

/** A minute lasts 60 ms, for the emulator's window and the client's alike. */
const clock = scaledClock(0.001);

function setUp() {
  const emulator = informaticaEmulator.create({ seed: 1, events: 3, clock });
  const id = emulator.store.events.all()[0]?.eventId as number;
  /** The emulator's own 429s: requests the client's limiter let into a full window. */
  const refused = { count: 0 };
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const response = await emulator.fetch(input, init);
    if (response.status === 429) refused.count += 1;
    return response;
  };
  const make = (rateLimit?: { requests: number; interval: number }) =>
    informatica({
      baseUrl: 'https://cih-pod1.dm-us.informaticacloud.com',
      username: DEFAULT_INFORMATICA_USER.user,
      password: DEFAULT_INFORMATICA_USER.password,
      fetch,
      clock,
      ...(rateLimit === undefined ? {} : { rateLimit }),
    });
  return { make, get: (client: ReturnType<typeof make>) => client.events.get(id), refused, requests: () => emulator.requests.length };
}

describe('closeRateLimiters() while a limiter is in use', () => {
  afterEach(async () => {
    await closeRateLimiters();
  });

  it('keeps the requests queued before it and those made after it in one limiter', async () => {
    const { make, get, refused, requests } = setUp();
    const client = make();
    const before = Array.from({ length: 8 }, () => get(client));
    await new Promise((resolve) => setTimeout(resolve, 5));
    await closeRateLimiters();
    const after = Array.from({ length: 4 }, () => get(client));
    await Promise.all([...before, ...after]);
    expect(requests()).toBe(12);
    expect(refused.count).toBe(0);
  });

  it('still forgets an idle limiter: a client made after it gets the limit it asks for', async () => {
    const { make, get, requests } = setUp();
    await get(make());
    // The window of that request has passed: nothing of it is left that a new limiter would not know.
    await new Promise((resolve) => setTimeout(resolve, 80));
    await closeRateLimiters();
    const slower = make({ requests: 1, interval: 60_000 });
    const started = performance.now();
    await Promise.all([get(slower), get(slower)]);
    expect(requests()).toBe(3);
    // The second waited for the first's window: this client's limit, not the closed limiter's 5.
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });
});
