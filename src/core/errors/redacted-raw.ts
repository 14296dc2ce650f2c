import { isPlainObject } from '../plain-object.js';
import { redact } from '../redact.js';

type Container = Record<string, unknown> | unknown[];

/** An array or a plain object, as `JSON.parse` builds them: what a body is made of. */
function isContainer(value: unknown): value is Container {
  return Array.isArray(value) || isPlainObject(value);
}

/**
 * The value an error keeps as received (`raw`: a page, a body's text), without the credentials a vendor
 * echoed into it: an error page or a page of the wrong shape may quote the request's headers, and a
 * caller who logs `error.raw` must not log them. A value without one is kept as it is, the same object;
 * one with one is copied, each string (key or value) redacted on its own. Walked without recursion: a
 * body nested a few thousand deep is one of the wrong shape (response-body.ts), not a crash.
 */
export function redactedRaw(value: unknown): unknown {
  if (typeof value === 'string') return redact(value);
  if (!isContainer(value) || !holdsCredential(value)) return value;
  const copies = new Map<Container, Container>();
  const copyOf = (original: Container): Container => {
    let copy = copies.get(original);
    if (copy === undefined) {
      copy = Array.isArray(original) ? [] : {};
      copies.set(original, copy);
      pending.push([original, copy]);
    }
    return copy;
  };
  const member = (item: unknown): unknown => (typeof item === 'string' ? redact(item) : isContainer(item) ? copyOf(item) : item);
  const pending: Array<[Container, Container]> = [];
  const root = copyOf(value);
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [original, copy] = next;
    if (Array.isArray(original)) {
      for (const item of original) (copy as unknown[]).push(member(item));
    } else {
      // Defined rather than assigned: `JSON.parse` makes `__proto__` an own key, which assigning would make the prototype.
      for (const key of Object.keys(original)) Object.defineProperty(copy, redact(key), { value: member(original[key]), enumerable: true, writable: true, configurable: true });
    }
  }
  return root;
}

/** Whether redaction changes a string of `value`, a key or a value, at any depth. */
function holdsCredential(value: Container): boolean {
  const seen = new Set<Container>([value]);
  const pending: Container[] = [value];
  const changes = (item: unknown): boolean => {
    if (typeof item === 'string') return redact(item) !== item;
    if (isContainer(item) && !seen.has(item)) {
      seen.add(item);
      pending.push(item);
    }
    return false;
  };
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (Array.isArray(next)) {
      for (const item of next) if (changes(item)) return true;
    } else {
      for (const key of Object.keys(next)) if (changes(key) || changes(next[key])) return true;
    }
  }
  return false;
}
