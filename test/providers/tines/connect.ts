/**
 * Reaches a Tines emulator the two ways a user's tests do: msw intercepting the tenant's https URL, or
 * the emulator's real HTTP server on 127.0.0.1, and builds a client for it.
 */
import { serve, TRANSPORTS, type Transport } from '../../support/transport.js';
import { scaledClock } from '../../../src/core/clock.js';
import { tines, type TinesClient, type TinesOptions } from '../../../src/providers/tines/index.js';
import { DEFAULT_TINES_CREDENTIAL, tinesEmulator, type TinesEmulatorOptions } from '../../../src/providers/tines/emulator.js';
import type { EmulatorOptions } from '../../../src/testing/types.js';


export { TRANSPORTS, type Transport };
export const TENANT = 'https://tenant-1234.tines.com';

/** A fast clock: a second lasts a millisecond, for back-off, Retry-After and rate-limit windows. */
export const fastClock = () => scaledClock(0.001);

export interface Connected {
  emulator: ReturnType<typeof tinesEmulator.create>;
  baseUrl: string;
  client(options?: Partial<TinesOptions>): TinesClient;
  close(): Promise<void>;
}

export async function connect(
  transport: Transport,
  options: TinesEmulatorOptions & EmulatorOptions = {},
): Promise<Connected> {
  const clock = options.clock ?? fastClock();
  const emulator = tinesEmulator.create({ seed: 7, events: 60, ...options, clock });
  const { baseUrl, close } = await serve(emulator, transport, TENANT);
  return {
    emulator,
    baseUrl,
    client: (overrides = {}) => tines({ baseUrl, token: DEFAULT_TINES_CREDENTIAL.key, clock, ...overrides }),
    close,
  };
}

/** Every id of the listing, in delivery order. */
export async function listIds(client: TinesClient, query: Parameters<TinesClient['events']['list']>[0] = {}): Promise<string[]> {
  const ids: string[] = [];
  for await (const event of client.events.list(query)) ids.push(event.id);
  return ids;
}
