/**
 * Opaque next-token paging (Socotra `pagingToken`). VENDORS.md: the token is present on every page,
 * also on the last one; the end of the stream is an empty page; the token never expires, so the last
 * token is the tail cursor that yields only newer events when used later.
 *
 * The state keeps the ids of the most recently delivered events (bounded), so an event a vendor sends
 * again while it is remembered is dropped wherever it comes in a page, not only where the page before
 * ended, as is one sent twice within a page; a token that comes back with nothing new is an error, not
 * a loop.
 */
import * as z from 'zod';
import { idKey, keepLast } from '../dedupe.js';
import { NoProgressError, parseState, requireOption } from './state.js';
import type { PagingStrategy, Step } from './types.js';

/** One page as the vendor returned it. */
export interface TokenPage<R> {
  items: R[];
  /** The token for the next request; `undefined` when the vendor sent none (the listing ends there). */
  token: string | undefined;
}

export interface TokenStrategyOptions<R> {
  /**
   * Fetches one page through the provider's client. `token` is `undefined` for the first request of a
   * fresh listing (send the query's filters then; Socotra refuses filters beside a token).
   * @example (token, pageSize, signal) => client.request({ ..., query: token ? { pagingToken: token } : { startTimestamp, pageSize }, signal })
   */
  fetchPage(token: string | undefined, pageSize: number, signal: AbortSignal): Promise<TokenPage<R>>;
  /** The vendor's stable id of an item (Socotra `locator`). */
  id(item: R): string;
  /**
   * Consecutive pages of duplicates tolerated before failing.
   * @default 25
   */
  maxEmptyPages?: number;
  /**
   * How many of the most recently delivered ids the cursor remembers; every item of the next page is
   * checked against them, so an event sent again is dropped as long as it is among them.
   * @default 100
   */
  dedupeWindow?: number;
}

export interface TokenState {
  /** The token of the next request; `null` before the first one. */
  t: string | null;
  /** Keys (`idKey`) of the most recently delivered ids. */
  d: string[];
}

const stateSchema = z.object({ t: z.string().nullable(), d: z.array(z.string()).max(10_000) });

/**
 * What a state returned by this strategy remembers behind its `d`: the raw ids of the newest delivered
 * events, after the older keys a cursor brought. Fingerprinting a ULID costs about 0.35 us, so the next
 * page is checked against the raw ids, and `d` is only computed when the state is encoded into a cursor.
 */
interface Memory {
  /** Keys (`idKey`) from a decoded cursor, older than every raw id. */
  keys: readonly string[];
  /** Raw ids of the most recently delivered events, oldest first. */
  raw: readonly string[];
}

/**
 * The ids of a page (its set) that `memory` holds, `undefined` when none. Each remembered raw id is
 * looked up in the page's set: at most `dedupeWindow` lookups whatever the page size, where looking up
 * each item would cost one per item. Keys that came with a cursor need the page's ids fingerprinted,
 * on the pages right after a resume only.
 */
function rememberedIn(inPage: ReadonlySet<string>, memory: Memory): Set<string> | undefined {
  let found: Set<string> | undefined;
  for (const delivered of memory.raw) if (inPage.has(delivered)) (found ??= new Set()).add(delivered);
  if (memory.keys.length > 0) {
    const keys = new Set(memory.keys);
    for (const key of inPage) if (keys.has(idKey(key))) (found ??= new Set()).add(key);
  }
  return found;
}

/** Token paging: ends on an empty page, dedupes on `id`, and fails on a token that makes no progress. */
export function tokenStrategy<R>(options: TokenStrategyOptions<R>): PagingStrategy<R, TokenState> {
  const { fetchPage, id, dedupeWindow = 100 } = options;
  requireOption(Number.isInteger(dedupeWindow) && dedupeWindow >= 0, 'dedupeWindow', 'an integer >= 0');
  // Keyed by the state objects this strategy returned; a state decoded from a cursor is not in it.
  const memories = new WeakMap<TokenState, Memory>();
  const memoryOf = (state: TokenState): Memory => memories.get(state) ?? { keys: state.d, raw: [] };

  /** A state whose `d` (an enumerable property, as JSON expects) is fingerprinted on first read. */
  const remember = (t: string | null, memory: Memory): TokenState => {
    let d: string[] | undefined;
    const state = { t } as TokenState;
    Object.defineProperty(state, 'd', {
      enumerable: true,
      get: () => (d ??= [...memory.keys, ...memory.raw.map(idKey)]),
    });
    memories.set(state, memory);
    return state;
  };

  return {
    kind: 'token',
    ...(options.maxEmptyPages === undefined ? {} : { maxEmptyPages: options.maxEmptyPages }),
    initial: () => ({ t: null, d: [] }),
    validate: (state) => parseState(stateSchema, state),
    // The token and the newest delivered id: a token that comes back with new events is progress, one
    // that comes back after the same last event is the listing going round.
    position(state) {
      const { keys, raw } = memoryOf(state);
      const last = raw.length > 0 ? idKey(raw[raw.length - 1] as string) : keys[keys.length - 1];
      return JSON.stringify([state.t, last ?? null]);
    },
    async fetch(state, pageSize, signal): Promise<Step<R, TokenState>> {
      const page = await fetchPage(state.t ?? undefined, pageSize, signal);
      const token = page.token ?? null;
      const memory = memoryOf(state);
      // The end of the stream: keep the newest token we know, it is where new events will appear.
      if (page.items.length === 0) return { items: [], state: remember(token ?? state.t, memory), done: true };
      // One pass over the page drops an event delivered twice in it: the page's set is checked and
      // filled in one hash operation, as it grows unless the id was already in the page.
      const inPage = new Set<string>();
      let items: R[] | undefined;
      for (let i = 0; i < page.items.length; i++) {
        const item = page.items[i] as R;
        const before = inPage.size;
        inPage.add(id(item));
        if (inPage.size === before) items ??= page.items.slice(0, i);
        else items?.push(item);
      }
      items ??= page.items;
      // Then the events delivered before, wherever they come in the page (one sent again after newer ones).
      const again = rememberedIn(inPage, memory);
      if (again !== undefined) items = items.filter((item) => !again.has(id(item)));
      if (items.length === 0 && token === state.t) {
        throw new NoProgressError(`the vendor returned the same token with only events already delivered`, {
          token,
          items: page.items,
        });
      }
      // Only the newest delivered ids are remembered: read from the page's tail, not collected per event.
      const newest = items.length > dedupeWindow ? items.slice(items.length - dedupeWindow) : items;
      const raw = keepLast(memory.raw, newest.map(id), dedupeWindow);
      const keys = keepLast([], memory.keys, dedupeWindow - raw.length);
      const next: Memory = { keys, raw };
      // No token on a non-empty page: the vendor gives no way further; resuming starts from the last one.
      if (token === null) return { items, state: remember(state.t, next), done: true };
      return { items, state: remember(token, next), done: false };
    },
  };
}
