/**
 * How Informatica event ids are compared. The vendor sends them as numbers (`eventId`, `parentEventId`),
 * but a string that writes the same number is the same id.
 */
import { idKey } from '../../core/dedupe.js';

/**
 * A string of digits only, whose zeros before its last digit `LEADING_ZEROS` drops. Two patterns, not
 * one: `/^0+(?=\d+$)/` read the rest of the text again for each zero, and a cursor key of 200,000
 * zeros and a letter took half a minute.
 */
const DIGITS = /^\d+$/;
const LEADING_ZEROS = /^0+(?=\d)/;

/**
 * An id as the normalized event writes it (`id`, `data.parentEventId`, `data.childEventIds`): a number
 * in decimal, a string of digits without leading zeros (`'032010'` is `'32010'`), any other string as
 * it is. Only a string starting with `0` is rewritten, so the usual id costs no more than `String`.
 */
export function idText(eventId: number | string): string {
  if (typeof eventId === 'number') return String(eventId);
  return eventId.length > 1 && eventId.charCodeAt(0) === 48 && DIGITS.test(eventId) ? eventId.replace(LEADING_ZEROS, '') : eventId;
}

/**
 * The key an id is deduplicated by: the number itself where the id is one, or where a string writes
 * one exactly once leading zeros are dropped, so `5`, `'5'` and `'05'` meet; any other string as
 * `idText` writes it. A number is hashed by value; a fresh string would be hashed character by
 * character. Cursor keys (`idKey` of the id as sent) are read back through this too, so a key written
 * for `'05'` finds `5`.
 */
export function seenKey(eventId: number | string): number | string {
  if (typeof eventId === 'number') return eventId;
  const text = idText(eventId);
  const number = Number(text);
  return String(number) === text ? number : text;
}

/**
 * `seenKey` of the key a cursor keeps `eventId` under (`idKey`), without the string for an integer id:
 * an id that is a number (as the vendor sends them) is found without a string made and hashed for it.
 */
export function lookupKey(eventId: number | string): number | string {
  return typeof eventId === 'number' && Number.isSafeInteger(eventId) ? eventId : seenKey(idKey(String(eventId)));
}

/**
 * The ids (`lookupKey`) a previous listing or an earlier page delivered, by an event delivered now
 * whose descendants include some of them: a child delivered on its own, and then again inside a
 * parent that became visible late or came to match a status filter (`pagination.ts`). They are not
 * delivered twice: in `flatten` mode not after the parent, in `nested` mode not in its
 * `data.childEvents`, at any depth (their descendants not delivered before come on their own,
 * `pagination.ts`); the parent's `data.childEventIds` and `raw` still name them. Keyed by the vendor's
 * object, so it lasts as long as the page.
 */
export const deliveredBefore = new WeakMap<object, ReadonlySet<number | string>>();

/**
 * The ids (`lookupKey`) of descendants of an event delivered now that are not delivered with it: created
 * after the window's `toDate` (the client's clock behind the pod's), with no room left in the cursor to
 * remember them until a window reaches their `createTime` (`pagination.ts`; only in an iteration that
 * hands out cursors). Such a window delivers them on their own, so they are left out here with their
 * own descendants: in `flatten` mode not delivered after the parent, in `nested` mode not in its
 * `data.childEvents`. `data.childEventIds` and `raw` still name them. Keyed by the vendor's object, so
 * it lasts as long as the page.
 */
export const heldBack = new WeakMap<object, ReadonlySet<number | string>>();
