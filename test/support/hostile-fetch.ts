/**
 * A vendor in front of its emulator that fails at random in the ways that carry a request's
 * credentials back to the client: error pages and JSON bodies that echo the request (its headers, a
 * Basic login decoded, a login body) in the escapes servers write and in JSON that a string of JSON
 * holds, a credential in base64 on its own or in another Unicode normalization (NFKC among them),
 * request ids copied from a header,
 * `fetch` rejecting with the header value in its message, redirects to another origin and to the same
 * one with the credential in the query, bodies that break off, stalls until the client's timeout, and
 * pages of the wrong shape. Every request to another origin is recorded, so a test can tell that none
 * was sent (the client follows redirects itself: what this `fetch` is asked is what the network sees).
 */
import type { Rng } from '../../src/testing/rng.js';

/** Where a cross-origin redirect points; a request there is a credential sent away. */
export const THIEF_ORIGIN = 'https://thief.example.net';

export type Action = 'pass' | 'echo' | 'shape' | 'reject' | 'foreign' | 'same' | 'stall' | 'truncate' | 'malformed' | 'latency';

const WEIGHTS: ReadonlyArray<[Action, number]> = [
  ['pass', 8],
  ['echo', 6],
  ['shape', 2],
  ['reject', 2],
  ['foreign', 2],
  ['same', 2],
  ['stall', 1],
  ['truncate', 1],
  ['malformed', 1],
  ['latency', 1],
];

export function pickAction(rng: Rng): Action {
  let draw = rng.next() * WEIGHTS.reduce((sum, [, weight]) => sum + weight, 0);
  for (const [action, weight] of WEIGHTS) if ((draw -= weight) < 0) return action;
  return 'pass';
}

/** What a request carried, as a server would dump it: its URL, headers (a Basic login decoded) and body. */
function dumpOf(url: string, headers: Record<string, string>, body: string | undefined): string {
  const lines = [`request ${url}`];
  for (const [name, value] of Object.entries(headers)) {
    lines.push(`${name}: ${value}`);
    const basic = /^Basic\s+(\S+)$/i.exec(value);
    if (basic?.[1]) lines.push(`login: ${Buffer.from(basic[1], 'base64').toString('utf8')}`);
  }
  if (body !== undefined) lines.push(`body: ${body}`);
  return lines.join('\n');
}

const htmlEscape = (text: string): string => text.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : `&#${c.charCodeAt(0)};`));
const asciiJson = (value: unknown): string => JSON.stringify(value).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
const goJson = (value: unknown): string => JSON.stringify(value).replace(/[&<>]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);

/**
 * `text` as PHP's `urlencode` writes the bytes of a header it received: each character one Latin-1 byte,
 * letters, digits and `-_.` as they are, a space `+`, every other byte `%XX`.
 */
export function latin1UrlEncoded(text: string): string {
  return [...Buffer.from(text, 'latin1')]
    .map((byte) => {
      const char = String.fromCharCode(byte);
      return /[A-Za-z0-9_.-]/.test(char) ? char : char === ' ' ? '+' : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

/** A header value, the credential after its scheme, and a Basic login's password. */
function credentialParts(value: string): string[] {
  const parts = [value];
  const match = /^(Bearer|Basic|Token)\s+(\S+)$/i.exec(value);
  if (match?.[2]) parts.push(match[2]);
  if (match?.[1]?.toLowerCase() === 'basic') parts.push(Buffer.from(match[2] as string, 'base64').toString('utf8').replace(/^[^:]*:/, ''));
  return parts;
}

/** The Unicode normalizations a server may apply to what it received (PRECIS, SASLprep's NFKC, macOS' NFD). */
const NORMALIZATIONS = ['NFC', 'NFD', 'NFKC', 'NFKD'] as const;

/**
 * `text` as a server writes what it received its own way: on its own in base64 (either alphabet, padded
 * or not), in another Unicode normalization, or as JavaScript's `escape` writes it; now and then
 * normalized before it is encoded.
 */
function ownWay(rng: Rng, text: string): string {
  const received = rng.chance(0.5) ? text.normalize(rng.pick(NORMALIZATIONS)) : text;
  switch (rng.int(0, 4)) {
    case 0:
      return Buffer.from(received).toString('base64');
    case 1:
      return Buffer.from(received).toString('base64url');
    case 2:
      return Buffer.from(received).toString('base64').replace(/=+$/, '');
    case 3:
      return text.normalize(rng.pick(NORMALIZATIONS));
    default:
      return escape(received);
  }
}

/** The dump in one of the forms an error page or a JSON error body holds it. */
function echoBody(rng: Rng, dump: string, headers: Record<string, string>): { type: string; text: string } {
  // The fields the five vendors' error extractors read: a message, an error, a list of them.
  const shaped = { message: dump, error: { message: dump, code: 'E' }, errors: [{ message: dump }], token: 'invalid', detail: dump };
  switch (rng.int(0, 9)) {
    case 0:
      return { type: 'text/plain', text: dump };
    case 1:
      return { type: 'application/json', text: JSON.stringify(shaped) };
    case 2:
      return { type: 'application/json', text: asciiJson(shaped).replaceAll('/', '\\/') };
    case 3:
      return { type: 'application/json', text: goJson([{ token: 'invalid', message: dump }]) };
    case 4:
      return { type: 'text/html', text: `<html><body><pre>${htmlEscape(dump)}</pre></body></html>` };
    case 5:
      return { type: 'text/plain', text: `refused ${encodeURIComponent(dump).replace(/%[0-9A-F]{2}/g, (c) => (rng.chance(0.5) ? c.toLowerCase() : c))}` };
    case 6:
      return { type: 'application/x-www-form-urlencoded', text: new URLSearchParams({ error: 'denied', request: dump }).toString() };
    case 7:
      return { type: 'text/plain', text: `refused ${Object.values(headers).flatMap(credentialParts).map((part) => ownWay(rng, part)).join(' ')}` };
    case 8:
      // A server that escapes the bytes it received (PHP's `urlencode`): a header value's are Latin-1.
      return { type: 'text/plain', text: `refused ${Object.values(headers).map((value) => latin1UrlEncoded(value)).join(' ')}` };
    case 9:
      // A gateway's JSON error quoting its upstream's JSON body: each escape of that body escaped once more (`\\\\`, `\\\"`).
      return { type: 'application/json', text: JSON.stringify({ message: `upstream said ${rng.chance(0.5) ? JSON.stringify(shaped) : asciiJson(shaped)}` }) };
    default:
      return { type: 'application/json', text: JSON.stringify({ message: dump.slice(0, 300), requestUrl: dump }) };
  }
}

/** A body that breaks off after `text`. */
function breakingBody(text: string): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(text));
      controller.error(Object.assign(new TypeError(`terminated: ${text.slice(0, 200)}`), { code: 'UND_ERR_SOCKET' }));
    },
  });
}

function headersOf(init: RequestInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  new Headers(init?.headers).forEach((value, name) => (out[name] = value));
  // `Headers` drops the Latin-1 form of nothing, but keeps the header names lower-case, as servers see them.
  return out;
}

function waitForAbort(signal: AbortSignal | null | undefined): Promise<never> {
  return new Promise((_, reject) => {
    if (signal?.aborted) reject(signal.reason as Error);
    signal?.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
  });
}

export interface Hostile {
  fetch: typeof globalThis.fetch;
  /** Requests sent to another origin than the vendor's: each is a leak. */
  foreign: Array<{ url: string; headers: Record<string, string>; body: string | undefined }>;
  /** Every action taken, for the failure's message. */
  log: string[];
  /** Values of `X-Subject-Token` the vendor handed out: credentials too. */
  issued: string[];
}

/**
 * `inner` (an emulator's in-process `fetch`) behind the failures above, drawn from `rng` with the chance
 * `hostility` of a failure per request.
 */
export function hostileFetch(inner: typeof globalThis.fetch, rng: Rng, hostility: number): Hostile {
  const foreign: Hostile['foreign'] = [];
  const log: string[] = [];
  const issued: string[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const headers = headersOf(init);
    const body = typeof init?.body === 'string' ? init.body : undefined;
    if (url.origin === THIEF_ORIGIN) {
      foreign.push({ url: url.href, headers, body });
      return Response.json({ stolen: true });
    }
    const action = rng.chance(hostility) ? pickAction(rng) : 'pass';
    log.push(`${init?.method ?? 'GET'} ${url.pathname} ${action}`);
    const dump = dumpOf(url.href, headers, body);
    const status = rng.pick([400, 401, 403, 404, 409, 429, 500, 502, 503, 504]);
    switch (action) {
      case 'echo': {
        const { type, text } = echoBody(rng, dump, headers);
        const extra: Record<string, string> = { 'content-type': type };
        // Beyond the client's `maxRetryAfter` now and then: the requests behind it fail unsent.
        if (rng.chance(0.5)) extra['retry-after'] = rng.pick(['0', '1', '3600']);
        // Gateways have been seen to copy a request's headers into their request id.
        if (rng.chance(0.5)) extra[rng.pick(['x-request-id', 'x-openstack-request-id', 'x-correlation-id', 'x-b3-traceid'])] = `req ${Object.values(headers).join(' ')}`.replace(/[^\t\x20-\x7e\x80-\xff]/g, '?');
        return new Response(text, { status, headers: extra });
      }
      case 'shape': {
        const { text } = echoBody(rng, dump, headers);
        // A 200 whose page is not the vendor's: the raw value keeps what was received.
        return new Response(rng.chance(0.5) ? JSON.stringify({ events: text, data: [{ id: dump }], items: null }) : JSON.stringify(dump), {
          status: 200,
          headers: { 'content-type': 'application/json', 'x-subject-token': '' },
        });
      }
      case 'malformed':
        return new Response(`{"events": [${dump}`, { status: rng.pick([200, status]), headers: { 'content-type': 'application/json' } });
      case 'truncate':
        return new Response(breakingBody(`{"message": ${JSON.stringify(dump)}`), { status: rng.pick([200, status]), headers: { 'content-type': 'application/json' } });
      case 'reject': {
        const value = Object.values(headers).join(' ');
        const socket = Object.assign(new Error(`write EPIPE while sending ${value}`), { code: 'EPIPE', request: { headers, body } });
        throw rng.chance(0.8) ? new TypeError(`Headers.set: "${value}" is an invalid header value`, { cause: socket }) : { message: dump, headers };
      }
      case 'foreign': {
        const location = `${THIEF_ORIGIN}/collect${url.pathname}${rng.chance(0.5) ? url.search : ''}`;
        return new Response(null, { status: rng.pick([301, 302, 303, 307, 308]), headers: { location } });
      }
      case 'same': {
        // The same origin, the credential in the query: the next hop's URL shows it unless redacted.
        const value = Object.values(headers).join(' ');
        const location = `${url.pathname}?${new URLSearchParams({ echo: value, login: dump.slice(0, 400) }).toString()}`;
        return new Response(null, { status: rng.pick([302, 307]), headers: { location } });
      }
      case 'stall':
        return waitForAbort(init?.signal);
      case 'latency':
        await new Promise((resolve) => setTimeout(resolve, rng.int(1, 30)));
        break;
      case 'pass':
        break;
    }
    const response = await inner(input instanceof Request ? input.url : String(input), init);
    const subject = response.headers.get('x-subject-token');
    if (subject) issued.push(subject);
    return response;
  };
  return { fetch, foreign, log, issued };
}
