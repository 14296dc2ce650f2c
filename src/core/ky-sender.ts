/**
 * How the request pipeline calls ky: one place, used by the pipeline and by the benchmark's loop that
 * stands for ky alone (bench/raw.ts), so that the two cannot drift apart.
 */
import type { KyInstance } from 'ky';
import { letGo } from './body.js';
import type { FetchFunction } from './fetch.js';
import { untilAborted } from './signal.js';

/**
 * ky as the pipeline uses it: retries, timeouts and redirects are the pipeline's own (p-retry, a timer
 * per attempt, redirects followed by hand within the origin), and a status is an answer, not a throw.
 */
const KY_OPTIONS = { retry: 0, timeout: false, throwHttpErrors: false, redirect: 'manual' } as const;

/**
 * How long `fetch` is given to heed an abort before its answer is given up on. undici's rejects at
 * once; a custom one may never, and one that never answered held the attempt past its timeout, and the
 * call past its signal, for good. Not given up at the abort itself: a request counts against
 * `maxConcurrent` until its fetch has settled, and one that heeds the abort a moment later is still on
 * the wire meanwhile.
 */
const ABORT_GRACE_MS = 1_000;

/** One request as the pipeline sends it. */
export interface KyExchange {
  method: string;
  headers: Record<string, string>;
  body?: string | undefined;
  signal?: AbortSignal | undefined;
  /**
   * Called as `fetch` is, when the request may reach the network from then on. A request whose signal
   * aborted before (ky waits a turn of the microtask queue first, the limiter's turn may have come just
   * before) is not handed to `fetch`, and this is not called: the caller knows nothing was sent.
   */
  onFetch?: (() => void) | undefined;
}

/** Sends one request through ky with `fetchImpl` (looked up by the caller, so a patched fetch is used). */
export type KySender = (url: URL | string, exchange: KyExchange) => Promise<Response>;

/**
 * ky is imported by the first request, not with the package: its module builds a `Request` when it is
 * evaluated (to find out whether request streams work), which loads fetch's implementation (undici and
 * web streams) at import: most of a cold `import('tributary/illumio')` (bench/, scenario 5) for a
 * program that may never send a request. The first request pays it, as a program's first `fetch` does.
 */
let ready: KyInstance | undefined;
let loading: Promise<KyInstance> | undefined;

function loadKy(): Promise<KyInstance> {
  loading ??= import('ky').then((module) => {
    // The CommonJS build imports its own CommonJS copy of ky, whose `default` is that copy's `exports`,
    // ky itself one level further down.
    const ky = typeof module.default === 'function' ? module.default : (module.default as unknown as typeof module).default;
    return (ready = ky.create(KY_OPTIONS));
  });
  return loading;
}

export function kySender(fetchImpl: FetchFunction): KySender {
  const send: KySender = (url, { method, headers, body, signal, onFetch }) =>
    (ready as KyInstance)(url, {
      method,
      // fetch gets the URL, the headers, the signal and the body as a string, not through ky's
      // `Request`: there the headers would be merged into `Headers` objects three times before fetch
      // copies them once more (a tenth of the client's time at 100 events a page, bench/), the signal
      // would be joined to a controller of ky's own with `AbortSignal.any`, and a body would become a
      // stream that ky tees for its retries (off here) and fetch pipes: web streams were a fifth of the
      // client's time on Informatica's searches.
      fetch: (input) => {
        // fetch would reject it unsent too, but a custom fetch (a proxy, instrumentation) must not see it.
        signal?.throwIfAborted();
        onFetch?.();
        // Every fetch answers with a whole `Response`; `FetchResponse` only declares less of it (fetch.ts).
        const answer = fetchImpl((input as Request).url, {
          method,
          headers,
          redirect: 'manual',
          ...(signal === undefined ? {} : { signal }),
          ...(body === undefined ? {} : { body }),
        }) as Promise<Response>;
        // A late answer is let go of unread.
        return untilAborted(answer, signal, () => void answer.then((late) => letGo(late.body), () => undefined), ABORT_GRACE_MS);
      },
    });
  return (url, exchange) =>
    ready === undefined
      ? loadKy().then(() => {
          // Aborted while ky loaded: a custom fetch (a proxy, instrumentation) must not see the call.
          exchange.signal?.throwIfAborted();
          return send(url, exchange);
        })
      : send(url, exchange);
}
