/**
 * Instants and the ways to write them, for the query oracles: a few instants on a coarse grid, so that
 * events share an instant with each other and with a query's bounds (where inclusive and exclusive
 * bounds part), each written as a vendor or a caller may write it (VENDORS.md "General rules":
 * "timestamps come with or without milliseconds, with or without a zone (a zone-less timestamp is UTC)").
 */
import fc from 'fast-check';

/** 2026-11-20T10:00:00Z: whole seconds, far from any day boundary in every offset used below. */
export const GRID_START = Date.UTC(2026, 10, 20, 10, 0, 0);

/** The ways a time is written: the zone and the precision vary, the instant does not. */
export type TimeForm = 'millis' | 'seconds' | 'zoneless' | 'plus' | 'minus';
export const TIME_FORMS: readonly TimeForm[] = ['millis', 'seconds', 'zoneless', 'plus', 'minus'];

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** `ms` as RFC 3339 in `form`; `seconds` and `zoneless` drop milliseconds, so use them on whole seconds. */
export function writeTime(ms: number, form: TimeForm): string {
  const offsetMinutes = form === 'plus' ? 5 * 60 + 30 : form === 'minus' ? -3 * 60 : 0;
  const local = new Date(ms + offsetMinutes * 60_000);
  const date = `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
  const clock = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`;
  const millis = `.${pad(local.getUTCMilliseconds(), 3)}`;
  if (form === 'millis') return `${date}T${clock}${millis}Z`;
  if (form === 'seconds') return `${date}T${clock}Z`;
  if (form === 'zoneless') return `${date}T${clock}`;
  return `${date}T${clock}${millis}${form === 'plus' ? '+05:30' : '-03:00'}`;
}

/** A form that writes `ms` exactly: one with milliseconds unless `ms` is a whole second. */
export function exactForms(ms: number): readonly TimeForm[] {
  return ms % 1000 === 0 ? TIME_FORMS : ['millis', 'plus', 'minus'];
}

/** A query bound for instant `ms`, as a caller writes it: a `Date` or a string in any exact form. */
export function boundOf(ms: number): fc.Arbitrary<Date | string> {
  return fc.oneof(fc.constant(new Date(ms)), fc.constantFrom(...exactForms(ms)).map((form) => writeTime(ms, form)));
}

/** A query bound as the caller writes it, and the instant it names (a fraction of a millisecond included). */
export interface Bound {
  value: Date | string;
  at: number;
}

/**
 * A bound at `ms`, or half a millisecond either side of it written with microseconds (as
 * `RFC3339Nano` and `isoformat()` write times): events carry milliseconds at most, so a bound between
 * two milliseconds is where an inclusive bound rounded the wrong way takes or leaves an event.
 */
export function boundNear(ms: number): fc.Arbitrary<Bound> {
  const exact = boundOf(ms).map((value) => ({ value, at: ms }));
  const micros = (base: number, at: number) =>
    fc.constantFrom<TimeForm>('millis', 'plus', 'minus').map((form) => ({ value: writeTime(base, form).replace(/(\.\d{3})/, '$1500'), at }));
  return fc.oneof(exact, micros(ms, ms + 0.5), micros(ms - 1, ms - 0.5));
}

/**
 * Scenario `s` with the bounds of a window between two slots `step` ms apart from `GRID_START`, the
 * earlier as `since`; an absent slot leaves its bound out.
 */
export function withWindow<S>(s: S, slots: readonly [number | null, number | null], step: number) {
  const [a, b] = slots;
  const [lo, hi] = a !== null && b !== null && b < a ? [b, a] : [a, b];
  const near = (slot: number | null): fc.Arbitrary<Bound | undefined> => (slot === null ? fc.constant(undefined) : boundNear(GRID_START + slot * step));
  return fc.record({ s: fc.constant(s), since: near(lo), until: near(hi) });
}

/** The two bounds of a window, the earlier first: bounds drawn near the same instant can cross. */
export function inOrder<T extends Bound | undefined>(since: T, until: T): [T, T] {
  return since !== undefined && until !== undefined && until.at < since.at ? [until, since] : [since, until];
}

/** Drops later repeats of a key, keeping the first: the stream as a consumer deduplicating on it sees it. */
export function firstOf<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
