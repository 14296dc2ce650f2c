/**
 * Exclusive lower-bound paging on a numeric id (Tines `since_id`). VENDORS.md: `since_id` means "after
 * this id"; the order of results is not documented (tenants differ); the current API adds
 * `page`/`meta.next_page` inside one `since_id` filter, the older one returns a bare array. Ids are
 * integers around 2e9: an id below 10^15 is compared as a number, a larger one as a decimal string
 * (length, then digits), so ids beyond 2^53 stay exact. Each page is delivered sorted by id.
 *
 * A *pass* is one bound `s` with its inner pages. Its first page fixes the pass's high-water mark `hi`
 * (its largest id). What a pass may deliver depends on the vendor's order, learned from the ids of a
 * page (or from a probe, below) and kept in the state:
 *
 * - Oldest first: the first page of a pass holds the smallest ids above `s`, so the next page is a new
 *   pass from the largest id. `page` is never used: no page offset can shift when events arrive or
 *   expire meanwhile.
 * - Newest first: older events are reachable only through `page`, and new arrivals push every later
 *   page down. Delivered ids always form the range from `lo` (the smallest delivered) up to `hi`, so on
 *   follow-on pages only ids below `lo` are new; ids up to `hi` were delivered, ids above `hi` arrived
 *   during the pass and are left to the next pass, which starts from `hi`. Because arrivals only push
 *   pages down, a follow-on page starts at or above the position where the previous one ended: however
 *   many events arrive, nothing is skipped and nothing repeats.
 *
 * A pass ends on an empty page, a page with no id above `s` (or, newest first, one reaching below it),
 * or a short page. "Short" counts every item the vendor sent, the skipped ones too, so a page thinned
 * by dedupe is not mistaken for the end. A page below the size asked is still full when the vendor
 * offers a next page and the page is as large as the largest this listing has been served (`m`, kept
 * in the cursor; any size while none was): a vendor or proxy capping `per_page` serves full pages of
 * its own size, and ending a newest-first pass at the first of them would leave its older events
 * behind the next pass's bound. The price is one more request when an uncapped vendor without a
 * reliable `meta` ends a pass on a page of that size.
 *
 * A follow-on page with no new id is mostly arrivals pushing the pass down; it may also be a vendor
 * that ignores `page` and serves the first page again. Where the endpoint filters by `until_id`
 * (`untilIdFilter`), a newest-first pass then reads on below `lo` by `until_id = lo - 1`, which neither
 * arrivals nor an ignored `page` can move, and keeps to it until the pass ends. Elsewhere, when the page
 * shows `hi`, shows only arrivals, or the order is still unknown (one-item pages), one probe of the
 * pass's first page tells the cases apart: on a vendor that honours `page`, nothing of page 2 or later
 * can be on the first page afterwards, since arrivals only push items down. Oldest first, a vendor that
 * ignores `page` is no matter: the probe shows the order and the listing moves on by `since_id`.
 * Newest first without `until_id`, the rest of the pass is out of reach, and the listing fails with a
 * typed error rather than end the pass with its older events left behind; but a tail whose first page
 * holds every id above those the listing before delivered ends there, as below are only the overlap's
 * ids and late events (`onlyOverlapBelow`).
 *
 * Page `p` starts at item (p - 1) × the page size it is counted in, so a pass asks every page at the
 * size of its first (`n`, kept in the cursor): a listing resumed with another `pageSize` would otherwise
 * start its next page elsewhere than where the cursor's page ended, and newest first skip the events in
 * between. The new size applies from the next pass.
 *
 * Without `until_id`, arrivals faster than a page per request make a newest-first pass fall behind:
 * its pages then bring no new id until it catches up, and the engine's empty-page guard stops it;
 * resuming from the last cursor continues the pass where it stopped.
 *
 * With `createdAt`, a listing's last cursor does not take the largest id delivered as its bound: it
 * keeps an overlap below it (`since-id-overlap.ts`), so an event of a lower id that becomes visible
 * late is still listed; the ids it delivered there are dropped (`w`). With `now` too, once that overlap
 * has settled (`settle.ts`), the tail lists again only the ids at the newest creation time.
 *
 * Limit: events deleted inside a newest-first pass while it pages (a user clearing an action's events;
 * expiry takes the oldest events, on the last pages, and moves nothing) pull the later pages up, which
 * can skip an event.
 */
import * as z from 'zod';
import { DEFAULT_MAX_EMPTY_PAGES } from './paginate.js';
import { deliveredAt, settled } from './settle.js';
import { newestOf, nextOverlap, rememberDelivered, settledBound, type OverlapEntries } from './since-id-overlap.js';
import { MAX_OVERLAP_KEYS, TAIL_OVERLAP_MS } from './tail-overlap.js';
import { NoProgressError, parseState, requireOption } from './state.js';
import type { PagingStrategy, Step } from './types.js';

export interface SinceIdRequest {
  /** Exclusive lower bound (`since_id`); `undefined` for the very first request without a bound. */
  sinceId: string | undefined;
  /** Inner page number (`page`), from 2; `undefined` for the first page of a bound (send no `page`). */
  page: number | undefined;
  pageSize: number;
  /**
   * Inclusive upper bound (`until_id`), only where `untilIdFilter` is set and only while a newest-first
   * pass on a vendor that ignores `page` reads downwards; it then replaces `page` (sent as `undefined`).
   */
  untilId?: string | undefined;
}

export interface SinceIdPage<R> {
  items: R[];
  /**
   * The next inner page number when the vendor may have more inside this `since_id` filter; `null` or
   * absent when it reliably says this is the last one, or has no inner pages (a full page then counts
   * as the oldest items above the bound, and the listing moves on by `since_id`).
   */
  nextPage?: number | null | undefined;
}

export interface SinceIdStrategyOptions<R> {
  /**
   * Lists only items with an id greater than this one (a decimal integer string).
   * @default undefined (from the oldest item the vendor keeps)
   * @example '2147483647'
   */
  sinceId?: string | undefined;
  /** Fetches one page through the provider's client. */
  fetchPage(request: SinceIdRequest, signal: AbortSignal): Promise<SinceIdPage<R>>;
  /**
   * The item's id: a non-negative integer number (as JSON gives Tines ids), or a decimal integer string
   * of any size. A number is compared as it is, without a string per item.
   * @example (event) => event.id
   */
  id(item: R): number | string;
  /**
   * Consecutive pages of duplicates tolerated before failing.
   * @default 25
   */
  maxEmptyPages?: number;
  /**
   * Whether the endpoint filters by an inclusive `until_id` (Tines' `GET /api/v1/events` does, one
   * action's events do not): a newest-first vendor that ignores `page` is then read downwards by it.
   * @default false
   */
  untilIdFilter?: boolean | undefined;
  /**
   * The item's creation time in epoch milliseconds (`undefined` when it has none that can be read).
   * With it, the tail re-reads the ids delivered in the minute before the newest creation time and drops
   * them, so an item listed only after items of higher ids is not lost; without it, the tail starts
   * after the largest id delivered.
   * @default undefined (no overlap)
   */
  createdAt?(item: R): number | undefined;
  /**
   * The client's clock (`Clock.now`), read as a tail starts and as it ends, to tell when the overlap
   * kept with `createdAt` has settled (`settle.ts`).
   * @default undefined (the tail re-reads the overlap until a newer event comes)
   * @example now: () => ctx.clock.now()
   */
  now?: (() => number) | undefined;
}

/** Page order: `a` oldest first (ascending ids), `d` newest first. */
export type SinceIdOrder = 'a' | 'd';

export interface SinceIdState {
  /** The exclusive bound of the current pass. */
  s: string | null;
  /** The next inner page of the pass; `null` for its first page. */
  p: number | null;
  /** Smallest id delivered in the pass; `null` on its first page. */
  lo: string | null;
  /** The pass's high-water mark: the largest id of its first page; `null` on its first page. */
  hi: string | null;
  /** The vendor's page order once learned; `null` while unknown. */
  o: SinceIdOrder | null;
  /** The most items one page of this listing has held; `null` before the first non-empty page. */
  m: number | null;
  /**
   * The page size of the pass, on its follow-on pages. Absent on a pass's first page, and in cursors
   * written before it was kept (which the size asked then continues).
   */
  n?: number | undefined;
  /** `1` once a newest-first pass on a vendor that ignores `page` reads on below `lo` by `until_id`. */
  d?: 1 | undefined;
  /**
   * With `createdAt` (`since-id-overlap.ts`): every id this listing delivered above it is in `k`. The
   * bound the listing started from, moved up as `k` is cut. Absent without `createdAt`, and in cursors
   * written before the overlap was kept, whose delivered ids are not known: `hi`, or `s`.
   */
  b?: string | null | undefined;
  /** With `createdAt`: the overlap the listing started from, ids with their creation times, dropped. */
  w?: OverlapEntries | undefined;
  /** With `createdAt`: the ids this listing delivered above `b`, with their creation times. */
  k?: OverlapEntries | undefined;
  /**
   * With `createdAt` and `now`: client time (epoch milliseconds) after the listing that first delivered
   * the newest creation time of `w`. Absent while `w` is empty, and in cursors written before it was kept.
   */
  sa?: number | undefined;
  /**
   * With `createdAt` and `now`: client time (epoch milliseconds) when the listing read its first page,
   * on the cursors within it. Absent on tail cursors, and in cursors written before it was kept.
   */
  ls?: number | undefined;
}

const DECIMAL = /^(?:0|[1-9]\d*)$/;
const decimal = z.string().regex(DECIMAL, 'a decimal integer string');
const stateSchema = z
  .object({
    s: decimal.nullable(),
    p: z.number().int().min(2).nullable(),
    lo: decimal.nullable(),
    hi: decimal.nullable(),
    // Absent in cursors written before the order and page size were kept: unknown.
    o: z.enum(['a', 'd']).nullable().default(null),
    m: z.number().int().min(1).nullable().default(null),
    n: z.number().int().min(1).optional(),
    d: z.literal(1).optional(),
    b: decimal.nullable().optional(),
    w: z.array(z.tuple([decimal, z.number().int()])).max(MAX_OVERLAP_KEYS).optional(),
    k: z.array(z.tuple([decimal, z.number().int()])).max(MAX_OVERLAP_KEYS).optional(),
    sa: z.number().int().optional(),
    ls: z.number().int().optional(),
  })
  .refine(
    ({ s, p, lo, hi, n, d }) =>
      p === null
        ? lo === null && hi === null && n === undefined && d === undefined
        : lo !== null && hi !== null && compareDecimalIds(lo, hi) <= 0 && (s === null || compareDecimalIds(lo, s) > 0),
    'lo, hi, n and d are set on follow-on pages only, with bound < lo <= hi',
  );

/** The decimal integer string one below `decimal` (which is at least 1). */
const oneBelow = (decimal: string): string => (BigInt(decimal) - 1n).toString();

/** Orders decimal integer strings numerically without converting them. */
export function compareDecimalIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * An id as the strategy compares it, one form per value: below 10^15 (exact as a number) a number, from
 * there on its decimal string. Comparing numbers spares a string and a pattern test per item.
 */
type IdKey = number | string;

const NUMBER_LIMIT = 1e15;

/** The key of a decimal integer string (checked by the caller). */
const keyOfDecimal = (decimal: string): IdKey => (decimal.length < 16 ? Number(decimal) : decimal);

const decimalOf = (key: IdKey): string => (typeof key === 'number' ? String(key) : key);

function compareKeys(a: IdKey, b: IdKey): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  // A string key is at least 10^15, above every number key.
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return compareDecimalIds(a, b);
}

const above = (key: IdKey, bound: IdKey | null): boolean => bound === null || compareKeys(key, bound) > 0;

/** The order of a page whose ids strictly increase or decrease; `undefined` below two ids or mixed. */
function orderOf(ids: readonly IdKey[]): SinceIdOrder | undefined {
  let order: SinceIdOrder | undefined;
  for (let i = 1; i < ids.length; i++) {
    const sign = compareKeys(ids[i] as IdKey, ids[i - 1] as IdKey);
    const step: SinceIdOrder | undefined = sign > 0 ? 'a' : sign < 0 ? 'd' : undefined;
    if (step === undefined || (order !== undefined && step !== order)) return undefined;
    order = step;
  }
  return order;
}

/**
 * Whether the ids of a pass below `lo`, which a vendor ignoring `page` keeps out of reach, are only the
 * overlap the listing started from (`w`) and events that became visible late: `lo` is at or below the
 * largest id the listing before delivered, and every id under that one was either visible then, so
 * delivered, or is late. A tail without the overlap never read those either.
 */
function onlyOverlapBelow(state: SinceIdState, lo: string | null): boolean {
  const top = state.w?.[state.w.length - 1]?.[0];
  return top !== undefined && lo !== null && compareDecimalIds(lo, top) <= 0;
}

/** Since-id paging with optional inner pages; the tail cursor is the largest id delivered, or with `createdAt` below it. */
export function sinceIdStrategy<R>(options: SinceIdStrategyOptions<R>): PagingStrategy<R, SinceIdState> {
  const { fetchPage, id, sinceId, untilIdFilter = false, createdAt, now } = options;
  requireOption(sinceId === undefined || DECIMAL.test(sinceId), 'sinceId', 'a decimal integer string');

  const keyOf = (item: R): IdKey => {
    const itemId = id(item);
    if (typeof itemId === 'number') {
      if (Number.isSafeInteger(itemId) && itemId >= 0) return itemId < NUMBER_LIMIT ? itemId : String(itemId);
    } else if (DECIMAL.test(itemId)) {
      return keyOfDecimal(itemId);
    }
    throw new NoProgressError(`the id ${JSON.stringify(itemId)} is not a decimal integer`, item);
  };
  const idsOf = (items: readonly R[]): IdKey[] => items.map(keyOf);
  const keyOrNull = (decimal: string | null): IdKey | null => (decimal === null ? null : keyOfDecimal(decimal));

  /**
   * Reads the pass's first page again, after a follow-on page with no new id: its order (two items are
   * asked for at least, so that one-item pages show it too), and whether it shares an id with `shown`,
   * which only a vendor that ignores `page` can make happen.
   */
  const probe = async (bound: string | null, pageSize: number, shown: readonly IdKey[], signal: AbortSignal) => {
    const first = idsOf((await fetchPage({ sinceId: bound ?? undefined, page: undefined, pageSize: Math.max(pageSize, 2) }, signal)).items);
    const onPage = new Set(shown);
    return { order: orderOf(first), ignoresPage: first.slice(0, pageSize).some((itemId) => onPage.has(itemId)) };
  };

  /**
   * The state a listing starts from: a tail (`b` is its bound; within a listing a pass moves `s` up to
   * the largest id it delivered, and `b` stays below the ids `k` keeps, so the two differ) that reads its
   * overlap for the last time has its bound moved up past the ids older than the newest time; the
   * request still lists them, and drops them (`w`). A time recorded later than now is recorded anew.
   */
  const started = (state: SinceIdState): SinceIdState => {
    const w = state.w ?? [];
    if (now === undefined || w.length === 0 || state.p !== null || state.b === undefined || state.b !== state.s) return state;
    const time = now();
    const sa = deliveredAt(state.sa, false, time) ?? undefined;
    const b = settled(state.sa, time) ? settledBound({ b: state.b, w }, compareDecimalIds) : state.b;
    return { ...state, b, ...(sa === undefined ? {} : { sa }) };
  };

  /**
   * The items of a page (ascending `ids`) without those of the overlap the listing started from, and
   * the state's overlap fields with them added; `undefined` without `createdAt`.
   */
  const overlapAfter = (state: SinceIdState, ids: IdKey[], items: R[], reachMs: number) => {
    if (createdAt === undefined) return undefined;
    const w = state.w ?? [];
    const known = w.length === 0 ? undefined : new Set(w.map(([entry]) => keyOfDecimal(entry)));
    const fresh: R[] = [];
    const entries: OverlapEntries = [];
    for (let index = 0; index < ids.length; index++) {
      const key = ids[index] as IdKey;
      if (known?.has(key)) continue;
      const item = items[index] as R;
      fresh.push(item);
      // An item without a readable time is kept as the oldest: it leaves first, with the bound above it.
      entries.push([decimalOf(key), createdAt(item) ?? 0]);
    }
    const built = rememberDelivered({ b: state.b === undefined ? (state.hi ?? state.s) : state.b, w: state.k ?? [] }, entries, compareDecimalIds, reachMs);
    return { items: fresh, b: built.b, w, k: built.w, next: () => nextOverlap(built, w, compareDecimalIds, reachMs) };
  };

  return {
    kind: 'since-id',
    ...(createdAt === undefined
      ? options.maxEmptyPages === undefined
        ? {}
        : { maxEmptyPages: options.maxEmptyPages }
      : {
          // The tail lists the overlap's ids again (up to `MAX_OVERLAP_KEYS`), dropped as delivered, at
          // the size of its pass (`n`) when resumed within one: a pass left at 5 a page and resumed
          // asking for 100 read 300 ids again in 60 pages, and failed at 36.
          maxEmptyPages: (pageSize: number, state: SinceIdState) =>
            (options.maxEmptyPages ?? DEFAULT_MAX_EMPTY_PAGES) + Math.ceil(MAX_OVERLAP_KEYS / Math.min(pageSize, state.n ?? pageSize)),
          // Where a page starts, without the overlap's ids (tens of kilobytes of JSON for every page
          // the engine remembers): they follow from the pages before.
          position: (state: SinceIdState) => JSON.stringify([state.s, state.p, state.lo, state.hi, state.o, state.m, state.n, state.d, state.b]),
        }),
    initial: () => {
      const start = { s: sinceId ?? null, p: null, lo: null, hi: null, o: null, m: null };
      return createdAt === undefined ? start : { ...start, b: sinceId ?? null, w: [], k: [] };
    },
    validate: (state) => parseState(stateSchema, state),
    async fetch(given, requestedSize, signal): Promise<Step<R, SinceIdState>> {
      const state = started(given);
      const pageSize = state.n ?? requestedSize;
      const descending = state.d === 1 && state.lo !== null;
      const page = await fetchPage(
        descending
          ? { sinceId: state.s ?? undefined, page: undefined, pageSize, untilId: oneBelow(state.lo as string) }
          : { sinceId: state.s ?? undefined, page: state.p ?? undefined, pageSize },
        signal,
      );
      const ids = idsOf(page.items);
      const bound = keyOrNull(state.s);
      const low = keyOrNull(state.lo);
      let freshIds: IdKey[] = [];
      let items: R[] = [];
      let anyAbove = false;
      let anyBelow = false;
      for (let index = 0; index < ids.length; index++) {
        const itemId = ids[index] as IdKey;
        if (!above(itemId, bound)) {
          anyBelow = true;
          continue;
        }
        anyAbove = true;
        // Follow-on page: at or above `lo` was delivered, or arrived during the pass (the next one's).
        if (low === null || compareKeys(itemId, low) < 0) {
          freshIds.push(itemId);
          items.push(page.items[index] as R);
        }
      }
      // Delivered in ascending order of id. A page comes sorted one way or the other: reversing it, or
      // nothing, spares a sort and an object per item (bench/ scenario 1b).
      const freshOrder = orderOf(freshIds);
      if (freshOrder === 'd') {
        freshIds.reverse();
        items.reverse();
      } else if (freshOrder === undefined && freshIds.length > 1) {
        const unsorted = freshIds;
        const byId = unsorted.map((_, index) => index).sort((a, b) => compareKeys(unsorted[a] as IdKey, unsorted[b] as IdKey));
        items = byId.map((index) => items[index] as R);
        freshIds = byId.map((index) => unsorted[index] as IdKey);
      }
      // A new id on a follow-on page lies below the first page: only a newest-first vendor shows that.
      let order = orderOf(ids) ?? (state.p !== null && freshIds.length > 0 ? 'd' : state.o);
      const first = freshIds[0];
      const last = freshIds[freshIds.length - 1];
      const lo = first === undefined ? state.lo : decimalOf(first);
      const hi = state.hi ?? (last === undefined ? state.s : decimalOf(last));
      const served = ids.length === 0 ? state.m : Math.max(state.m ?? 0, ids.length);
      // The overlap travels with every state; the listing's last starts from the bound of the next one.
      // A listing read over time reaches back by the time it took (`since-id-overlap.ts`): the ids it
      // passed early may show events dated a minute before what was newest then.
      const time = createdAt === undefined ? undefined : now?.();
      const listedSince = state.ls ?? time;
      const overlap = overlapAfter(state, freshIds, items, TAIL_OVERLAP_MS + Math.max(0, (time ?? 0) - (listedSince ?? 0)));
      const kept =
        overlap === undefined
          ? {}
          : { b: overlap.b, w: overlap.w, k: overlap.k, ...(state.sa === undefined ? {} : { sa: state.sa }), ...(listedSince === undefined ? {} : { ls: listedSince }) };
      if (overlap !== undefined) items = overlap.items;
      const nextPass = (done: boolean): Step<R, SinceIdState> => {
        if (!done || overlap === undefined) return { items, state: { s: hi, p: null, lo: null, hi: null, o: order, m: served, ...kept }, done };
        const { b, w } = overlap.next();
        // When the newest creation time the tail keeps was first delivered: now if this listing did.
        const sa = now === undefined || w.length === 0 ? undefined : (deliveredAt(state.sa, newestOf(w) > newestOf(overlap.w), now()) ?? undefined);
        return { items, state: { s: b, p: null, lo: null, hi: null, o: order, m: served, b, w, k: [], ...(sa === undefined ? {} : { sa }) }, done };
      };
      // The pass reads on below its smallest id by `until_id` (only ever from a follow-on page).
      const descend = (): Step<R, SinceIdState> => ({
        items,
        state: { s: state.s, p: state.p, lo, hi, o: order, m: served, n: pageSize, d: 1, ...kept },
        done: false,
      });

      // A descent sends no `page`: its answer is page 1, whatever the pass's page was.
      const current = descending ? 1 : (state.p ?? 1);
      const next = typeof page.nextPage === 'number' && Number.isInteger(page.nextPage) && page.nextPage > current ? page.nextPage : undefined;
      // Below the size asked, a page is full when the vendor offers more and it is as large as any page
      // this listing has been served: a vendor capping `per_page` serves nothing larger.
      const full = ids.length >= pageSize || (next !== undefined && ids.length >= (state.m ?? 1));
      if (!full || !anyAbove || (order === 'd' && anyBelow)) return nextPass(true);
      // A full page below `lo`: the pass reads on below its smallest id. A vendor that ignored
      // `until_id` too brought nothing new, so the state repeats and the engine stops the listing.
      if (descending) return descend();
      if (order === 'a') return nextPass(false);
      // A page of no new id is arrivals pushing the pass down, or the first page served again: it is
      // asked which when the page shows the pass's first id, or shows only arrivals (as the first page
      // of a vendor that ignores `page` does once arrivals fill it, which would otherwise never end).
      const high = keyOrNull(state.hi);
      if (state.p !== null && freshIds.length === 0) {
        if (untilIdFilter) {
          // Either way the rest of the pass lies below `lo`, where `until_id` reaches it whatever arrives.
          if (order === null) order = (await probe(state.s, pageSize, ids, signal)).order ?? order;
          return order === 'a' ? nextPass(false) : descend();
        }
        if (order === null || (high !== null && (ids.includes(high) || ids.every((itemId) => compareKeys(itemId, high) > 0)))) {
          const verdict = await probe(state.s, pageSize, ids, signal);
          order = verdict.order ?? order;
          if (order === 'a') return nextPass(false);
          if (verdict.ignoresPage) {
            if (onlyOverlapBelow(state, lo)) return nextPass(true);
            throw new NoProgressError(
              `the vendor serves the same newest page whatever \`page\` asks, so the events of this pass below id ${String(lo)} are out of reach`,
              page.items,
              // The cursor keeps this pass's page size, and the vendor its first page: neither helps.
              'list them where `until_id` reaches them (without the action, filtered by its story), or start over with a page size that holds the pass',
            );
          }
        }
      }
      // No inner page: a full page held the oldest ids above the bound.
      if (next === undefined) return nextPass(false);
      return { items, state: { s: state.s, p: next, lo, hi, o: order, m: served, n: pageSize, ...kept }, done: false };
    },
  };
}
