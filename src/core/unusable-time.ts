/**
 * The error of an event whose time cannot be read: `TributaryEvent.time` is required, so a normalizer
 * cannot hand such an event on, and a listing must not skip it silently. Built only on that path: the
 * normalizers test `toRfc3339Millis(...) === undefined` themselves, per event.
 */
import { ResponseValidationError, type ProviderName } from './errors.js';

/**
 * Names the event (`label`: its id or href, or its place in the page when it has neither) and the
 * field, and keeps the raw event; the issue's path is within that event, as `raw` holds it.
 * @example throw unusableTime('illumio', 'events.list', raw.href, 'timestamp', raw.timestamp, raw);
 */
export function unusableTime(
  provider: ProviderName,
  operation: string,
  label: string | number,
  field: string,
  value: unknown,
  raw: unknown,
): ResponseValidationError {
  const shown = JSON.stringify(value) ?? String(value);
  const named = typeof label === 'number' ? `at events[${label}] of its page` : label;
  return new ResponseValidationError(`${provider} event ${named} has an unusable ${field}: ${shown}`, {
    provider,
    operation,
    issues: [`${field}: not a date and time (${shown})`],
    raw,
  });
}
