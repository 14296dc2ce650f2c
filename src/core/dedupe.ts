/**
 * Ids kept in cursor state to drop the events a vendor sends twice across a page or window boundary
 * (inclusive time bounds, a marker second shared by several events). A cursor must stay small and
 * URL-safe, so a long id (a ULID, an href, a content hash) is kept as a 64-bit fingerprint; two
 * different ids sharing one is a 1-in-2^64 event per pair.
 */
import { fnv1a64 } from './hash.js';

/** Ids up to this length are kept as they are; a fingerprint (`#` + 16 hex digits) is one longer. */
const MAX_PLAIN_ID_LENGTH = 16;

/** The key an id is remembered under in cursor state. */
export function idKey(id: string): string {
  return id.length <= MAX_PLAIN_ID_LENGTH ? id : `#${fnv1a64(id)}`;
}

/** The last `limit` entries of `earlier` followed by `later`: the bounded memory of a boundary. */
export function keepLast(earlier: readonly string[], later: readonly string[], limit: number): string[] {
  if (later.length >= limit) return later.slice(later.length - limit);
  const keep = limit - later.length;
  return [...(earlier.length > keep ? earlier.slice(earlier.length - keep) : earlier), ...later];
}
