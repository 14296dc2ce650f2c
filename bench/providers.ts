/**
 * What the benchmark needs of each vendor: how its emulator is started, the SDK listing, and the loop a
 * user would write by hand against the same API (the baseline). The data is the emulators' own,
 * generated from a fixed seed at a fixed `now`, so every round reads the same pages.
 */
import type { CommonOptions } from '../src/core/options.js';
import type { ProviderName } from '../src/core/errors.js';
import type { TributaryEvent } from '../src/core/event.js';
import type { Paginated } from '../src/core/paginate/types.js';
import { fujitsu } from '../src/providers/fujitsu/index.js';
import { DEFAULT_FUJITSU_TENANT, DEFAULT_FUJITSU_TOKEN } from '../src/providers/fujitsu/emulator.js';
import { illumio } from '../src/providers/illumio/index.js';
import { DEFAULT_ILLUMIO_CREDENTIAL } from '../src/providers/illumio/emulator.js';
import { informatica } from '../src/providers/informatica/index.js';
import { DEFAULT_INFORMATICA_USER } from '../src/providers/informatica/emulator.js';
import { socotra } from '../src/providers/socotra/index.js';
import { SOCOTRA_EMULATOR_TENANT, SOCOTRA_EMULATOR_TOKEN } from '../src/providers/socotra/emulator.js';
import { tines } from '../src/providers/tines/index.js';
import { DEFAULT_TINES_CREDENTIAL } from '../src/providers/tines/emulator.js';
import type { RawPlan, RawRequest } from './raw.js';
import type { StartCommand } from './server/protocol.js';
import { FUJITSU_HISTORY_MS } from './server/adapt.js';

/** The emulators' `now`: fixed, so that data and windows are the same in every run. */
export const BENCH_NOW = Date.parse('2026-11-23T12:00:00.000Z');

/** The options every SDK client of the benchmark gets besides its credentials. */
export type ClientOptions = Omit<CommonOptions, 'baseUrl'>;

export interface BenchProvider {
  readonly name: ProviderName;
  /** The larger page size of the throughput scenario: 1000, or the vendor's maximum below it. */
  readonly largePage: number;
  /** The server's start command for a store that delivers about `events` events. */
  server(events: number): Omit<StartCommand, 'type' | 'seed' | 'now' | 'scale' | 'cache'>;
  /** The SDK listing a user writes, over every event of the store. */
  list(baseUrl: string, pageSize: number, options: ClientOptions): Paginated<TributaryEvent>;
  /** A fresh hand-written paging loop (it may keep state between pages). */
  raw(): RawPlan;
}

const query = (params: Record<string, string | number>): string => new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();

const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}`, accept: 'application/json' });

const record = (value: unknown): Record<string, unknown> => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {});

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

const SOCOTRA_SINCE = '2026-10-01T00:00:00.000Z';

const socotraProvider: BenchProvider = {
  name: 'socotra',
  largePage: 1000,
  server: (events) => ({ provider: 'socotra', events, options: {} }),
  list: (baseUrl, pageSize, options) =>
    socotra({ ...options, baseUrl, tenantLocator: SOCOTRA_EMULATOR_TENANT, token: SOCOTRA_EMULATOR_TOKEN }).events.list({
      since: SOCOTRA_SINCE,
      pageSize,
    }),
  raw: () => {
    const path = `/event/${SOCOTRA_EMULATOR_TENANT}/events/list`;
    const headers = bearer(SOCOTRA_EMULATOR_TOKEN);
    return {
      first: (pageSize) => ({ method: 'GET', path: `${path}?${query({ startTimestamp: SOCOTRA_SINCE, pageSize })}`, headers }),
      // The token is on every page; the end is an empty page (VENDORS.md).
      step: ({ body }) => {
        const { events, pagingToken } = record(body);
        const page = list(events);
        const next: RawRequest | undefined =
          page.length === 0 ? undefined : { method: 'GET', path: `${path}?${query({ pagingToken: String(pagingToken) })}`, headers };
        return { events: page, next };
      },
    };
  },
};

const tinesProvider: BenchProvider = {
  name: 'tines',
  largePage: 500,
  server: (events) => ({ provider: 'tines', events, options: {} }),
  list: (baseUrl, pageSize, options) => tines({ ...options, baseUrl, token: DEFAULT_TINES_CREDENTIAL.key }).events.list({ pageSize }),
  raw: () => {
    const headers = bearer(DEFAULT_TINES_CREDENTIAL.key);
    return {
      first: (pageSize) => ({ method: 'GET', path: `/api/v1/events?${query({ per_page: pageSize })}`, headers }),
      // `{ events, meta }`: follow the `meta.next_page` URL while pages are full.
      step: ({ body }, _request, pageSize) => {
        const { events, meta } = record(body);
        const page = list(events);
        const nextPage = record(meta)['next_page'];
        const next: RawRequest | undefined =
          typeof nextPage === 'string' && page.length >= pageSize
            ? { method: 'GET', path: pathOf(nextPage), headers }
            : undefined;
        return { events: page, next };
      },
    };
  },
};

/** The path and query of an absolute URL the vendor sent, for the same server. */
const pathOf = (url: string): string => {
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
};

const ILLUMIO_SINCE = '2025-01-01T00:00:00.000Z';
const ILLUMIO_UNTIL = '2027-01-01T00:00:00.000Z';

const illumioProvider: BenchProvider = {
  name: 'illumio',
  largePage: 1000,
  server: (events) => ({ provider: 'illumio', events, options: { rateLimit: false } }),
  list: (baseUrl, pageSize, options) =>
    illumio({
      ...options,
      baseUrl,
      orgId: 1,
      apiKey: DEFAULT_ILLUMIO_CREDENTIAL.apiKey,
      apiSecret: DEFAULT_ILLUMIO_CREDENTIAL.apiSecret,
    }).events.list({ since: ILLUMIO_SINCE, until: ILLUMIO_UNTIL, pageSize, mode: 'sync' }),
  raw: () => {
    const path = '/api/v2/orgs/1/events';
    const credential = Buffer.from(`${DEFAULT_ILLUMIO_CREDENTIAL.apiKey}:${DEFAULT_ILLUMIO_CREDENTIAL.apiSecret}`).toString('base64');
    const headers = { authorization: `Basic ${credential}`, accept: 'application/json' };
    const request = (to: string, pageSize: number): RawRequest => ({
      method: 'GET',
      path: `${path}?${query({ 'timestamp[gte]': ILLUMIO_SINCE, 'timestamp[lte]': to, max_results: pageSize })}`,
      headers,
    });
    // Newest first, no cursor: move the inclusive upper bound down to the oldest event received and
    // skip the events at that instant already handed over (VENDORS.md).
    let to = ILLUMIO_UNTIL;
    let atTo = new Set<string>();
    return {
      first: (pageSize) => request(to, pageSize),
      step: ({ body, header }, _request, pageSize) => {
        const page = list(body);
        const events = page.filter((event) => !(record(event)['timestamp'] === to && atTo.has(String(record(event)['href']))));
        const total = Number(header('x-total-count'));
        const oldest = page.length > 0 ? String(record(page[page.length - 1])['timestamp']) : undefined;
        if (oldest === undefined || !(total > page.length)) return { events, next: undefined };
        if (oldest !== to) atTo = new Set();
        for (const event of page) if (record(event)['timestamp'] === oldest) atTo.add(String(record(event)['href']));
        to = oldest;
        return { events, next: request(to, pageSize) };
      },
    };
  },
};

const INFORMATICA_FROM = new Date(BENCH_NOW - 24 * 3_600_000).toISOString();
const INFORMATICA_TO = new Date(BENCH_NOW).toISOString();
/** Emulated publications carry 0 to 3 subscription children, about 1.3 on average: the flattened listing delivers 2.3 events per search row. */
const INFORMATICA_EVENTS_PER_ROW = 2.3;

/** Every event and, right after it, its descendants: what the SDK's default `children: 'flatten'` delivers. */
function flatten(rows: unknown[], out: unknown[] = []): unknown[] {
  for (const row of rows) {
    out.push(row);
    flatten(list(record(row)['childEvents']), out);
  }
  return out;
}

const informaticaProvider: BenchProvider = {
  name: 'informatica',
  largePage: 1000,
  server: (events) => ({
    provider: 'informatica',
    events: Math.round(events / INFORMATICA_EVENTS_PER_ROW),
    options: { rateLimit: false },
  }),
  list: (baseUrl, pageSize, options) =>
    informatica({ ...options, baseUrl, username: DEFAULT_INFORMATICA_USER.user, password: DEFAULT_INFORMATICA_USER.password }).events.list({
      since: INFORMATICA_FROM,
      until: INFORMATICA_TO,
      pageSize,
    }),
  raw: () => {
    const credential = Buffer.from(`${DEFAULT_INFORMATICA_USER.user}:${DEFAULT_INFORMATICA_USER.password}`).toString('base64');
    const headers = { authorization: `Basic ${credential}`, accept: 'application/json', 'content-type': 'application/json' };
    const request = (firstResult: number, maxResults: number): RawRequest => ({
      method: 'POST',
      path: '/dih-console/api/v1/events',
      headers,
      body: JSON.stringify({ timeframe: { range: 'CUSTOM', fromDate: INFORMATICA_FROM, toDate: INFORMATICA_TO }, firstResult, maxResults }),
    });
    let offset = 0;
    return {
      first: (pageSize) => request(offset, pageSize),
      // A single match comes as a bare object (seed 004); a short page is the last.
      step: ({ body }, _request, pageSize) => {
        const rows = Array.isArray(body) ? body : body === null || body === undefined ? [] : [body];
        offset += rows.length;
        return { events: flatten(rows), next: rows.length < pageSize ? undefined : request(offset, pageSize) };
      },
    };
  },
};

const fujitsuProvider: BenchProvider = {
  name: 'fujitsu',
  largePage: 100,
  server: (events) => ({ provider: 'fujitsu', events, options: {}, adapt: 'fujitsu' }),
  list: (baseUrl, pageSize, options) => {
    const { since, until } = fujitsuWindow();
    return fujitsu({ ...options, baseUrl, tenantId: DEFAULT_FUJITSU_TENANT, token: DEFAULT_FUJITSU_TOKEN }).events.list({
      since,
      until,
      pageSize,
    });
  },
  raw: () => {
    const { since, until } = fujitsuWindow();
    const headers = { 'x-auth-token': DEFAULT_FUJITSU_TOKEN, accept: 'application/json' };
    const request = (limit: number, marker?: string): RawRequest => ({
      method: 'GET',
      path: `/v1.0/${DEFAULT_FUJITSU_TENANT}/events?${query({ startTime: since, endTime: until, ...(marker === undefined ? {} : { marker }), limit })}`,
      headers,
    });
    // Newest first; the marker is the last date returned, and it is inclusive: skip the events of
    // that second already handed over, by content (FUJITSU events have no id).
    const key = (event: unknown): string => JSON.stringify(event);
    let marker: string | undefined;
    let atMarker = new Set<string>();
    return {
      first: (pageSize) => request(pageSize),
      step: ({ body }, _request, pageSize) => {
        const page = list(record(body)['events']);
        const events = page.filter((event) => !(record(event)['date'] === marker && atMarker.has(key(event))));
        const last = page.length > 0 ? String(record(page[page.length - 1])['date']) : undefined;
        if (last === undefined || page.length < pageSize) return { events, next: undefined };
        if (last !== marker) atMarker = new Set();
        for (const event of page) if (record(event)['date'] === last) atMarker.add(key(event));
        marker = last;
        return { events, next: request(pageSize, marker) };
      },
    };
  },
};

/** The FUJITSU window that holds every bulk event (whole seconds, as the service reads them). */
function fujitsuWindow(): { since: string; until: string } {
  const second = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  return { since: second(BENCH_NOW - FUJITSU_HISTORY_MS), until: second(BENCH_NOW) };
}

export const PROVIDERS: readonly BenchProvider[] = [socotraProvider, tinesProvider, fujitsuProvider, illumioProvider, informaticaProvider];

export function benchProvider(name: ProviderName): BenchProvider {
  const found = PROVIDERS.find((provider) => provider.name === name);
  if (!found) throw new Error(`no benchmark setup for ${name}`);
  return found;
}
