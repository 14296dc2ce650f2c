/**
 * Exclusive lower-bound paging on a numeric id (Tines `since_id`). VENDORS.md: `since_id` means "after
 * this id"; the order of results is not documented, so each page is sorted by id and the largest id
 * delivered becomes the next bound; the current API adds `page`/`meta.next_page` inside one `since_id`
 * filter, the older one returns a bare array. Ids are integers around 2e9 and are compared as decimal
 * strings (length, then digits), so ids beyond 2^53 stay exact.
 *
 * A *round* is one bound with its inner pages. `meta` is never trusted alone: a round ends on an empty
 * page, a short page, or a page with no id above the bound; a `next_page` that does not move forward is
 * ignored. When the round ends with a full page and no next page, a new round starts from the largest
 * id. Inner pages can shift when events arrive while paging, so the state keeps the range of ids
 * delivered in the round and drops anything inside it.
 */
import { z } from 'zod';
import { NoProgressError, parseState, requireOption } from './state.js';
import type { PagingStrategy, Step } from './types.js';

export interface SinceIdRequest {
  /** Exclusive lower bound (`since_id`); `undefined` for the very first request without a bound. */
  sinceId: string | undefined;
  /** Inner page number (`page`), from 2; `undefined` for the first page of a bound (send no `page`). */
  page: number | undefined;
  pageSize: number;
}

export interface SinceIdPage<R> {
  items: R[];
  /** The vendor's `meta.next_page` number, when it sends one. */
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
  /** The item's id as a decimal integer string (`String(event.id)`). */
  id(item: R): string;
  /**
   * Consecutive pages of duplicates tolerated before failing.
   * @default 25
   */
  maxEmptyPages?: number;
}

export interface SinceIdState {
  /** The exclusive bound of the current round. */
  s: string | null;
  /** The next inner page of the round; `null` for its first page. */
  p: number | null;
  /** Smallest and largest id delivered in the current round. */
  lo: string | null;
  hi: string | null;
}

const DECIMAL = /^(?:0|[1-9]\d*)$/;
const decimal = z.string().regex(DECIMAL, 'a decimal integer string');
const stateSchema = z.object({
  s: decimal.nullable(),
  p: z.number().int().min(2).nullable(),
  lo: decimal.nullable(),
  hi: decimal.nullable(),
});

/** Orders decimal integer strings numerically without converting them. */
export function compareDecimalIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

const above = (id: string, bound: string | null): boolean => bound === null || compareDecimalIds(id, bound) > 0;

/** Since-id paging with optional inner pages; the tail cursor is the largest id delivered. */
export function sinceIdStrategy<R>(options: SinceIdStrategyOptions<R>): PagingStrategy<R, SinceIdState> {
  const { fetchPage, id, sinceId } = options;
  requireOption(sinceId === undefined || DECIMAL.test(sinceId), 'sinceId', 'a decimal integer string');
  const tail = (bound: string | null): SinceIdState => ({ s: bound, p: null, lo: null, hi: null });
  return {
    kind: 'since-id',
    ...(options.maxEmptyPages === undefined ? {} : { maxEmptyPages: options.maxEmptyPages }),
    initial: () => tail(sinceId ?? null),
    validate: (state) => parseState(stateSchema, state),
    async fetch(state, pageSize, signal): Promise<Step<R, SinceIdState>> {
      const page = await fetchPage({ sinceId: state.s ?? undefined, page: state.p ?? undefined, pageSize }, signal);
      const raw = page.items;
      const fresh: Array<{ id: string; item: R }> = [];
      let anyAbove = false;
      let sorted = true;
      for (const item of raw) {
        const itemId = id(item);
        if (!DECIMAL.test(itemId)) throw new NoProgressError(`the id ${JSON.stringify(itemId)} is not a decimal integer`, item);
        if (!above(itemId, state.s)) continue;
        anyAbove = true;
        // Inside the range already delivered in this round: a page shifted by new arrivals.
        if (state.lo !== null && state.hi !== null && compareDecimalIds(itemId, state.lo) >= 0 && compareDecimalIds(itemId, state.hi) <= 0) continue;
        const last = fresh[fresh.length - 1];
        if (last !== undefined && compareDecimalIds(last.id, itemId) >= 0) sorted = false;
        fresh.push({ id: itemId, item });
      }
      if (!sorted) fresh.sort((a, b) => compareDecimalIds(a.id, b.id));
      const first = fresh[0];
      const lastFresh = fresh[fresh.length - 1];
      const lo = first === undefined ? state.lo : state.lo === null || compareDecimalIds(first.id, state.lo) < 0 ? first.id : state.lo;
      const hi = lastFresh === undefined ? state.hi : state.hi === null || compareDecimalIds(lastFresh.id, state.hi) > 0 ? lastFresh.id : state.hi;
      const items = fresh.map((entry) => entry.item);
      const bound = hi ?? state.s;
      // Never trust meta alone: an empty page, a short page or nothing above the bound ends the round.
      if (raw.length === 0 || !anyAbove || raw.length < pageSize) return { items, state: tail(bound), done: true };
      const current = state.p ?? 1;
      if (typeof page.nextPage === 'number' && Number.isInteger(page.nextPage) && page.nextPage > current) {
        return { items, state: { s: state.s, p: page.nextPage, lo, hi }, done: false };
      }
      // A full page and no next page: a new round above everything delivered.
      return { items, state: tail(bound), done: false };
    },
  };
}
