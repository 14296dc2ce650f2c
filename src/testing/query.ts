/**
 * Query-string parsing for emulator handlers. An invalid value throws an `EmulatorHttpError` 400
 * naming the parameter, answered with the vendor's error body; `clamp` instead silently bounds a value,
 * for vendors that cap rather than reject (Illumio's `max_results`).
 */
import { ConfigurationError } from '../core/errors.js';
import { dateEpoch } from '../core/time.js';
import { EmulatorHttpError } from './responses.js';

export interface IntParamOptions {
  /**
   * The value when the parameter is absent.
   * @default undefined (absent stays `undefined`)
   * @example { default: 100, min: 1, max: 500 }
   */
  default?: number | undefined;
  /**
   * Smallest accepted value.
   * @default no lower bound
   * @example { min: 1 }
   */
  min?: number | undefined;
  /**
   * Largest accepted value.
   * @default no upper bound
   * @example { max: 500 }
   */
  max?: number | undefined;
  /**
   * Bound an out-of-range value to `[min, max]` instead of answering 400.
   * @default false
   * @example { max: 500, clamp: true }
   */
  clamp?: boolean | undefined;
}

/** The parameter's value, `undefined` when absent (an empty value counts as absent). */
export function queryString(query: URLSearchParams, name: string): string | undefined {
  const value = query.get(name);
  return value === null || value === '' ? undefined : value;
}

/**
 * An integer parameter.
 * @example queryInt(query, 'limit', { default: 20, min: 20, max: 100 })
 */
export function queryInt(query: URLSearchParams, name: string, options: IntParamOptions & { default: number }): number;
export function queryInt(query: URLSearchParams, name: string, options?: IntParamOptions): number | undefined;
export function queryInt(query: URLSearchParams, name: string, options: IntParamOptions = {}): number | undefined {
  const raw = queryString(query, name);
  if (raw === undefined) return options.default;
  if (!/^-?\d+$/.test(raw)) throw new EmulatorHttpError(400, `Invalid value for ${name}: must be an integer`);
  let value = Number(raw);
  const { min = -Infinity, max = Infinity } = options;
  if (value < min || value > max) {
    if (!options.clamp) throw new EmulatorHttpError(400, `Invalid value for ${name}: must be within [${min}, ${max}]`);
    value = Math.min(max, Math.max(min, value));
  }
  return value;
}

/**
 * The date-times the vendors document (RFC 3339 for Illumio, ISO 8601 for FUJITSU and Tines): a date,
 * `T` (or a space, which RFC 3339 allows), minutes with optional seconds and fraction, an optional zone.
 */
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})(?:[Tt ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)([Zz]|[+-]\d{2}:\d{2})?)?$/;

/**
 * A timestamp parameter as epoch milliseconds. Only ISO 8601 date-times are read, as the vendors'
 * servers do: an HTTP date or a bare number, which `Date.parse` would take, is a 400. A time without a
 * zone, and a date alone, are UTC (VENDORS.md), whatever the zone of the machine running the tests.
 * @example queryTime(query, 'timestamp[gte]')
 */
export function queryTime(query: URLSearchParams, name: string): number | undefined {
  const raw = queryString(query, name);
  if (raw === undefined) return undefined;
  const ms = isoTime(raw);
  if (!Number.isFinite(ms)) throw new EmulatorHttpError(400, `Invalid value for ${name}: not an ISO 8601 date-time`);
  return ms;
}

/**
 * Epoch milliseconds of an ISO 8601 date-time, `NaN` for any other text; without a zone it is UTC
 * (VENDORS.md), where `Date.parse` would read the test machine's local time.
 * @example isoTime('2026-11-23T10:00:00') // Date.parse('2026-11-23T10:00:00Z')
 */
export function isoTime(text: string): number {
  const match = DATE_TIME.exec(text);
  return match ? Date.parse(`${match[1]}T${match[2] ?? '00:00'}${(match[3] ?? 'Z').toUpperCase()}`) : Number.NaN;
}

/**
 * A time given to a store method, as epoch milliseconds, or a `ConfigurationError` naming it, as an
 * emulator's options are refused: a `NaN` stored would fail every later listing, far from the call
 * that put it there.
 * @example const createdAt = epochMs(input.createdAt, 'createdAt');
 */
export function epochMs(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ConfigurationError(`${name} must be epoch milliseconds, got ${JSON.stringify(String(value))}`, { option: name });
  }
  return value;
}

/**
 * A count of events given to a store method, or a `ConfigurationError` naming it: a fraction was cut to
 * fewer events than asked, and a negative count or `NaN` added none, silently.
 * @example for (let i = 0; i < eventCount(count, 'count'); i++) add();
 */
export function eventCount(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new ConfigurationError(`${name} must be an integer >= 0, got ${String(value)}`, { option: name });
  }
  return value;
}

/**
 * A time a test gives a store (epoch milliseconds, an ISO 8601 date-time, where a zone-less one is UTC,
 * or a `Date`) as epoch milliseconds, or a `ConfigurationError` naming it.
 * @example const at = instantMs(input.at, 'at');
 */
export function instantMs(value: number | string | Date, name: string): number {
  // A `Date` of another realm (a test environment's global) is one too, as the SDK reads `since`.
  const ms = dateEpoch(value) ?? (typeof value === 'number' ? value : isoTime(value as string));
  if (!Number.isFinite(ms)) {
    throw new ConfigurationError(`${name} must be an ISO 8601 date-time, epoch milliseconds or a Date, got ${JSON.stringify(String(value))}`, {
      option: name,
    });
  }
  return ms;
}

/** A list parameter: repeated keys and comma-separated values both count (`type=a&type=b`, `type=a,b`). */
export function queryList(query: URLSearchParams, name: string): string[] {
  return query
    .getAll(name)
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter((value) => value !== '');
}

/** A boolean parameter: `true`/`false`/`1`/`0`. */
export function queryBool(query: URLSearchParams, name: string): boolean | undefined {
  const raw = queryString(query, name)?.toLowerCase();
  if (raw === undefined) return undefined;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new EmulatorHttpError(400, `Invalid value for ${name}: must be true or false`);
}
