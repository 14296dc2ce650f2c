/**
 * The msw adapter. msw is an optional peer dependency: it is imported on first use, never at import
 * time, so `tributary/testing` loads (with the `fetch` and server adapters) where msw is not installed.
 * That is why this returns a promise: `setupServer(...(await toMswHandlers(emulator, baseUrl)))`.
 */
import type { MswHandler } from './msw-handler.js';
import { ConfigurationError } from '../core/errors.js';
import { isSlash, stripEnd } from '../core/strip.js';
import { isConnectionReset } from './network-error.js';
import type { EmulatorHandler } from './types.js';
import { asAnswered, asReceived } from './wire.js';

function isUnder(url: URL, base: URL): boolean {
  if (url.origin !== base.origin) return false;
  const prefix = stripEnd(base.pathname, isSlash);
  return prefix === '' || url.pathname === prefix || url.pathname.startsWith(`${prefix}/`);
}

/**
 * A connection reset as msw mocks network errors: `Response.error()`, which makes `fetch` reject with
 * `TypeError('Failed to fetch')` whose `cause` is this response. The socket error's `code`, `errno`
 * and `syscall` are set on it, so `error.cause.code === 'ECONNRESET'` as with undici.
 *
 * Rethrowing undici's own shape would reach the caller too, but msw then prints every reset to the
 * console as an "unhandled exception" in a handler.
 */
function resetResponse(): Response {
  return Object.assign(Response.error(), { code: 'ECONNRESET', errno: -104, syscall: 'read' });
}

async function answer(emulator: EmulatorHandler, request: Request): Promise<Response> {
  try {
    return asAnswered(await emulator(asReceived(request)));
  } catch (error) {
    if (isConnectionReset(error)) return resetResponse();
    // As the real server answers a failing emulator: a 500 that says why, not msw's logged stack.
    return new Response(`emulator failed: ${error instanceof Error ? error.message : String(error)}`, {
      status: 500,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  }
}

/**
 * msw handlers that send every request under `baseUrl` (any method, any path) to `emulator`.
 * A connection-reset fault rejects the caller's `fetch` with a `TypeError` whose `cause.code` is
 * `ECONNRESET`; a truncated body fails mid-read, as it does over a socket.
 * @example
 * const server = setupServer(...(await toMswHandlers(emulator.handle, 'https://pce.example.com:8443')));
 */
export async function toMswHandlers(emulator: EmulatorHandler, baseUrl: string): Promise<MswHandler[]> {
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    throw new ConfigurationError(`baseUrl is not an absolute URL: ${baseUrl}`, { option: 'baseUrl' });
  }
  let msw: typeof import('msw');
  try {
    msw = await import('msw');
  } catch (cause) {
    throw new ConfigurationError('msw handlers need the optional peer dependency msw: npm install -D msw', {
      option: 'msw',
      cause,
    });
  }
  return [
    msw.http.all(
      ({ request }) => isUnder(new URL(request.url), base),
      ({ request }) => answer(emulator, request),
    ),
  ];
}
