import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalEpoch, shiftTime, toRfc3339Millis } from '../../src/core/time.js';

describe('toRfc3339Millis', () => {
  const table: Array<[string | number | Date, string | undefined]> = [
    ['2026-11-23T10:00:00.000Z', '2026-11-23T10:00:00.000Z'],
    ['2026-11-23T10:00:00Z', '2026-11-23T10:00:00.000Z'],
    ['2026-11-23T10:00:00.5Z', '2026-11-23T10:00:00.500Z'],
    ['2026-11-23T10:00:00.123456789Z', '2026-11-23T10:00:00.123Z'],
    ['2026-11-23T10:00:00.999999Z', '2026-11-23T10:00:00.999Z'],
    ['2026-11-23t10:00:00z', '2026-11-23T10:00:00.000Z'],
    ['2026-11-23 10:00:00', '2026-11-23T10:00:00.000Z'],
    // FUJITSU: zone-less (UTC) and minute precision.
    ['2013-03-18T19:09:17', '2013-03-18T19:09:17.000Z'],
    ['2009-07-08T18:00Z', '2009-07-08T18:00:00.000Z'],
    // Offsets, with and without a colon (Java's `Z` pattern writes `+0100`), and hours only.
    ['2026-11-23T11:00:00+01:00', '2026-11-23T10:00:00.000Z'],
    ['2026-11-23T11:00:00.250+0100', '2026-11-23T10:00:00.250Z'],
    ['2026-11-23T05:30:00-04:30', '2026-11-23T10:00:00.000Z'],
    ['2026-11-23T10:00:00+00:00', '2026-11-23T10:00:00.000Z'],
    ['2026-01-01T00:30:00+01', '2025-12-31T23:30:00.000Z'],
    ['2026-11-23T10:00:00,5Z', '2026-11-23T10:00:00.500Z'],
    // Informatica `yyyy-MM-ddTHH:mm:ss.SSSZ`.
    ['2023-05-01T10:00:00.000+0000', '2023-05-01T10:00:00.000Z'],
    // Date-only query values.
    ['2026-11-01', '2026-11-01T00:00:00.000Z'],
    ['2024-02-29T12:00:00Z', '2024-02-29T12:00:00.000Z'],
    ['2016-12-31T23:59:60Z', '2017-01-01T00:00:00.000Z'],
    [0, '1970-01-01T00:00:00.000Z'],
    [1_795_428_000_123, '2026-11-23T10:00:00.123Z'],
    [new Date('2026-11-23T10:00:00.000Z'), '2026-11-23T10:00:00.000Z'],
    // Read by position: FUJITSU's zone-less seconds, with `Z`, with `.SSS`, with both; month lengths.
    ['2013-03-18T19:09:17.250', '2013-03-18T19:09:17.250Z'],
    ['2024-02-29T23:59:59', '2024-02-29T23:59:59.000Z'],
    ['2026-04-30T00:00:00Z', '2026-04-30T00:00:00.000Z'],
    ['2026-12-31T23:59:59.999Z', '2026-12-31T23:59:59.999Z'],
    ['2026-01-31T00:00:00.000', '2026-01-31T00:00:00.000Z'],
    ['0000-01-01T00:00:00', '0000-01-01T00:00:00.000Z'],
    // Near those shapes, left to the full parser.
    ['2026-11-23T10:00:00.123z', '2026-11-23T10:00:00.123Z'],
    ['2026-11-23T10:00:00.1234', '2026-11-23T10:00:00.123Z'],
    ['2026-11-23T10:00:00.12', '2026-11-23T10:00:00.120Z'],
    ['2016-12-31T23:59:60', '2017-01-01T00:00:00.000Z'],
    ['2026-11-23T10:00:00,123', '2026-11-23T10:00:00.123Z'],
    ['2026-11-23T10:00:00.123+00', '2026-11-23T10:00:00.123Z'],
    ['2026-11-23T10:00:00-00:00', '2026-11-23T10:00:00.000Z'],
    // UTC written as a zero offset, fractions of any length, read by position too.
    ['2026-11-23T10:00:00.123+00:00', '2026-11-23T10:00:00.123Z'],
    ['2026-11-23T10:00:00.1+0000', '2026-11-23T10:00:00.100Z'],
    ['2026-11-23T10:00:00.123456789', '2026-11-23T10:00:00.123Z'],
    ['2026-11-23T10:00:00.1234Z', '2026-11-23T10:00:00.123Z'],
    ['2024-02-29T10:00:00.12+00:00', '2024-02-29T10:00:00.120Z'],
    ['2026-02-29T10:00:00+00:00', undefined],
    ['2026-06-31T10:00:00.5', undefined],
    ['2026-11-23T10:00:00+00:0', undefined],
    ['2026-11-23T10:00:00.123+00:00Z', undefined],
    // Out of range or malformed in those shapes.
    ['2026-04-31T00:00:00.000Z', undefined],
    ['2023-02-29T00:00:00', undefined],
    ['1900-02-29T00:00:00Z', undefined],
    ['2026-00-10T00:00:00', undefined],
    ['2026-11-00T00:00:00Z', undefined],
    ['2026-11-23T24:00:00.000', undefined],
    ['2026-11-23T10:61:00', undefined],
    ['2026-11-23T1a:00:00', undefined],
    ['2026-11-23T10:00:00.12a', undefined],
    ['2026-11-23T10:00:00.123+', undefined],
    ['2026/11/23T10:00:00', undefined],
    ['2026-11-23T10:00:00Q', undefined],
    // At the edges: the 400-year leap rule, offsets, leap seconds, years before 100 and 0000.
    ['2000-02-29T00:00:00Z', '2000-02-29T00:00:00.000Z'],
    ['2000-02-29T01:00:00+01:00', '2000-02-29T00:00:00.000Z'],
    ['2026-11-23T10:00:00+23:59', '2026-11-22T10:01:00.000Z'],
    ['2026-11-23T10:00:00+24:00', undefined],
    ['2026-11-23T10:00:00+01:60', undefined],
    ['2016-12-31T23:59:60.25Z', '2017-01-01T00:00:00.250Z'],
    ['2016-12-31T23:59:61Z', undefined],
    ['0050-06-01T10:00:00+01:00', '0050-06-01T09:00:00.000Z'],
    ['0099-06-01T10:00:00+01:00', '0099-06-01T09:00:00.000Z'],
    ['0000-01-01T01:00:00+01:00', '0000-01-01T00:00:00.000Z'],
    ['0000-01-01T00:30:00+01:00', undefined],
    // Years 0 to 99 whose February 29th the year 1900 + year lacks (Date.UTC reads them so).
    ['0000-02-29T00:00:00+01:00', '0000-02-28T23:00:00.000Z'],
    ['0000-02-29T12:00:00-01:00', '0000-02-29T13:00:00.000Z'],
    ['0000-02-28T23:59:60Z', '0000-02-29T00:00:00.000Z'],
    ['0000-03-01T00:30:00+01:00', '0000-02-29T23:30:00.000Z'],
    [-62_167_219_200_000, '0000-01-01T00:00:00.000Z'],
    [-62_167_219_200_001, undefined],
    ['9999-12-31T23:59:59.999-00:01', undefined],
    // White space around the time, and before its zone (Java's `yyyy-MM-dd HH:mm:ss Z`).
    [' 2026-11-23T11:00:00+01:00\n', '2026-11-23T10:00:00.000Z'],
    ['2026-11-23 11:00:00 +0100', '2026-11-23T10:00:00.000Z'],
    // Unreadable.
    ['', undefined],
    ['yesterday', undefined],
    ['2026-13-01T00:00:00Z', undefined],
    ['2026-02-30T00:00:00Z', undefined],
    ['2023-02-29T00:00:00Z', undefined],
    ['2026-11-23T24:00:00Z', undefined],
    ['2026-11-23T10:60:00Z', undefined],
    ['2026-11-23T10:00:00+25:00', undefined],
    ['2026-11-23T10:00:00.Z', undefined],
    ['1795428000', undefined],
    [Number.NaN, undefined],
    [Number.POSITIVE_INFINITY, undefined],
    [8.64e15 + 1, undefined],
    [new Date('nope'), undefined],
  ];
  it.each(table)('%s → %s', (input, expected) => {
    expect(toRfc3339Millis(input)).toBe(expected);
  });

  it('returns a canonical string itself (fast path)', () => {
    const value = '2026-11-23T10:00:00.000Z';
    expect(toRfc3339Millis(value)).toBe(value);
  });

  it('reads a canonical time as itself and anything else as a different, canonical string (property)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }), (date) => {
        const canonical = date.toISOString();
        expect(toRfc3339Millis(canonical)).toBe(canonical);
        expect(toRfc3339Millis(canonical.slice(0, 23))).toBe(canonical);
        expect(toRfc3339Millis(`${canonical.slice(0, 23)}+00:00`)).toBe(canonical);
      }),
    );
  });

  it('reads the four common UTC shapes without building a Date', () => {
    const RealDate = globalThis.Date;
    let uses = 0;
    globalThis.Date = new Proxy(RealDate, {
      construct: (target, args) => {
        uses++;
        return Reflect.construct(target, args) as object;
      },
      get: (target, key, receiver) => {
        if (key === 'UTC' || key === 'parse') uses++;
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    const read: Array<string | undefined> = [];
    try {
      for (const value of [
        '2013-03-18T19:09:17',
        '2026-11-23T10:00:00Z',
        '2026-11-23T10:00:00.123',
        '2024-02-29T10:00:00.123Z',
        '2026-11-23T10:00:00.123456Z',
        '2026-11-23T10:00:00+00:00',
        '2026-11-23T10:00:00.5+0000',
      ]) {
        read.push(toRfc3339Millis(value));
      }
    } finally {
      globalThis.Date = RealDate;
    }
    expect(read).toEqual([
      '2013-03-18T19:09:17.000Z',
      '2026-11-23T10:00:00.000Z',
      '2026-11-23T10:00:00.123Z',
      '2024-02-29T10:00:00.123Z',
      '2026-11-23T10:00:00.123Z',
      '2026-11-23T10:00:00.000Z',
      '2026-11-23T10:00:00.500Z',
    ]);
    expect(uses).toBe(0);
  });

  it('reads the fixed-position shapes as a calendar does, with any field out of range (property)', () => {
    const two = (n: number) => String(n).padStart(2, '0');
    fc.assert(
      fc.property(
        fc.record({
          year: fc.integer({ min: 0, max: 9999 }),
          month: fc.integer({ min: 0, max: 13 }),
          day: fc.integer({ min: 0, max: 32 }),
          hour: fc.integer({ min: 0, max: 24 }),
          minute: fc.integer({ min: 0, max: 60 }),
          second: fc.integer({ min: 0, max: 59 }),
          fraction: fc.option(fc.stringMatching(/^\d{1,9}$/)),
          zone: fc.constantFrom('', 'Z', '+00:00', '+0000'),
        }),
        ({ year, month, day, hour, minute, second, fraction: digits, zone }) => {
          const fraction = digits === null ? '' : `.${`${digits}00`.slice(0, 3)}`;
          const local = `${String(year).padStart(4, '0')}-${two(month)}-${two(day)}T${two(hour)}:${two(minute)}:${two(second)}`;
          // The calendar's answer: a day that exists, a time of day that exists.
          const probe = new Date(Date.UTC(2000, month - 1, day));
          probe.setUTCFullYear(year);
          const valid = month >= 1 && month <= 12 && probe.getUTCDate() === day && hour <= 23 && minute <= 59;
          const expected = valid ? `${local}${fraction === '' ? '.000' : fraction}Z` : undefined;
          expect(toRfc3339Millis(`${local}${digits === null ? '' : `.${digits}`}${zone}`)).toBe(expected);
        },
      ),
    );
  });

  it('agrees with Date for any instant, in any offset and fraction length (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1971-01-01T00:00:00Z'), max: new Date('2999-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: -14 * 60, max: 14 * 60 }),
        fc.integer({ min: 0, max: 9 }),
        (date, offsetMinutes, digits) => {
          const local = new Date(date.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 19);
          const fraction = digits === 0 ? '' : `.${String(date.getUTCMilliseconds()).padStart(3, '0')}${'7'.repeat(Math.max(0, digits - 3))}`.slice(0, digits + 1);
          const sign = offsetMinutes < 0 ? '-' : '+';
          const abs = Math.abs(offsetMinutes);
          const zone = offsetMinutes === 0 ? 'Z' : `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
          const ms = digits === 0 ? 0 : Number(`${fraction.slice(1)}00`.slice(0, 3));
          const expected = new Date(Date.parse(`${local}Z`) - offsetMinutes * 60_000 + ms).toISOString();
          expect(toRfc3339Millis(`${local}${fraction}${zone}`)).toBe(expected);
        },
      ),
    );
  });
});

describe('shiftTime', () => {
  it('moves a canonical time and stays canonical', () => {
    expect(shiftTime('2026-12-31T23:59:59.500Z', 1000)).toBe('2027-01-01T00:00:00.500Z');
    expect(shiftTime('2026-11-23T10:00:00.000Z', -1)).toBe('2026-11-23T09:59:59.999Z');
  });

  it('refuses to move a time past the years RFC 3339 writes', () => {
    expect(shiftTime('9999-12-31T23:59:59.998Z', 1)).toBe('9999-12-31T23:59:59.999Z');
    expect(() => shiftTime('9999-12-31T23:59:59.999Z', 1)).toThrow(RangeError);
    expect(() => shiftTime('0000-01-01T00:00:00.000Z', -1)).toThrow(RangeError);
  });
});

describe('canonicalEpoch', () => {
  it('reads a canonical time as Date.parse does, for every year RFC 3339 writes (property)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('0000-01-01T00:00:00.000Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }), (date) => {
        const time = toRfc3339Millis(date) as string;
        expect(canonicalEpoch(time)).toBe(Date.parse(time));
      }),
    );
    expect(canonicalEpoch('0042-03-04T05:06:07.089Z')).toBe(Date.parse('0042-03-04T05:06:07.089Z'));
    // A February 29th of a year before 100 that 1900 + year lacks.
    expect(canonicalEpoch('0000-02-29T12:00:00.000Z')).toBe(Date.parse('0000-02-29T12:00:00.000Z'));
    expect(canonicalEpoch('0000-03-01T00:00:00.000Z')).toBe(Date.parse('0000-03-01T00:00:00.000Z'));
    expect(canonicalEpoch('1970-01-01T00:00:01.000Z')).toBe(1000);
  });
});
