/**
 * The contract between a provider and the request pipeline (`core/http`). A provider describes a
 * request (`RequestSpec`); the pipeline authenticates, rate-limits, retries, caps, parses and validates
 * it. Providers never call ky, fetch, p-retry or bottleneck themselves.
 */
import type { z } from 'zod';
import type { ProviderName } from './errors.js';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'DELETE';

export type QueryValue = string | number | boolean | undefined | null | ReadonlyArray<string | number>;

export interface RequestSpec<S extends z.ZodType = z.ZodType> {
  /** The client operation, for errors and hooks: `events.list`. */
  operation: string;
  method: HttpMethod;
  /**
   * Path relative to the client's base URL, built with `path\`...\`` so that parameters are encoded, or an
   * absolute URL of the same origin (an Illumio job `Location`).
   */
  path: string;
  /** Query parameters; `undefined` and `null` are left out, arrays repeat the key. */
  query?: Readonly<Record<string, QueryValue>>;
  /** A JSON body. */
  json?: unknown;
  headers?: Readonly<Record<string, string>>;
  /** Validates the parsed JSON body. Omit for responses whose body is ignored (`204`, `void`). */
  schema?: S;
  /**
   * Whether the request may be repeated safely. Defaults to true for GET, HEAD and DELETE, false for
   * POST; reads sent as POST (Informatica search) set it.
   */
  idempotent?: boolean;
  /** Aborts this request (combined with the client's own signal). */
  signal?: AbortSignal | undefined;
  /**
   * Statuses that are answers, not errors, for this request (Illumio's `202 Accepted` for an async
   * export). 2xx are always answers.
   */
  acceptStatus?: readonly number[];
  /**
   * Statuses that are answers to a retry after an attempt that may have been applied without its answer
   * reaching us (a timeout, a network error, a 500, 502 or 504), errors otherwise: a DELETE applied by
   * such an attempt is answered 404 by its retry. After a 429 or a 503 nothing was applied.
   */
  acceptOnRetry?: readonly number[];
}

export interface HttpResponse<T> {
  data: T;
  status: number;
  headers: Headers;
  /** The final URL, without credentials. */
  url: string;
}

export interface HttpClient {
  readonly provider: ProviderName;
  readonly baseUrl: URL;
  request<S extends z.ZodType>(spec: RequestSpec<S> & { schema: S }): Promise<HttpResponse<z.output<S>>>;
  request(spec: RequestSpec): Promise<HttpResponse<unknown>>;
}

/**
 * How a provider authenticates. `headers` is called before every attempt, so a token can be fetched
 * lazily and refreshed; `refresh` is called once after a 401 and returns whether a new credential was
 * obtained (the request is then sent once more).
 */
export interface Auth {
  headers(signal: AbortSignal | undefined): Promise<Record<string, string>> | Record<string, string>;
  refresh?(signal: AbortSignal | undefined): Promise<boolean>;
  /** Identifies the credential for the rate-limiter key without revealing it (a hash or a user name). */
  readonly key: string;
  /**
   * What a `401` means for this credential, added to its error's message when nothing can mend it (a
   * static token, which no login renews).
   */
  readonly unauthorized?: string | undefined;
}

/** Per-vendor pipeline settings a provider declares. */
export interface ProviderDefaults {
  /** The vendor's published limit; `undefined` for none (only concurrency is limited then). */
  rateLimit?: { requests: number; interval: number } | undefined;
  /** Pulls the vendor's human message out of its error body (JSON already parsed, or text). */
  errorMessage?: (body: unknown) => string | undefined;
  /** The response header carrying the vendor's request id. */
  requestIdHeader?: string;
  /**
   * Pulls the vendor's request id out of its error body (JSON already parsed, or text), for a vendor
   * that puts it there rather than in a header (IICS). Read after `requestIdHeader`, before the request
   * id headers of gateways.
   */
  errorRequestId?: (body: unknown) => string | undefined;
}
