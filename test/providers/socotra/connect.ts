/**
 * Reaches a Socotra emulator the two ways a user's tests do: msw intercepting the vendor's https URL,
 * or the emulator's real HTTP server on 127.0.0.1, and builds a client for it.
 */
import { serve, TRANSPORTS, type Transport } from '../../support/transport.js';
import { scaledClock } from '../../../src/core/clock.js';
import { socotra, type SocotraClient, type SocotraOptions } from '../../../src/providers/socotra/index.js';
import {
  SOCOTRA_EMULATOR_TENANT,
  SOCOTRA_EMULATOR_TOKEN,
  socotraEmulator,
  type SocotraEmulatorOptions,
} from '../../../src/providers/socotra/emulator.js';
import type { EmulatorOptions } from '../../../src/testing/types.js';


export { TRANSPORTS, type Transport };
export const HOST = 'https://api-ec-sandbox.socotra.com';
export const TENANT = SOCOTRA_EMULATOR_TENANT;
export const TOKEN = SOCOTRA_EMULATOR_TOKEN;

/** A fast clock: a second lasts a millisecond, for back-off, Retry-After and rate-limit windows. */
export const fastClock = () => scaledClock(0.001);

export interface Connected {
  emulator: ReturnType<typeof socotraEmulator.create>;
  baseUrl: string;
  client(options?: Partial<SocotraOptions>): SocotraClient;
  close(): Promise<void>;
}

export async function connect(
  transport: Transport,
  options: SocotraEmulatorOptions & EmulatorOptions = {},
): Promise<Connected> {
  const clock = options.clock ?? fastClock();
  const emulator = socotraEmulator.create({ seed: 11, events: 40, ...options, clock });
  const { baseUrl, close } = await serve(emulator, transport, HOST);
  return {
    emulator,
    baseUrl,
    client: (overrides = {}) => socotra({ baseUrl, tenantLocator: TENANT, token: TOKEN, clock, ...overrides }),
    close,
  };
}

/** The paths and queries the emulator received for the event stream, in order. */
export function listRequests(emulator: Connected['emulator']): URLSearchParams[] {
  return emulator.requests
    .map((request) => new URL(request.url))
    .filter((url) => url.pathname.endsWith('/events/list'))
    .map((url) => url.searchParams);
}
