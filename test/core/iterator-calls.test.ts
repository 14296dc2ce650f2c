/**
 * A listing's iterators called as the async iterator protocol allows, not only as `for await` calls
 * them: several `next()` at once (`Promise.all`, the same iterator given twice to `merge`), and
 * `return()` while a `next()` is pending (a `next()` raced against a timer, then the loop left). An
 * async generator queues such calls and answers them in order; so do the listing's iterators.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { scaledClock } from '../../src/core/clock.js';
import { merge } from '../../src/core/merge.js';
import type { Page } from '../../src/core/paginate/types.js';
import { closeRateLimiters } from '../../src/core/rate-limit.js';
import { illumioEmulator } from '../../src/providers/illumio/emulator.js';
import { socotraEmulator } from '../../src/providers/socotra/emulator.js';
import { inProcessClients } from '../support/in-process-clients.js';

afterEach(() => closeRateLimiters());

const clock = scaledClock(0.001);
const LISTINGS = {
  illumio: () => inProcessClients.illumio(illumioEmulator.create({ seed: 1, events: 45, clock, rateLimit: false }).fetch, clock).events.list({ pageSize: 10 }),
  socotra: () => inProcessClients.socotra(socotraEmulator.create({ seed: 1, events: 45, clock }).fetch, clock).events.list({ pageSize: 10 }),
};

const ids = (items: ReadonlyArray<{ id: string }>): string[] => items.map((item) => item.id);

describe.each(Object.entries(LISTINGS))('%s', (_, listing) => {
  it('answers several next() of one byPage iterator at once with the pages in order', async () => {
    const expected = ids(await listing().toArray());
    const pages = listing().byPage()[Symbol.asyncIterator]();
    const answers = await Promise.all(Array.from({ length: 8 }, () => pages.next()));
    const handed = answers.filter((answer) => answer.done !== true).map((answer) => answer.value as Page<{ id: string }>);
    expect(handed.flatMap((page) => ids(page.items))).toEqual(expected);
    expect(handed.map((page) => page.hasMore)).toEqual(handed.map((_, index) => index < handed.length - 1));
  });

  it('answers several next() of one item iterator at once with the items in order', async () => {
    const expected = ids(await listing().toArray());
    const items = listing()[Symbol.asyncIterator]();
    const answers = await Promise.all(Array.from({ length: expected.length + 3 }, () => items.next()));
    expect(ids(answers.filter((answer) => answer.done !== true).map((answer) => answer.value as { id: string }))).toEqual(expected);
    expect(answers.slice(expected.length).every((answer) => answer.done === true)).toBe(true);
  });

  it('merges one iterator given twice as the iterator alone', async () => {
    const expected = ids(await listing().toArray());
    const items = listing()[Symbol.asyncIterator]();
    const once = { [Symbol.asyncIterator]: () => items };
    const merged: string[] = [];
    for await (const item of merge(once, once)) merged.push(item.id);
    expect(merged).toEqual(expected);
  });

  it('ends a next() pending when return() is called, as the end of the listing, not with a rejection', async () => {
    for (const iterator of [listing().byPage()[Symbol.asyncIterator](), listing()[Symbol.asyncIterator]()]) {
      const pending = iterator.next();
      await expect(iterator.return?.()).resolves.toEqual({ done: true, value: undefined });
      await expect(pending).resolves.toEqual({ done: true, value: undefined });
      await expect(iterator.next()).resolves.toEqual({ done: true, value: undefined });
    }
  });
});
