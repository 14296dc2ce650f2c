/** A client clock stepped back (an NTP step) between the pages of a listing; between polls: ../clock-step.test.ts. */
import { describe, expect, it } from 'vitest';
import { scaledClock } from '../../../src/core/clock.js';
import { fujitsu } from '../../../src/providers/fujitsu/index.js';
import { fujitsuEmulator } from '../../../src/providers/fujitsu/emulator.js';
import { BASE, TENANT, TOKEN } from './helpers.js';

const SERVER_NOW = Date.parse('2026-11-23T12:00:00.000Z');
const HOUR = 3_600_000;

function setup() {
  // The service's clock stays; only the client's steps.
  const emulator = fujitsuEmulator.create({ events: 0, clock: scaledClock(0.001, () => SERVER_NOW) });
  const client = { now: SERVER_NOW };
  const k5 = fujitsu({ baseUrl: BASE, tenantId: TENANT, token: TOKEN, fetch: emulator.fetch, clock: scaledClock(0.001, () => client.now) });
  const add = (at: number) => emulator.store.events.add(TENANT, { at: new Date(at).toISOString() });
  return { emulator, client, k5, add };
}

describe('fujitsu listing under a stepped client clock', () => {
  it.each([-HOUR, -10 * 60_000, -5_000])('lists every event when the clock steps by %i ms between two pages', async (step) => {
    const { client, k5, add } = setup();
    for (let i = 0; i < 50; i++) add(SERVER_NOW - 50_000 + i * 1000);
    const ids: string[] = [];
    for await (const page of k5.events.list({ since: '2026-11-23T11:00:00Z', pageSize: 20 }).byPage()) {
      ids.push(...page.items.map((event) => event.id));
      client.now = SERVER_NOW + step;
    }
    expect(new Set(ids).size).toBe(50);
    expect(ids).toHaveLength(50);
  });
});
