import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/core/clock.js';
import { watch } from '../../src/core/watch.js';
import { tines } from '../../src/providers/tines/index.js';
import { DEFAULT_TINES_CREDENTIAL, tinesEmulator } from '../../src/providers/tines/emulator.js';

/** A clock that records the waits asked of it and lets them pass at once. */
function recordingClock(): Clock & { slept: number[] } {
  const slept: number[] = [];
  return { slept, scale: 1, now: () => Date.now(), sleep: async (ms) => void slept.push(ms) };
}

describe("a watch given no clock of its own", () => {
  it("waits between polls on the clock of the listing's client, as the client's other waits are", async () => {
    const clientClock = recordingClock();
    const emulator = tinesEmulator.create({ events: 5, seed: 3 });
    const client = tines({ baseUrl: 'https://tenant.tines.com', token: DEFAULT_TINES_CREDENTIAL.key, fetch: emulator.fetch, clock: clientClock });
    let polls = 0;
    for await (const page of watch(client.events.list({ pageSize: 10 }), { interval: 45_000 })) {
      if (page.hasMore) continue;
      polls += 1;
      if (polls === 3) break;
    }
    // Two waits between three polls, both on the client's clock: on the system clock they would have
    // lasted 45 s each.
    expect(clientClock.slept.filter((ms) => ms === 45_000)).toHaveLength(2);
  });

  it('waits on its own clock when given one, not on the client\'s', async () => {
    const clientClock = recordingClock();
    const watchClock = recordingClock();
    const emulator = tinesEmulator.create({ events: 5, seed: 3 });
    const client = tines({ baseUrl: 'https://tenant.tines.com', token: DEFAULT_TINES_CREDENTIAL.key, fetch: emulator.fetch, clock: clientClock });
    let polls = 0;
    for await (const page of watch(client.events.list({ pageSize: 10 }), { interval: 45_000, clock: watchClock })) {
      if (page.hasMore) continue;
      polls += 1;
      if (polls === 2) break;
    }
    expect(watchClock.slept).toEqual([45_000]);
    expect(clientClock.slept).not.toContain(45_000);
  });
});
