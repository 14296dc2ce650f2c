/**
 * A stateful emulator of the Illumio PCE events API, as a plain `(request: Request) => Promise<Response>`.
 * It follows the vendor's documented behaviour (seed 003, VENDORS.md "Illumio"), not the SDK's
 * assumptions: HTTP Basic, newest first, a silent `max_results` cut (default 100, at most 10000) with
 * the match count in `X-Total-Count`, inclusive `timestamp[gte]`/`timestamp[lte]`, the asynchronous
 * collection export (`Prefer: respond-async` → 202 + `Location` → job → datafile), 500 requests a
 * minute per API key, and error bodies as `[{ token, message }]`.
 */
import { EmulatorHttpError, json } from '../../testing/responses.js';
import { generateIllumioEvents, type IllumioFixtureOptions } from './fixtures.js';
import type { IllumioEvent } from './schemas.js';
import { createIllumioJobs, type IllumioAsyncOptions } from './emulator-jobs.js';
import { parseEventQuery, selectEvents } from './emulator-query.js';

export type { IllumioAsyncOptions } from './emulator-jobs.js';

export interface IllumioCredential {
  apiKey: string;
  apiSecret: string;
  /**
   * Whether the key's role may read events; a key without it gets `403`.
   * @default true
   */
  canReadEvents?: boolean;
}

export interface IllumioEmulatorOptions {
  /**
   * The organization the PCE serves; other org ids answer `403`.
   * @default 1
   */
  orgId?: number | string;
  /**
   * Accepted API keys.
   * @default [{ apiKey: 'api_1c0ffee1c0ffee', apiSecret: 'emulator-secret-illumio' }]
   */
  credentials?: IllumioCredential[];
  /** The events in the store (any order); by default generated from `fixtures`. */
  events?: IllumioEvent[];
  /**
   * How to generate events when `events` is not given.
   * @default { count: 250, seed: 1 }
   */
  fixtures?: IllumioFixtureOptions;
  /**
   * Server-side limit per API key, or `false` for none.
   * @default { requests: 500, interval: 60_000 }
   */
  rateLimit?: { requests: number; interval: number } | false;
  /** Shape of the asynchronous export. */
  async?: IllumioAsyncOptions;
  /**
   * Clock of the rate-limit window, in epoch milliseconds.
   * @default Date.now
   */
  now?: () => number;
}

export interface IllumioEmulator {
  /** Answers one request as the PCE would. */
  handle(request: Request): Promise<Response>;
  /** Adds events (they become visible to the next request), as a PCE records new activity. */
  addEvents(events: readonly IllumioEvent[]): void;
  /** The store, newest first. */
  readonly events: readonly IllumioEvent[];
  /** What the emulator has seen, for assertions. */
  readonly stats: { requests: number; rateLimited: number; asyncJobs: number; byPath: Map<string, number> };
}

export const DEFAULT_ILLUMIO_CREDENTIAL = { apiKey: 'api_1c0ffee1c0ffee', apiSecret: 'emulator-secret-illumio' };

/** Illumio's error body: a list of `{ token, message }`. */
export function illumioErrorResponse(status: number, message: string, headers: Record<string, string> = {}): Response {
  const token =
    status === 401 ? 'authentication_failed' : status === 403 ? 'forbidden_error'
      : status === 404 ? 'not_found' : status === 429 ? 'too_many_requests_error' : 'input_validation_error';
  return json([{ token, message }], { status, headers });
}

const ROUTES: ReadonlyArray<[RegExp, string]> = [
  [/^\/api\/v2\/orgs\/([^/]+)\/events$/, 'list'],
  [/^\/api\/v2\/orgs\/([^/]+)\/events\/([^/]+)$/, 'get'],
  [/^\/api\/v2\/orgs\/([^/]+)\/jobs\/([^/]+)$/, 'job'],
  [/^\/api\/v2\/orgs\/([^/]+)\/datafiles\/([^/]+)$/, 'datafile'],
  [/^\/api\/v2\/system_events\/([^/]+)$/, 'system'],
];

function byNewest(a: IllumioEvent, b: IllumioEvent): number {
  return Date.parse(b.timestamp) - Date.parse(a.timestamp);
}

export function createIllumioEmulator(options: IllumioEmulatorOptions = {}): IllumioEmulator {
  const orgId = String(options.orgId ?? 1);
  const credentials = options.credentials ?? [DEFAULT_ILLUMIO_CREDENTIAL];
  const limit = options.rateLimit === undefined ? { requests: 500, interval: 60_000 } : options.rateLimit;
  const now = options.now ?? Date.now;
  const store: IllumioEvent[] = (options.events ?? generateIllumioEvents({ orgId, ...options.fixtures })).slice();
  store.sort(byNewest);
  const stats = { requests: 0, rateLimited: 0, asyncJobs: 0, byPath: new Map<string, number>() };
  const windows = new Map<string, { start: number; count: number }>();
  const jobs = createIllumioJobs(orgId, options.async ?? {}, now);

  function authenticate(request: Request): IllumioCredential {
    const header = request.headers.get('authorization') ?? '';
    const [scheme, token] = header.split(' ');
    if (scheme?.toLowerCase() === 'basic' && token) {
      const decoded = Buffer.from(token, 'base64').toString('utf8');
      const found = credentials.find((c) => decoded === `${c.apiKey}:${c.apiSecret}`);
      if (found) return found;
    }
    throw new EmulatorHttpError(401, 'Authentication required', { 'WWW-Authenticate': 'Basic realm="PCE"' });
  }

  /** A fixed window per API key, as the PCE counts "500 requests per minute per key". */
  function admit(key: string): void {
    if (limit === false) return;
    const at = now();
    let window = windows.get(key);
    if (!window || at - window.start >= limit.interval) {
      window = { start: at, count: 0 };
      windows.set(key, window);
    }
    window.count += 1;
    if (window.count > limit.requests) {
      stats.rateLimited += 1;
      const seconds = Math.max(1, Math.ceil((window.start + limit.interval - at) / 1000));
      throw new EmulatorHttpError(429, 'API rate limit exceeded', { 'Retry-After': String(seconds) });
    }
  }

  function ownOrg(id: string, credential: IllumioCredential): void {
    if (id !== orgId) throw new EmulatorHttpError(403, `Access to organization ${id} is not permitted`);
    if (credential.canReadEvents === false) {
      throw new EmulatorHttpError(403, 'The user does not have permission to view events');
    }
  }

  function route(request: Request, url: URL): Response {
    if (request.method !== 'GET') throw new EmulatorHttpError(405, `${request.method} is not supported`);
    const path = url.pathname;
    for (const [pattern, name] of ROUTES) {
      const match = pattern.exec(path);
      if (!match) continue;
      const credential = authenticate(request);
      admit(credential.apiKey);
      const first = decodeURIComponent(match[1] ?? '');
      const second = decodeURIComponent(match[2] ?? '');
      if (name === 'system') return findEvent(`/system_events/${first}`);
      ownOrg(first, credential);
      if (name === 'get') return findEvent(`/orgs/${orgId}/events/${second}`);
      if (name === 'job') return jobs.status(second);
      if (name === 'datafile') return jobs.datafile(second);
      return list(request, url);
    }
    throw new EmulatorHttpError(404, `No route for ${path}`);
  }

  function findEvent(href: string): Response {
    const event = store.find((candidate) => candidate.href === href);
    if (!event) throw new EmulatorHttpError(404, `Event ${href} not found`);
    return json(event);
  }

  function list(request: Request, url: URL): Response {
    const query = parseEventQuery(url.searchParams);
    const { matches, page } = selectEvents(store, query);
    if (/respond-async/i.test(request.headers.get('prefer') ?? '')) {
      stats.asyncJobs += 1;
      return jobs.start(url, matches);
    }
    return json(page, { headers: { 'X-Total-Count': String(matches.length) } });
  }

  return {
    stats,
    get events() {
      return store;
    },
    addEvents(events) {
      store.push(...events);
      store.sort(byNewest);
    },
    async handle(request) {
      stats.requests += 1;
      const url = new URL(request.url);
      stats.byPath.set(url.pathname, (stats.byPath.get(url.pathname) ?? 0) + 1);
      try {
        const response = route(request, url);
        response.headers.set('X-Request-Id', `req-${stats.requests}`);
        return response;
      } catch (error) {
        if (!(error instanceof EmulatorHttpError)) throw error;
        return illumioErrorResponse(error.status, error.message, { ...error.headers, 'X-Request-Id': `req-${stats.requests}` });
      }
    },
  };
}

/** The environment `examples/illumio.ts` reads, for an emulator listening at `url`. */
export function demoEnv(url: string): Record<string, string> {
  return {
    TRIBUTARY_ILLUMIO_BASE_URL: url,
    TRIBUTARY_ILLUMIO_ORG_ID: '1',
    TRIBUTARY_ILLUMIO_API_KEY: DEFAULT_ILLUMIO_CREDENTIAL.apiKey,
    TRIBUTARY_ILLUMIO_API_SECRET: DEFAULT_ILLUMIO_CREDENTIAL.apiSecret,
  };
}
