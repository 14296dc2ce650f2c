import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shiftTime, toRfc3339Millis } from '../../src/core/time.js';

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
});
