/**
 * What crossing a socket does to a request and to its answer, which the in-process adapters (`fetch`,
 * msw) do too, so that an emulator answers them as it answers the real server: a server never receives
 * the URL's fragment, and an HTTP/1.1 status line carries a reason phrase, which fetch reads as
 * `statusText` (the SDK's errors quote it: `returned 404 Not Found`).
 */
import { statusTextOf } from './responses.js';

/** `request` as a server receives it: without the URL's fragment, which fetch never sends. */
export function asReceived(request: Request): Request {
  const url = new URL(request.url);
  url.hash = '';
  return url.href === request.url ? request : new Request(url, request);
}

/** `response` with the status text a client reads from the status line: its own, or its status's reason phrase. */
export function asAnswered(response: Response): Response {
  const statusText = statusTextOf(response);
  if (statusText === response.statusText || response.type === 'error') return response;
  return new Response(response.body, { status: response.status, statusText, headers: response.headers });
}
