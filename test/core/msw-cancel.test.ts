/**
 * A client reading through msw lets go of a body it does not read (a redirect's) without waiting for
 * the cancel: msw keeps an unread clone of each mocked answer, and the cancel of a body so teed never
 * settles. Through msw a client waited forever at a redirect, which the `fetch` adapter and the real
 * server followed.
 */
import { setupServer } from 'msw/node';
import { afterEach, describe, expect, it } from 'vitest';
import { socotra } from '../../src/providers/socotra/index.js';
import { createEmulator, SOCOTRA_EMULATOR_TENANT, SOCOTRA_EMULATOR_TOKEN, type FaultSpec } from '../../src/testing/index.js';

const BASE = 'https://api-ec-sandbox.socotra.com';
const server = setupServer();
afterEach(() => server.close());

async function pagesThroughMsw(fault: FaultSpec) {
  const emulator = createEmulator('socotra', { seed: 2, events: 6 });
  emulator.faults.add(fault);
  server.resetHandlers(...((await emulator.msw(BASE)) as never[]));
  server.listen({ onUnhandledRequest: 'error' });
  const client = socotra({
    baseUrl: BASE,
    tenantLocator: SOCOTRA_EMULATOR_TENANT,
    token: SOCOTRA_EMULATOR_TOKEN,
    rateLimit: false,
    retry: false,
  });
  const sizes: number[] = [];
  for await (const page of client.events.list({ pageSize: 4 }).byPage()) sizes.push(page.items.length);
  return sizes;
}

describe('a client reading through msw', () => {
  it('follows a redirect', { timeout: 5_000 }, async () => {
    const location = `/event/${SOCOTRA_EMULATOR_TENANT}/events/list?pageSize=4`;
    expect(await pagesThroughMsw({ kind: 'status', status: 307, headers: { Location: location }, schedule: { once: true } })).toEqual([4, 2, 0]);
  });
});
