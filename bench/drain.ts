/**
 * The consumers the scenarios time: the SDK's `for await` over events, and a raw loop over pages. Both
 * touch every event (its id) so that nothing is optimized away, and count what they received.
 */
import type { TributaryEvent } from '../src/core/event.js';
import type { Paginated } from '../src/core/paginate/types.js';
import { rawPages, type RawPlan, type Transport } from './raw.js';

/** Keeps the engine from proving the events unused. */
let checksum = 0;

/**
 * What a consumer does with each page: `'cpu'` holds the thread (transforming, serializing), `'io'`
 * waits without holding it (writing to a database or a queue).
 */
export interface Work {
  kind: 'cpu' | 'io';
  ms: number;
}

export interface DrainOptions {
  /**
   * Work per page of events, done after the page's events were handed over. A page without events
   * (Socotra ends its stream with one) costs none: there is nothing to transform or write.
   */
  work?: Work;
}

export async function work({ kind, ms }: Work): Promise<void> {
  if (kind === 'io') {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return;
  }
  const until = performance.now() + ms;
  while (performance.now() < until) checksum += 1;
}

export async function drainSdk(listing: AsyncIterable<TributaryEvent>): Promise<number> {
  let count = 0;
  for await (const event of listing) {
    checksum += event.id.length;
    count += 1;
  }
  return count;
}

/** The SDK page by page (`byPage()`), with the consumer's work after each page. */
export async function drainSdkPages(listing: Paginated<unknown>, options: DrainOptions = {}): Promise<number> {
  let count = 0;
  for await (const page of listing.byPage()) {
    for (const item of page.items) checksum += typeof item === 'object' && item !== null ? 1 : 0;
    count += page.items.length;
    if (options.work && page.items.length > 0) await work(options.work);
  }
  return count;
}

export async function drainRaw(transport: Transport, baseUrl: string, plan: RawPlan, pageSize: number, options: DrainOptions = {}): Promise<number> {
  let count = 0;
  for await (const page of rawPages(transport, baseUrl, plan, pageSize)) {
    for (const event of page) {
      checksum += typeof event === 'object' && event !== null ? 1 : 0;
      count += 1;
    }
    if (options.work && page.length > 0) await work(options.work);
  }
  return count;
}
