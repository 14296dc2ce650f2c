/**
 * Shared checks for the paging strategies, run against in-memory fake vendors: drain everything,
 * resume from every page's cursor, survive transient failures by resuming, and tail.
 */
import { expect } from 'vitest';
import { paginate } from '../../../src/core/paginate/paginate.js';
import type { Page, Paginated, PagingStrategy } from '../../../src/core/paginate/types.js';

export interface Item {
  id: string;
}

/** A listing of `strategy` with identity normalization, bound to provider `socotra` and `query`. */
export function list<R extends Item, S>(strategy: PagingStrategy<R, S>, pageSize: number, query: unknown = {}): Paginated<R> {
  return paginate<R, R, S>({
    provider: 'socotra',
    operation: 'events.list',
    query,
    strategy,
    normalize: (items) => items,
    pageSize,
  });
}

export async function pagesOf<R extends Item>(paginated: Paginated<R>, cursor?: string): Promise<Array<Page<R>>> {
  const pages: Array<Page<R>> = [];
  for await (const page of paginated.byPage(cursor === undefined ? {} : { cursor })) pages.push(page);
  return pages;
}

export const idsOf = (pages: ReadonlyArray<Page<Item>>): string[] => pages.flatMap((page) => page.items.map((i) => i.id));

/**
 * Drains `paginated`; then resumes from every page's cursor and checks that exactly the items after
 * that page come. Returns the pages of the full drain.
 */
export async function checkDrainAndResume<R extends Item>(paginated: Paginated<R>, expected: readonly string[]): Promise<Array<Page<R>>> {
  const pages = await pagesOf(paginated);
  expect(idsOf(pages)).toEqual(expected);
  expect(pages.at(-1)?.hasMore).toBe(false);
  expect(pages.slice(0, -1).every((page) => page.hasMore)).toBe(true);
  for (let i = 0; i < pages.length; i++) {
    const rest = idsOf(pages.slice(i + 1));
    expect(idsOf(await pagesOf(paginated, pages[i]!.cursor))).toEqual(rest);
  }
  return pages;
}

/** A retryable failure, as the request pipeline would raise after its retries ran out. */
export class TransientError extends Error {}

/** Wraps a fetch so that it fails about one time in `every`, driven by `random` (fast-check's). */
export function flaky<A extends unknown[], V>(
  fetch: (...args: A) => Promise<V>,
  fails: () => boolean,
): (...args: A) => Promise<V> {
  return async (...args) => {
    if (fails()) throw new TransientError('503 from the fake vendor');
    return fetch(...args);
  };
}

/**
 * The consumer a collector is: on a failure, resume from the last cursor it had; returns every item
 * delivered, to be compared with the dataset (nothing lost, nothing twice).
 */
export async function drainResuming<R extends Item>(paginated: Paginated<R>, maxFailures = 10_000): Promise<{ ids: string[]; cursor: string | undefined }> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let failures = 0; failures <= maxFailures; failures++) {
    try {
      for await (const page of paginated.byPage(cursor === undefined ? {} : { cursor })) {
        for (const item of page.items) ids.push(item.id);
        cursor = page.cursor;
      }
      return { ids, cursor };
    } catch (error) {
      if (!(error instanceof TransientError)) throw error;
    }
  }
  throw new Error('too many failures');
}

/** `count` ids `prefix0..`, zero-padded so that they also sort as strings. */
export const makeIds = (count: number, prefix = 'e', from = 0): string[] =>
  Array.from({ length: count }, (_, i) => `${prefix}${String(from + i).padStart(6, '0')}`);
