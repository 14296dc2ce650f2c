/**
 * How Informatica event ids are compared. The vendor sends them as numbers (`eventId`, `parentEventId`),
 * but a string that writes the same number is the same id.
 */
import { idKey } from '../../core/dedupe.js';

/**
 * The key an id is deduplicated by: the number itself where the id is one, or where a string writes
 * one exactly, so `5` and `'5'` meet; any other string as it is. A number is hashed by value; a fresh
 * string would be hashed character by character.
 */
export function seenKey(eventId: number | string): number | string {
  if (typeof eventId === 'number') return eventId;
  const number = Number(eventId);
  return String(number) === eventId ? number : eventId;
}

/**
 * `seenKey` of the key a cursor keeps `eventId` under (`idKey`), without the string for an integer id:
 * an id that is a number (as the vendor sends them) is found without a string made and hashed for it.
 */
export function lookupKey(eventId: number | string): number | string {
  return typeof eventId === 'number' && Number.isSafeInteger(eventId) ? eventId : seenKey(idKey(String(eventId)));
}

/**
 * The ids (`lookupKey`) a previous listing delivered, by an event delivered now whose descendants
 * include some of them: a child delivered on its own, and then again inside a parent that became
 * visible late or came to match a status filter (`pagination.ts`). In `flatten` mode they are not
 * delivered twice; the parent's `data.childEventIds` and `raw` still name them. Keyed by the vendor's
 * object, so it lasts as long as the page.
 */
export const deliveredBefore = new WeakMap<object, ReadonlySet<number | string>>();
