/**
 * Paging of the event search: the shared offset strategy (`firstResult`/`maxResults`, ends on an empty
 * or short page) over a window pinned at the first request. VENDORS.md "Informatica": a relative
 * `timeframe.range` moves while you page, so the first request fixes `CUSTOM` `fromDate`/`toDate` and
 * every later page, and every cursor, carries them.
 *
 * The last page's cursor is a tail: it opens the next window, from a minute before the window's end
 * (events can become visible late) to the time of the resumed request, and drops the ids the previous
 * listing already delivered in that minute. The end is `toDate`, or the newest `createTime` of the
 * window's first answer when that is earlier: `toDate` is read off the client's clock, and a client
 * ahead of the pod's by more than the minute would start the next window after events the pod had
 * not created yet at the search. A window that found nothing is searched again from its `fromDate`.
 * Once that minute has settled (`settle.ts`: two minutes on the client's clock after the window whose
 * first answer held its newest `createTime`), the listing that reads it for the last time opens the
 * next window a millisecond after that time: a quiet poll after a burst costs one request, not the
 * burst's minute again (up to 14 at 100 a page, of the 5 a minute).
 *
 * Within a listing, pages overlap as `overlap.ts` explains: each page re-reads the items before its
 * offset and drops the ids the previous page ended with. A late event that becomes visible before the
 * read position shifts the offsets up, and a search on `eventStatus` loses events before it: a
 * non-final event changes status later (VENDORS.md) and leaves the results, which shifts them down.
 * The re-read is needed without a status filter too, because pages are fetched ahead: a page the
 * vendor answered before a late event became visible, while the page before it was answered after,
 * starts one item too far on, and only the re-read holds the item the shift pushed off its
 * predecessor (`OVERLAP_ITEMS` events a page).
 *
 * The cursor keeps the ids of that minute as the time strategies' tails do (`tail-overlap.ts`): at most
 * `MAX_OVERLAP_KEYS`, the first met, which are the newest since results come newest first, then a cut
 * (`c`) after which the next window starts. A minute with more events than that is overlapped only as
 * far back as the ids go: an event becoming visible late with a `createTime` before that is not found.
 *
 * Child events (`childEvents`, VENDORS.md "Informatica") are remembered by id as well, at any depth:
 * the search returns a child inside its parent when the parent matches too, and on its own when the
 * parent does not. So a child delivered inside its parent comes back on its own once the parent has
 * left the window, and a child created after its parent was delivered comes back inside that parent,
 * which is dropped as delivered. The overlap drops the first and delivers the second on its own, in
 * both `children` modes: the form the search itself gives a child whose parent is not among the
 * results (`data.parentEventId` names the parent; in `nested` mode its own descendants are in
 * `data.childEvents`). A parent not delivered before is delivered as the search sent it, but without
 * the descendants the previous listing delivered on their own (the parent became visible late, or came
 * to match a status filter), `deliveredBefore`, in either mode: a `nested` consumer counts the events
 * inside others too, and had them twice. Their own descendants not delivered before then come on their
 * own, after the parent, as the search sends a child whose parent it does not list. Within one
 * iteration, what it delivered on earlier pages counts as well (`OffsetOverlap.fetch`, in memory):
 * a child delivered on its own and, pages later, inside a parent that came to match a status filter
 * meanwhile, older than the window's last minute that `k` covers, came twice in either mode.
 *
 * A client clock behind the pod's ends a window before events the pod has already created, and the
 * search returns a child created after `toDate` inside its parent. The parent can leave the windows
 * before one reaches the child's `createTime`, for longer than `d` remembers, and the child would then
 * come again on its own. So the cursor keeps the ids of the events delivered ahead of their window with
 * their `createTime` (`e`) until the windows start after it: a child is not older than its parent, so
 * no later window lists it, on its own or inside it. At most `MAX_OVERLAP_KEYS`, the first met. One
 * that does not fit is held back, with its descendants: not delivered, not remembered, left out of its
 * parent's `data.childEvents` in `nested` mode (`heldBack`), so it comes once, on its own, when a window
 * reaches its `createTime`, or ahead of one that has room in `e` for it. Windows follow each other
 * without a gap, so one does. Kept in `k` instead, for the next listing only, it came again once its
 * parent had left the windows (200 repeats of 1200 children ahead). A window lists it only if it
 * matches the search on its own, though, and windows end at the query's `until`: with a filter besides
 * the window (`filtered`; a `SUBSCRIPTION` child of a `PUBLICATION` search), or created after `until`,
 * it is delivered inside its parent as before, since no window may ever list it again. Nor is it held
 * back in an iteration that hands out no cursor (`for await` over the events, `toArray`: `FetchContext`),
 * which no window follows: it is delivered inside its parent, every child the search sent with it.
 * Only a cursor has to choose: telling 1200 such children from new ones when later windows list them
 * on their own takes their 1200 ids, more than it keeps, so beyond `MAX_OVERLAP_KEYS` it would either
 * deliver them again or lose them; holding them back delivers each once, to the cursor's tails. So a
 * `byPage` read to its end and never resumed does not get them, and delivering them on its last page
 * would not spare the tail cursor their ids: the tail's windows list them on their own among children
 * of the same parents created after the search's answer or listed late, which no time tells apart.
 */
import * as z from 'zod';
import type { Clock } from '../../core/clock.js';
import { idKey } from '../../core/dedupe.js';
import type { OffsetPage, OffsetRequest } from '../../core/paginate/offset.js';
import { DEFAULT_MAX_EMPTY_PAGES } from '../../core/paginate/paginate.js';
import { OVERLAP_ITEMS, OVERLAP_KEYS, offsetOverlap, type OverlapRead } from '../../core/paginate/overlap.js';
// The tail's reach and the ids it remembers are the time strategies' own (VENDORS.md: late events).
import { later, MAX_OVERLAP_KEYS, meetInOverlap, overlapStart, TAIL_OVERLAP_MS, type Overlap } from '../../core/paginate/tail-overlap.js';
import { deliveredAt, settled } from '../../core/paginate/settle.js';
import { parseState } from '../../core/paginate/state.js';
import type { FetchContext, PagingStrategy, Step } from '../../core/paginate/types.js';
import { toRfc3339Millis } from '../../core/time.js';
import { MAX_PAGE_SIZE, type PinnedWindow, type WindowSpec } from './query.js';
import { deliveredBefore, heldBack, lookupKey, seenKey } from './ids.js';
import type { InformaticaEvent } from './schemas.js';
import { rangeWindow } from './vocabulary.js';

export interface InformaticaPageState {
  /** `fromDate`, or `null` until the first request pins it. */
  f: string | null;
  /** `toDate`, or `null` until the first request pins it. */
  t: string | null;
  /** Offset within the pinned window; `n` is never known (the search reports no total). */
  o: { o: number; n: number | null };
  /** Ids the previous listing delivered in the overlap: not delivered again. */
  d: string[];
  /** Ids at the end of the previous page (`OverlapPosition.p`). */
  p: string[];
  /** Times this window's listing started over from its first result (`OverlapPosition.r`). */
  r: number;
  /** Ids of this listing within the overlap before `t`: the `d` of the tail. */
  k: string[];
  /** The newest `createTime` in the overlap whose id did not fit in `k`; `null` while every one fit. */
  c: string | null;
  /**
   * The newest `createTime` of the window's first answer, no later than `t`: the vendor's time the
   * overlap is counted back from. `null` before that answer, and in cursors written before it was kept
   * (`t` is used then, or within a listing the newest event it re-reads of those delivered before: see
   * the strategy's `fetch`). A tail keeps its listing's (or, after a window that found nothing, the one
   * before it): the time its overlap settles on.
   */
  a: string | null;
  /**
   * Client time (epoch milliseconds) after the first answer that held `a`, for the tail's overlap to
   * settle (`settle.ts`); `null` before one, and in cursors written before it was kept.
   */
  sa: number | null;
  /**
   * Ids (`idKey`) and canonical `createTime` of the events delivered while their `createTime` was after
   * the window's `toDate`, as long as a later window can list them: not delivered again.
   */
  e: Array<[string, string]>;
}

const vendorDate = z.string().refine((value) => toRfc3339Millis(value) === value, 'expected yyyy-MM-ddTHH:mm:ss.SSSZ');
const stateSchema = z.object({
  f: vendorDate.nullable(),
  t: vendorDate.nullable(),
  o: z.object({ o: z.number().int().min(0), n: z.number().int().min(0).nullable() }),
  d: z.array(z.string()).max(MAX_OVERLAP_KEYS),
  p: z.array(z.string()).max(OVERLAP_KEYS),
  k: z.array(z.string()).max(MAX_OVERLAP_KEYS),
  // Absent in cursors written before the overlap could be cut: nothing was.
  c: vendorDate.nullable().default(null),
  // Absent in cursors written before a listing could start over: none had.
  r: z.number().int().min(0).default(0),
  a: vendorDate.nullable().default(null),
  // Absent in cursors written before events ahead of the window were remembered beyond one listing.
  e: z.array(z.tuple([z.string(), vendorDate])).max(MAX_OVERLAP_KEYS).default([]),
  sa: z.number().int().nullable().default(null),
});

export interface InformaticaStrategyOptions {
  window: WindowSpec;
  clock: Clock;
  /**
   * Whether the search filters on more than the window (type, status, names): a child it returns inside
   * a matching parent may then match nothing on its own, and is not held back for a later window.
   * @default false
   */
  filtered?: boolean | undefined;
  /** Sends one search over `window`. */
  fetchPage(window: PinnedWindow, request: OffsetRequest, signal: AbortSignal): Promise<OffsetPage<InformaticaEvent>>;
}

/**
 * Search pages requested at once. The ids that drop repeats (`p`, `k`) come from the page before, so a
 * page fetched ahead waits for its predecessor's outcome before it is reconciled: the requests overlap,
 * the bookkeeping stays in order. Without a total from the vendor, the pages beyond a short last page
 * are guesses: up to three requests of the 5-a-minute budget per multi-page listing.
 */
export const SEARCH_CONCURRENCY = 4;

export function informaticaStrategy(options: InformaticaStrategyOptions): PagingStrategy<InformaticaEvent, InformaticaPageState> {
  const { window, clock, fetchPage, filtered = false } = options;
  const explicitUntil = 'since' in window ? window.until : undefined;
  // The latest `createTime` a later window lists an event ahead of its window at: none when filtered,
  // nor in an iteration that hands out no cursor, which no later window follows.
  const reachOf = (context: FetchContext | undefined): string | undefined => (filtered || context?.resumable === false ? '' : explicitUntil);
  // Where a page starts: a predicted state and the state its predecessor really ended in agree on it.
  const position = (state: InformaticaPageState): string => JSON.stringify([state.f, state.t, state.o.o, state.r]);
  const overlap = offsetOverlap<InformaticaEvent, InformaticaPageState>({
    overlap: OVERLAP_ITEMS,
    maxLimit: MAX_PAGE_SIZE,
    keys: { key: cursorKey, lookup: { ofKey: seenKey, ofItem: (event) => lookupKey(event.eventId) }, nested: (event) => event.childEvents },
    position,
    at: (state) => ({ o: state.o.o, p: state.p, r: state.r }),
  });

  /** The window of a listing that starts now: from the query, or after the previous listing (`f` set). */
  const pin = (state: InformaticaPageState): PinnedWindow => {
    if (state.f !== null && state.t !== null) return { fromDate: state.f, toDate: state.t };
    const now = clock.now();
    // A tail's window reaches the newest time the listing before it found, which the pod had created: a
    // clock set back since (an NTP step, a cursor moved to a machine behind) would end it earlier, and
    // the ids of the events between would be left out of the next tail's `d`, which delivered them again.
    const reached = state.a === null ? Number.NEGATIVE_INFINITY : Date.parse(state.a);
    if (state.f !== null) return { fromDate: state.f, toDate: upTo(explicitUntil, Math.max(now, Date.parse(state.f), reached)) };
    if ('range' in window) {
      const [from, to] = rangeWindow(window.range, now);
      return { fromDate: iso(from), toDate: iso(to) };
    }
    return { fromDate: window.since, toDate: upTo(window.until, Math.max(now, Date.parse(window.since))) };
  };

  /**
   * One page over the pinned window, read against the state of the page before it. `settledAt`: on a
   * tail's first page, the newest time of the listing before when this one reads its overlap for the
   * last time, else `null`.
   */
  const reconcile = (
    before: InformaticaPageState,
    pinned: PinnedWindow,
    read: OverlapRead<InformaticaEvent>,
    earlier: ReadonlySet<unknown>,
    reach: string | undefined,
    settledAt: string | null,
    reread: string | null,
  ): Step<InformaticaEvent, InformaticaPageState> => {
    const first = before.t === null;
    const a = first ? newestCreated(read.items, pinned.toDate) : (before.a ?? noLaterThan(reread, pinned.toDate));
    const sa = first && a !== null ? deliveredAt(before.sa, a !== before.a, clock.now()) : before.sa;
    const overlapFrom = iso(Date.parse(a ?? pinned.toDate) - TAIL_OVERLAP_MS);
    // `d`: what the listing before delivered; `k`: what this one delivered in the overlap, children
    // included, which a resumed cursor's `p` (top-level ids only) does not know: a child delivered
    // inside its parent, listed on its own once the parent left a status filter; `e`: what was
    // delivered ahead of its window.
    const delivered =
      before.d.length + before.k.length + before.e.length === 0
        ? undefined
        : new Set([...before.d, ...before.k, ...before.e.map(([key]) => key)].map(seenKey));
    // Cursor keys are written only for the ids a cursor keeps: those in the overlap and the page's last.
    // Cut at the settled time: the next window starts after it (no later than `toDate`, as any cut).
    const cut = settledAt === null || settledAt > pinned.toDate ? before.c : before.c === null ? settledAt : later(before.c, settledAt);
    const overlap = { keys: [...before.k], cut };
    const ahead: Ahead = { entries: before.e, keys: undefined, held: undefined, reach };
    for (const item of read.items) meetTree(overlap, ahead, delivered, item, overlapFrom, pinned.toDate);
    const { keys: k, cut: c } = overlap;
    const e = ahead.entries;
    let items = read.items;
    // What this iteration delivered the overlap dropped at the top level: it is looked for in children.
    if (delivered !== undefined || ahead.held !== undefined || (earlier.size > 0 && read.items.some(hasChildren))) {
      items = [];
      const skip: Skip = { before: delivered ?? EMPTY, earlier, held: ahead.held ?? EMPTY, found: new Set() };
      for (const item of read.items) undelivered(item, skip, items);
    }
    if (!read.end) {
      const { o, p, r } = read.position;
      return { items, done: false, state: { f: pinned.fromDate, t: pinned.toDate, o: { o, n: null }, d: before.d, p, r, k, c, a, e, sa } };
    }
    // Nothing in the window: the next one starts where it did, and the ids of the listing before are
    // still the ones its first minute may hold, its newest time the one its overlap settles on.
    if (first && a === null) {
      return { items, done: true, state: { f: pinned.fromDate, t: null, o: { o: 0, n: null }, d: before.d, p: [], r: 0, k: [], c: null, a: before.a, e, sa } };
    }
    // The tail: the next window starts a minute before this one ended (or after the cut), without what
    // was delivered.
    // `createTime` has milliseconds: a cut overlap starts a millisecond after the cut.
    const from = later(pinned.fromDate, overlapStart(overlapFrom, c, 1));
    // Windows only move on, and a child is not older than its parent: one created before `from` is
    // listed by no later window, on its own or inside its parent.
    const pending = e.filter(([, created]) => created >= from);
    return { items, done: true, state: { f: from, t: null, o: { o: 0, n: null }, d: k, p: [], r: 0, k: [], c: null, a, e: pending, sa } };
  };

  return {
    kind: 'offset',
    lookahead: SEARCH_CONCURRENCY,
    // A tail's window opens with the minute the listing before it delivered (up to `MAX_OVERLAP_KEYS`
    // ids, dropped as repeats): with small pages, that many pages without a new event end no listing.
    maxEmptyPages: (pageSize) => DEFAULT_MAX_EMPTY_PAGES + Math.ceil(MAX_OVERLAP_KEYS / pageSize),
    initial: () => ({ f: null, t: null, o: { o: 0, n: null }, d: [], p: [], r: 0, k: [], c: null, a: null, e: [], sa: null }),
    validate: (state) => parseState(stateSchema, state),
    position,
    following(state, pageSize) {
      // Only within a pinned window: the first request pins it. The search reports no total.
      if (state.f === null || state.t === null) return undefined;
      return overlap.predict(state, { ...state, o: { o: overlap.following(state.o.o, pageSize), n: null } });
    },
    async fetch(state, pageSize, signal, context) {
      const pinned = pin(state);
      // A tail cut after the last millisecond of a window with a fixed end: nothing of it is left to
      // search, and the vendor refuses a `fromDate` after the `toDate`.
      if (pinned.fromDate > pinned.toDate) return { items: [], done: true, state };
      const reach = reachOf(context);
      // A listing's first request: whether it reads the overlap for the last time is told before it is sent.
      const settledAt = state.t === null && state.a !== null && settled(state.sa, clock.now()) ? state.a : null;
      // A cursor within a listing written before `a` was kept counted the overlap back from `toDate`, read
      // off the client's clock: 45 s ahead, the tail opened 15 s before the pod's time at the search, after
      // events the pod listed late. The pod had created, before the window's first answer, every event
      // delivered before the cursor (results come newest first), so the newest `createTime` of those the
      // answers re-read before its offset (the ids of `p`) stands in for `a`. The tail then reaches back
      // further than the cursor's ids (`k`, the minute before `toDate`) and repeats the events delivered
      // before the cursor in between: a repeat is seen, an event lost is not.
      const known = state.t !== null && state.a === null ? new Set(state.p.map(seenKey)) : undefined;
      let reread: string | null = null;
      const search = async (request: OffsetRequest): Promise<OffsetPage<InformaticaEvent>> => {
        const page = await fetchPage(pinned, request, signal);
        if (known !== undefined) reread = newestOf(page.items, reread, (event) => known.has(lookupKey(event.eventId)));
        return page;
      };
      return overlap.fetch(state, pageSize, search, (before, read, earlier) =>
        reconcile(before, pinned, read, earlier, reach, settledAt, reread),
      );
    },
  };
}

/** The key a cursor keeps an event's id under. */
function cursorKey(event: InformaticaEvent): string {
  return idKey(String(event.eventId));
}

const EMPTY: ReadonlySet<number | string> = new Set();

/** Ids (`lookupKey`) not to deliver now: delivered before, or held back with their descendants. */
interface Skip {
  /** By the listing before: the cursor's `d`, `k` and `e`. */
  before: ReadonlySet<number | string>;
  /** By this iteration, on earlier pages (`OffsetOverlap.fetch`). It grows with the pages. */
  earlier: ReadonlySet<unknown>;
  held: ReadonlySet<number | string>;
  /** Those of `before` and `earlier` met in the page's trees: the `deliveredBefore` of the page. */
  found: Set<number | string>;
}

/**
 * Appends `event` when it was not delivered and is not `carried` inside an event appended, noting the
 * descendants that were (see `deliveredBefore`) and those held back (see `heldBack`). Then, depth
 * first, the children of each delivered event, in the tree or on its own, that were not: each with its
 * own descendants, after the event delivered now that leaves their parent out, as the search sends a
 * child whose parent is not among the results. An event held back is left out with its descendants.
 * Returns whether `event` or a descendant was delivered.
 */
function undelivered(event: InformaticaEvent, skip: Skip, out: InformaticaEvent[], carried = false): boolean {
  const key = lookupKey(event.eventId);
  if (skip.held.has(key)) return false;
  const delivered = skip.before.has(key) || skip.earlier.has(key);
  if (delivered) skip.found.add(key);
  const appended = !delivered && !carried;
  if (appended) out.push(event);
  let found = delivered;
  if (event.childEvents) for (const child of event.childEvents) found = undelivered(child, skip, out, !delivered) || found;
  if (appended && found) deliveredBefore.set(event, skip.found);
  if (appended && event.childEvents && someIn(event.childEvents, skip.held)) heldBack.set(event, skip.held);
  return found;
}

const hasChildren = (event: InformaticaEvent): boolean => (event.childEvents?.length ?? 0) > 0;

function someIn(events: readonly InformaticaEvent[], keys: ReadonlySet<number | string>): boolean {
  if (keys.size === 0) return false;
  return events.some((event) => keys.has(lookupKey(event.eventId)) || (event.childEvents ? someIn(event.childEvents, keys) : false));
}

/** The events a listing met after its window's `toDate` (`InformaticaPageState.e`). */
interface Ahead {
  /** The state's `e`, copied before the first change. */
  entries: Array<[string, string]>;
  /** `seenKey` of the ids in `entries`, built when the listing first meets an event ahead of the window. */
  keys: Set<number | string> | undefined;
  /** `lookupKey` of the events ahead of the window that did not fit in `entries`: not delivered now. */
  held: Set<number | string> | undefined;
  /**
   * The latest `createTime` at which a later window lists an event on its own: the query's `until`;
   * `undefined` without one; `''` (none) when the search filters on more than the window, or when the
   * iteration hands out no cursor.
   */
  reach: string | undefined;
}

/**
 * Counts `event` and its descendants created within the overlap. A child can be created after the
 * window's `toDate` and still come inside its parent: the parent may leave the windows before one
 * reaches the child's `createTime`, so its id is kept in `e` until then. With `e` full it is held back
 * with its descendants, which are not counted: a window that reaches them delivers them. One no later
 * window may list (`Ahead.reach`), or delivered before (`delivered`: a cursor
 * written while such an event was kept in `k` instead) is kept in the overlap like any other, for the
 * next listing, but a cut is moved no later than `toDate`, since the next window starts after the cut
 * and would skip the events created between the two that this window did not search.
 */
function meetTree(
  overlap: Overlap,
  ahead: Ahead,
  delivered: ReadonlySet<number | string> | undefined,
  event: InformaticaEvent,
  overlapFrom: string,
  toDate: string,
): void {
  const created = createdSince(event, overlapFrom);
  if (created !== undefined) {
    if (created <= toDate) meetInOverlap(overlap, created, event, cursorKey);
    else if (!meetAhead(ahead, event, created)) {
      const key = lookupKey(event.eventId);
      const reached = ahead.reach === undefined || created <= ahead.reach;
      if (reached && delivered?.has(key) !== true) return void (ahead.held ??= new Set()).add(key);
      meetInOverlap(overlap, toDate, event, cursorKey);
    }
  }
  if (event.childEvents) for (const child of event.childEvents) meetTree(overlap, ahead, delivered, child, overlapFrom, toDate);
}

/**
 * Keeps `event`, created at `created` after the window's `toDate`, in `ahead` unless it is there (met
 * on an earlier page or in an earlier listing, still ahead); false when there is no room for it.
 */
function meetAhead(ahead: Ahead, event: InformaticaEvent, created: string): boolean {
  if (ahead.keys === undefined) {
    ahead.keys = new Set(ahead.entries.map(([key]) => seenKey(key)));
    ahead.entries = [...ahead.entries];
  }
  const key = lookupKey(event.eventId);
  if (ahead.keys.has(key)) return true;
  if (ahead.entries.length >= MAX_OVERLAP_KEYS) return false;
  ahead.keys.add(key);
  ahead.entries.push([cursorKey(event), created]);
  return true;
}

/** The end of a window pinned now: the query's `until`, but never past now (a tail opens a minute before it). */
function upTo(until: string | undefined, now: number): string {
  return until === undefined || Date.parse(until) > now ? iso(now) : until;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** The newest canonical `createTime` of `events` (top level), no later than `end`; `null` for none. */
function newestCreated(events: readonly InformaticaEvent[], end: string): string | null {
  return noLaterThan(newestOf(events, null), end);
}

function noLaterThan(time: string | null, end: string): string | null {
  return time === null || time < end ? time : end;
}

/** The newest of `newest` and the canonical `createTime`s of the `events` (top level) that `take`s. */
function newestOf(events: readonly InformaticaEvent[], newest: string | null, take?: (event: InformaticaEvent) => boolean): string | null {
  for (const event of events) {
    if (take !== undefined && !take(event)) continue;
    const created = toRfc3339Millis(event.createTime);
    if (created !== undefined && (newest === null || created > newest)) newest = created;
  }
  return newest;
}

/**
 * The event's canonical `createTime` when it is at or after `time`. Per item a string comparison;
 * `toRfc3339Millis` returns a canonical `createTime` as it is.
 */
function createdSince(event: InformaticaEvent, time: string): string | undefined {
  const created = toRfc3339Millis(event.createTime);
  return created !== undefined && created >= time ? created : undefined;
}
