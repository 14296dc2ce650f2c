/**
 * FUJITSU events carry no id (seed 002): their identity is their content. The SDK hashes the fields
 * VENDORS.md names (`date`, `sourceType`, `sourceIdentifier`, `eventCategories`, `message`) after
 * normalizing the representations that drift between versions (a date with or without a zone, the
 * categories as a string or an array), so the same event read twice, by any version, gets the same id.
 * Two events identical in all five fields within one second are one event to the SDK.
 */
import { hash } from 'node:crypto';

import type { FujitsuEvent } from './schemas.js';

/** Hex characters kept from the SHA-256 digest: 128 bits, ample for a dedupe key. */
const ID_LENGTH = 32;
/**
 * Field separators that do not occur in the service's text, and the mark of a missing field (distinct
 * from an empty one). Joining is several times cheaper per event than `JSON.stringify`.
 */
const FIELD = '\u0000';
const ITEM = '\u0002';
const MISSING = '\u0001';

/** The categories as a list, whatever shape they came in; a comma-separated string is split. */
export function categoriesOf(event: FujitsuEvent): string[] {
  const value = event.eventCategories;
  if (value === null || value === undefined) return [];
  const list = typeof value === 'string' ? value.split(',') : value;
  return list.map((category) => category.trim()).filter((category) => category !== '');
}

/**
 * The stable id of an event whose date normalizes to `time`.
 * @example contentId(event, '2013-03-18T19:09:17.000Z', ['backup']) // 'a3f1…' (32 hex characters)
 */
export function contentId(event: FujitsuEvent, time: string, categories: readonly string[]): string {
  const sorted = categories.length > 1 ? [...categories].sort() : categories;
  const content = [
    time,
    event.sourceType ?? MISSING,
    event.sourceIdentifier ?? MISSING,
    sorted.join(ITEM),
    event.message ?? MISSING,
  ].join(FIELD);
  // The one-shot `hash` costs half of `createHash(...).update(...).digest(...)` for inputs this small.
  return hash('sha256', content, 'hex').slice(0, ID_LENGTH);
}
