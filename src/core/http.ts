/**
 * The request pipeline (DESIGN.md, "Inside"): ky (its retry and timeout off) → auth → limiter
 * (bottleneck) → retry (p-retry) → response-size cap → JSON → zod. Providers describe requests
 * (`RequestSpec`); this module, through `ky-sender.ts`, is the only place that sends them.
 *
 * Per attempt: the auth headers are asked for (so a token can refresh), the job waits its turn in the
 * shared limiter, then the request is sent with its own timeout and redirects are followed by hand, so
 * that credentials never leave the base URL's origin.
 */
import { REDIRECT_STATUSES, redirectsToGet } from './redirect.js';
import { BodyCharsetError, BodyDecodeError, BodyTooLargeError, letGo, readBody } from './body.js';
import { causes } from './causes.js';
import { systemClock } from './clock.js';
import { show } from './config.js';
import {
  HttpError,
  NetworkError,
  RateLimitError,
  ResponseValidationError,
  TimeoutError,
  isHttpError,
  isNetworkError,
  isTimeoutError,
  isTributaryError,
  type ProviderName,
} from './errors.js';
import { callHook } from './hooks.js';
import type { FetchFunction } from './fetch.js';
import { kySender } from './ky-sender.js';
import type { CommonOptions } from './options.js';
import { holdLimiter, limiterSettings, unlimited, type LimiterHold, type RequestLimiter } from './rate-limit.js';
import { PausedTooLong } from './rate-limit/gate.js';
import { credentialRegistry } from './credential-registry.js';
import { parseBody } from './response-body.js';
import type { Auth, HttpClient, HttpResponse, ProviderDefaults, RequestSpec } from './request.js';
import { annotate, mayHaveBeenApplied, resolveRetryOptions, RetryBudget, RETRYABLE_STATUSES, withRetry } from './retry.js';
import { parseRetryAfter } from './retry-after.js';
import { allowManyListeners, linkSignals, requestSignal, untilAborted, type LinkedSignal } from './signal.js';
import { requestIdOf, statusError } from './status-error.js';
import { parseBaseUrl, publicUrl, resolveUrl } from './url.js';
import { VERSION } from './version.js';

/** @default 30 s per attempt */
export const DEFAULT_TIMEOUT = 30_000;
/** @default 64 MiB */
export const DEFAULT_MAX_RESPONSE_SIZE = 64 * 1024 * 1024;
/** Redirects followed within the base URL's origin before giving up. */
export const MAX_REDIRECTS = 5;
/** Error bodies are only read this far: an excerpt and a message are all that is kept of them. */
const ERROR_BODY_LIMIT = 64 * 1024;
/** How long an error body's excerpt is waited for (ms). */
const ERROR_BODY_WAIT_MS = 5_000;
/** The longest `Retry-After` a limiter keeps (a day): a larger one is more likely a server's mistake. */
const MAX_PAUSE_MS = 86_400_000;

export interface HttpClientConfig extends Omit<CommonOptions, 'baseUrl'> {
  provider: ProviderName;
  baseUrl: string | URL;
  auth: Auth;
  /** The vendor's rate limit, error-message extractor and request-id header. */
  defaults?: ProviderDefaults;
}

/** What one attempt received: the final answer after same-origin redirects, its body read. */
export interface Received {
  /** The method of the final request: a 303 (or a 301/302 after a POST) turns it into GET. */
  method: string;
  status: number;
  statusText: string;
  headers: Headers;
  url: URL;
  text: string;
  /**
   * Why an error's body is missing, when it did not decode as its `Content-Encoding` declares, or why
   * it is misread, when its charset is one the SDK cannot decode (`text` is then its UTF-8 reading).
   */
  undecodable: BodyDecodeError | BodyCharsetError | undefined;
}

export function createHttpClient(config: HttpClientConfig): HttpClient {
  const { provider, auth } = config;
  const baseUrl = parseBaseUrl(config.baseUrl, config.allowInsecureHttp ?? false);
  const clock = config.clock ?? systemClock;
  const defaults = config.defaults ?? {};
  const hooks = config.hooks ?? {};
  const timeout = config.timeout ?? DEFAULT_TIMEOUT;
  const maxResponseSize = config.maxResponseSize ?? DEFAULT_MAX_RESPONSE_SIZE;
  const retryOptions = resolveRetryOptions(config.retry);
  const budget = new RetryBudget(retryOptions.budget);
  const userAgent = `${config.userAgent ? `${config.userAgent} ` : ''}tributary/${VERSION}`;
  const named = config.rateLimit === false ? undefined : config.rateLimit?.key;
  // A key the caller names cannot meet a credential's: those are `vendor:hash`.
  const limiterKey = `${provider} ${baseUrl.origin} ${named === undefined ? auth.key : `key ${named}`}`;
  // Every request of the client listens to its signal while it waits, runs or backs off.
  if (config.signal) allowManyListeners(config.signal);
  const credentialValues = credentialRegistry();
  const rateLimit = config.rateLimit;
  const settings = rateLimit === false ? undefined : limiterSettings(rateLimit ?? {}, defaults.rateLimit);
  // Without a Retry-After, a 429 still holds the limiter for one base back-off, but no longer than
  // `maxRetryAfter`: that pause is the client's choice, not the server's, and a longer one would fail
  // the retries it holds as if the server had asked for it.
  const bare429PauseMs = Math.min(retryOptions.minDelay, retryOptions.maxRetryAfter);
  // Looked up per call, so a fetch patched after the client was built (msw) is still used.
  const baseFetch: FetchFunction = config.fetch ?? ((url, init) => globalThis.fetch(url, init));
  const viaKy = kySender(baseFetch);

  async function request(spec: RequestSpec): Promise<HttpResponse<unknown>> {
    const link = requestSignal(config.signal, spec.signal);
    const signal = link.signal;
    let held: LimiterHold | undefined;
    // The credential headers of its attempts: registered for redaction at least until it is over.
    const sent: Array<Record<string, string>> = [];
    try {
      signal.throwIfAborted();
      const url = resolveUrl(baseUrl, spec.path, spec.query);
      if (url.origin !== baseUrl.origin) throw foreignPath(spec, url);
      // Looked up per request (`closeRateLimiters()` or the idle sweep may have dropped the one of the
      // last), and held until the request is over, back-offs included. A shared limiter may first have
      // to reach its Redis server: the caller's signal still counts. An in-process one is there at
      // once, and racing it would cost a promise and a listener a request; one already built is taken
      // as it is, without a turn of the microtask queue.
      held = settings === undefined ? undefined : holdLimiter(limiterKey, settings, clock);
      const queue =
        held === undefined
          ? unlimited
          : (held.built ?? (await (settings?.shared === undefined ? held.limiter : untilAborted(held.limiter, signal))));
      let refreshed = false;
      // Whether an attempt may have been applied without its answer reaching us (see `acceptOnRetry`).
      let inDoubt = false;
      /** `error`, having marked the request in doubt when the attempt it failed may have been applied. */
      const noted = (error: unknown): unknown => {
        if (mayHaveBeenApplied(error)) inDoubt = true;
        return error;
      };
      const answer = await withRetry(
        async (attempt) => {
          for (;;) {
            let received: Received;
            try {
              received = await send(spec, url, attempt, queue, signal, sent);
            } catch (error) {
              throw noted(error);
            }
            // A 401 may mean an expired token (Keystone): refresh once, resend once (VENDORS.md, FUJITSU).
            if (received.status === 401 && auth.refresh && !refreshed) {
              refreshed = true;
              if (await auth.refresh(signal)) continue;
            }
            try {
              // Parsed within the attempt: a body cut short is a network failure, retried as one.
              if (isAnswer(received.status, spec, inDoubt)) return new Answer(parseBody(provider, spec, received), received.status, received.headers, received.url);
              throw failure(spec, received);
            } catch (error) {
              throw noted(error);
            }
          }
        },
        {
          options: retryOptions,
          idempotent: spec.idempotent ?? spec.method !== 'POST',
          budget,
          clock,
          signal,
          // The request's URL, not a redirect's: the one the caller asked for is what a log names.
          onRetry: (info) =>
            callHook(hooks.onRetry, { provider, operation: spec.operation, method: spec.method, url: publicUrl(url), ...info }),
        },
      );
      return answer;
    } catch (error) {
      throw signal.aborted ? signal.reason : error;
    } finally {
      held?.release();
      for (const headers of sent) credentialValues.done(headers);
      link.dispose();
    }
  }

  /** One attempt: auth, a turn in the limiter, the exchange (redirects included) under a timeout. */
  async function send(spec: RequestSpec, url: URL, attempt: number, queue: RequestLimiter, signal: AbortSignal, sent: Array<Record<string, string>>) {
    // An attempt after an abort asks for no credentials: a login would be sent for nothing.
    signal.throwIfAborted();
    const pending = auth.headers(signal);
    // A static credential comes at once: no turn of the microtask queue for it.
    const credentials = pending instanceof Promise ? await pending : pending;
    credentialValues.use(credentials);
    sent.push(credentials);
    const scheduled = queue.schedule(async ({ waitedMs, answered, unsent }) => {
      if (waitedMs > 0) callHook(hooks.onRateLimit, { provider, operation: spec.operation, waitMs: waitedMs, cause: 'queued' });
      const attemptLink = linkSignals([signal]);
      let timedOut = false;
      const timer =
        timeout === false
          ? undefined
          : setTimeout(() => {
              timedOut = true;
              attemptLink.abort(new DOMException('attempt timed out', 'TimeoutError'));
            }, timeout);
      // At the status line, before the body is read: the slots freed meanwhile must not send into the
      // wall a `Retry-After` announces, and the vendor has counted the request by then.
      const atStatus = (status: number, headers: Headers): void => {
        pauseOnRetryAfter(spec, status, headers, queue);
        answered?.();
      };
      // Whether the request reached `fetch`: until it has, the vendor has counted nothing.
      let fetched = false;
      const onFetch = (): void => void (fetched = true);
      try {
        return await exchange(spec, url, attempt, credentials, attemptLink, atStatus, onFetch);
      } catch (error) {
        // Aborted (or failed) between its turn and the send, or sent on a connection never made: the
        // vendor counted nothing, and the place it took in the limiter goes to the requests behind it
        // (Informatica allows 5 a minute), its own retry among them.
        const unreached = neverConnected(error);
        if (!fetched || unreached) unsent?.();
        if (signal.aborted) throw signal.reason;
        const where = `${spec.operation}: ${spec.method} ${publicUrl(url)}`;
        if (timedOut) {
          throw new TimeoutError(`${where} timed out after ${timeout} ms`, { ...context(spec), timeoutMs: timeout as number });
        }
        if (error instanceof BodyTooLargeError) {
          // Not retried: the same request would bring the same body.
          throw annotate(new NetworkError(`${where} failed: ${error.message}`, context(spec)), { final: true });
        }
        if (isTributaryError(error)) throw error;
        const failed = new NetworkError(`${where} failed: ${describeNetworkError(error)}`, { ...context(spec), cause: error });
        throw unreached ? annotate(failed, { unreached: true }) : failed;
      } finally {
        clearTimeout(timer);
        attemptLink.dispose();
      }
    }, signal, retryOptions.maxRetryAfter * clock.scale);
    // Awaited here rather than returned as a `catch` of it: an async function that returns a promise
    // adopts it two turns of the microtask queue later, and the `catch` is one more promise a request.
    try {
      return await scheduled;
    } catch (error) {
      throw error instanceof PausedTooLong ? pausedTooLong(spec, url, error.waitMs, error.status) : error;
    }
  }

  /**
   * A request not sent: the server's `Retry-After` holds its limiter longer than `maxRetryAfter`. Its
   * status is that of the answer that paused the limiter (429 when another process received it).
   */
  function pausedTooLong(spec: RequestSpec, url: URL, waitMs: number, status = 429): RateLimitError {
    const retryAfterMs = Math.ceil(waitMs / clock.scale);
    const seconds = Math.ceil(retryAfterMs / 1000);
    const message = `${spec.operation}: ${spec.method} ${publicUrl(url)} was not sent: the server's Retry-After holds its rate limiter for ${seconds} s more, beyond maxRetryAfter`;
    const error = new RateLimitError(message, { ...context(spec), status, method: spec.method, url: publicUrl(url), retryAfterMs });
    return annotate(error, { final: true, unsent: true });
  }

  /** Sends and follows redirects within the base URL's origin; reads the final body under the cap. */
  async function exchange(
    spec: RequestSpec,
    url: URL,
    attempt: number,
    credentials: Record<string, string>,
    link: LinkedSignal,
    atStatus: (status: number, headers: Headers) => void,
    onFetch: () => void,
  ): Promise<Received> {
    const signal = link.signal;
    let current = url;
    let method: string = spec.method;
    let json = spec.json;
    const observed = hooks.onRequest !== undefined || hooks.onResponse !== undefined;
    for (let hop = 0; ; hop += 1) {
      // The redacted URL is built only for someone who looks at it.
      const info = observed ? { provider, operation: spec.operation, method, url: publicUrl(current), attempt } : undefined;
      if (info) callHook(hooks.onRequest, info);
      const started = performance.now();
      const body = json === undefined ? undefined : JSON.stringify(json);
      const headers: Record<string, string> = { accept: 'application/json' };
      if (body !== undefined) headers['content-type'] = 'application/json';
      assignHeaders(headers, spec.headers);
      assignHeaders(headers, credentials);
      headers['user-agent'] = userAgent;
      const response = await viaKy(current, { method, headers, body, signal, onFetch });
      if (info) callHook(hooks.onResponse, { ...info, status: response.status, durationMs: performance.now() - started });
      const location = response.headers.get('location');
      if (!REDIRECT_STATUSES.has(response.status) || location === null) {
        // The body may take a while (a 100 KB search page).
        atStatus(response.status, response.headers);
        const ok = isAnswer(response.status, spec);
        let text = '';
        let undecodable: BodyDecodeError | BodyCharsetError | undefined;
        if (method !== 'HEAD' && ok) {
          try {
            text = await readBody(response, { limit: maxResponseSize, signal });
          } catch (error) {
            if (error instanceof BodyCharsetError) throw unreadAnswer(spec, method, current, error);
            throw error instanceof BodyDecodeError ? undecodedAnswer(spec, method, current, response, error) : error;
          }
        } else if (method !== 'HEAD') {
          const read = await excerpt(response, link);
          if (typeof read === 'string') text = read;
          else {
            undecodable = read;
            text = read instanceof BodyDecodeError ? read.partial : read.text;
          }
        }
        return { method, status: response.status, statusText: response.statusText, headers: response.headers, url: current, text, undecodable };
      }
      letGo(response.body);
      // A `Location` fetch could not follow is the server's answer, not a network failure to retry.
      const next = URL.canParse(location, current) ? new URL(location, current) : undefined;
      const refusal = redirectRefusal(hop, next);
      if (refusal !== undefined || next === undefined) {
        throw new HttpError(`${spec.operation}: ${method} ${publicUrl(current)} redirected ${refusal}`, {
          ...context(spec),
          status: response.status,
          method,
          url: publicUrl(current),
        });
      }
      if (redirectsToGet(response.status, method)) {
        method = 'GET';
        json = undefined;
      }
      current = next;
    }
  }

  /**
   * The excerpt of an error body. The status is the answer: a body that breaks off only costs the
   * excerpt, and one that stalls is given up after `ERROR_BODY_WAIT_MS` (it held the attempt for its
   * whole timeout, and without one for good).
   */
  async function excerpt(response: Response, link: LinkedSignal): Promise<string | BodyDecodeError | BodyCharsetError> {
    const timer = setTimeout(() => link.abort(new DOMException('error body stalled', 'TimeoutError')), ERROR_BODY_WAIT_MS * clock.scale);
    try {
      return await readBody(response, { limit: Math.min(ERROR_BODY_LIMIT, maxResponseSize), truncate: true, signal: link.signal }).catch((error: unknown) =>
        // Undecoded, the body is missing (or misread) for a reason the error's message tells.
        error instanceof BodyDecodeError || error instanceof BodyCharsetError ? error : '',
      );
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * A success whose body did not decode as its `Content-Encoding` declares. Not retried, as a body over
   * `maxResponseSize` is not: the same request brings the same body. The status and the request id are
   * in the message, a `NetworkError` having no fields for them.
   */
  function undecodedAnswer(spec: RequestSpec, method: string, url: URL, response: Response, error: BodyDecodeError): NetworkError {
    const statusLine = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
    const requestId = requestIdOf(response.headers, defaults.requestIdHeader);
    const answered = `answered ${statusLine}${requestId === undefined ? '' : ` (request id ${requestId})`}`;
    return annotate(
      new NetworkError(`${spec.operation}: ${method} ${publicUrl(url)} ${answered}, but ${error.message}`, { ...context(spec), cause: error.cause }),
      { final: true },
    );
  }

  /**
   * A success in a charset the SDK cannot decode: a `ResponseValidationError`, not the `NetworkError`
   * of a body that did not decode as its `Content-Encoding` declares. The body came whole, and it is
   * the answer that the SDK cannot read, as it cannot read one of the wrong shape; `raw` keeps the
   * body's UTF-8 reading, all that could be made of it. Not retried: the same request brings the same
   * body.
   */
  function unreadAnswer(spec: RequestSpec, method: string, url: URL, error: BodyCharsetError): ResponseValidationError {
    return new ResponseValidationError(`${spec.operation}: the response to ${method} ${publicUrl(url)} was not read: ${error.message}`, {
      ...context(spec),
      issues: [`(body): charset ${show(error.charset)} cannot be decoded`],
      raw: error.text,
    });
  }

  function redirectRefusal(hop: number, next: URL | undefined): string | undefined {
    if (next === undefined) return 'to a Location that is not a URL';
    if (next.username !== '' || next.password !== '') {
      return 'to a URL with credentials in it; the redirect was refused, since fetch sends no such URL';
    }
    if (next.origin !== baseUrl.origin) {
      return `to another origin (${next.origin}); the redirect was refused so that credentials are not sent there`;
    }
    if (hop + 1 > MAX_REDIRECTS) return `more than ${MAX_REDIRECTS} times`;
    return undefined;
  }

  /** A server's `Retry-After` (or a bare 429) holds the whole limiter, not only this request. */
  function pauseOnRetryAfter(spec: RequestSpec, status: number, headers: Headers, queue: RequestLimiter): void {
    if (!RETRYABLE_STATUSES.has(status)) return;
    const retryAfter = parseRetryAfter(headers, clock.now());
    if (retryAfter === undefined && status !== 429) return;
    // A server's pause longer than `maxRetryAfter` is kept whole: requests that may not wait so long
    // fail at once, unsent, rather than go into the wall the server announced once a shorter pause has
    // passed.
    const ms = Math.min(retryAfter ?? bare429PauseMs, MAX_PAUSE_MS);
    const waitMs = queue.pause(ms, status);
    if (waitMs > 0) callHook(hooks.onRateLimit, { provider, operation: spec.operation, waitMs, cause: 'retry-after' });
  }

  function failure(spec: RequestSpec, received: Received): HttpError {
    const retryAfterMs = parseRetryAfter(received.headers, clock.now());
    const error = statusError({
      ...context(spec),
      method: received.method,
      url: publicUrl(received.url),
      status: received.status,
      statusText: received.statusText,
      headers: received.headers,
      text: received.text,
      defaults,
      retryAfterMs,
      undecodable: received.undecodable,
      hint: received.status === 401 ? auth.unauthorized : undefined,
    });
    if (retryAfterMs !== undefined) return annotate(error, { retryAfterMs });
    // The limiter holds the retry of a bare 429 (`pauseOnRetryAfter`): its back-off says so.
    return received.status === 429 && settings !== undefined ? annotate(error, { heldMs: bare429PauseMs }) : error;
  }

  function foreignPath(spec: RequestSpec, url: URL): ResponseValidationError {
    return new ResponseValidationError(
      `${spec.operation}: refused to send a request to ${url.origin}, which is not the origin of the base URL (${baseUrl.origin})`,
      { ...context(spec), issues: [`path: origin ${url.origin} differs from ${baseUrl.origin}`], raw: publicUrl(url) },
    );
  }

  function context(spec: RequestSpec): { provider: ProviderName; operation: string } {
    return { provider, operation: spec.operation };
  }

  return {
    provider,
    baseUrl,
    request: request as HttpClient['request'],
  };
}

/**
 * What `request` resolves to. Only the final URL is kept, not what was received: a closure over that
 * would hold the body's text as long as the response object lives (bench/: the text of every page
 * survived into the old generation). A class, not an object literal with a getter, which the runtime
 * builds property by property: about a microsecond a request.
 */
class Answer<T> implements HttpResponse<T> {
  readonly #url: URL;

  constructor(
    readonly data: T,
    readonly status: number,
    readonly headers: Headers,
    url: URL,
  ) {
    this.#url = url;
  }

  /** Redacted when read: most callers only want the data. */
  get url(): string {
    return publicUrl(this.#url);
  }
}

/**
 * Copies `source` into `target` under lower-case names: fetch would send two spellings of one name
 * (`Accept` beside `accept`) as one header with both values joined, so a later source replaces an
 * earlier one's value instead, as `Headers.set` does.
 */
function assignHeaders(target: Record<string, string>, source: Readonly<Record<string, string>> | undefined): void {
  if (source === undefined) return;
  for (const name in source) target[name.toLowerCase()] = source[name] as string;
}

/** `inDoubt`: an earlier attempt may have been applied, so `acceptOnRetry` counts. */
function isAnswer(status: number, spec: RequestSpec, inDoubt = false): boolean {
  if (status >= 200 && status < 300) return true;
  return (spec.acceptStatus?.includes(status) ?? false) || (inDoubt && (spec.acceptOnRetry?.includes(status) ?? false));
}

/**
 * undici reports `fetch failed` with the useful part (ECONNREFUSED, a reset, `terminated`) in `cause`.
 * A cause without a message says nothing: undici gives one for an answer fetch may not pass on, a 407
 * Proxy Authentication Required among them (the fetch standard makes it a network error).
 */
function describeNetworkError(error: unknown): string {
  const parts: string[] = [];
  let silent = false;
  for (const { message, code } of causes(error)) {
    if (message !== '') parts.push(typeof code === 'string' ? `${message} (${code})` : message);
    else silent = true;
    if (code === 'UND_ERR_SOCKET' && message === 'bad response') parts.push(UNSOLICITED_CONTINUE);
  }
  if (silent) parts.push('no reason given (fetch answers a 407 Proxy Authentication Required this way)');
  return parts.length > 0 ? parts.join(': ') : String(error);
}

/**
 * What undici's "bad response" is for a request in flight: an interim `100 Continue` it reads as an
 * answer nobody asked for, as fetch sends no `Expect: 100-continue` (and refuses one it is given). It
 * closes the connection there, past reach of any option, so the message says what the server did.
 */
const UNSOLICITED_CONTINUE =
  'the server sent a 100 Continue the request did not ask for (it sent no Expect: 100-continue), which fetch does not read past; a proxy or server in front of the vendor may be adding it';

/**
 * The codes of a connection that was never made: refused, its host not found or not reachable, or
 * undici's connect timeout. No byte of the request left, so not even a login can have counted.
 */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'UND_ERR_CONNECT_TIMEOUT']);

/** Whether fetch's rejection says its connection was never made (undici puts the reason in `cause`). */
function neverConnected(error: unknown): boolean {
  for (const { code } of causes(error)) if (typeof code === 'string' && NOT_CONNECTED.has(code)) return true;
  return false;
}
