/**
 * The in-process adapter: a `fetch` that hands the request to the emulator without a socket. Faults
 * surface as Node's own fetch reports them (see `network-error.ts`), so a client cannot tell it from
 * the network, and tests need no port.
 */
import type { EmulatorHandler } from './types.js';

/**
 * A `fetch` served by `emulator`.
 * @example const client = illumio({ ..., fetch: toFetch(emulator.handle) });
 */
export function toFetch(emulator: EmulatorHandler): typeof globalThis.fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    // A request aborted before or while it is handled rejects with the signal's reason, as fetch does.
    request.signal.throwIfAborted();
    const response = await emulator(request);
    request.signal.throwIfAborted();
    return response;
  };
}
