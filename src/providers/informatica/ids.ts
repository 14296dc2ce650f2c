/**
 * How Informatica event ids are compared. The vendor sends them as numbers (`eventId`, `parentEventId`),
 * but a string that writes the same number is the same id.
 */

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
