/**
 * Reaches a Cloud Integration Hub emulator the two ways a user's tests do: msw intercepting the pod's
 * https URL, or the emulator's real HTTP server on 127.0.0.1, and builds clients for it.
 */
import { serve, TRANSPORTS, type Transport } from '../../support/transport.js';
import { scaledClock, type Clock } from '../../../src/core/clock.js';
import { informatica, type InformaticaClient, type InformaticaOptions } from '../../../src/providers/informatica/index.js';
import {
  DEFAULT_INFORMATICA_USER,
  informaticaEmulator,
  type InformaticaEmulatorOptions,
} from '../../../src/providers/informatica/emulator.js';
import type { EmulatorOptions } from '../../../src/testing/types.js';

export { TRANSPORTS, type Transport };
export const POD = 'https://cih-pod1.dm-us.informaticacloud.com';

/** A second lasts a millisecond: back-off, Retry-After and the 5/min windows run in milliseconds. */
export const fastClock = (): Clock => scaledClock(0.001);

/** A client that reaches the pod through `fetch` (an emulator's, in process), both rate limits off: tests of paging alone. */
export function inProcessClient(fetch: typeof globalThis.fetch, clock: Clock, extra: Partial<InformaticaOptions> = {}): InformaticaClient {
  return informatica({
    baseUrl: POD,
    username: DEFAULT_INFORMATICA_USER.user,
    password: DEFAULT_INFORMATICA_USER.password,
    fetch,
    clock,
    rateLimit: false,
    ...extra,
  });
}

export interface Connected {
  emulator: ReturnType<typeof informaticaEmulator.create>;
  baseUrl: string;
  clock: Clock;
  client(options?: Partial<InformaticaOptions>): InformaticaClient;
  close(): Promise<void>;
}

export async function connect(
  transport: Transport,
  options: InformaticaEmulatorOptions & EmulatorOptions = {},
): Promise<Connected> {
  const clock = options.clock ?? fastClock();
  const emulator = informaticaEmulator.create({ seed: 7, events: 40, ...options, clock });
  const { baseUrl, close } = await serve(emulator, transport, POD);
  return {
    emulator,
    baseUrl,
    clock,
    client: (overrides = {}) =>
      informatica({
        baseUrl,
        username: DEFAULT_INFORMATICA_USER.user,
        password: DEFAULT_INFORMATICA_USER.password,
        clock,
        retry: { minDelay: 10, maxDelay: 100 },
        ...overrides,
      }),
    close,
  };
}

/** Rejection of `promise`, or a failure if it resolves. */
export async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}
