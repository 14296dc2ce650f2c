import type { Paginated } from '../../src/core/paginate/types.js';

/**
 * The ids of a listing's pages until it fails, the cursor of the last page it handed out, and the
 * failure (`undefined` when it ended): what a consumer holds when a vendor misbehaves mid-listing.
 */
export async function pagesUntilFailure(listing: Paginated<{ id: string }>): Promise<{ ids: string[]; cursor: string | undefined; failure: unknown }> {
  const ids: string[] = [];
  let cursor: string | undefined;
  let failure: unknown;
  try {
    for await (const page of listing.byPage()) {
      ids.push(...page.items.map((event) => event.id));
      cursor = page.cursor;
    }
  } catch (error) {
    failure = error;
  }
  return { ids, cursor, failure };
}
