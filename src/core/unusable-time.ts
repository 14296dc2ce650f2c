/**
 * The error of an event whose time cannot be read: `TributaryEvent.time` is required, so a normalizer
 * cannot hand such an event on, and a listing must not skip it silently. Built only on that path: the
 * normalizers test `toRfc3339Millis(...) === undefined` themselves, per event.
 */
import { ResponseValidationError, type ProviderName } from './errors.js';

/**
 * Names the event (`label`: its id or href, or its place in the page when it has neither) and the
 * field, and keeps the raw event.
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
  return new ResponseValidationError(`${provider} event ${label} has an unusable ${field}: ${shown}`, {
    provider,
    operation,
    issues: [`${typeof label === 'number' ? `events[${label}].` : ''}${field}: not a date and time (${shown})`],
    raw,
  });
}
