/**
 * Reaches an Illumio PCE emulator the two ways a user's tests do: msw intercepting the PCE's https URL,
 * or the emulator's real HTTP server on 127.0.0.1, and builds a client for it.
 */
import { serve, TRANSPORTS, type Transport } from '../../support/transport.js';
import { scaledClock, type Clock } from '../../../src/core/clock.js';
import { illumio, type IllumioClient, type IllumioListQuery, type IllumioOptions } from '../../../src/providers/illumio/index.js';
import {
  DEFAULT_ILLUMIO_CREDENTIAL,
  illumioEmulator,
  type IllumioEmulatorOptions,
} from '../../../src/providers/illumio/emulator.js';
import type { EmulatorOptions } from '../../../src/testing/types.js';

export { TRANSPORTS, type Transport };
export const PCE = 'https://pce.example.com:8443';

/** A fast clock: a second lasts a millisecond, for back-off, Retry-After, job polls and rate windows. */
export const fastClock = () => scaledClock(0.001);

export type IllumioTestEmulator = ReturnType<typeof illumioEmulator.create>;

export interface Connected {
  emulator: IllumioTestEmulator;
  baseUrl: string;
  client(options?: Partial<IllumioOptions>): IllumioClient;
  close(): Promise<void>;
}

export async function connect(
  transport: Transport,
  options: IllumioEmulatorOptions & EmulatorOptions = {},
): Promise<Connected> {
  const clock = options.clock ?? fastClock();
  const emulator = illumioEmulator.create({ seed: 7, events: 120, ...options, clock });
  const { baseUrl, close } = await serve(emulator, transport, PCE);
  return {
    emulator,
    baseUrl,
    client: (overrides = {}) =>
      illumio({
        baseUrl,
        orgId: 1,
        apiKey: DEFAULT_ILLUMIO_CREDENTIAL.apiKey,
        apiSecret: DEFAULT_ILLUMIO_CREDENTIAL.apiSecret,
        clock,
        ...overrides,
      }),
    close,
  };
}

/**
 * A client of `emulator` in process, both rate limits off (tests of paging alone): through the
 * emulator's `fetch`, or through `fetch` itself when msw intercepts the PCE's URL.
 */
export function inProcessClient(emulator: IllumioTestEmulator, clock: Clock, viaMsw = false): IllumioClient {
  return illumio({
    baseUrl: PCE,
    orgId: 1,
    apiKey: DEFAULT_ILLUMIO_CREDENTIAL.apiKey,
    apiSecret: DEFAULT_ILLUMIO_CREDENTIAL.apiSecret,
    clock,
    rateLimit: false,
    ...(viaMsw ? {} : { fetch: emulator.fetch }),
  });
}

/** Every href of the listing, in delivery order. */
export async function listIds(client: IllumioClient, query: IllumioListQuery = {}): Promise<string[]> {
  const ids: string[] = [];
  for await (const event of client.events.list(query)) ids.push(event.id);
  return ids;
}

/** The store's hrefs newest first, as a complete listing must deliver them (ties in any order). */
export function storeIds(emulator: IllumioTestEmulator): string[] {
  return emulator.store.events.map((event) => event.href);
}
