/**
 * Tines event ids as exact decimal strings. Ids are integers around 2e9 (VENDORS.md "Tines") and can
 * arrive as numbers or strings; the normalized model and the cursor keep them as canonical strings
 * (no sign, no leading zeros) so that comparing and resuming never goes through a lossy float.
 */

/** The canonical decimal string of an id as received (a safe integer or a string of digits). */
export function canonicalId(id: number | string): string {
  if (typeof id === 'number') return String(id);
  const trimmed = id.replace(/^0+(?=\d)/, '');
  return trimmed;
}

/** Orders canonical decimal ids numerically, at any size: a longer string is a larger number. */
export function compareIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whether `value` is a canonical decimal id (what a cursor or a `sinceId` option may carry). */
export function isCanonicalId(value: string): boolean {
  return /^(0|[1-9]\d*)$/.test(value);
}
