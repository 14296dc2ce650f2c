/**
 * The log of requests an emulator received, for assertions such as "the SDK sent `pagingToken` and no
 * other filter". Credential headers stay readable through `headers.get()` for tests that check
 * authentication, but printing a record (`console.log`, `util.inspect`, `JSON.stringify`) shows them
 * as `[REDACTED]`, so a failing test's output never leaks a secret. The same holds for a body's
 * credential fields (a Keystone login's `password`): `body` keeps the text as sent, its printed form
 * does not.
 */

import { redact } from '../core/redact.js';

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/** Headers whose values are credentials (as VENDORS.md lists them: Basic, Bearer, Keystone and Tines tokens). */
const CREDENTIAL_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'x-auth-token',
  'x-subject-token',
  'x-user-token',
  'x-api-key',
]);

/** One request as the emulator saw it. */
export interface RecordedRequest {
  /** Upper case, as sent. */
  readonly method: string;
  /** The absolute URL, query included. */
  readonly url: string;
  /** The URL's path, for quick assertions. */
  readonly path: string;
  /** The query parameters. */
  readonly query: URLSearchParams;
  /** The request headers, credentials included (not enumerable, and redacted when printed). */
  readonly headers: Headers;
  /** The body as text; `''` when there was none. */
  readonly body: string;
  /** When it arrived, by the emulator's clock (`clock.now()`). */
  readonly time: number;
  /** The headers with credential values replaced by `[REDACTED]`, safe to print. */
  redactedHeaders(): Record<string, string>;
}

/** JSON fields whose values are credentials, whatever they hold: passwords, API keys, any secret or token. */
const CREDENTIAL_FIELD = /^(?:password|passwd|api_?key)$|(?:secret|token)$/i;

/**
 * The body as printed. A JSON body's credential fields are replaced whole, after parsing: a pattern
 * cannot tell where a quoted value ends once it holds a space or an escaped quote. Anything else goes
 * through the patterns, as does the JSON after, for secrets registered by the clients.
 */
function printedBody(body: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return redact(body);
  }
  return redact(JSON.stringify(parsed, (key, value: unknown) => (CREDENTIAL_FIELD.test(key) ? '[REDACTED]' : value)));
}

function redactedHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name] = CREDENTIAL_HEADERS.has(name) ? '[REDACTED]' : value;
  });
  return out;
}

/** Reads `request` (through a clone, so the handler can still read the body) into a record. */
export async function recordRequest(request: Request, time: number): Promise<RecordedRequest> {
  const url = new URL(request.url);
  const body = request.body === null ? '' : await request.clone().text();
  // Copied entry by entry: `new Headers(request.headers)` drops entries of the proxied request objects
  // msw hands to resolvers once their body has been read.
  const headers = new Headers();
  request.headers.forEach((value, name) => headers.append(name, value));
  const record = {
    method: request.method.toUpperCase(),
    url: request.url,
    path: url.pathname,
    query: url.searchParams,
    body,
    time,
    redactedHeaders: () => redactedHeaders(headers),
    toJSON() {
      const { method, url: href, body: text, time: at } = record;
      return { method, url: href, headers: redactedHeaders(headers), body: printedBody(text), time: at };
    },
    [inspectSymbol]() {
      return `RecordedRequest ${JSON.stringify(record.toJSON(), null, 2)}`;
    },
  } as RecordedRequest & { toJSON(): unknown; [inspectSymbol](): string };
  Object.defineProperty(record, 'headers', { value: headers, enumerable: false });
  return record;
}
