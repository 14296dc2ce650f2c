/**
 * Maps a non-success HTTP answer to the typed error of its status, with what a reader of a log needs:
 * the vendor's own message, its request id, and a short, redacted excerpt of the body.
 */
import {
  AuthenticationError,
  HttpError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  type ProviderName,
} from './errors.js';
import type { BodyCharsetError, BodyDecodeError } from './body.js';
import { redact } from './redact.js';
import { cutText, oneLine, sliceText } from './shown-text.js';
import type { ProviderDefaults } from './request.js';

const EXCERPT_LENGTH = 500;
/** The vendor's message is kept this far; the error's message shows the first 300 characters of it. */
const VENDOR_MESSAGE_LENGTH = 500;

/** Request-id headers seen across these vendors and their gateways (K5 is OpenStack). */
const REQUEST_ID_HEADERS = [
  'x-request-id',
  'request-id',
  'x-correlation-id',
  'x-openstack-request-id',
  'x-compute-request-id',
  'x-amzn-requestid',
  'x-amz-request-id',
];

export interface StatusErrorInput {
  provider: ProviderName;
  operation: string;
  method: string;
  /** Already without credentials. */
  url: string;
  status: number;
  statusText: string;
  headers: Headers;
  /** The body as text (possibly cut at the read limit). */
  text: string;
  defaults: ProviderDefaults;
  /** From `Retry-After`, unscaled milliseconds. */
  retryAfterMs: number | undefined;
  /**
   * Why the body is missing (it did not decode as its `Content-Encoding` declares) or misread (its
   * charset is one the SDK cannot decode, and `text` is its UTF-8 reading).
   */
  undecodable?: BodyDecodeError | BodyCharsetError | undefined;
  /** What the caller should know of this status beyond the vendor's word (`Auth.unauthorized`). */
  hint?: string | undefined;
}

export function statusError(input: StatusErrorInput): HttpError {
  const { provider, operation, method, url, status, headers, text, defaults } = input;
  const body = parseLoosely(text);
  // Redacted whole, then cut: a credential split by a cut would survive in part. So the providers'
  // extractors hand over the whole message and only this cuts.
  // A proxy's or gateway's HTML page has no message worth repeating (the excerpt keeps it), and its
  // escaping would hide a credential it echoes from a message read out of it.
  // Nor has a body that is not text (an image, an archive, a compressed body sent without its
  // `Content-Encoding`): decoded, it is control characters and U+FFFD that would end up in the message.
  const extracted = isHtml(body) || isBinary(body) ? undefined : (safeMessage(defaults.errorMessage, body) ?? genericMessage(body));
  const vendorMessage = extracted === undefined ? undefined : cutText(redact(extracted), VENDOR_MESSAGE_LENGTH);
  const excerpt = text === '' ? undefined : sliceText(redact(text), EXCERPT_LENGTH);
  const requestId = requestIdOf(headers, defaults.requestIdHeader, () => safeMessage(defaults.errorRequestId, body));
  // Named in the message too: a log line or the command's output is often all a reader has of the
  // error, and the vendor's support asks for the id.
  const statusLine = `${status}${input.statusText ? ` ${input.statusText}` : ''}${requestId === undefined ? '' : ` (request id ${oneLine(redact(requestId))})`}`;
  const undecodable = input.undecodable === undefined ? '' : `; ${input.undecodable.message}`;
  const hint = input.hint === undefined ? '' : `; ${input.hint}`;
  // Named for the same reader: whoever reruns the command wants to know when the vendor will take it.
  const wait = input.retryAfterMs === undefined ? '' : `; the vendor asked to wait ${duration(input.retryAfterMs)} (Retry-After)`;
  const message = `${operation}: ${method} ${url} returned ${statusLine}${vendorMessage ? `: ${oneLine(vendorMessage)}` : ''}${undecodable}${hint}${wait}`;
  const options = {
    provider,
    operation,
    cause: input.undecodable?.cause,
    status,
    method,
    url,
    bodyExcerpt: excerpt,
    vendorMessage,
    requestId,
  };
  switch (status) {
    case 401:
      return new AuthenticationError(message, options);
    case 403:
      return new PermissionError(message, options);
    case 404:
      return new NotFoundError(message, options);
    case 429:
      return new RateLimitError(message, { ...options, retryAfterMs: input.retryAfterMs });
    default:
      return new HttpError(message, options);
  }
}

/** A wait as a person reads it: milliseconds under a second, else seconds to the tenth. */
function duration(ms: number): string {
  return Math.round(ms) < 1000 ? `${Math.round(ms)} ms` : `${Math.round(ms / 100) / 10} s`;
}

function isHtml(body: unknown): boolean {
  return typeof body === 'string' && body.trimStart().startsWith('<');
}

/** C0 controls other than tab, line feed and carriage return, DEL, and what UTF-8 decoding could not read. */
const NOT_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFD]/;

function isBinary(body: unknown): boolean {
  // A text body cut at the read limit may end in half a character, decoded as one U+FFFD.
  return typeof body === 'string' && NOT_TEXT.test(body.endsWith('\uFFFD') ? body.slice(0, -1) : body);
}

/**
 * The vendor's header first, then the id its body carries: a gateway in front (a load balancer, an API
 * gateway) adds a request id header of its own, which the vendor's support cannot look up.
 */
export function requestIdOf(
  headers: Headers,
  preferred: string | undefined,
  inBody: () => string | undefined = () => undefined,
): string | undefined {
  const vendor = preferred ? headers.get(preferred) : null;
  if (vendor) return vendor;
  const fromBody = inBody();
  if (fromBody !== undefined) return fromBody;
  for (const name of REQUEST_ID_HEADERS) {
    const value = headers.get(name);
    if (value) return value;
  }
  return undefined;
}

/**
 * JSON where the text is JSON, plain text otherwise. A JSON string (`"Access denied"`, as a framework
 * renders a bare message) is its text without quotes and escapes; `null`, `true` and `false` carry no
 * message. A bare number is left as text: a gateway's plain-text body may be a code.
 */
function parseLoosely(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === 'null' || trimmed === 'true' || trimmed === 'false') return undefined;
  if (trimmed.startsWith('{') || trimmed.startsWith('[') || (trimmed.startsWith('"') && trimmed.endsWith('"'))) {
    try {
      return JSON.parse(trimmed) as unknown;
    } catch {
      // JSON that breaks off (cut in transit, at the read limit, or written badly) carries no message:
      // read as text, its opening became the message. Text that only begins with a bracket is still one.
      return BROKEN_JSON.test(trimmed) ? undefined : text;
    }
  }
  return text;
}

/** The opening of a JSON object or array: a bracket, then a member's name or an element that is not a bare word. */
const BROKEN_JSON = /^[[{]\s*["[{]/;

/** A provider's extractor (of a message, of a request id) must not turn a readable error into a crash. */
function safeMessage(extract: ((body: unknown) => string | undefined) | undefined, body: unknown): string | undefined {
  if (!extract) return undefined;
  try {
    const message = extract(body);
    return typeof message === 'string' && message.trim() !== '' ? message.trim() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * How deep the common shapes are looked for. A message sits one or two levels down; a body nested
 * thousands deep (20 KB of `[`) would otherwise exhaust the stack and lose the status.
 */
const MAX_MESSAGE_DEPTH = 8;

/** How many entries of a list of errors are read; a message of hundreds is not read to the end. */
const MAX_MESSAGE_ENTRIES = 20;

/**
 * The common shapes: `{ message }`, `{ error }`, `{ error: { message } }`, `{ errors: [{ message }] }`,
 * a list of them (each entry read, as the providers' own readers join them), Rails' field errors
 * `{ errors: { field: ['message'] } }` (Tines is a Rails application), short text.
 */
function genericMessage(body: unknown, depth = 0): string | undefined {
  if (typeof body === 'string') {
    const text = body.trim();
    return text !== '' && text.length <= 200 ? text : undefined;
  }
  if (depth >= MAX_MESSAGE_DEPTH) return undefined;
  if (Array.isArray(body)) return joined(body.slice(0, MAX_MESSAGE_ENTRIES).map((entry) => genericMessage(entry, depth + 1)));
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  for (const key of ['message', 'error_description', 'error', 'detail', 'title', 'errors']) {
    const value = record[key];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
    if (typeof value === 'object' && value !== null) {
      const nested = genericMessage(value, depth + 1) ?? (key === 'errors' ? fieldErrors(value) : undefined);
      if (nested) return nested;
    }
  }
  return undefined;
}

/** `field: message` of each entry of `{ field: 'message' }` or `{ field: ['message', ...] }`. */
function fieldErrors(value: object): string | undefined {
  if (Array.isArray(value)) return undefined;
  const fields = Object.entries(value).slice(0, MAX_MESSAGE_ENTRIES).map(([field, messages]) => {
    const texts = (Array.isArray(messages) ? messages : [messages]).filter(
      (message): message is string => typeof message === 'string' && message.trim() !== '',
    );
    return texts.length === 0 ? undefined : `${field}: ${texts.map((text) => text.trim()).join(', ')}`;
  });
  return joined(fields);
}

function joined(messages: ReadonlyArray<string | undefined>): string | undefined {
  const text = messages.filter((message) => message !== undefined).join('; ');
  return text === '' ? undefined : text;
}
