/**
 * Values for option fuzzing: junk of every JavaScript kind (wrong types, numbers at and past every
 * edge, blank strings, invalid dates and dates RFC 3339 cannot write), the good values of the shapes
 * options share (times, integers within bounds, names), and the oracles that say whether a value of the
 * junk is one an option takes after all.
 */
import fc from 'fast-check';

/** A member left out, as opposed to one given as `undefined` (exactOptionalPropertyTypes tells them apart). */
export const MISSING: unique symbol = Symbol('missing');

const edgeNumbers = [
  NaN,
  Infinity,
  -Infinity,
  0,
  -0,
  -1,
  0.5,
  1.5,
  -0.5,
  1e21,
  2 ** 31,
  2 ** 31 - 1,
  2 ** 53,
  Number.MAX_SAFE_INTEGER + 2,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  Number.EPSILON,
];

/** A class of options, as a caller might write one: an instance is not a plain object of options. */
class Settings {
  retries = 1;
}

/** Objects that are not plain ones: no members of their own for options to read. */
export const notPlainObjects: readonly object[] = [new Map(), /regex/, new Date(0), new Settings()];

/** Values of every kind, at and past every edge, none of them a realistic good value but by chance. */
export const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    null,
    true,
    false,
    '',
    ' ',
    '\t\n',
    '\u00a0',
    'x',
    '0',
    '-1',
    '1e3',
    'NaN',
    'true',
    'undefined',
    [],
    [1],
    [''],
    {},
    { valueOf: () => 5 },
    () => 1,
    Symbol('junk'),
    10n,
    new Date(NaN),
    new Date(Date.UTC(10000, 0, 1)),
    new Date(8.64e15),
    new Date(-8.64e15),
    new Date(Date.UTC(-1, 11, 31, 23, 59, 59)),
    ...notPlainObjects,
    Object.create(null) as unknown,
  ),
  fc.constantFrom<unknown>(...edgeNumbers),
  fc.integer({ min: -1_000, max: 1_000 }),
  fc.double({ noDefaultInfinity: false }),
  fc.string({ maxLength: 12 }),
);

/** A time a query takes: a `Date` or one of the RFC 3339 forms the README lists, between 1970 and 2100. */
export const goodTime: fc.Arbitrary<Date | string> = fc
  .tuple(fc.integer({ min: 0, max: Date.parse('2100-01-01T00:00:00Z') }), fc.integer({ min: 0, max: 5 }))
  .map(([ms, form]) => {
    const iso = new Date(ms).toISOString();
    switch (form) {
      case 0:
        return new Date(ms);
      case 1:
        return iso;
      case 2:
        return iso.slice(0, 10);
      case 3:
        return `${iso.slice(0, 19)}Z`;
      case 4:
        return iso.slice(0, 19);
      default:
        return `${iso.slice(0, 10)} ${iso.slice(11, 19)}+00:00`;
    }
  });

/** Strings and Dates no query takes as a time. */
export const badTime: fc.Arbitrary<unknown> = fc.constantFrom<unknown>(
  'yesterday',
  'now',
  '2026-02-30',
  '2026-13-01',
  '2026-11-01T25:00:00Z',
  '2026-11-01T10:00:00+24:00',
  '1730000000',
  '',
  '   ',
  '0000-01-01T00:00:00+01:00',
  '+010000-01-01T00:00:00Z',
  new Date(NaN),
  new Date(Date.UTC(10000, 0, 1)),
  new Date(8.64e15),
  new Date(-8.64e15),
  new Date(Date.UTC(-1, 11, 31)),
  1_730_000_000_000,
);

/** Whether a junk value is a time a query takes: a valid `Date` that RFC 3339 can write. */
export function isTime(value: unknown): boolean {
  if (!(value instanceof Date)) return false;
  const year = value.getUTCFullYear();
  return !Number.isNaN(value.getTime()) && year >= 0 && year <= 9999;
}

/** The epoch milliseconds of a good time. */
export function epochOf(value: Date | string): number {
  if (value instanceof Date) return value.getTime();
  const text = value.length === 10 ? `${value}T00:00:00Z` : /[zZ]|[+-]\d\d:\d\d$/.test(value) ? value : `${value}Z`;
  return Date.parse(text.replace(' ', 'T'));
}

export const isInteger = (value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): boolean =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;

/** An integer within `[min, max]`, its edges often. */
export const intIn = (min: number, max: number): fc.Arbitrary<number> =>
  fc.oneof(fc.constantFrom(min, max), fc.integer({ min, max }));

/** A non-blank string of printable ASCII, without white space, that is not `.` or `..`. */
export const word: fc.Arbitrary<string> = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,15}$/);

