/**
 * `illumio(...)`: a typed client of the Illumio Core PCE events API (seed 003, VENDORS.md "Illumio").
 * The provider is declarative: endpoints, schemas, auth, paging and normalizer; the core's pipeline
 * authenticates, rate-limits, retries, parses and validates.
 */
import { callSignal, type CallOptions } from '../../core/call-options.js';
import { buildClient, checkFactoryOptions, createClientContext, type OwnOptionNames } from '../../core/client.js';
import { ConfigurationError } from '../../core/errors.js';
import { paginate } from '../../core/paginate/paginate.js';
import type { Paginated } from '../../core/paginate/types.js';
import { path } from '../../core/path.js';
import type { ProviderDefaults } from '../../core/request.js';
import { illumioErrorMessage } from './errors.js';
import { normalizeEvent, normalizeEvents, type IllumioTributaryEvent } from './normalize.js';
import { ILLUMIO_RATE_LIMIT, resolveIllumioOptions, type IllumioOptions } from './options.js';
import { illumioStrategy } from './pagination.js';
import { MAX_PAGE_SIZE, resolveListQuery, type IllumioListQuery } from './query.js';
import { eventSchema } from './schemas.js';

/** The options of this factory besides the common ones (`CommonOptions`). */
const OWN_OPTIONS = Object.keys({ orgId: true, apiKey: true, apiSecret: true, jobPollInterval: true, jobTimeout: true } satisfies OwnOptionNames<IllumioOptions>);

export type { IllumioOptions } from './options.js';
export type { IllumioListQuery, IllumioSeverity } from './query.js';
export type { IllumioAction, IllumioCreatedBy, IllumioEvent, IllumioJob } from './schemas.js';
export type { IllumioEventData, IllumioTributaryEvent } from './normalize.js';
export { IllumioJobError, isIllumioJobError, type IllumioJobErrorOptions } from './errors.js';

/**
 * 500 requests a minute per API key (VENDORS.md); errors as `[{ token, message }]`; the PCE's request
 * id in `X-Request-Id`, the first header the pipeline reads for one.
 */
export const ILLUMIO_DEFAULTS: ProviderDefaults = {
  rateLimit: ILLUMIO_RATE_LIMIT,
  errorMessage: illumioErrorMessage,
};

export interface IllumioEventsApi {
  /**
   * The organization's events, newest first, none lost to the PCE's silent `max_results` cut and none
   * repeated at window boundaries. Each page's cursor resumes after it; the last page's cursor yields
   * only events newer than the newest one listed.
   * @example for await (const event of pce.events.list({ since: '2026-11-01', severity: 'warning' })) ...
   */
  list(query?: IllumioListQuery): Paginated<IllumioTributaryEvent>;
  /**
   * One event, by its UUID (`GET /api/v2/orgs/{orgId}/events/{uuid}`) or by its href
   * (`/orgs/1/events/…` or `/system_events/…`, as `event.id` holds it). A missing one is a
   * `NotFoundError`.
   */
  get(idOrHref: string, options?: CallOptions): Promise<IllumioTributaryEvent>;
}

export interface IllumioClient {
  readonly events: IllumioEventsApi;
}

/** `/orgs/{org}/events/{id}` and `/system_events/{id}`, the hrefs an event can have. */
const EVENT_HREF = /^\/orgs\/([^/?#]+)\/events\/([^/?#]+)$|^\/system_events\/([^/?#]+)$/;

function badId(reason: string, cause?: unknown): ConfigurationError {
  return new ConfigurationError(`Invalid option \`id\`: ${reason}`, { option: 'id', provider: 'illumio', cause });
}

function eventPath(idOrHref: unknown, orgId: string): string {
  if (typeof idOrHref !== 'string' || idOrHref.trim() === '') throw badId('expected an event UUID or href');
  try {
    if (!idOrHref.startsWith('/')) return path`/api/v2/orgs/${orgId}/events/${idOrHref}`;
    const match = EVENT_HREF.exec(idOrHref);
    if (match === null) throw badId('an href must look like /orgs/{orgId}/events/{uuid} or /system_events/{uuid}');
    const [, org, id, systemId] = match;
    // The href's parts are decoded and encoded again, so no part can leave its segment.
    return systemId === undefined
      ? path`/api/v2/orgs/${decodeURIComponent(org ?? '')}/events/${decodeURIComponent(id ?? '')}`
      : path`/api/v2/system_events/${decodeURIComponent(systemId)}`;
  } catch (error) {
    if (error instanceof ConfigurationError && error.option === 'id') throw error;
    throw badId('it would not stay one path segment (".", ".." or a malformed escape)', error);
  }
}

/**
 * @example
 * const pce = illumio({ baseUrl: 'https://pce.example.com:8443', orgId: 1, apiKey, apiSecret });
 * for await (const event of pce.events.list({ since: '2026-11-01' })) console.log(event.time, event.type);
 */
export function illumio(options: IllumioOptions): IllumioClient {
  return buildClient('illumio', () => createIllumio(options));
}

function createIllumio(options: IllumioOptions): IllumioClient {
  const { orgId, auth, jobPollInterval, jobTimeout } = checkFactoryOptions(options, OWN_OPTIONS, (problems) => resolveIllumioOptions(options, problems));
  const ctx = createClientContext('illumio', options, auth, ILLUMIO_DEFAULTS, OWN_OPTIONS, /\/api\/v2\/?$/);
  const listPath = path`/api/v2/orgs/${orgId}/events`;
  const normalize = (events: Parameters<typeof normalizeEvents>[0]) => normalizeEvents(events, orgId);

  return {
    events: {
      list(query) {
        const resolved = resolveListQuery(query);
        return paginate({
          provider: 'illumio',
          operation: 'events.list',
          // What a cursor is bound to: the organization, filters and window, not the page size or mode.
          query: { orgId, filters: resolved.filters, window: resolved.window },
          strategy: illumioStrategy(ctx, { jobPollInterval, jobTimeout }, listPath, resolved),
          empty: resolved.empty,
          normalize,
          pageSize: resolved.pageSize,
          minPageSize: 1,
          maxPageSize: MAX_PAGE_SIZE,
          client: ctx,
        });
      },
      async get(idOrHref, callOptions = {}) {
        const eventAt = eventPath(idOrHref, orgId);
        const signal = callSignal(callOptions);
        const response = await ctx.http.request({
          operation: 'events.get',
          method: 'GET',
          path: eventAt,
          schema: eventSchema,
          signal,
        });
        return normalizeEvent(response.data, orgId);
      },
    },
  };
}
