/**
 * The two ways a user's tests reach an emulator: msw intercepting the vendor's own https URL, or the
 * emulator's real HTTP server on 127.0.0.1. Provider tests run the same cases through both.
 */
import { setupServer } from 'msw/node';
import type { Emulator } from '../../src/testing/types.js';

export type Transport = 'msw' | 'server';
export const TRANSPORTS: readonly Transport[] = ['msw', 'server'];

export interface Served {
  /** The base URL a client uses: the vendor's URL under msw, the local server's otherwise. */
  baseUrl: string;
  close(): Promise<void>;
}

/** Serves `emulator` through `transport`; `vendorUrl` is what msw intercepts. */
export async function serve(emulator: Emulator<unknown>, transport: Transport, vendorUrl: string): Promise<Served> {
  if (transport === 'msw') {
    const server = setupServer(...(await emulator.msw(vendorUrl)));
    server.listen({ onUnhandledRequest: 'error' });
    return { baseUrl: vendorUrl, close: async () => server.close() };
  }
  const server = await emulator.listen();
  return { baseUrl: server.url, close: () => server.close() };
}
