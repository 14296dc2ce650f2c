/**
 * The Tines side of since-id paging: what one response tells the shared `sinceIdStrategy` about the
 * next inner page. The strategy owns the rounds, the dedupe and the cursor; this file reads the two
 * things only a Tines response can say (VENDORS.md "Tines"; https://www.tines.com/api/events/list):
 *
 * - The order of a page is not documented and tenants differ. When a page comes oldest first, the
 *   listing moves on by `since_id` alone (a new round above the largest id): no page offset, so events
 *   that expire or arrive meanwhile cannot shift a page boundary. When it comes newest first (or with
 *   one event, undecidable), the older events of the round are only reachable through `page`, so the
 *   next inner page is asked for, whatever the response shape: the old bare array has no `meta` at all.
 * - `meta` may end a round early only when its fields agree (`meta.ts`); a contradicting `meta` costs
 *   one more request, never a lost page.
 */
import { compareDecimalIds, type SinceIdPage, type SinceIdRequest } from '../../core/paginate/since-id.js';
import { canonicalId } from './ids.js';
import { metaInteger, metaSaysLastPage } from './meta.js';
import type { TinesEvent, TinesEventList } from './schemas.js';

/** `'ascending'` when the page's first id is below its last, `'descending'` when above, else unknown. */
export function pageOrder(events: readonly TinesEvent[]): 'ascending' | 'descending' | undefined {
  if (events.length < 2) return undefined;
  const first = canonicalId((events[0] as TinesEvent).id);
  const last = canonicalId((events[events.length - 1] as TinesEvent).id);
  const sign = compareDecimalIds(last, first);
  return sign > 0 ? 'ascending' : sign < 0 ? 'descending' : undefined;
}

/** Turns one list response (either shape) into the page the shared strategy reads. */
export function toSinceIdPage(body: TinesEventList, request: SinceIdRequest): SinceIdPage<TinesEvent> {
  const events = Array.isArray(body) ? body : body.events;
  const meta = Array.isArray(body) ? undefined : body.meta;
  const current = request.page ?? 1;
  // A tenant may serve fewer than asked per page; `meta.per_page` can only lower the bar, never raise it.
  const perPage = Math.min(request.pageSize, metaInteger(meta?.per_page) || request.pageSize);
  const moreInRound =
    events.length >= perPage && pageOrder(events) !== 'ascending' && !metaSaysLastPage(meta, current, perPage);
  return { items: events, nextPage: moreInRound ? current + 1 : undefined };
}
