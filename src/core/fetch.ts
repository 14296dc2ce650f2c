/**
 * The `fetch` a client calls, typed by what tributary hands it and reads back rather than as
 * `typeof globalThis.fetch`: undici's own `fetch` (the one that takes a `dispatcher`, for a proxy) returns
 * a `Response` whose `Headers` and `bytes()` are declared apart from Node's global ones, so under
 * `typeof fetch` the wrapper a proxy needs did not type-check without a cast. Any fetch of the platform,
 * undici's, msw's or an emulator's is one of these.
 */

/** What a client passes its `fetch`: always these members, never a `Request`. */
export interface FetchInit {
  method: string;
  /** Lower-case names; a plain object, so that a wrapper can read or add one without `Headers`. */
  headers: Record<string, string>;
  /** Redirects are followed by the client itself, within the base URL's origin. */
  redirect: 'manual';
  /** The attempt's signal: its timeout, the call's and the client's signals. */
  signal?: AbortSignal;
  /** A JSON body, as text. */
  body?: string;
}

/**
 * What a client reads of an answer: a `Response` as every fetch makes it, declared by its members whose
 * types agree whatever declares them (`formData()`, `blob()`, `bytes()` and `clone()` do not, between
 * undici's types, Node's and the DOM library's).
 */
export type FetchResponse = Pick<Response, 'ok' | 'status' | 'statusText' | 'url' | 'redirected' | 'text' | 'json' | 'arrayBuffer'> & {
  readonly headers: Pick<Headers, 'get' | 'has' | 'forEach'>;
  readonly body: {
    getReader(): { read(): Promise<{ done: boolean; value?: Uint8Array | undefined }>; cancel(reason?: unknown): Promise<void> };
    cancel(reason?: unknown): Promise<void>;
  } | null;
};

/**
 * A `fetch` for the `fetch` option: `globalThis.fetch`, undici's `fetch` given a `dispatcher`, msw's,
 * an emulator's `emulator.fetch`, or a wrapper of any of them.
 */
export type FetchFunction = (url: string, init: FetchInit) => Promise<FetchResponse>;
