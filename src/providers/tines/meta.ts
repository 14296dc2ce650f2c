/**
 * Reading the current API's pagination `meta` (https://www.tines.com/api/welcome). Its fields are
 * redundant (`next_page`, `next_page_number`, `pages`, `count`) and real tenants let them disagree, so
 * no single field may end a listing: `metaSaysLastPage` asks every field present and answers yes only
 * when at least two of them vote and all of them say this is the last page (VENDORS.md: "never trust one
 * field alone to end pagination").
 */
import { firstText } from '../../core/text-or-list.js';
import type { TinesMeta } from './schemas.js';

/** A non-negative integer from a meta field (number or numeric string), or `undefined`. */
export function metaInteger(value: unknown): number | undefined {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) && number >= 0 ? number : undefined;
}

type Vote = 'last' | 'more';

/**
 * `next_page` is a link: absent means the tenant did not say, `null`, empty or an empty list means there
 * is none. A number, the next page's own rather than its link, says there is one, as the schema read it
 * before its fields were left unchecked; any other form that is no text (an object) gives no vote.
 */
function linkVote(link: unknown): Vote | undefined {
  if (link === undefined) return undefined;
  if (link === null || (Array.isArray(link) && link.length === 0)) return 'last';
  if (typeof link === 'number') return 'more';
  const text = firstText(link);
  return text === undefined ? undefined : text === '' ? 'last' : 'more';
}

function votes(meta: TinesMeta, page: number, perPage: number): Vote[] {
  const out: Vote[] = [];
  const link = linkVote(meta.next_page);
  if (link !== undefined) out.push(link);
  // `null`: there is no next page; a number it cannot read gives no vote.
  const nextNumber = meta.next_page_number;
  const next = metaInteger(nextNumber);
  if (nextNumber === null) out.push('last');
  else if (next !== undefined) out.push(next > page ? 'more' : 'last');
  const pages = metaInteger(meta.pages);
  if (pages !== undefined) out.push(page >= pages ? 'last' : 'more');
  const count = metaInteger(meta.count);
  if (count !== undefined) out.push(page * perPage >= count ? 'last' : 'more');
  return out;
}

/**
 * Whether `meta` reliably says that `page` (1-based, of `perPage` items) is the last one: two or more
 * fields vote and none disagrees. A tenant whose fields contradict each other gets one more request
 * (an empty or short page then ends the listing) rather than a listing that silently stops early.
 */
export function metaSaysLastPage(meta: TinesMeta | null | undefined, page: number, perPage: number): boolean {
  if (!meta) return false;
  const cast = votes(meta, page, perPage);
  return cast.length >= 2 && cast.every((vote) => vote === 'last');
}
