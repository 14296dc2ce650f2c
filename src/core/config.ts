/**
 * Small validators for provider options and queries. Each throws a `ConfigurationError` that names the
 * option, before any request is made; a caller checking one options object runs each through an
 * `OptionProblems`, so that one error names them all. Values are not echoed for free-form strings (they
 * may be credentials); enumerations, integers and times are, because seeing the bad value helps.
 */
import type { ConfigurationErrorReason } from './errors.js';
import { OptionProblems, optionError } from './option-problems.js';
import { redact } from './redact.js';
import { cutText } from './shown-text.js';
import { dateEpoch, toRfc3339Millis } from './time.js';
import { isPlainObject, isRecord } from './plain-object.js';

export { isPlainObject, isRecord };

/** Throws the `ConfigurationError` of a bad option: its message names the option, then what is wrong. */
export function invalidOption(option: string, message: string, reason: ConfigurationErrorReason = 'invalid'): never {
  throw optionError(option, message, reason);
}

/** An `AbortSignal`, from this realm or another (the shape, not `instanceof`). */
export function isAbortSignal(value: unknown): boolean {
  return (
    isRecord(value) &&
    typeof value.aborted === 'boolean' &&
    typeof (value as { addEventListener?: unknown }).addEventListener === 'function'
  );
}

/** The rule of every `signal` option: a value that is no AbortSignal (a controller given for its signal) would never stop anything. */
export const SIGNAL_RULE: Rule = [isAbortSignal, 'an AbortSignal'];

/** What was given, without echoing a string (it may be a credential put in the wrong place). */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  // Its kind (`a Map`, `a RegExp`), so that the message says why an object is not one of options.
  if (isRecord(value) && !isPlainObject(value)) {
    const tag = Object.prototype.toString.call(value).slice(8, -1);
    if (tag === 'Object') return 'an instance of a class';
    // The article goes by sound: `an Error`, `an Array Iterator`, but `a URL`, `a Uint8Array`.
    return `${/^[AEIO]/.test(tag) ? 'an' : 'a'} ${tag}`;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return value.trim() === '' ? 'an empty string' : 'a string';
  return typeof value;
}

/**
 * An option's rule: the test a given value must pass (`undefined` always passes: the default applies),
 * the words that say what was expected, the rules of its members when it is an object (any other key
 * is a typo, `retry.limit`, not an extension) and a check that relates the members to one another.
 */
export type Rule = readonly [
  test: (value: unknown) => boolean,
  expected: string,
  members?: Rules,
  relate?: (value: Record<string, unknown>) => void,
];
export interface Rules {
  readonly [option: string]: Rule;
}

/**
 * Checks the members of `value` that `rules` name, in order; `closed`: no other member is allowed, but
 * one given as `undefined`, which is as if left out. Every refused member is named, in one error: an
 * unknown one first, then each member's value by its rule; a member's `relate` runs only when none of
 * its own members was refused.
 */
export function checkMembers(value: Record<string, unknown>, prefix: string, rules: Rules, closed: boolean): void {
  const problems = new OptionProblems();
  checkMembersInto(problems, value, prefix, rules, closed);
  problems.throwIfAny();
}

/** `checkMembers`, its problems kept in `problems` with those of the other options of one object. */
export function checkMembersInto(problems: OptionProblems, value: Record<string, unknown>, prefix: string, rules: Rules, closed: boolean): void {
  if (closed) {
    // A key given as `undefined` is as if left out, here as at the top of a factory's options and a query.
    for (const unknown of unknownKeys(value, Object.keys(rules))) {
      problems.refuse(`${prefix}${unknown}`, `unknown option; expected one of ${Object.keys(rules).join(', ')}`, 'unknown');
    }
  }
  for (const [key, [test, expected, members, relate]] of Object.entries(rules)) {
    const member = value[key];
    if (member === undefined) continue;
    if (!test(member)) {
      problems.refuse(`${prefix}${key}`, `expected ${expected}, got ${describe(member)}`);
      continue;
    }
    if (!isRecord(member)) continue;
    if (members) checkMembersInto(problems, member, `${prefix}${key}.`, members, true);
    if (relate && !problems.refused(`${prefix}${key}`)) problems.check(() => relate(member));
  }
}

/**
 * A factory's options, a query or a call's options: a plain object, checked before any of its members
 * is read. A `Map`, a `Date` or a class instance has no members of its own to read: taken for options,
 * `byPage(new Map([['cursor', c]]))` would list from the start again and `list(new Map([['since', t]]))`
 * list everything.
 */
export function requireObject<T>(value: T, option: string): asserts value is T & Record<string, unknown> {
  if (!isPlainObject(value)) invalidOption(option, `expected an object, got ${describe(value)}`);
}

/**
 * A listing's query as an object (`undefined` is no filter at all). A key the provider does not know is
 * refused, each kept in `problems` with the query's other problems: a misspelt filter (`sinceID`,
 * `startTimestamp`) would silently list everything. A key given as `undefined` filters nothing, like a
 * missing one. Anything but an object is refused at once: it has no members to check.
 */
export function queryObject(query: unknown, known: readonly string[], problems: OptionProblems): Record<string, unknown> {
  if (query === undefined) return {};
  requireObject(query, 'query');
  for (const unknown of unknownKeys(query, known)) {
    if (unknown === 'cursor') {
      // Given with the query, as other SDKs take it: the list of query options would not say where it goes.
      problems.refuse(unknown, "unknown query option; a cursor is not part of the query: resume with byPage({ cursor }), watch's `cursor` or the CLI's --cursor", 'unknown');
    } else {
      problems.refuse(unknown, `unknown query option; expected one of ${known.join(', ')}`, 'unknown');
    }
  }
  return query;
}

/**
 * `text` redacted, then cut at `length` characters (`…` after a cut): cut first, a credential given to
 * the option by mistake and longer than the cut no longer matched its registration, and its start was
 * shown.
 */
export function cut(text: string, length: number): string {
  return cutText(redact(text), length);
}

/** The first key of `value` that is not `known` and not given as `undefined` (which is as if not given). */
export function unknownKey(value: Record<string, unknown>, known: readonly string[]): string | undefined {
  return unknownKeys(value, known)[0];
}

/** Every key of `value`, in order, that is not `known` and not given as `undefined` (which is as if not given). */
export function unknownKeys(value: Record<string, unknown>, known: readonly string[]): string[] {
  return Object.keys(value).filter((key) => !known.includes(key) && value[key] !== undefined);
}

/** A value as a message may show it: a string quoted and cut at 40 characters, a number as it is, else its type. */
export function show(value: unknown): string {
  const epoch = dateEpoch(value);
  if (epoch !== undefined) return Number.isNaN(epoch) ? 'an invalid Date' : new Date(epoch).toISOString();
  if (typeof value === 'string') return JSON.stringify(cut(value, 40));
  if (value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value;
}

/** A non-empty string (surrounding white space does not count). The value is never echoed. */
export function requireString(value: unknown, option: string): string {
  // An object by its kind (`a Date`, `an array`), which shows no value; anything else by its type.
  if (typeof value !== 'string') invalidOption(option, `expected a string, got ${typeof value === 'object' ? describe(value) : typeof value}`);
  if (value.trim() === '') invalidOption(option, 'must not be empty');
  return value;
}

/**
 * A value that becomes one segment of a request path (a tenant, a locator): a string that is not `.`
 * or `..` (which would move the request to another path) and holds no lone surrogate, which no URL can
 * carry.
 */
export function pathSegmentOption(value: unknown, option: string): string {
  const text = requireString(value, option);
  if (text === '.' || text === '..') invalidOption(option, `must not be "${text}"`);
  refuseLoneSurrogate(text, option);
  return text;
}

/**
 * Text a filter sends in a query string: a non-empty string without a lone surrogate, which has no UTF-8
 * form and would go out as U+FFFD, a filter on another value than the one given.
 */
export function queryTextOption(value: unknown, option: string): string {
  const text = requireString(value, option);
  refuseLoneSurrogate(text, option);
  return text;
}

/** A lone surrogate has no UTF-8 form: whatever carries `text` (a URL, a header, a JSON body) would carry another value. */
function refuseLoneSurrogate(text: string, option: string): void {
  if (!text.isWellFormed()) invalidOption(option, 'must not hold a lone surrogate (U+D800 to U+DFFF)');
}

/** `undefined`, or a `queryTextOption`. */
export function optionalQueryText(value: unknown, option: string): string | undefined {
  return value === undefined ? undefined : queryTextOption(value, option);
}

/**
 * A credential: a non-empty string without control characters and, for a `token` (a header value of
 * its own or a Basic user name), without white space. fetch strips the white space around a header
 * value and refuses a line break inside one, so such a credential (a secret read from a file with its
 * trailing newline) would travel in another form than the one registered for redaction, or fail with
 * the value in fetch's message. Nor may it hold a lone surrogate. The value is never echoed.
 */
export function requireCredential(value: unknown, option: string, form: 'token' | 'text'): string {
  const text = requireString(value, option);
  if (/[\u0000-\u001f\u007f]/.test(text)) invalidOption(option, 'must not contain a line break or another control character');
  // It has no UTF-8 form: Basic would send U+FFFD for it, a Keystone login a `\ud83d` escape, neither the password given.
  refuseLoneSurrogate(text, option);
  if (form === 'token' && /\s/.test(text)) invalidOption(option, 'must not contain white space');
  if (form === 'token' && !isHeaderValue(text)) invalidOption(option, HEADER_VALUE_RULE);
  return text;
}

/**
 * Text fetch can send as a header value: a ByteString (no character beyond U+00FF), without control
 * characters. Anything else would fail every request, after its retries, instead of the construction.
 */
export function isHeaderValue(text: string): boolean {
  return /^[\t\u0020-\u007e\u00a0-\u00ff]*$/.test(text);
}

/** What `isHeaderValue` asks, as an option's error says it. */
export const HEADER_VALUE_RULE = 'must be text a header can carry: no control character, nothing beyond Latin-1 (U+00FF)';

/** `undefined`, or a non-empty string. */
export function optionalString(value: unknown, option: string): string | undefined {
  return value === undefined ? undefined : requireString(value, option);
}

/** An integer within `[min, max]`. */
export function requireInteger(
  value: unknown,
  option: string,
  min: number = Number.MIN_SAFE_INTEGER,
  max: number = Number.MAX_SAFE_INTEGER,
): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) invalidOption(option, `expected an integer, got ${show(value)}`);
  if (value < min || value > max) invalidOption(option, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

/** `undefined`, or an integer within `[min, max]`. */
export function optionalInteger(value: unknown, option: string, min?: number, max?: number): number | undefined {
  return value === undefined ? undefined : requireInteger(value, option, min, max);
}

/** One of the listed strings, exactly. */
export function oneOf<const T extends string>(value: unknown, option: string, allowed: readonly T[]): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  return invalidOption(option, `expected one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${show(value)}`);
}

/** `fallback` for `undefined` (not for `null`, which is a value, and not one of them), or one of `allowed`. */
export function optionalOneOf<const T extends string>(value: unknown, option: string, allowed: readonly T[], fallback: T): T {
  return value === undefined ? fallback : oneOf(value, option, allowed);
}

/** `undefined`, or a boolean (not a truthy string). */
export function optionalBoolean(value: unknown, option: string): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  return invalidOption(option, `expected a boolean, got ${show(value)}`);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A UUID in its canonical 8-4-4-4-12 hexadecimal form (any version), returned as given. */
export function uuid(value: unknown, option: string): string {
  if (typeof value === 'string' && UUID.test(value)) return value;
  return invalidOption(option, `expected a UUID, got ${show(value)}`);
}

/*
 * RFC 3339 / ISO 8601 calendar date, optionally with a time (`T` or a space), fractional seconds and a zone.
 * A time without a zone is UTC, as VENDORS.md prescribes; `Date.parse` would read it as local time.
 */
const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * A time bound for a query: a valid `Date`, or an RFC 3339 / ISO 8601 string (`2026-11-01`,
 * `2026-11-01T10:00:00Z`, `2026-11-01T12:00:00.123+02:00`). Returns a new `Date`. `ISO_TIME` says which
 * strings are accepted; reading them (calendar checks, zone, fraction) is `toRfc3339Millis`'s.
 */
export function toTimeParam(value: Date | string, option: string): Date {
  const epoch = dateEpoch(value);
  if (epoch !== undefined) {
    if (Number.isNaN(epoch)) invalidOption(option, 'is an invalid Date');
    // A string bound is refused out of this range; a Date was left out of the query (Illumio) or sent
    // as `+010000-01-01T...` (the others), which no vendor reads as a time.
    if (toRfc3339Millis(epoch) === undefined) invalidOption(option, `must be within the years 0000 to 9999 that RFC 3339 can write, got ${show(value)}`);
    return new Date(epoch);
  }
  const text = typeof value === 'string' ? value.trim() : '';
  if (!ISO_TIME.test(text)) return invalidOption(option, `expected a Date or an RFC 3339 string, got ${show(value)}`);
  // A leap second (`23:59:60`, any fraction), which POSIX time and so every event's time skips, is read
  // as the instant after it, the next minute's `:00.000`, as `Date` reads it; `timeWindow` moves each
  // bound to the side of it its vendor's reading needs.
  const leap = leapFraction(text) !== undefined;
  const time = toRfc3339Millis(leap ? `${text.slice(0, 16)}:59${text.slice(19).replace(/^\.\d+/, '')}` : text);
  if (time === undefined) return invalidOption(option, `is not a valid calendar time: ${show(value)}`);
  const at = new Date(Date.parse(time) + (leap ? 1000 : 0));
  if (toRfc3339Millis(at) === undefined) invalidOption(option, `must be within the years 0000 to 9999 that RFC 3339 can write, got ${show(value)}`);
  return at;
}

/** A query's time window, each bound as `toTimeParam` reads it (see `SinceBound`); a bound left out is `undefined`. */
export interface TimeWindow {
  since: Date | undefined;
  until: Date | undefined;
  /**
   * The window holds no millisecond an event can carry, as the vendor reads `since` at or after it
   * (`'inclusive'`, `'whole-seconds'`): a `since` past its millisecond (`10:00:00.0003`), or a leap
   * second, with `until` before the next one. The bounds still name that millisecond, for a window
   * that does not end before it starts, which FUJITSU and Informatica refuse; its events are before
   * `since`, so the listing lists nothing and asks nothing (`listsNothing`).
   */
  empty: boolean;
}

/**
 * A listing's `since` and `until`, one rule for every vendor: `until` before `since` is a
 * `ConfigurationError` naming `until`. The same instant is a window, not a mistake: every vendor takes
 * it (Illumio's bounds are inclusive, FUJITSU and Informatica refuse only a start after the end), and a
 * caller who cuts time into windows, or asks from its last run to now within one millisecond, expects
 * the events of that instant (none on Tines, whose `since` is exclusive), not an exception.
 */
export function timeWindow(since: unknown, until: unknown, sinceBound: SinceBound): TimeWindow {
  // Both bounds are checked before either is refused, and their order only when both were taken.
  const problems = new OptionProblems();
  const from = since === undefined ? undefined : problems.check(() => toTimeParam(since as Date | string, 'since'));
  const to = until === undefined ? undefined : problems.check(() => toTimeParam(until as Date | string, 'until'));
  problems.throwIfAny();
  const fromLeap = leapFraction(since);
  const toLeap = leapFraction(until);
  if (from !== undefined && to !== undefined && before(rank(to, until, toLeap), rank(from, since, fromLeap))) {
    // A leap second, and a fraction past the millisecond, are shown as written: the `Date` is another
    // millisecond's, and one bound in the wrong order would look equal to the other, or after it.
    const shown = (value: unknown, at: Date, leap: number | undefined) => show(leap === undefined && belowMillis(value) === 0 ? at : value);
    invalidOption('until', `must not be before \`since\` (${shown(since, from, fromLeap)}), got ${shown(until, to, toLeap)}`);
  }
  // The first and last milliseconds an event may carry to be listed, where `since` is at or after it.
  const first = from === undefined ? undefined : from.getTime() + (sinceBound === 'inclusive' && fromLeap === undefined && belowMillis(since) > 0 ? 1 : 0);
  const last = to === undefined ? undefined : to.getTime() - (toLeap === undefined ? 0 : 1);
  const empty = sinceBound !== 'exclusive' && first !== undefined && last !== undefined && first > last;
  if (from !== undefined && fromLeap !== undefined && sinceBound === 'exclusive') from.setTime(from.getTime() - 1);
  // Not before `since`: a window within one leap second stays `since`'s millisecond, the instant after
  // it, rather than end before it starts, which FUJITSU and Informatica refuse (`empty`).
  if (to !== undefined && toLeap !== undefined) to.setTime(Math.max(to.getTime() - 1, from?.getTime() ?? Number.NEGATIVE_INFINITY));
  // Not past `until`'s millisecond: Informatica refuses a start after the end (`empty`).
  if (
    from !== undefined &&
    sinceBound === 'inclusive' &&
    fromLeap === undefined &&
    belowMillis(since) > 0 &&
    (to === undefined || from.getTime() < to.getTime())
  ) {
    from.setTime(from.getTime() + 1);
  }
  return { since: from, until: to, empty };
}

/**
 * How a vendor reads `since`, which says where a bound between two of the milliseconds events carry
 * goes (events carry milliseconds at most: VENDORS.md "General rules"; seeds 003 and 004 show `.SSS`;
 * and no leap second, which POSIX time skips). A bound finer than a millisecond (`10:00:00.000500Z`, as
 * Go's `RFC3339Nano` and Python's `isoformat()` write times) falls between two, as does a leap second
 * (`23:59:60`), between its minute's `:59.999` and the next minute's `:00.000`.
 * - `'inclusive'` (Socotra, Illumio, Informatica): events at or after it. A finer bound goes up to the
 *   next millisecond, and a leap second to the next minute: either's own millisecond would also take
 *   events before it.
 * - `'exclusive'` (Tines): events after it. A finer bound is cut down to its millisecond, and a leap
 *   second goes to its minute's `:59.999`: the events after either are those after the bound.
 * - `'whole-seconds'` (FUJITSU), inclusive to the second: a finer bound is cut down, as the service
 *   reads its whole second anyway, and a leap second goes to the next minute, as the events of its
 *   minute's `:59` are all before it.
 * Every vendor's `until` is inclusive: a finer bound is cut down, and a leap second goes to its minute's
 * `:59.999`.
 */
export type SinceBound = 'inclusive' | 'exclusive' | 'whole-seconds';

/**
 * Where a bound that `toTimeParam` read is in time, compared member by member (`before`): its
 * millisecond, then the digits past it (two bounds cut down to one millisecond are still in the order
 * they were written in); a leap second after every fraction of its minute's `:59.999` (its `Date` is
 * the next minute's) and before the next minute.
 */
function rank(at: Date, value: unknown, leap: number | undefined): [number, number, number] {
  return leap === undefined ? [at.getTime(), 0, belowMillis(value)] : [at.getTime() - 1, 1, leap];
}

function before(a: readonly [number, number, number], b: readonly [number, number, number]): boolean {
  return (a[0] - b[0] || a[1] - b[1] || a[2] - b[2]) < 0;
}

/** The fraction of a second of a time string in a leap second (`23:59:60.25` is 0.25), `undefined` for any other value. */
function leapFraction(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = ISO_TIME.exec(value.trim());
  return match?.[6] === '60' ? Number(`0.${match[7] ?? '0'}`) : undefined;
}

/** The fraction of a millisecond a time string writes past it (`.0005` is 0.5, `.123400001` 0.400001); 0 for any other value. */
function belowMillis(value: unknown): number {
  if (typeof value !== 'string') return 0;
  const fraction = ISO_TIME.exec(value.trim())?.[7] ?? '';
  return Number(`0.${fraction.slice(3) || '0'}`);
}
