/**
 * What an object given as options, or parsed from JSON, is. A module of its own, importing nothing, so
 * that the errors (which config.ts imports) and the schemas can ask it too.
 */

/** An object, not `null`, not an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * An object written as options are, or as `JSON.parse` builds it: `{ ... }` or `Object.create(null)`.
 * A `Map`, a `Date`, a `RegExp` or a class instance has no members of its own to read, so as options it
 * would be taken for none.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (!isRecord(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
