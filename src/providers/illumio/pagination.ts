/**
 * Illumio's paging: there is no cursor (VENDORS.md). Each request asks for a time window, newest first,
 * and the PCE silently cuts at `max_results` while `X-Total-Count` tells how many matched. The shared
 * `timeWindowStrategy` moves the window's upper bound down to the oldest event received whenever the
 * total says more matched than came, and drops the events at that inclusive bound it already delivered
 * (by `href`); its tail cursor reaches back a minute before the newest event delivered, for events
 * the PCE shows late (`boundary.ts`, the overlap). This file only says how one window is fetched: a
 * plain request, or the asynchronous export (`mode: 'async'`, or `'auto'` when a window holds more than
 * `asyncThreshold` events).
 */
import type { ClientContext } from '../../core/client.js';
import {
  timeWindowStrategy,
  type TimeWindowPage,
  type TimeWindowRequest,
  type TimeWindowState,
} from '../../core/paginate/time-window.js';
import type { PagingStrategy } from '../../core/paginate/types.js';
import { unusableTime } from '../../core/unusable-time.js';
import { exportEvents, type ExportSettings } from './export.js';
import { DEFAULT_MAX_RESULTS, MAX_PAGE_SIZE, type ResolvedListQuery } from './query.js';
import { eventListSchema, type IllumioEvent } from './schemas.js';

function windowQuery(query: ResolvedListQuery, request: TimeWindowRequest): Record<string, string | undefined> {
  return { ...query.filters, 'timestamp[gte]': request.from, 'timestamp[lte]': request.to };
}

/** The strategy of one `events.list` call. */
export function illumioStrategy(
  ctx: ClientContext,
  settings: ExportSettings,
  listPath: string,
  query: ResolvedListQuery,
): PagingStrategy<IllumioEvent, TimeWindowState> {
  async function fetchSync(request: TimeWindowRequest, signal: AbortSignal): Promise<TimeWindowPage<IllumioEvent>> {
    const response = await ctx.http.request({
      operation: 'events.list',
      method: 'GET',
      path: listPath,
      query: { ...windowQuery(query, request), max_results: request.limit },
      schema: eventListSchema,
      signal,
    });
    return { items: response.data, total: totalOf(response.headers, response.data.length, request.limit) };
  }

  // Set once the PCE has answered an export request with an ordinary page (it ignores `Prefer`, or a proxy
  // drops it): it will again, so the rest of the listing pages with plain requests, as `'sync'` does.
  let exportIgnored = false;

  async function fetchPage(request: TimeWindowRequest, signal: AbortSignal): Promise<TimeWindowPage<IllumioEvent>> {
    if (query.mode === 'async' && !exportIgnored) {
      const exported = await exportEvents(ctx, settings, listPath, windowQuery(query, request), signal);
      if (exported.exported) return { items: exported.items, total: exported.items.length };
      exportIgnored = true;
      // The export request sends no `max_results` (an export holds every match; whether the PCE would
      // cut one at it is undocumented), so this page was cut at the PCE's default.
      return { items: exported.items, total: totalOf(exported.headers, exported.items.length, DEFAULT_MAX_RESULTS) };
    }
    const page = await fetchSync(request, signal);
    if (query.mode === 'sync' || exportIgnored || page.total <= page.items.length || page.total <= query.asyncThreshold) return page;
    const exported = await exportEvents(ctx, settings, listPath, windowQuery(query, request), signal);
    if (!exported.exported) {
      exportIgnored = true;
      return page;
    }
    // The export holds every match; should it ever hold fewer than the count said, the strategy splits on.
    return { items: exported.items, total: Math.max(exported.items.length, page.total) };
  }

  return timeWindowStrategy<IllumioEvent>({
    window: query.window,
    fetchPage,
    time: (event) => event.timestamp,
    id: (event) => event.href,
    unusableTime: (event) => unusableTime('illumio', 'events.list', event.href, 'timestamp', event.timestamp, event),
    maxPageSize: MAX_PAGE_SIZE,
    now: () => ctx.clock.now(),
  });
}

/**
 * `X-Total-Count`. Without it (a proxy that drops headers), or with one below the events the page holds
 * (which cannot be a count of them), the conservative reading: a full page may have been cut, so the
 * window is split again until a page comes back short. Read as at least the page, such a total ended
 * the window after a full page and lost the rest of it.
 */
export function totalOf(headers: Headers, received: number, limit: number): number {
  const header = headers.get('x-total-count');
  const total = header === null ? Number.NaN : Number(header);
  if (Number.isSafeInteger(total) && total >= received) return total;
  return received < limit ? received : received + 1;
}
