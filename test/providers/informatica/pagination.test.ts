import { describe, expect, it } from 'vitest';
import { systemClock, type Clock } from '../../../src/core/clock.js';
import type { OffsetRequest } from '../../../src/core/paginate/offset.js';
import { paginate } from '../../../src/core/paginate/paginate.js';
import { informaticaStrategy, SEARCH_CONCURRENCY } from '../../../src/providers/informatica/pagination.js';
import type { PinnedWindow } from '../../../src/providers/informatica/query.js';
import type { InformaticaEvent } from '../../../src/providers/informatica/schemas.js';

const WINDOW = { since: '2026-11-01T00:00:00.000Z', until: '2026-11-02T00:00:00.000Z' };
const event = (eventId: number): InformaticaEvent => ({ eventId, createTime: '2026-11-01T10:00:00.000Z' });

interface Pending {
  request: OffsetRequest;
  resolve: (items: InformaticaEvent[]) => void;
}

/** A search whose answers the test releases by hand, in any order. */
function controlledSearch() {
  const pending: Pending[] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  const strategy = informaticaStrategy({
    window: WINDOW,
    clock: systemClock,
    fetchPage: (_window, request) =>
      new Promise((resolve) => {
        inFlight += 1;
        mostInFlight = Math.max(mostInFlight, inFlight);
        pending.push({
          request,
          resolve: (items) => {
            inFlight -= 1;
            resolve({ items });
          },
        });
      }),
  });
  const listing = paginate({ provider: 'informatica', operation: 'events.list', query: WINDOW, strategy, normalize: (items) => items, pageSize: 5 });
  const waitForRequests = async (count: number): Promise<void> => {
    for (let turn = 0; pending.length < count && turn < 100; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(pending.length).toBeGreaterThanOrEqual(count);
  };
  return { listing, pending, waitForRequests, mostInFlight: () => mostInFlight };
}

describe('informatica paging', () => {
  it('reads a cursor state written before the events delivered ahead of their window were kept', () => {
    const strategy = informaticaStrategy({ window: WINDOW, clock: systemClock, fetchPage: async () => ({ items: [] }) });
    const older: Record<string, unknown> = { ...strategy.initial(), f: WINDOW.since, k: ['7'] };
    delete older['e'];
    expect(strategy.validate(older)).toEqual({ ...older, e: [] });
  });

  it(`requests up to ${SEARCH_CONCURRENCY} pages at once and delivers every event once, in order`, async () => {
    const { listing, pending, waitForRequests, mostInFlight } = controlledSearch();
    const all = Array.from({ length: 23 }, (_, index) => event(index + 1));
    const answer = (entry: Pending) => entry.resolve(all.slice(entry.request.offset, entry.request.offset + entry.request.limit));
    const drained = listing.toArray();
    await waitForRequests(1);
    answer(pending[0] as Pending);
    await waitForRequests(1 + SEARCH_CONCURRENCY);
    // Answered newest first: the later pages wait for the earlier ones before they are delivered.
    for (const entry of pending.slice(1).reverse()) answer(entry);
    for (let index = 1 + SEARCH_CONCURRENCY; ; index++) {
      await new Promise((resolve) => setImmediate(resolve));
      const next = pending[index];
      if (next === undefined) break;
      answer(next);
    }
    expect((await drained).map((item) => item.eventId)).toEqual(all.map((item) => item.eventId));
    expect(mostInFlight()).toBe(SEARCH_CONCURRENCY);
    // README: "Pages four at a time".
    expect(SEARCH_CONCURRENCY).toBe(4);
  });

  it('drops an event repeated across a page boundary even when the later page arrived first', async () => {
    const { listing, pending, waitForRequests } = controlledSearch();
    const drained = listing.toArray();
    await waitForRequests(1);
    (pending[0] as Pending).resolve([1, 2, 3, 4, 5].map(event));
    await waitForRequests(2);
    // A late event shifted the offsets: the second page starts with the first page's last event.
    (pending[1] as Pending).resolve([5, 6, 7].map(event));
    expect((await drained).map((item) => item.eventId)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('drops a repeated id whatever form it comes in: a number, its decimal string, a long string id', async () => {
    const { listing, pending, waitForRequests } = controlledSearch();
    const drained = listing.toArray();
    const long = 'evt-0123456789-abcdefghij';
    const at = (eventId: number | string): InformaticaEvent => ({ eventId, createTime: '2026-11-01T10:00:00.000Z' });
    await waitForRequests(1);
    (pending[0] as Pending).resolve([at(1), at(2), at(long), at('0042'), at(5)]);
    await waitForRequests(2);
    // `'5'` is the 5 before, `42` the `'0042'` before; the long id is kept as a fingerprint and still found.
    (pending[1] as Pending).resolve([at('5'), at(long), at(42), at(6)]);
    expect((await drained).map((item) => item.eventId)).toEqual([1, 2, long, '0042', 5, 6]);
  });

  it('reconciles a page fetched ahead with its predecessor, not with the guess it was made from', async () => {
    const { listing, pending, waitForRequests } = controlledSearch();
    const drained = listing.toArray();
    await waitForRequests(1);
    (pending[0] as Pending).resolve([1, 2, 3, 4, 5].map(event));
    await waitForRequests(3);
    // The third page arrives before the second; both re-read what the pages before them delivered.
    (pending[2] as Pending).resolve([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map(event));
    (pending[1] as Pending).resolve([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(event));
    expect((await drained).map((item) => item.eventId)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });
  // A page fetched ahead and answered before a late event became visible starts one item further on
  // than its predecessor, answered after, ended: only the re-read holds the item between them.
  it('loses no event when a late one becomes visible between the answers to two pages fetched at once', async () => {
    const { listing, pending, waitForRequests } = controlledSearch();
    const before = Array.from({ length: 15 }, (_, index) => event(index + 1));
    const after = [event(100), ...before];
    const answer = (entry: Pending, list: InformaticaEvent[]) => entry.resolve(list.slice(entry.request.offset, entry.request.offset + entry.request.limit));
    const drained = listing.toArray();
    await waitForRequests(1);
    answer(pending[0] as Pending, before);
    await waitForRequests(3);
    answer(pending[2] as Pending, before);
    answer(pending[1] as Pending, after);
    for (let index = 3; ; index++) {
      await waitForRequests(Math.min(index + 1, pending.length + 1)).catch(() => undefined);
      const next = pending[index];
      if (next === undefined) break;
      answer(next, after);
    }
    const ids = (await drained).map((item) => item.eventId);
    expect(ids.filter((id) => id !== 100)).toEqual(before.map((item) => item.eventId));
  });

  it('on eventStatus, pages answered out of order still drop what the page before delivered, and an event that left skips nothing', async () => {
    const { listing, pending, waitForRequests } = controlledSearch();
    const drained = listing.toArray();
    await waitForRequests(1);
    (pending[0] as Pending).resolve([1, 2, 3, 4, 5].map(event));
    await waitForRequests(1 + SEARCH_CONCURRENCY);
    // Each later page re-reads the five events before it.
    expect(pending.slice(1, 3).map((entry) => entry.request)).toEqual([
      { offset: 0, limit: 10 },
      { offset: 0, limit: 15 },
    ]);
    // Event 2 left the results before the third page was read, and that page is answered first.
    (pending[2] as Pending).resolve([1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map(event));
    (pending[1] as Pending).resolve([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(event));
    for (const entry of pending.slice(3)) entry.resolve([]);
    expect((await drained).map((item) => item.eventId)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('opens the tail a minute before the window it follows, though the vendor listed an event created after its end', async () => {
    let now = Date.parse('2026-11-02T00:00:00.000Z');
    const clock: Clock = { now: () => now, scale: 1, sleep: async () => undefined };
    const windows: PinnedWindow[] = [];
    const strategy = informaticaStrategy({
      window: { since: WINDOW.since, until: undefined },
      clock,
      fetchPage: async (window) => {
        windows.push(window);
        return { items: windows.length === 1 ? [{ eventId: 1, createTime: '2026-11-02T01:00:00.000Z' }] : [] };
      },
    });
    const list = () => paginate({ provider: 'informatica', operation: 'events.list', query: WINDOW, strategy, normalize: (items) => items, pageSize: 5 });
    let cursor = '';
    for await (const page of list().byPage()) cursor = page.cursor;
    now += 120_000;
    for await (const _page of list().byPage({ cursor }));
    // Started an hour on, the tail skipped what the pod created in that hour.
    expect(windows.at(-1)?.fromDate).toBe('2026-11-01T23:59:00.000Z');
  });
});
