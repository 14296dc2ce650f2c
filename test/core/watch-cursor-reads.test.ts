/**
 * A watch without a checkpoint needs only the cursor of each poll's last page, to resume from: it
 * reads no other page's cursor, whose encoding (compressing thousands of ids) costs up to a
 * millisecond a page. With a checkpoint, each page's cursor is read once, to save it.
 */
import { describe, expect, it } from 'vitest';
import { memoryCheckpoint } from '../../src/core/checkpoint.js';
import { scaledClock } from '../../src/core/clock.js';
import { watch, type WatchOptions } from '../../src/core/watch.js';
import type { ByPageOptions, Page, Paginated } from '../../src/core/paginate/types.js';

/** A listing of three pages a poll, whose pages count the reads of their cursor. */
function counted() {
  const reads: string[] = [];
  const from: Array<string | undefined> = [];
  const page = (poll: number, index: number, hasMore: boolean): Page<number> => {
    const out = { items: [index], hasMore } as Page<number>;
    Object.defineProperty(out, 'cursor', {
      enumerable: true,
      get: () => {
        reads.push(`${poll}.${index}`);
        return `c${poll}.${index}`;
      },
    });
    return out;
  };
  let polls = 0;
  const listing = {
    byPage: (options: ByPageOptions = {}) => {
      from.push(options.cursor);
      const poll = polls++;
      return (async function* () {
        for (let index = 0; index < 3; index++) yield page(poll, index, index < 2);
      })();
    },
  } as unknown as Paginated<number>;
  return { listing, reads, from };
}

async function watchPolls(listing: Paginated<number>, polls: number, options: WatchOptions = {}): Promise<void> {
  let done = 0;
  for await (const page of watch(listing, { interval: 1, clock: scaledClock(0.001), ...options })) {
    if (!page.hasMore && ++done === polls) break;
  }
}

describe('watch reads of page cursors', () => {
  it('without a checkpoint, reads only the cursor of the last page of a poll, to resume the next', async () => {
    const { listing, reads, from } = counted();
    await watchPolls(listing, 3);
    expect(from).toEqual([undefined, 'c0.2', 'c1.2']);
    expect(reads).toEqual(['0.2', '1.2']);
  });

  it('with a checkpoint, reads each page cursor once, to save it', async () => {
    const { listing, reads, from } = counted();
    const checkpoint = memoryCheckpoint();
    await watchPolls(listing, 2, { checkpoint });
    expect(from).toEqual([undefined, 'c0.2']);
    expect(reads).toEqual(['0.0', '0.1', '0.2', '1.0', '1.1']);
    expect(await checkpoint.load()).toBe('c1.1');
  });
});
