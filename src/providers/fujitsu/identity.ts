/**
 * FUJITSU events carry no id (seed 002): their identity is their content. The SDK hashes the fields
 * VENDORS.md names (`date`, `sourceType`, `sourceIdentifier`, `eventCategories`, `message`) after
 * normalizing the representations that drift between versions (a date with or without a zone, the
 * categories as a string or an array), so the same event read twice, by any version, gets the same id.
 * Two events identical in all five fields within one second are one event to the SDK.
 */
import { createHash } from 'node:crypto';

import type { FujitsuEvent } from './schemas.js';

/** Hex characters kept from the SHA-256 digest: 128 bits, ample for a dedupe key. */
const ID_LENGTH = 32;

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
  const content = JSON.stringify([
    time,
    event.sourceType ?? null,
    event.sourceIdentifier ?? null,
    [...categories].sort(),
    event.message ?? null,
  ]);
  return createHash('sha256').update(content).digest('hex').slice(0, ID_LENGTH);
}
