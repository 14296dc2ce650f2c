/**
 * Shared test plumbing: the three ways of reaching an emulator, behind one interface, and a
 * classification of what a plain `fetch` client observes.
 */
import { setupServer } from 'msw/node';
import type { Clock } from '../../src/core/clock.js';
import type { Emulator } from '../../src/testing/index.js';

export type TransportKind = 'fetch' | 'msw' | 'server';
export const TRANSPORTS: readonly TransportKind[] = ['fetch', 'msw', 'server'];

export interface Transport {
  /** Fetches `path` (with its query) from the emulator through this transport. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

export async function openTransport(kind: TransportKind, emulator: Emulator, baseUrl = 'https://api.test.example'): Promise<Transport> {
  if (kind === 'fetch') {
    return { fetch: (path, init) => emulator.fetch(baseUrl + path, init), close: async () => {} };
  }
  if (kind === 'msw') {
    const server = setupServer(...(await emulator.msw(baseUrl)));
    server.listen({ onUnhandledRequest: 'error' });
    return { fetch: (path, init) => globalThis.fetch(baseUrl + path, init), close: async () => server.close() };
  }
  const server = await emulator.listen();
  return { fetch: (path, init) => globalThis.fetch(server.url + path, init), close: () => server.close() };
}

function causeCode(error: unknown): unknown {
  return (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
}

/**
 * What a client sees: `reset` (fetch rejected, cause ECONNRESET), `truncated` (the body read failed),
 * `html <status>`, `malformed <status>` (JSON content type, unparseable body), `429 <Retry-After>`,
 * or the status of a well-formed JSON answer.
 */
export async function observe(request: () => Promise<Response>): Promise<string> {
  let response: Response;
  try {
    response = await request();
  } catch (error) {
    // undici says 'fetch failed', msw's mocked network error 'Failed to fetch'; both carry the code.
    if (error instanceof TypeError && causeCode(error) === 'ECONNRESET') return 'reset';
    return `rejected ${String(error)}`;
  }
  let body: string;
  try {
    body = await response.text();
  } catch (error) {
    return error instanceof TypeError ? 'truncated' : `body failed ${String(error)}`;
  }
  if ((response.headers.get('content-type') ?? '').includes('text/html')) return `html ${response.status}`;
  try {
    JSON.parse(body);
  } catch {
    return `malformed ${response.status}`;
  }
  if (response.status === 429) return `429 ${response.headers.get('retry-after') ?? '-'}`;
  return String(response.status);
}

/** A clock whose time is set by the test and whose sleeps are recorded (and resolve at once). */
export function manualClock(start = Date.parse('2026-11-23T10:00:00.000Z'), scale = 0.001) {
  const sleeps: number[] = [];
  let now = start;
  const clock: Clock = {
    now: () => now,
    scale,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  };
  return {
    clock,
    sleeps,
    advance(ms: number) {
      now += ms;
    },
  };
}
