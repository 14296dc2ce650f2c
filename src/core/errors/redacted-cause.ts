import { redact } from '../redact.js';
import { hasBrand } from './brand.js';

/** How deep a foreign cause chain is copied; undici nests two or three. */
const MAX_CAUSE_DEPTH = 5;

/**
 * A foreign error kept as `cause` (fetch's, a socket's) may quote a header value: undici names the value
 * it refuses. Loggers print the cause chain, so it is kept as a redacted copy with the same prototype
 * (`instanceof TypeError` still holds), `name` and `code`.
 */
export function redactedCause(value: unknown, depth = 0): unknown {
  if (hasBrand(value, 'TributaryError')) return value;
  if (!(value instanceof Error)) return redactedValue(value);
  const copy = Object.create(Object.getPrototypeOf(value) as object) as Error;
  const own = (key: string, field: unknown): void => {
    Object.defineProperty(copy, key, { value: field, writable: true, configurable: true, enumerable: false });
  };
  own('message', redact(value.message));
  own('stack', value.stack === undefined ? undefined : redact(value.stack));
  if (Object.hasOwn(value, 'name')) own('name', value.name);
  const code = (value as { code?: unknown }).code;
  if (code !== undefined) own('code', code);
  if (value.cause !== undefined) own('cause', depth < MAX_CAUSE_DEPTH ? redactedCause(value.cause, depth + 1) : undefined);
  return copy;
}

/**
 * A thrown value that is not an `Error` (a custom `fetch` may reject with a string, or with an object
 * holding the request and its headers): a string is redacted; an object is kept as a redacted copy of
 * its JSON, or as redacted text when it has none.
 */
function redactedValue(value: unknown): unknown {
  if (typeof value === 'string') return redact(value);
  if (typeof value !== 'object' || value === null) return value;
  try {
    const json = JSON.stringify(value);
    if (json !== undefined) return JSON.parse(redact(json)) as unknown;
  } catch {
    // Circular or a throwing toJSON: its text form below.
  }
  return redact(String(value));
}
