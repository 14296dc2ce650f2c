/**
 * The `Page` objects the engine hands out. Encoding a cursor (JSON of the state, compressed once long,
 * then base64url) costs a few microseconds a page, up to a millisecond for one holding thousands of ids,
 * that `for await` over items never reads, so `cursor` is computed on first read and kept. It is an
 * enumerable accessor: `page.cursor`, `{ ...page }` and `JSON.stringify(page)` see it as a plain
 * property.
 */
import type { Page } from './types.js';

/** A page whose cursor is `encode()`, computed once on first read; assigning `cursor` replaces it. */
export function lazyCursorPage<T>(items: T[], hasMore: boolean, encode: () => string): Page<T> {
  let cursor: string | undefined;
  const page = { items } as Page<T>;
  Object.defineProperty(page, 'cursor', {
    enumerable: true,
    configurable: true,
    get: () => (cursor ??= encode()),
    set: (value: string) => {
      cursor = value;
    },
  });
  page.hasMore = hasMore;
  return page;
}
