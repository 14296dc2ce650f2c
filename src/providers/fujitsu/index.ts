/**
 * `fujitsu(...)`: a typed client of FUJITSU Cloud Service K5 DBaaS event notifications (seed 002,
 * VENDORS.md "FUJITSU"), with Keystone v3 authentication. The provider is declarative: endpoint,
 * schemas, auth, paging and normalizer; the core's pipeline rate-limits, retries, parses and validates.
 */
import { credentialKey } from '../../core/credential-key.js';
import { isPlainObject } from '../../core/config.js';
import type { RetryInfo } from '../../core/options.js';
import type { FetchFunction } from '../../core/fetch.js';
import { buildClient, checkFactoryOptions, createClientContext, type OwnOptionNames } from '../../core/client.js';
import { paginate } from '../../core/paginate/paginate.js';
import type { Paginated } from '../../core/paginate/types.js';
import { path } from '../../core/path.js';
import type { Auth, ProviderDefaults } from '../../core/request.js';
import { keystoneAuth, staticTokenAuth } from './auth.js';
import { fujitsuErrorMessage } from './errors.js';
import { keyEvents, normalizeEvents, type FujitsuTributaryEvent } from './normalize.js';
import { MAX_PAGE_SIZE, MIN_PAGE_SIZE, resolveOptions, resolveQuery, type FujitsuEventsQuery, type FujitsuOptions } from './options.js';
import { fujitsuMarkerStrategy } from './pagination.js';
import { eventListSchema } from './schemas.js';

/** The options of this factory besides the common ones (`CommonOptions`). */
const OWN_OPTIONS = Object.keys({ tenantId: true, token: true, identity: true } satisfies OwnOptionNames<FujitsuOptions>);

export type { FujitsuIdentity } from './auth.js';
export type { FujitsuCredentials, FujitsuEventsQuery, FujitsuOptions, FujitsuSourceType } from './options.js';
export type { FujitsuEvent } from './schemas.js';
export type { FujitsuEventData, FujitsuTributaryEvent } from './normalize.js';

/**
 * FUJITSU publishes no rate limit (VENDORS.md): only concurrency is limited by default, and a 429's or
 * 503's `Retry-After` is honoured by the pipeline. OpenStack services name each request in
 * `X-Openstack-Request-Id`.
 */
export const FUJITSU_DEFAULTS: ProviderDefaults = {
  rateLimit: undefined,
  errorMessage: fujitsuErrorMessage,
  requestIdHeader: 'x-openstack-request-id',
};

export interface FujitsuEventsApi {
  /**
   * Event notifications, newest first, over one window (`since`..`until`; by default from `duration`
   * (60) minutes before the listing's first request, not before this call, to now at each request).
   * Resumable: each page's cursor resumes after it, and the last page's cursor yields only events that
   * arrive later. The service has no single-event endpoint.
   * @example for await (const event of k5.events.list({ since: '2026-11-01', categories: ['backup'] })) ...
   */
  list(query?: FujitsuEventsQuery): Paginated<FujitsuTributaryEvent>;
}

export interface FujitsuClient {
  readonly events: FujitsuEventsApi;
}

/**
 * @example
 * const k5 = fujitsu({
 *   baseUrl: 'https://database.uk-1.cloud.global.fujitsu.com',
 *   tenantId: process.env.K5_PROJECT_ID!,
 *   identity: {
 *     url: 'https://identity.uk-1.cloud.global.fujitsu.com',
 *     userName: process.env.K5_USER!,
 *     password: process.env.K5_PASSWORD!,
 *     domainName: process.env.K5_CONTRACT!,
 *   },
 * });
 * for await (const event of k5.events.list({ since: '2026-11-23T00:00:00Z' })) console.log(event.type, event.subject);
 */
export function fujitsu(options: FujitsuOptions): FujitsuClient {
  return buildClient('fujitsu', () => createFujitsu(options));
}

function createFujitsu(options: FujitsuOptions): FujitsuClient {
  const { tenantId, apiPath, token, identity } = checkFactoryOptions(options, OWN_OPTIONS, (problems) => resolveOptions(options, problems));
  let auth: Auth;
  if (identity === undefined) {
    auth = staticTokenAuth(token as string);
  } else {
    // The login goes to another origin (the identity service), through a pipeline of its own.
    // A login limiter per user, also when the client names a `rateLimit.key`: one user's 429 or lockout
    // must not hold the others' logins.
    const loginKey = `keystone-login:${credentialKey(`${identity.domainName} ${identity.userName}`)}`;
    const { rateLimit, hooks } = options;
    const given = options.fetch;
    auth = keystoneAuth(identity, (attempts) => {
      // Looked up per call, as the client's own fetch is, so a fetch patched later (msw) is still used.
      const fetch: FetchFunction = (url, init) => {
        attempts.sent();
        return (given ?? globalThis.fetch)(url, init);
      };
      const onRetry = (info: RetryInfo): void => {
        attempts.retrying();
        hooks?.onRetry?.(info);
      };
      const loginOptions = {
        ...options,
        baseUrl: identity.url,
        rateLimit: typeof rateLimit === 'object' ? { ...rateLimit, key: undefined } : rateLimit,
        // The login is shared by the requests of the client, which leave on their own signals; stopped
        // with the client's, a login sent would go unread (`keystoneAuth`).
        signal: undefined,
        fetch,
        // Hooks that are not an object are left for the client's own check to name.
        hooks: hooks === undefined || isPlainObject(hooks) ? { ...hooks, onRetry } : hooks,
      };
      return createClientContext('fujitsu', loginOptions, { headers: () => ({}), key: loginKey }, FUJITSU_DEFAULTS, OWN_OPTIONS);
    });
  }
  const ctx = createClientContext('fujitsu', options, auth, FUJITSU_DEFAULTS, OWN_OPTIONS, apiPath);
  const eventsPath = path`/v1.0/${tenantId}/events`;
  const normalize = normalizeEvents(tenantId);

  const list = (query?: FujitsuEventsQuery): Paginated<FujitsuTributaryEvent> => {
    const resolved = resolveQuery(query);
    const strategy = fujitsuMarkerStrategy({
      since: resolved.since,
      until: resolved.until,
      durationMs: resolved.durationMs,
      now: () => ctx.clock.now(),
      async fetchPage(request, signal) {
        const response = await ctx.http.request({
          operation: 'events.list',
          method: 'GET',
          path: eventsPath,
          query: { ...resolved.filters, ...request },
          schema: eventListSchema,
          signal,
        });
        return keyEvents(response.data.events, 'events.list');
      },
    });
    return paginate({
      provider: 'fujitsu',
      operation: 'events.list',
      // What a cursor is bound to: the tenant, window and filters, not the page size.
      query: { tenantId, since: resolved.since, until: resolved.until, durationMs: resolved.durationMs, filters: resolved.filters },
      strategy,
      empty: resolved.empty,
      normalize,
      pageSize: resolved.pageSize,
      minPageSize: MIN_PAGE_SIZE,
      maxPageSize: MAX_PAGE_SIZE,
      client: ctx,
    });
  };

  return { events: { list } };
}
