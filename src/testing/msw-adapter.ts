/**
 * The msw adapter. msw is an optional peer dependency: it is imported on first use, never at import
 * time, so `tributary/testing` loads (with the `fetch` and server adapters) where msw is not installed.
 * That is why this returns a promise: `setupServer(...(await toMswHandlers(emulator, baseUrl)))`.
 */
import type { HttpHandler } from 'msw';
import { ConfigurationError } from '../core/errors.js';
import type { EmulatorHandler } from './types.js';

function isUnder(url: URL, base: URL): boolean {
  if (url.origin !== base.origin) return false;
  const prefix = base.pathname.replace(/\/+$/, '');
  return prefix === '' || url.pathname === prefix || url.pathname.startsWith(`${prefix}/`);
}

/**
 * msw handlers that send every request under `baseUrl` (any method, any path) to `emulator`.
 * A connection-reset fault reaches the caller of `fetch` as the rejection Node's fetch produces.
 * @example
 * const server = setupServer(...(await toMswHandlers(emulator.handle, 'https://pce.example.com:8443')));
 */
export async function toMswHandlers(emulator: EmulatorHandler, baseUrl: string): Promise<HttpHandler[]> {
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
      ({ request }) => emulator(request),
    ),
  ];
}
