/**
 * `socotra(...)`: a typed client of a Socotra tenant's Events API (seed 000, VENDORS.md "Socotra"):
 * the tenant's event stream, the events of one API request, scheduled policy events and failed
 * scheduled jobs. The provider is declarative: endpoints, schemas, auth, paging and normalizer; the
 * core's pipeline authenticates, rate-limits, retries, parses and validates.
 */
import { callSignal, type CallOptions } from '../../core/call-options.js';
import { buildClient, checkFactoryOptions, createClientContext, type OwnOptionNames } from '../../core/client.js';
import { idKey } from '../../core/dedupe.js';
import { paginate } from '../../core/paginate/paginate.js';
import { offsetStrategy } from '../../core/paginate/offset.js';
import { tokenStrategy } from '../../core/paginate/token.js';
import type { Paginated } from '../../core/paginate/types.js';
import { path } from '../../core/path.js';
import type { ProviderDefaults } from '../../core/request.js';
import { invalidOption, pathSegmentOption, requireString } from '../../core/config.js';
import { OptionProblems } from '../../core/option-problems.js';
import { socotraErrorMessage } from './errors.js';
import { socotraNormalizer, type SocotraTributaryEvent } from './normalize.js';
import { resolveSocotraOptions, type SocotraOptions } from './options.js';
import { toTokenPage } from './pagination.js';
import {
  MAX_PAGE_SIZE,
  resolveFailedJobsQuery,
  resolveListQuery,
  type SocotraFailedJobsQuery,
  type SocotraListQuery,
} from './query.js';
import {
  socotraEventArraySchema,
  socotraEventSchema,
  socotraEventStreamSchema,
  socotraFailedJobArraySchema,
  socotraScheduledPolicyEventArraySchema,
  type SocotraEvent,
  type SocotraFailedJob,
  type SocotraScheduledPolicyEvent,
} from './schemas.js';

/** The options of this factory besides the common ones (`CommonOptions`). */
const OWN_OPTIONS = Object.keys({ tenantLocator: true, token: true } satisfies OwnOptionNames<SocotraOptions>);

export type { SocotraOptions } from './options.js';
export type { SocotraFailedJobsQuery, SocotraListQuery } from './query.js';
export type {
  SocotraEvent,
  SocotraEventStream,
  SocotraFailedJob,
  SocotraFailedJobState,
  SocotraScheduledPolicyEvent,
  SocotraTriggerState,
} from './schemas.js';
export type { SocotraTributaryEvent } from './normalize.js';

/**
 * Failed-job pages requested at once. Without a total (VENDORS.md) the pages after the current one are
 * guesses: past the end of a listing this costs up to three extra requests, against about three times
 * the speed on a long one (bench: parallel offset paging).
 */
const FAILED_JOBS_CONCURRENCY = 4;

/**
 * Socotra publishes no rate limit (VENDORS.md): only concurrency is limited by default, and a 429's
 * `Retry-After` is honoured by the pipeline. Error bodies have no documented schema (see `errors.ts`).
 */
export const SOCOTRA_DEFAULTS: ProviderDefaults = {
  rateLimit: undefined,
  errorMessage: socotraErrorMessage,
};

/** Identifies a failed scheduled job, for `resume` and `delete` (`FailedJobRequest`). */
export interface SocotraFailedJobKey {
  /** @example 'trigger-5f0c2a9e41d7' */
  triggerName: string;
  /** @example 'policy-01JD3W5X8V0000000000000002' */
  triggerGroup: string;
}

export interface SocotraEventsApi {
  /**
   * The tenant's event stream (`GET .../events/list`), in order of completion, deduplicated on
   * `locator`: an event the stream sends again is dropped wherever it comes in a page, as long as it is
   * among the last 100 delivered (a cursor remembers them too). Resumable: each page's cursor resumes
   * after it, and the last page's cursor is a tail cursor that yields only events completed since,
   * however long it was kept.
   * @example for await (const event of client.events.list({ since: '2026-11-01' })) console.log(event.id);
   */
  list(query?: SocotraListQuery): Paginated<SocotraTributaryEvent>;
  /** One event by locator (`GET .../events/{locator}`); a missing one is a `NotFoundError`. */
  get(locator: string, options?: CallOptions): Promise<SocotraTributaryEvent>;
  /** Every event one API request produced (`GET .../events/request/{locator}`); `[]` when none. */
  forRequest(requestLocator: string, options?: CallOptions): Promise<SocotraTributaryEvent[]>;
}

export interface SocotraFailedJobsApi {
  /**
   * Failed scheduled jobs, paged by `offset`/`count` over one of the four listings (all, tenant-level,
   * one policy's, or one state's). Jobs may be resumed or deleted as they are listed: every page
   * re-reads the jobs before its offset to find where the previous one ended, so none is skipped and,
   * within one listing, none comes twice. A page cursor resumed after more jobs left before it than
   * that re-read covers may repeat jobs still failed, never skip one. The tail cursor yields the jobs
   * that failed since, even after the listed ones were resumed or deleted.
   * @example await client.schedules.failed.list({ state: 'quit' }).toArray()
   */
  list(query?: SocotraFailedJobsQuery): Paginated<SocotraFailedJob>;
  /**
   * Resumes a failed job (`POST .../schedules/failed/resume`). Not idempotent: retried only after a 408,
   * 429 or 503, which refuse it unread.
   */
  resume(job: SocotraFailedJobKey, options?: CallOptions): Promise<void>;
  /**
   * Deletes a failed job (`DELETE .../schedules/failed` with a JSON body). Retried like a read; a 404
   * answered to a retry after an attempt in doubt (a timeout, a network error, a 500, 502 or 504)
   * resolves, since that attempt may have deleted the job, and the job is gone either way. Any other
   * 404 (to the first attempt, or after a 429) is a `NotFoundError`: there was no such job.
   */
  delete(job: SocotraFailedJobKey, options?: CallOptions): Promise<void>;
}

export interface SocotraSchedulesApi {
  /** The scheduled events of one policy and their trigger states (`GET .../schedules/policy/{policyLocator}`). */
  forPolicy(policyLocator: string, options?: CallOptions): Promise<SocotraScheduledPolicyEvent[]>;
  readonly failed: SocotraFailedJobsApi;
}

export interface SocotraClient {
  /** The tenant the client reads, as given. */
  readonly tenantLocator: string;
  readonly events: SocotraEventsApi;
  readonly schedules: SocotraSchedulesApi;
}

function failedJobKey(job: unknown): SocotraFailedJobKey {
  if (typeof job !== 'object' || job === null) {
    invalidOption('job', 'expected { triggerName, triggerGroup }');
  }
  const { triggerName, triggerGroup } = job as Record<string, unknown>;
  const problems = new OptionProblems();
  const name = problems.check(() => requireString(triggerName, 'triggerName'));
  const group = problems.check(() => requireString(triggerGroup, 'triggerGroup'));
  problems.throwIfAny();
  // Undefined only when refused, and then the line above threw.
  return { triggerName: name as string, triggerGroup: group as string };
}

/**
 * @example
 * const client = socotra({
 *   baseUrl: 'https://api-ec-sandbox.socotra.com',
 *   tenantLocator: process.env.SOCOTRA_TENANT!,
 *   token: process.env.SOCOTRA_TOKEN!,
 * });
 * for await (const event of client.events.list({ since: '2026-11-01' })) console.log(event.type, event.id);
 */
export function socotra(options: SocotraOptions): SocotraClient {
  return buildClient('socotra', () => createSocotra(options));
}

function createSocotra(options: SocotraOptions): SocotraClient {
  const { tenantLocator, auth } = checkFactoryOptions(options, OWN_OPTIONS, (problems) => resolveSocotraOptions(options, problems));
  // A UUID: nothing in it to escape.
  const ctx = createClientContext('socotra', options, auth, SOCOTRA_DEFAULTS, OWN_OPTIONS, new RegExp(`/event/${tenantLocator}/events/?$`));
  const base = path`/event/${tenantLocator}/events`;

  const listEvents = (query?: SocotraListQuery): Paginated<SocotraTributaryEvent> => {
    const { filters, pageSize, empty } = resolveListQuery(query);
    const strategy = tokenStrategy<SocotraEvent>({
      id: (event) => event.locator,
      async fetchPage(token, size, signal) {
        const response = await ctx.http.request({
          operation: 'events.list',
          method: 'GET',
          path: `${base}/list`,
          // A request with a token carries nothing else; the first carries the filters (VENDORS.md).
          query: token === undefined ? { ...filters, pageSize: size } : { pagingToken: token },
          schema: socotraEventStreamSchema,
          signal,
        });
        return toTokenPage(response.data);
      },
    });
    return paginate({
      provider: 'socotra',
      operation: 'events.list',
      // What a cursor is bound to: the tenant and the filters the token was issued for.
      query: { tenantLocator, filters },
      strategy,
      empty,
      normalize: socotraNormalizer(tenantLocator, 'events.list'),
      pageSize,
      minPageSize: 1,
      maxPageSize: MAX_PAGE_SIZE,
      client: ctx,
    });
  };

  const listFailed = (query?: SocotraFailedJobsQuery): Paginated<SocotraFailedJob> => {
    const { listing, pageSize } = resolveFailedJobsQuery(query);
    const strategy = offsetStrategy<SocotraFailedJob>({
      // `triggerName` + `triggerGroup` identify a job (FailedJobDetails, VENDORS.md); resuming or
      // deleting one removes it from the listing, which the overlap of the pages absorbs.
      key: (job) => idKey(JSON.stringify([job.triggerGroup, job.triggerName])),
      maxLimit: MAX_PAGE_SIZE,
      async fetchPage({ offset, limit }, signal) {
        const response = await ctx.http.request({
          operation: 'schedules.failed.list',
          method: 'GET',
          path: `${base}${listing}`,
          query: { offset, count: limit },
          schema: socotraFailedJobArraySchema,
          signal,
        });
        return { items: response.data };
      },
      // The listing sends no total (VENDORS.md), so the engine requests the next pages on the guess
      // that each one comes back full; the shared limiter still bounds what is in flight.
      concurrency: FAILED_JOBS_CONCURRENCY,
    });
    return paginate({
      provider: 'socotra',
      operation: 'schedules.failed.list',
      query: { tenantLocator, listing },
      strategy,
      normalize: (jobs) => jobs,
      pageSize,
      minPageSize: 1,
      maxPageSize: MAX_PAGE_SIZE,
      client: ctx,
    });
  };

  const getNormalizer = socotraNormalizer(tenantLocator, 'events.get');
  const forRequestNormalizer = socotraNormalizer(tenantLocator, 'events.forRequest');

  return {
    tenantLocator,
    events: {
      list: listEvents,
      async get(locator, callOptions = {}) {
        const checked = pathSegmentOption(locator, 'locator');
        // `list` is the listing's own path segment, never an event's ULID.
        if (checked === 'list') invalidOption('locator', '"list" is not a locator');
        const signal = callSignal(callOptions);
        const response = await ctx.http.request({
          operation: 'events.get',
          method: 'GET',
          path: `${base}${path`/${checked}`}`,
          schema: socotraEventSchema,
          signal,
        });
        return getNormalizer([response.data])[0] as SocotraTributaryEvent;
      },
      async forRequest(requestLocator, callOptions = {}) {
        const checked = pathSegmentOption(requestLocator, 'requestLocator');
        const signal = callSignal(callOptions);
        const response = await ctx.http.request({
          operation: 'events.forRequest',
          method: 'GET',
          path: `${base}${path`/request/${checked}`}`,
          schema: socotraEventArraySchema,
          signal,
        });
        return forRequestNormalizer(response.data);
      },
    },
    schedules: {
      async forPolicy(policyLocator, callOptions = {}) {
        const checked = pathSegmentOption(policyLocator, 'policyLocator');
        const signal = callSignal(callOptions);
        const response = await ctx.http.request({
          operation: 'schedules.forPolicy',
          method: 'GET',
          path: `${base}${path`/schedules/policy/${checked}`}`,
          schema: socotraScheduledPolicyEventArraySchema,
          signal,
        });
        return response.data;
      },
      failed: {
        list: listFailed,
        async resume(job, callOptions = {}) {
          const json = failedJobKey(job);
          const signal = callSignal(callOptions);
          await ctx.http.request({
            operation: 'schedules.failed.resume',
            method: 'POST',
            path: `${base}/schedules/failed/resume`,
            json,
            signal,
          });
        },
        async delete(job, callOptions = {}) {
          const json = failedJobKey(job);
          const signal = callSignal(callOptions);
          await ctx.http.request({
            operation: 'schedules.failed.delete',
            method: 'DELETE',
            path: `${base}/schedules/failed`,
            json,
            acceptOnRetry: [404],
            signal,
          });
        },
      },
    },
  };
}
