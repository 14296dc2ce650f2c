/**
 * Pulls the human message out of a Tines error body. Tines answers errors with
 * `{ errors: [{ message, details }] }`, `{ error: '...' }`, a bare array, or plain text
 * (VENDORS.md "Tines"); the core keeps the message on the typed error as `vendorMessage`.
 */
import { tinesErrorBodySchema } from './schemas.js';

function entryMessage(entry: string | { message?: string | null | undefined }): string | undefined {
  const text = typeof entry === 'string' ? entry : entry.message;
  return text ? text : undefined;
}

/** The vendor's message, several joined with `; `, or `undefined` when the body carries none. */
export function tinesErrorMessage(body: unknown): string | undefined {
  const parsed = tinesErrorBodySchema.safeParse(body);
  if (!parsed.success) return undefined;
  const value = parsed.data;
  let messages: Array<string | undefined>;
  if (typeof value === 'string') {
    messages = [value.trim()];
  } else if (Array.isArray(value)) {
    messages = value.map(entryMessage);
  } else if (Array.isArray(value.errors)) {
    messages = value.errors.map(entryMessage);
  } else {
    messages = [value.errors ?? undefined, value.error ?? undefined, value.message ?? undefined];
  }
  const joined = messages.filter((m): m is string => m !== undefined && m !== '').join('; ');
  return joined === '' ? undefined : joined;
}
