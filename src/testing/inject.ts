/**
 * Turns a fault that fired into the answer the client sees. Kept apart from the schedule logic so the
 * adapters share one behaviour: the in-process ones see the rejection or the failing stream, the real
 * server turns the same signals into a destroyed socket.
 */
import type { Clock } from '../core/clock.js';
import type { FaultDecision } from './faults.js';
import { connectionResetError, truncatedBodyError } from './network-error.js';
import { htmlErrorPage, reasonPhrase } from './responses.js';
import type { Rng } from './rng.js';

/**
 * Builds the vendor's error body for a status; see `EmulatorDefinition.errorResponse`. `request` is the
 * request answered, for a vendor whose services answer errors in shapes of their own (FUJITSU's
 * Keystone and DBaaS). `rng` is the emulator's seeded stream of answers: a request id drawn from it is
 * the same in every run of one seed, injected faults included. `clock` is the emulator's, for a time in
 * the body (Socotra's `timestamp`), which the machine's would make differ between runs.
 */
export type ErrorResponder = (
  status: number,
  message: string,
  headers: Record<string, string>,
  request: Request,
  rng: Rng,
  clock: Clock,
) => Response;

/** A JSON document cut inside an array, as a proxy that gave up mid-response leaves it. */
const MALFORMED_JSON = '{"events":[{"id":"01J8Z6","time":"2026-11-23T10:00:00Z","type":';

function retryAfterValue(seconds: number, format: 'seconds' | 'http-date', clock: Clock): string {
  if (format === 'seconds') return String(Math.ceil(seconds));
  // HTTP dates have second resolution: round up so the client never waits less than asked.
  return new Date(Math.ceil((clock.now() + seconds * 1000) / 1000) * 1000).toUTCString();
}

/** A copy of `response` whose body stops after `fraction` of its bytes with a network error. */
async function truncate(response: Response, fraction: number): Promise<Response> {
  const bytes = new Uint8Array(await response.arrayBuffer());
  const cut = Math.floor(bytes.length * fraction);
  const headers = new Headers(response.headers);
  // The full length is announced, as the server meant to send it; the client notices the shortfall.
  headers.set('content-length', String(bytes.length));
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      if (cut > 0) controller.enqueue(bytes.slice(0, cut));
    },
    pull(controller) {
      controller.error(truncatedBodyError());
    },
  });
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

/**
 * Waits the decided latency, then answers with the fault, or with `answer()` when no fault fired.
 * A reset rejects with the error `fetch` would reject with.
 */
export async function applyFaults(
  decision: FaultDecision,
  request: Request,
  clock: Clock,
  errorResponse: ErrorResponder,
  rng: Rng,
  answer: () => Promise<Response>,
): Promise<Response> {
  if (decision.latencyMs > 0) await clock.sleep(decision.latencyMs, request.signal);
  const fault = decision.fault;
  switch (fault?.kind) {
    case undefined:
      return answer();
    case 'rate-limit': {
      const retryAfter = retryAfterValue(fault.retryAfter ?? 1, fault.retryAfterFormat ?? 'seconds', clock);
      // A date is an instant on this clock, which the client's need not agree with: it reads the date
      // against the answer's own `Date` (RFC 9110 §10.2.3), which the emulator sets on every answer.
      return errorResponse(429, reasonPhrase(429), { 'Retry-After': retryAfter }, request, rng, clock);
    }
    case 'status': {
      const status = fault.status ?? 503;
      return errorResponse(status, reasonPhrase(status), fault.headers ?? {}, request, rng, clock);
    }
    case 'reset':
      throw connectionResetError();
    case 'truncate': {
      const response = await answer();
      // An answer without a body (a 204) has nothing to cut.
      return response.body === null ? response : truncate(response, fault.fraction ?? 0.5);
    }
    case 'malformed-json':
      return new Response(MALFORMED_JSON, {
        status: fault.status ?? 200,
        // Declared whole: the server's own text, not a body cut in transit (a `truncate` fault), which a
        // client retries.
        headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': String(MALFORMED_JSON.length) },
      });
    case 'html':
      return htmlErrorPage(fault.status ?? 502);
  }
}
