/**
 * The in-process adapter: a `fetch` that hands the request to the emulator without a socket. Faults
 * surface as Node's own fetch reports them (see `network-error.ts`), so a client cannot tell it from
 * the network, and tests need no port. Redirects are followed as fetch follows them (`redirect`
 * `'follow'` by default, `'error'`, `'manual'`), so code under test sees what it would over msw or the
 * real server.
 */
import { REDIRECT_STATUSES, redirectsToGet } from '../core/redirect.js';
import { decodedBody } from './content-coding.js';
import { statusTextOf } from './responses.js';
import type { EmulatorHandler } from './types.js';
import { asReceived } from './wire.js';

/** Fetch's own limit of redirects followed for one request. */
const MAX_REDIRECTS = 20;
/** Headers fetch drops when a redirect leaves the origin. */
const ORIGIN_CREDENTIALS = ['authorization', 'cookie', 'proxy-authorization'];

/**
 * `response` as fetch resolves it: `url` is the URL it answered (without fragment), `redirected` says
 * whether a redirect was followed to get there, and an abort after the headers fails the reading of the
 * body with the signal's reason, as over a socket.
 */
function asFetched(response: Response, request: Request, redirected: boolean): Response {
  const decoded = decodedBody(response.body, response.headers.get('content-encoding'), response.status, request.method);
  const body = decoded?.pipeThrough(new TransformStream(), { signal: request.signal }) ?? null;
  const url = new URL(request.url);
  url.hash = '';
  // The status line's reason phrase, as over a socket (`asAnswered`).
  const statusText = statusTextOf(response);
  return located(new Response(body, { status: response.status, statusText, headers: response.headers }), url.href, redirected);
}

/** A constructed response's `url` and `redirected` (getters) read `''` and `false`, its clones' too. */
function located(response: Response, url: string, redirected: boolean): Response {
  const clone = response.clone.bind(response);
  return Object.defineProperties(response, {
    url: { value: url },
    redirected: { value: redirected },
    clone: { value: () => located(clone(), url, redirected) },
  });
}

/**
 * A `fetch` served by `emulator`.
 * @example const client = illumio({ ..., fetch: toFetch(emulator.handle) });
 */
export function toFetch(emulator: EmulatorHandler): typeof globalThis.fetch {
  return async (input, init) => {
    let request = new Request(input, init);
    // A request aborted before or while it is handled rejects with the signal's reason, as fetch does.
    request.signal.throwIfAborted();
    const follows = request.redirect === 'follow';
    // Kept for a 307 or 308, which send the body again; read before the emulator consumes it.
    const body = follows && request.body !== null ? await request.clone().arrayBuffer() : null;
    for (let hops = 0; ; hops += 1) {
      const response = await emulator(asReceived(request));
      request.signal.throwIfAborted();
      const location = response.headers.get('location');
      if (!REDIRECT_STATUSES.has(response.status) || location === null || request.redirect === 'manual') {
        return asFetched(response, request, hops > 0);
      }
      await response.body?.cancel();
      if (!follows || hops >= MAX_REDIRECTS) {
        throw new TypeError('fetch failed', { cause: new Error(follows ? 'redirect count exceeded' : 'unexpected redirect') });
      }
      const next = new URL(location, request.url);
      const toGet = redirectsToGet(response.status, request.method);
      const headers = new Headers(request.headers);
      if (next.origin !== new URL(request.url).origin) for (const name of ORIGIN_CREDENTIALS) headers.delete(name);
      if (toGet) headers.delete('content-type');
      request = new Request(next, {
        method: toGet ? 'GET' : request.method,
        headers,
        body: toGet || request.method === 'GET' || request.method === 'HEAD' ? null : body,
        signal: request.signal,
        redirect: 'follow',
      });
    }
  };
}
