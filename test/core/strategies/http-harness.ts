/**
 * The five paging strategies wired to the generic emulator through the real request pipeline
 * (`createClientContext` → ky → auth → limiter → retry → JSON → zod), as a provider wires them, so that
 * faults injected on the wire (429, 5xx, resets, truncated bodies, malformed JSON) meet the retry layer
 * and the strategies together. The emulator serves one event list in every paging style
 * (`src/testing/generic.ts`); this file says how each style's requests and answers look.
 */
import { z } from 'zod';
import { scaledClock } from '../../../src/core/clock.js';
import { createClientContext, type ClientContext } from '../../../src/core/client.js';
import type { Hooks, RetryInfo } from '../../../src/core/options.js';
import { paginate } from '../../../src/core/paginate/paginate.js';
import { markerStrategy } from '../../../src/core/paginate/marker.js';
import { offsetStrategy } from '../../../src/core/paginate/offset.js';
import { sinceIdStrategy } from '../../../src/core/paginate/since-id.js';
import { timeWindowStrategy } from '../../../src/core/paginate/time-window.js';
import { tokenStrategy } from '../../../src/core/paginate/token.js';
import type { Page, Paginated, PagingStrategy } from '../../../src/core/paginate/types.js';
import type { Auth } from '../../../src/core/request.js';
import type { FaultSpec } from '../../../src/testing/faults.js';
import { createGenericEmulator, type GenericEvent, type GenericStore } from '../../../src/testing/generic.js';
import type { Emulator } from '../../../src/testing/types.js';
import type { Item } from './harness.js';

/** The client's time scale: a `Retry-After: 1` waits a millisecond. */
export const SCALE = 0.001;
const BASE_URL = 'https://generic.example.com';
/** The bearer token the emulator demands; errors must never show it. */
export const TOKEN = 'generic-secret-token-5d41402abc4b';
const auth: Auth = { headers: () => ({ authorization: `Bearer ${TOKEN}` }), key: 'generic-test' };

export type StyleName = 'token' | 'since-id' | 'marker' | 'offset' | 'time-window';
export const STYLES: readonly StyleName[] = ['token', 'since-id', 'marker', 'offset', 'time-window'];

/** What the consumer sees of an event: its id (a string, as `Item` wants) and its time. */
export interface Delivered extends Item {
  time: string;
}

/** The knobs one run of a style turns. */
export interface Setup {
  style: StyleName;
  pageSize: number;
  /** `/marker` answers the marker second again (inclusive) or not. */
  markerInclusive: boolean;
  /** `/window`'s silent cap on `max`, which is also the strategy's `maxPageSize`. */
  cap: number;
  /** Offset pages fetched at once when the total is known. */
  concurrency: number;
}

/** An emulator with its pipeline; `retries` is what the retry layer absorbed. */
export interface Wired {
  emulator: Emulator<GenericStore>;
  retries: RetryInfo[];
  /** A fresh listing (same query, so cursors from any earlier listing of this run apply). */
  listing(): Paginated<Delivered>;
}

const eventSchema = z.object({ id: z.number().int(), time: z.string(), type: z.string(), message: z.string() });
const events = z.array(eventSchema);
const tokenPage = z.object({ items: events, token: z.string() });
const itemsPage = z.object({ items: events });

/** `X-Total-Count`, which both `/offset` and `/window` send. */
function totalCount(headers: Headers): number {
  const total = Number(headers.get('x-total-count'));
  if (!Number.isSafeInteger(total)) throw new Error('the emulator sent no X-Total-Count');
  return total;
}

/**
 * Builds a client context exactly as a provider factory does: back-off on a 1/1000 clock so a
 * `Retry-After: 1` waits a millisecond, six retries, no client-side rate limit.
 */
export function wire(setup: Setup, emulatorSeed: number): Wired {
  const clock = scaledClock(SCALE);
  const emulator = createGenericEmulator({
    events: 0,
    // Latency faults and Retry-After dates on the same scaled clock as the client's back-off.
    clock,
    seed: emulatorSeed,
    token: TOKEN,
    markerInclusive: setup.markerInclusive,
    maxWindowResults: setup.cap,
  });
  const retries: RetryInfo[] = [];
  const hooks: Hooks = { onRetry: (info) => retries.push(info) };
  const ctx = createClientContext(
    'socotra',
    { baseUrl: BASE_URL, fetch: emulator.fetch, clock, retry: { retries: 6, minDelay: 10 }, rateLimit: false, hooks },
    auth,
    {},
  );
  const listing = () =>
    paginate<GenericEvent, Delivered, unknown>({
      provider: 'socotra',
      operation: `generic.${setup.style}`,
      query: { route: setup.style },
      strategy: strategyFor(ctx, setup),
      normalize: (items) => items.map((event) => ({ id: String(event.id), time: event.time })),
      pageSize: setup.pageSize,
    });
  return { emulator, retries, listing };
}

function strategyFor(ctx: ClientContext, setup: Setup): PagingStrategy<GenericEvent, unknown> {
  const operation = `generic.${setup.style}`;
  const get = <S extends z.ZodType>(path: string, query: Record<string, string | number | undefined>, schema: S, signal: AbortSignal) =>
    ctx.http.request({ operation, method: 'GET', path, query, schema, signal });
  const id = (event: GenericEvent) => String(event.id);
  const time = (event: GenericEvent) => event.time;
  const window = {};
  switch (setup.style) {
    case 'token':
      return tokenStrategy<GenericEvent>({
        id,
        fetchPage: async (token, pageSize, signal) => {
          const { data } = await get('/token', { token, pageSize }, tokenPage, signal);
          return { items: data.items, token: data.token };
        },
      });
    case 'since-id':
      return sinceIdStrategy<GenericEvent>({
        id,
        fetchPage: async (request, signal) => {
          const { data } = await get('/since-id', { since_id: request.sinceId, per_page: request.pageSize }, events, signal);
          return { items: data };
        },
      });
    case 'marker':
      return markerStrategy<GenericEvent>({
        window,
        time,
        id,
        fetchPage: async (request, signal) =>
          (await get('/marker', { marker: request.marker, limit: request.pageSize }, itemsPage, signal)).data.items,
      });
    case 'offset':
      return offsetStrategy<GenericEvent>({
        concurrency: setup.concurrency,
        key: (event) => String(event.id),
        // The generic emulator's default cap on `count`.
        maxLimit: 500,
        fetchPage: async (request, signal) => {
          const response = await get('/offset', { offset: request.offset, count: request.limit }, itemsPage, signal);
          return { items: response.data.items, total: totalCount(response.headers) };
        },
      });
    case 'time-window':
      return timeWindowStrategy<GenericEvent>({
        window,
        time,
        id,
        maxPageSize: setup.cap,
        fetchPage: async (request, signal) => {
          const response = await get('/window', { from: request.from, to: request.to, max: request.limit }, events, signal);
          return { items: response.data, total: totalCount(response.headers) };
        },
      });
  }
}

/** Newest first by time, then by id: the order `/marker` and `/window` serve and the consumer gets. */
const newestFirst = (a: GenericEvent, b: GenericEvent): number => Date.parse(b.time) - Date.parse(a.time) || b.id - a.id;

/** The ids a complete listing of `list` delivers, in order. */
export function expectedIds(style: StyleName, list: readonly GenericEvent[]): string[] {
  const ordered = style === 'marker' || style === 'time-window' ? [...list].sort(newestFirst) : [...list].sort((a, b) => a.id - b.id);
  return ordered.map((event) => String(event.id));
}

/**
 * Events in groups sharing one second (`sizes[i]` events, `gaps[i]` seconds after the group before),
 * as FUJITSU's second-precision dates are; appended to the store after whatever it holds. A gap of 0
 * joins the newest second already there.
 */
export function addGroups(store: GenericStore, groups: ReadonlyArray<{ gap: number; size: number }>): GenericEvent[] {
  const last = store.events.at(-1);
  let ms = last === undefined ? Date.UTC(2026, 10, 1) : Date.parse(last.time);
  const added: GenericEvent[] = [];
  for (const { gap, size } of groups) {
    ms += gap * 1000;
    const time = new Date(ms).toISOString().replace('.000Z', 'Z');
    for (let i = 0; i < size; i++) added.push(store.add({ time }));
  }
  return added;
}

/** Events at the newest second of `list`. */
export function atNewestSecond(list: readonly GenericEvent[]): number {
  const newest = list.at(-1);
  return newest === undefined ? 0 : list.filter((event) => event.time === newest.time).length;
}

/** Adds `faults` to the emulator; returns a function that sums how often they answered a request. */
export function inject(emulator: Emulator<GenericStore>, faults: readonly FaultSpec[]): () => number {
  const active = faults.map((spec) => emulator.faults.add(spec));
  return () => active.reduce((sum, fault) => sum + (fault.spec.kind === 'latency' ? 0 : fault.fired), 0);
}

/**
 * The consumer a collector is: reads pages, keeps the last cursor it had, and on an error `expected`
 * accepts resumes from that cursor. Any other error fails the test.
 */
export async function drainResumingOn(
  listing: Paginated<Delivered>,
  expected: (error: unknown) => boolean,
  maxErrors = 50,
): Promise<{ ids: string[]; errors: unknown[] }> {
  const ids: string[] = [];
  const errors: unknown[] = [];
  let cursor: string | undefined;
  for (;;) {
    try {
      for await (const page of listing.byPage(cursor === undefined ? {} : { cursor })) {
        for (const item of page.items) ids.push(item.id);
        cursor = page.cursor;
      }
      return { ids, errors };
    } catch (error) {
      if (!expected(error) || errors.length >= maxErrors) throw error;
      errors.push(error);
    }
  }
}

/** The first page a listing resumed from `cursor` yields (the prefetch it starts is aborted). */
export async function firstPageFrom(listing: Paginated<Delivered>, cursor: string): Promise<Page<Delivered> | undefined> {
  const pages = listing.byPage({ cursor })[Symbol.asyncIterator]();
  const first = await pages.next();
  await pages.return?.();
  return first.done === true ? undefined : first.value;
}
