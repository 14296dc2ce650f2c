/**
 * The Tines side of since-id paging: what one response tells the shared `sinceIdStrategy` about the
 * next inner page. The strategy owns the passes, the page order (undocumented, tenants differ), the
 * dedupe and the cursor; this file reads what only a Tines response can say (VENDORS.md "Tines";
 * https://www.tines.com/api/events/list):
 *
 * - `page`/`meta` paginate inside one `since_id` filter, in both response shapes: the old bare array
 *   has no `meta` at all, so a next inner page is offered unless `meta` says otherwise. The strategy
 *   decides whether to read it (never on an oldest-first tenant, never after a short page).
 * - `meta` may end a pass only when its fields agree (`meta.ts`); a contradicting `meta` costs one more
 *   request, never a lost page. A tenant may serve fewer than asked per page: `meta.per_page` can only
 *   lower the page size the `count` vote is computed with, never raise it.
 */
import type { SinceIdPage, SinceIdRequest } from '../../core/paginate/since-id.js';
import { metaInteger, metaSaysLastPage } from './meta.js';
import type { TinesEvent, TinesEventList } from './schemas.js';

/** Turns one list response (either shape) into the page the shared strategy reads. */
export function toSinceIdPage(body: TinesEventList, request: SinceIdRequest): SinceIdPage<TinesEvent> {
  const events = Array.isArray(body) ? body : body.events;
  const meta = Array.isArray(body) ? undefined : body.meta;
  const current = request.page ?? 1;
  const perPage = Math.min(request.pageSize, metaInteger(meta?.per_page) || request.pageSize);
  const last = events.length === 0 || metaSaysLastPage(meta, current, perPage);
  return { items: events, nextPage: last ? null : current + 1 };
}
