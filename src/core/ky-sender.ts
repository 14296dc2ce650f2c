/**
 * How the request pipeline calls ky: one place, used by the pipeline and by the benchmark's loop that
 * stands for ky alone (bench/raw.ts), so that the two cannot drift apart.
 */
import ky from 'ky';

/**
 * ky as the pipeline uses it: retries, timeouts and redirects are the pipeline's own (p-retry, a timer
 * per attempt, redirects followed by hand within the origin), and a status is an answer, not a throw.
 */
const KY_OPTIONS = { retry: 0, timeout: false, throwHttpErrors: false, redirect: 'manual' } as const;

/** One request as the pipeline sends it. */
export interface KyExchange {
  method: string;
  headers: Record<string, string>;
  body?: string | undefined;
  signal?: AbortSignal | undefined;
}

/** Sends one request through ky with `fetchImpl` (looked up by the caller, so a patched fetch is used). */
export type KySender = (url: URL | string, exchange: KyExchange) => Promise<Response>;

export function kySender(fetchImpl: typeof fetch): KySender {
  const http = ky.create(KY_OPTIONS);
  return (url, { method, headers, body, signal }) =>
    http(url, {
      method,
      // fetch gets the URL, the headers, the signal and the body as a string, not through ky's
      // `Request`: there the headers would be merged into `Headers` objects three times before fetch
      // copies them once more (a tenth of the client's time at 100 events a page, bench/), the signal
      // would be joined to a controller of ky's own with `AbortSignal.any`, and a body would become a
      // stream that ky tees for its retries (off here) and fetch pipes: web streams were a fifth of the
      // client's time on Informatica's searches.
      fetch: (input, init) =>
        fetchImpl((input as Request).url, {
          ...init,
          method,
          headers,
          redirect: 'manual',
          ...(signal === undefined ? {} : { signal }),
          ...(body === undefined ? {} : { body }),
        }),
    });
}
