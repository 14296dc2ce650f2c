/**
 * `tines(...)`: a typed client of a Tines tenant's events API (seed 001, VENDORS.md "Tines",
 * https://www.tines.com/api/events). The provider is declarative: endpoints, schemas, auth, paging and
 * normalizer; the core's pipeline authenticates, rate-limits, retries, parses and validates.
 */
import { invalidOption } from '../../core/config.js';
import { callSignal, type CallOptions } from '../../core/call-options.js';
import { buildClient, checkFactoryOptions, createClientContext, type OwnOptionNames } from '../../core/client.js';
import { idOption, resolveListQuery, type TinesId, type TinesListQuery } from './query.js';
import { paginate } from '../../core/paginate/paginate.js';
import { sinceIdStrategy } from '../../core/paginate/since-id.js';
import type { Paginated } from '../../core/paginate/types.js';
import { path } from '../../core/path.js';
import type { ProviderDefaults } from '../../core/request.js';
import { canonicalEpoch, toRfc3339Millis } from '../../core/time.js';
import { tinesErrorMessage } from './errors.js';
import { canonicalId } from './ids.js';
import { normalizeEvent, normalizeEvents, type TinesTributaryEvent } from './normalize.js';
import { withinActionBounds } from './action-filters.js';
import { resolveTinesOptions, type TinesOptions } from './options.js';
import { toSinceIdPage } from './pagination.js';
import { MAX_PAGE_SIZE } from './query.js';
import { tinesEventListSchema, tinesEventSchema, type TinesEvent } from './schemas.js';

/** The options of this factory besides the common ones (`CommonOptions`). */
const OWN_OPTIONS = Object.keys({ token: true, authScheme: true, email: true, apiPath: true } satisfies OwnOptionNames<TinesOptions>);

export type { TinesOptions } from './options.js';
export type { TinesId, TinesListQuery } from './query.js';
export type { TinesEvent, TinesMeta } from './schemas.js';
export type { TinesTributaryEvent } from './normalize.js';

/**
 * Tines publishes no rate limit (VENDORS.md): only concurrency is limited by default, and a 429's
 * `Retry-After` is honoured by the pipeline.
 */
export const TINES_DEFAULTS: ProviderDefaults = {
  rateLimit: undefined,
  errorMessage: tinesErrorMessage,
};

export interface TinesEventsApi {
  /**
   * Events in ascending id order per page, resumable: each page's cursor resumes after it, and the last
   * page's cursor yields only events that arrive later.
   * @example for await (const event of client.events.list({ actionId: 21, since: '2026-11-01' })) ...
   */
  list(query?: TinesListQuery): Paginated<TinesTributaryEvent>;
  /** One event (`GET /api/v1/events/{id}`); a missing one is a `NotFoundError`. */
  get(id: TinesId, options?: CallOptions): Promise<TinesTributaryEvent>;
  /**
   * Re-emits an event from its action (`POST /api/v1/events/{id}/reemit`). Retried only after a 408, 429
   * or 503, which refuse it unread: a retry after a lost answer would emit it twice.
   */
  reemit(id: TinesId, options?: CallOptions): Promise<void>;
}

export interface TinesClient {
  readonly events: TinesEventsApi;
}

/**
 * @example
 * const client = tines({ baseUrl: 'https://tenant-1234.tines.com', token: process.env.TINES_API_KEY! });
 * for await (const event of client.events.list({ sinceId: lastSeenId })) console.log(event.id, event.source);
 */
export function tines(options: TinesOptions): TinesClient {
  return buildClient('tines', () => createTines(options));
}

function createTines(options: TinesOptions): TinesClient {
  const { apiPath, auth } = checkFactoryOptions(options, OWN_OPTIONS, (problems) => resolveTinesOptions(options, problems));
  const ctx = createClientContext('tines', options, auth, TINES_DEFAULTS, OWN_OPTIONS, /\/api\/v1\/?$/);
  // The tenant, for each event's `source`.
  const tenant = new URL(ctx.options.baseUrl).host;
  const normalizePage = (events: readonly TinesEvent[]) => normalizeEvents(events, tenant);

  const list = (query?: TinesListQuery): Paginated<TinesTributaryEvent> => {
    const resolved = resolveListQuery(query);
    const listPath =
      resolved.actionId === undefined
        ? '/api/v1/events'
        : apiPath === 'agents'
          ? path`/api/v1/agents/${resolved.actionId}/events`
          : path`/api/v1/actions/${resolved.actionId}/events`;
    const strategy = sinceIdStrategy<TinesEvent>({
      sinceId: resolved.sinceId,
      // A number (as JSON brings Tines ids) is compared as it is; a string is read without leading zeros.
      id: (event) => (typeof event.id === 'number' ? event.id : canonicalId(event.id)),
      // VENDORS.md: `until_id` filters `GET /api/v1/events`; one action's events take no such filter.
      untilIdFilter: resolved.actionId === undefined,
      // An action's event can be listed only after events of higher ids (VENDORS.md: events arrive
      // late): the tail re-reads the minute before the newest `created_at` it delivered.
      createdAt: (event) => {
        const time = toRfc3339Millis(event.created_at);
        return time === undefined ? undefined : canonicalEpoch(time);
      },
      now: () => ctx.clock.now(),
      async fetchPage(request, signal) {
        const response = await ctx.http.request({
          operation: 'events.list',
          method: 'GET',
          path: listPath,
          // A descent's `until_id` lies below every id delivered, so below the caller's own too.
          query: { ...resolved.filters, since_id: request.sinceId, until_id: request.untilId ?? resolved.filters.until_id, page: request.page, per_page: request.pageSize },
          schema: tinesEventListSchema,
          signal,
        });
        return toSinceIdPage(response.data, request);
      },
    });
    return paginate({
      provider: 'tines',
      operation: 'events.list',
      // What a cursor is bound to: the path and filters, not the page size.
      query: { path: listPath, sinceId: resolved.sinceId, filters: resolved.filters },
      strategy,
      normalize: resolved.actionId === undefined ? normalizePage : withinActionBounds(normalizePage, resolved.filters),
      pageSize: resolved.pageSize,
      minPageSize: 1,
      maxPageSize: MAX_PAGE_SIZE,
      client: ctx,
    });
  };

  const eventPath = (id: TinesId): string => {
    const checked = idOption(id, 'id');
    if (checked === undefined) invalidOption('id', 'an event id is required');
    return path`/api/v1/events/${checked}`;
  };

  return {
    events: {
      list,
      async get(id, callOptions = {}) {
        const eventAt = eventPath(id);
        const signal = callSignal(callOptions);
        const response = await ctx.http.request({
          operation: 'events.get',
          method: 'GET',
          path: eventAt,
          schema: tinesEventSchema,
          signal,
        });
        return normalizeEvent(response.data, tenant);
      },
      async reemit(id, callOptions = {}) {
        const eventAt = eventPath(id);
        const signal = callSignal(callOptions);
        await ctx.http.request({
          operation: 'events.reemit',
          method: 'POST',
          path: `${eventAt}/reemit`,
          signal,
        });
      },
    },
  };
}
