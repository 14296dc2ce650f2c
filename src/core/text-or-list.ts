/**
 * A field the vendor documents as a string but some versions send as an array (VENDORS.md: "a
 * documented string arrives as an array"). The schema takes both, so one drifted field does not fail
 * its page; the normalizers read the text through `firstText`, so a normalized field stays a string
 * while `raw` keeps what was sent.
 */
import * as z from 'zod';

/**
 * A string, or an array of anything. The items are not checked: the SDK reads at most one string from
 * them, and a union of a string and an array of `unknown` is what the in-place validator covers
 * without a copy (`check-in-place.ts`). One shared instance, so every field reuses one generated check.
 */
export const textOrList = z.union([z.string(), z.array(z.unknown())]);

/**
 * The text of such a field: the string itself, or the first string in the array; `undefined` for
 * anything else. Runs per field per event: a `typeof` check, and a scan only for an array.
 * @example firstText(['db-instance', 'db-snapshot']) // 'db-instance'
 */
export function firstText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value)) return undefined;
  const items: readonly unknown[] = value;
  for (let index = 0; index < items.length; index++) {
    const item = items[index];
    if (typeof item === 'string') return item;
  }
  return undefined;
}
