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
  // One pass, one array: this runs for every event of every page.
  const out: string[] = [];
  for (const item of list) {
    const category = item.trim();
    if (category !== '') out.push(category);
  }
  return out;
}

/**
 * The stable id of an event whose date normalizes to `time`.
 * @example contentId(event, '2013-03-18T19:09:17.000Z', ['backup']) // 'a3f1…' (32 hex characters)
 */
export function contentId(event: FujitsuEvent, time: string, categories: readonly string[]): string {
  const sorted = categories.length > 1 ? [...categories].sort() : categories;
  // Concatenated rather than `[...].join(FIELD)`: the same text, without an array per event.
  const content =
    time +
    FIELD +
    textOf(event.sourceType) +
    FIELD +
    textOf(event.sourceIdentifier) +
    FIELD +
    sorted.join(ITEM) +
    FIELD +
    textOf(event.message);
  // The one-shot `hash` costs half of `createHash(...).update(...).digest(...)` for inputs this small,
  // and in Node no more than FNV-1a in JavaScript over the same text (measured: 0.30 against 0.28 us).
  return hash('sha256', content, 'hex').slice(0, ID_LENGTH);
}

/**
 * A text field as hashed. One the vendor sent as an array (VENDORS.md: a documented string arrives as
 * an array) is its items apart: `['a', 'b']` must not be the text `'a,b'`, which `+` would make of it.
 * A one-string array is that string, so a version that wraps the field keeps the event's id.
 */
function textOf(value: string | readonly unknown[] | null | undefined): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return MISSING;
  let text = '';
  for (let index = 0; index < value.length; index++) {
    const item = value[index];
    text += (index === 0 ? '' : ITEM) + (typeof item === 'string' ? item : JSON.stringify(item) ?? MISSING);
  }
  return text;
}
