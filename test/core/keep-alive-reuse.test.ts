/**
 * Kept-alive connections on a real port, as a vendor or its proxy keeps them: one closed by the server
 * (a reset) just as the client reuses it is a network failure, retried once for a read, and the listing
 * loses no page and repeats none; an answer whose head came and whose body stalls, or trickles a byte
 * at a time past the attempt's `timeout`, is a `TimeoutError` for the whole body read, retried, and
 * leaves no connection of its open on the server.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { isTimeoutError, TimeoutError } from '../../src/core/errors.js';
import { socotra } from '../../src/providers/socotra/index.js';
import { SOCOTRA_EMULATOR_TENANT, SOCOTRA_EMULATOR_TOKEN, socotraEmulator } from '../../src/providers/socotra/emulator.js';
import { tines } from '../../src/providers/tines/index.js';
import { DEFAULT_TINES_CREDENTIAL, tinesEmulator } from '../../src/providers/tines/emulator.js';
import type { EmulatorHandler } from '../../src/testing/types.js';
import { startKeepAliveWire, type KeepAliveWire, type Move, type Received } from '../support/keep-alive-wire.js';

const retry = { retries: 2, minDelay: 1, maxDelay: 1 };

let wire: KeepAliveWire | undefined;
afterEach(async () => {
  await wire?.close();
  wire = undefined;
});

/** A client of the vendor on `baseUrl`: every event id of a listing in pages of 4. */
type Lister = (baseUrl: string, options: { timeout: number; retry: typeof retry; hooks: { onRetry: (info: { reason: string }) => void } }) => Promise<string[]>;

const VENDORS: Record<'tines' | 'socotra', { handle: EmulatorHandler; list: Lister }> = {
  tines: {
    handle: tinesEmulator.create({ seed: 4, events: 13, rateLimit: false }).handle,
    list: async (baseUrl, options) =>
      (await tines({ baseUrl, token: DEFAULT_TINES_CREDENTIAL.key, rateLimit: false, ...options }).events.list({ pageSize: 4 }).toArray()).map((event) => event.id),
  },
  socotra: {
    handle: socotraEmulator.create({ seed: 4, events: 13 }).handle,
    list: async (baseUrl, options) =>
      (
        await socotra({ baseUrl, tenantLocator: SOCOTRA_EMULATOR_TENANT, token: SOCOTRA_EMULATOR_TOKEN, rateLimit: false, ...options })
          .events.list({ pageSize: 4 })
          .toArray()
      ).map((event) => event.id),
  },
};

describe.each(Object.keys(VENDORS) as Array<keyof typeof VENDORS>)('%s over kept-alive connections', (name) => {
  const vendor = VENDORS[name];

  async function listed(choose: (request: Received) => Move): Promise<{ ids: string[]; retries: string[] }> {
    wire = await startKeepAliveWire(vendor.handle, choose);
    const retries: string[] = [];
    const ids = await vendor.list(wire.url, { timeout: 5_000, retry, hooks: { onRetry: (info) => void retries.push(info.reason) } });
    return { ids, retries };
  }

  it('a connection reset as it is reused is retried once; the listing loses no page and repeats none', async () => {
    const healthy = await listed(() => 'answer');
    await wire?.close();
    let reset = false;
    const { ids, retries } = await listed((request) => {
      if (request.reused === 0 || reset) return 'answer';
      reset = true;
      return 'reset';
    });
    expect(reset).toBe(true);
    expect(retries).toEqual(['network']);
    expect(ids).toEqual(healthy.ids);
    expect(new Set(ids).size).toBe(13);
  });

  it.each(['stall', 'trickle'] as const)('a body that %ss after its head times out as a whole, is retried, and its connections are closed', async (move) => {
    wire = await startKeepAliveWire(vendor.handle, () => move);
    const retries: string[] = [];
    const error = await vendor
      .list(wire.url, { timeout: 150, retry: { ...retry, retries: 1 }, hooks: { onRetry: (info) => void retries.push(info.reason) } })
      .then(() => undefined, (failure: unknown) => failure);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(isTimeoutError(error)).toBe(true);
    expect((error as Error).message).toMatch(/timed out after 150 ms after 2 attempts$/);
    expect(retries).toEqual(['timeout']);
    expect(wire.received).toHaveLength(2);
    // Ends once the client has closed both: a connection left open would hold the test to its timeout.
    await wire.drained();
  });
});
