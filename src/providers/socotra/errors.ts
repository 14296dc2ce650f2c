/**
 * Socotra's error bodies. The Events API documents no error schema (VENDORS.md "Socotra"); tenants
 * answer in the shape of the Java (Spring) service behind it, `{ timestamp, status, error, message }`,
 * with bean-validation failures as `errors: [{ field, defaultMessage }]`, or with a plain-text message.
 * The core keeps what this returns as the typed error's `vendorMessage`.
 */

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** `field: message` of one validation failure. */
function fieldError(entry: unknown): string | undefined {
  if (typeof entry === 'string') return text(entry);
  if (typeof entry !== 'object' || entry === null) return undefined;
  const record = entry as Record<string, unknown>;
  const message = text(record['defaultMessage']) ?? text(record['message']);
  const field = text(record['field']);
  return message === undefined ? undefined : field === undefined ? message : `${field}: ${message}`;
}

/**
 * The vendor's message: `message` (or, when it is empty, the reason in `error`) followed by the field
 * errors, or the plain-text body; `undefined` for a body with nothing readable. (The core leaves an
 * HTML page out before it asks.)
 */
export function socotraErrorMessage(body: unknown): string | undefined {
  if (typeof body === 'string') {
    return text(body);
  }
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  const head = text(record['message']) ?? text(record['error']);
  const fields = Array.isArray(record['errors']) ? record['errors'].map(fieldError).filter((m) => m !== undefined) : [];
  const joined = [head, ...fields].filter((m) => m !== undefined).join('; ');
  return joined === '' ? undefined : joined;
}
