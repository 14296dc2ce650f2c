/**
 * Continuous collection: drain a listing, wait, resume from its tail cursor, forever. Built only on the
 * public `Paginated` contract, so it works for every provider and every paging style; each strategy's
 * tail cursor is what makes a resumed listing yield only what arrived since.
 */
import { systemClock, type Clock } from './clock.js';
import type { Checkpoint } from './checkpoint.js';
import type { Page, Paginated } from './paginate/types.js';

export interface WatchOptions {
  /**
   * Milliseconds to wait after the last page before asking again.
   * @default 30_000
   */
  interval?: number;
  /** Where the cursor is loaded from at the start and saved after each page the consumer finished. */
  checkpoint?: Checkpoint;
  /** A cursor to start from when the checkpoint has none. */
  cursor?: string;
  /** Items per request, within the vendor's bounds. */
  pageSize?: number;
  /** Stops watching; the iteration then ends cleanly (the page in hand stays uncommitted). */
  signal?: AbortSignal;
  /** @default systemClock */
  clock?: Clock;
}

/**
 * Yields pages as they arrive. The checkpoint is saved when the consumer asks for the next page, so a
 * page is committed only once it was handled: a crash repeats at most one page, and never loses one.
 * @example
 * for await (const page of watch(pce.events.list({ since: '2026-11-01' }), { checkpoint: fileCheckpoint('pce.cursor') })) {
 *   await store(page.items);
 * }
 */
export async function* watch<T>(source: Paginated<T>, options: WatchOptions = {}): AsyncGenerator<Page<T>, void, undefined> {
  const clock = options.clock ?? systemClock;
  const interval = options.interval ?? 30_000;
  if (!(interval >= 0) || !Number.isFinite(interval)) throw new RangeError('interval must be a finite number of milliseconds');
  const { signal, checkpoint } = options;
  let cursor = (await checkpoint?.load()) ?? options.cursor;
  while (!signal?.aborted) {
    try {
      const pages = source.byPage({
        ...(cursor === undefined ? {} : { cursor }),
        ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }),
      });
      for await (const page of pages) {
        yield page;
        cursor = page.cursor;
        await checkpoint?.save(cursor);
        if (signal?.aborted) return;
      }
      await clock.sleep(interval, signal);
    } catch (error) {
      if (signal?.aborted) return;
      throw error;
    }
  }
}
