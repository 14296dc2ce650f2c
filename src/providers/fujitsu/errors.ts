/**
 * Pulls the human message out of a FUJITSU K5 error body, kept on the typed error as `vendorMessage`.
 * The DBaaS API (OpenStack Trove style) wraps it under a key naming the fault,
 * `{ "itemNotFound": { "message": "...", "code": 404 } }`; Keystone answers
 * `{ "error": { "message": "...", "code": 401, "title": "Unauthorized" } }`; proxies in front of either
 * answer plain text.
 */
import { errorBodySchema, faultSchema } from './schemas.js';

function nonEmpty(text: string | null | undefined): string | undefined {
  const trimmed = text?.trim();
  return trimmed ? trimmed : undefined;
}

/** The vendor's message, or `undefined` when the body carries none. */
export function fujitsuErrorMessage(body: unknown): string | undefined {
  const parsed = errorBodySchema.safeParse(body);
  if (!parsed.success) return undefined;
  const value = parsed.data;
  if (typeof value === 'string') return nonEmpty(value);
  if (typeof value.message === 'string') return nonEmpty(value.message);
  for (const [fault, detail] of Object.entries(value)) {
    const inner = faultSchema.safeParse(detail);
    if (!inner.success) continue;
    const message = nonEmpty(inner.data.message) ?? nonEmpty(inner.data.title);
    if (message !== undefined) return fault === 'error' ? message : `${fault}: ${message}`;
  }
  return undefined;
}
