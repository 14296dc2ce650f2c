/**
 * The error hierarchy. Every error tributary throws is a `TributaryError`; the subclasses say what went
 * wrong in terms a caller can act on. Guards (`isHttpError`, ...) check a brand symbol registered with
 * `Symbol.for`, so they work across realms and across duplicated copies of the package (the ES module
 * and CommonJS builds loaded in one process are two copies); `instanceof` checks the same brand.
 *
 * No error ever holds a credential: messages are built from redacted URLs and excerpts, and `toJSON`
 * and `util.inspect` show only the public fields.
 */
import { redact } from './redact.js';

export type ProviderName = 'socotra' | 'tines' | 'fujitsu' | 'illumio' | 'informatica';

const BRAND = Symbol.for('tributary.error');
const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/** What every error constructor takes beside its message. */
export interface TributaryErrorOptions {
  /**
   * The vendor whose client raised the error.
   * @default undefined (no vendor's)
   * @example { provider: 'illumio' }
   */
  provider?: ProviderName | undefined;
  /**
   * The client operation that failed.
   * @default undefined (named by the client the error passes through)
   * @example { operation: 'events.list' }
   */
  operation?: string | undefined;
  /**
   * The error behind this one; kept as a copy with credentials removed.
   * @default undefined (none)
   * @example { cause: error }
   */
  cause?: unknown;
}

export class TributaryError extends Error {
  /**
   * The class's name, spelled out: `error.name` and the `is*` guards use it, and a minifier (ours, or an
   * application's bundler) renames classes.
   */
  static readonly brand: string = 'TributaryError';
  static {
    keepName(this);
  }
  /** The vendor whose client raised the error, when there is one. */
  readonly provider: ProviderName | undefined;
  /** The client operation, such as `events.list`. */
  readonly operation: string | undefined;
  /**
   * @internal Left out of the published types, as the inspect method below: each build's declarations
   * name their own symbol, so an error typed by the CommonJS build would not be the ES module build's.
   */
  declare readonly [BRAND]: readonly string[];
  /**
   * Never set: the classes it names, for the type checker only. Without it a class that adds no field
   * (`NotFoundError`, `NetworkError`) has its parent's members, so a failed guard
   * (`if (isNotFoundError(error)) return;`) left `error` typed `never`. A string key, unlike the brand
   * symbol, is the same in the declarations of both builds.
   */
  declare readonly '~classes'?: { readonly TributaryError: true };

  /**
   * `instanceof` by brand, as the `is*` guards check: an error of the CommonJS build is then an
   * instance of the ES module build's classes (both may load in one process), and of another copy of
   * the package. Each subclass inherits it and checks its own brand. A subclass without a brand of its
   * own (an application's) would otherwise match every error of its parent, so it, and a value without
   * a brand, fall back to the prototype chain.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Object.hasOwn(this, 'brand') && hasBrand(value, this.brand)) return true;
    return Function.prototype[Symbol.hasInstance].call(this, value);
  }

  constructor(message: string, options: TributaryErrorOptions = {}) {
    super(redact(message), options.cause === undefined ? undefined : { cause: redactedCause(options.cause) });
    this.name = (new.target as typeof TributaryError).brand;
    this.provider = options.provider;
    this.operation = options.operation;
    Object.defineProperty(this, BRAND, { value: brandsOf(new.target), enumerable: false });
  }

  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, message: this.message };
    for (const [key, value] of Object.entries(this)) {
      if (value !== undefined) out[key] = value;
    }
    return out;
  }

  /** @internal */
  [inspectSymbol](): string {
    return `${this.stack ?? `${this.name}: ${this.message}`}\n${JSON.stringify(this.toJSON(), null, 2)}`;
  }
}

/** How deep a foreign cause chain is copied; undici nests two or three. */
const MAX_CAUSE_DEPTH = 5;

/**
 * A foreign error kept as `cause` (fetch's, a socket's) may quote a header value: undici names the value
 * it refuses. Loggers print the cause chain, so it is kept as a redacted copy with the same prototype
 * (`instanceof TypeError` still holds), `name` and `code`.
 */
function redactedCause(value: unknown, depth = 0): unknown {
  if (hasBrand(value, 'TributaryError')) return value;
  if (!(value instanceof Error)) return redactedValue(value);
  const copy = Object.create(Object.getPrototypeOf(value) as object) as Error;
  const own = (key: string, field: unknown): void => {
    Object.defineProperty(copy, key, { value: field, writable: true, configurable: true, enumerable: false });
  };
  own('message', redact(value.message));
  own('stack', value.stack === undefined ? undefined : redact(value.stack));
  if (Object.hasOwn(value, 'name')) own('name', value.name);
  const code = (value as { code?: unknown }).code;
  if (code !== undefined) own('code', code);
  if (value.cause !== undefined) own('cause', depth < MAX_CAUSE_DEPTH ? redactedCause(value.cause, depth + 1) : undefined);
  return copy;
}

/**
 * A thrown value that is not an `Error` (a custom `fetch` may reject with a string, or with an object
 * holding the request and its headers): a string is redacted; an object is kept as a redacted copy of
 * its JSON, or as redacted text when it has none.
 */
function redactedValue(value: unknown): unknown {
  if (typeof value === 'string') return redact(value);
  if (typeof value !== 'object' || value === null) return value;
  try {
    const json = JSON.stringify(value);
    if (json !== undefined) return JSON.parse(redact(json)) as unknown;
  } catch {
    // Circular or a throwing toJSON: its text form below.
  }
  return redact(String(value));
}

function brandsOf(ctor: unknown): readonly string[] {
  const names: string[] = [];
  let current = ctor as { brand?: string } | null;
  while (current && current !== Error && current !== Function.prototype) {
    if (Object.hasOwn(current, 'brand') && typeof current.brand === 'string') names.push(current.brand);
    current = Object.getPrototypeOf(current) as { brand?: string } | null;
  }
  return names;
}

function hasBrand(value: unknown, name: string): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const brands = (value as { [BRAND]?: unknown })[BRAND];
  return Array.isArray(brands) && brands.includes(name);
}

/**
 * Gives a class its brand as its `name`: minified, it would be named `u` or `p`, and loggers (pino,
 * Sentry) report an error by `err.constructor.name`. Per class, where the bundler's `keepNames` would
 * wrap every function of the package.
 */
export function keepName(target: { brand: string }): void {
  Object.defineProperty(target, 'name', { value: target.brand });
}

/**
 * Names the client and the operation on an error whose check knew neither: an option's or a query's
 * check is a plain function of its value, and the client that called it says whose value it was. A
 * name already given is kept, and an operation is named only on an error of this provider.
 */
export function nameContext(error: unknown, provider: ProviderName, operation: string | undefined): void {
  if (!hasBrand(error, 'TributaryError')) return;
  // Public fields are read-only for callers; this fills them in before the error reaches one.
  const fields = error as { provider: ProviderName | undefined; operation: string | undefined };
  fields.provider ??= provider;
  if (operation !== undefined && fields.provider === provider) fields.operation ??= operation;
}

export interface HttpErrorOptions extends TributaryErrorOptions {
  /**
   * The answer's HTTP status.
   * @example { status: 502 }
   */
  status: number;
  /**
   * The request's method.
   * @example { method: 'GET' }
   */
  method: string;
  /**
   * The request URL; credentials in it are removed before it is stored.
   * @example { url: 'https://pce.example.com:8443/api/v2/orgs/1/events' }
   */
  url: string;
  /**
   * The first bytes of the response body, for the reader of a log.
   * @default undefined (no body)
   * @example { bodyExcerpt: '<html><body>Bad Gateway</body></html>' }
   */
  bodyExcerpt?: string | undefined;
  /**
   * The vendor's message extracted from its error body, when it has one.
   * @default undefined (none)
   * @example { vendorMessage: 'Invalid credentials' }
   */
  vendorMessage?: string | undefined;
  /**
   * The vendor's request id header, for support tickets.
   * @default undefined (none)
   * @example { requestId: '4f1c2b7e-93aa-4b0e-8d55-0c6b1f2a9e31' }
   */
  requestId?: string | undefined;
}

/** The server answered with a status that is not a success. */
export class HttpError extends TributaryError {
  static override readonly brand: string = 'HttpError';
  static {
    keepName(this);
  }
  declare readonly '~classes'?: { readonly TributaryError: true; readonly HttpError: true };
  readonly status: number;
  readonly method: string;
  readonly url: string;
  readonly bodyExcerpt: string | undefined;
  readonly vendorMessage: string | undefined;
  readonly requestId: string | undefined;

  constructor(message: string, options: HttpErrorOptions) {
    super(message, options);
    this.status = options.status;
    this.method = options.method;
    this.url = redact(options.url);
    this.bodyExcerpt = options.bodyExcerpt === undefined ? undefined : redact(options.bodyExcerpt);
    this.vendorMessage = options.vendorMessage === undefined ? undefined : redact(options.vendorMessage);
    // Gateways have been seen to copy a request's headers into their request id.
    this.requestId = options.requestId === undefined ? undefined : redact(options.requestId);
  }
}

/** 401: the credential was refused (wrong, expired or revoked). */
export class AuthenticationError extends HttpError {
  static override readonly brand: string = 'AuthenticationError';
  static {
    keepName(this);
  }
  declare readonly '~classes'?: { readonly TributaryError: true; readonly HttpError: true; readonly AuthenticationError: true };
}
/** 403: the credential is valid but lacks the permission. */
export class PermissionError extends HttpError {
  static override readonly brand: string = 'PermissionError';
  static {
    keepName(this);
  }
  declare readonly '~classes'?: { readonly TributaryError: true; readonly HttpError: true; readonly PermissionError: true };
}
/** 404: the resource does not exist (or is not visible to this credential). */
export class NotFoundError extends HttpError {
  static override readonly brand: string = 'NotFoundError';
  static {
    keepName(this);
  }
  declare readonly '~classes'?: { readonly TributaryError: true; readonly HttpError: true; readonly NotFoundError: true };
}

export interface RateLimitErrorOptions extends HttpErrorOptions {
  /**
   * How long the server asked to wait, from `Retry-After`, when it said.
   * @default undefined (the server did not say)
   * @example { retryAfterMs: 30_000 }
   */
  retryAfterMs?: number | undefined;
}

/**
 * 429: the vendor's rate limit was hit and retries (if any) did not get through. Also a request not
 * sent because a server's `Retry-After` holds its limiter beyond `maxRetryAfter`: its `status` is that
 * of the answer that asked for the pause (a 503's, when the server was unavailable).
 */
export class RateLimitError extends HttpError {
  static override readonly brand: string = 'RateLimitError';
  static {
    keepName(this);
  }
  declare readonly '~classes'?: { readonly TributaryError: true; readonly HttpError: true; readonly RateLimitError: true };
  readonly retryAfterMs: number | undefined;
  constructor(message: string, options: RateLimitErrorOptions) {
    super(message, options);
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** The request never got an HTTP answer: DNS, connection refused or reset, a body cut short. */
export class NetworkError extends TributaryError {
  static override readonly brand: string = 'NetworkError';
  static {
    keepName(this);
  }
  declare readonly '~classes'?: { readonly TributaryError: true; readonly NetworkError: true };
}

/** One attempt took longer than the `timeout` option. */
export class TimeoutError extends TributaryError {
  static override readonly brand: string = 'TimeoutError';
  static {
    keepName(this);
  }
  declare readonly '~classes'?: { readonly TributaryError: true; readonly TimeoutError: true };
  readonly timeoutMs: number;
  constructor(message: string, options: TributaryErrorOptions & { timeoutMs: number }) {
    super(message, options);
    this.timeoutMs = options.timeoutMs;
  }
}

export interface ResponseValidationErrorOptions extends TributaryErrorOptions {
  /**
   * Each mismatch as `path: message`.
   * @example { issues: ['events[3].timestamp: expected a string'] }
   */
  issues: readonly string[];
  /**
   * The value as received, so nothing is lost.
   * @example { raw: body }
   */
  raw: unknown;
}

/** The response did not have the shape the SDK needs; `raw` keeps the value as received. */
export class ResponseValidationError extends TributaryError {
  static override readonly brand: string = 'ResponseValidationError';
  static {
    keepName(this);
  }
  declare readonly '~classes'?: { readonly TributaryError: true; readonly ResponseValidationError: true };
  readonly issues: readonly string[];
  /** Not enumerable, so logging the error does not dump a whole page. */
  declare readonly raw: unknown;
  constructor(message: string, options: ResponseValidationErrorOptions) {
    super(message, options);
    // An issue may quote the body (V8's "... is not valid JSON" does), and a body may echo a credential.
    this.issues = options.issues.map(redact);
    Object.defineProperty(this, 'raw', { value: options.raw, enumerable: false });
  }
}

/** An option is missing or invalid; thrown before any request is made. */
/**
 * Why an option was refused: `'unknown'`, a name the call does not take (often a misspelling such as
 * `timout`); `'invalid'`, a value it refuses, or a required option left out.
 */
export type ConfigurationErrorReason = 'unknown' | 'invalid';

export class ConfigurationError extends TributaryError {
  static override readonly brand: string = 'ConfigurationError';
  static {
    keepName(this);
  }
  declare readonly '~classes'?: { readonly TributaryError: true; readonly ConfigurationError: true };
  /** The option's name, dotted for nested options (`retry.limit`). */
  readonly option: string | undefined;
  /** Why the option was refused, so that a caller need not read the message. */
  readonly reason: ConfigurationErrorReason;
  constructor(
    message: string,
    options: TributaryErrorOptions & { option?: string | undefined; reason?: ConfigurationErrorReason | undefined } = {},
  ) {
    super(message, options);
    this.option = options.option;
    this.reason = options.reason ?? 'invalid';
  }
}

/**
 * Why a cursor was refused: `'malformed'`, not a cursor of this version of tributary; `'provider'`,
 * `'paging'` or `'query'`, a cursor of another provider, of a listing that pages another way, or of
 * another query (resume with the query that produced it); `'checkpoint'`, a checkpoint that holds none
 * (an empty file, or a directory where its file goes).
 */
export type CursorErrorReason = 'malformed' | 'provider' | 'paging' | 'query' | 'checkpoint';

/** A cursor is malformed, from another provider, or from another query; thrown before any request. */
export class CursorError extends TributaryError {
  static override readonly brand: string = 'CursorError';
  static {
    keepName(this);
  }
  declare readonly '~classes'?: { readonly TributaryError: true; readonly CursorError: true };
  /** Why the cursor was refused, so that a caller need not read the message. */
  readonly reason: CursorErrorReason;
  constructor(message: string, options: TributaryErrorOptions & { reason?: CursorErrorReason | undefined } = {}) {
    super(message, options);
    this.reason = options.reason ?? 'malformed';
  }
}

export const isTributaryError = (value: unknown): value is TributaryError => hasBrand(value, 'TributaryError');
export const isHttpError = (value: unknown): value is HttpError => hasBrand(value, 'HttpError');
export const isAuthenticationError = (value: unknown): value is AuthenticationError =>
  hasBrand(value, 'AuthenticationError');
export const isPermissionError = (value: unknown): value is PermissionError => hasBrand(value, 'PermissionError');
export const isNotFoundError = (value: unknown): value is NotFoundError => hasBrand(value, 'NotFoundError');
export const isRateLimitError = (value: unknown): value is RateLimitError => hasBrand(value, 'RateLimitError');
export const isNetworkError = (value: unknown): value is NetworkError => hasBrand(value, 'NetworkError');
export const isTimeoutError = (value: unknown): value is TimeoutError => hasBrand(value, 'TimeoutError');
export const isResponseValidationError = (value: unknown): value is ResponseValidationError =>
  hasBrand(value, 'ResponseValidationError');
export const isConfigurationError = (value: unknown): value is ConfigurationError =>
  hasBrand(value, 'ConfigurationError');
export const isCursorError = (value: unknown): value is CursorError => hasBrand(value, 'CursorError');
