/**
 * Every time the SDK reads (a query bound, a vendor's time, an HTTP date) names the same instant
 * whatever the zone of the machine: `Date.parse` reads `2026-11-23T10:00:00` in local time, and a
 * machine in UTC (CI) never shows that. Held in zones whose offsets are not whole hours, at both ends
 * of the clock and across their DST changes (Lord Howe moves by half an hour), each against instants
 * written out in UTC.
 */
import { describe, expect, it } from 'vitest';
import { toTimeParam } from '../../src/core/config.js';
import { parseHttpDate } from '../../src/core/retry-after.js';
import { canonicalEpoch, shiftTime, toRfc3339Millis } from '../../src/core/time.js';
import { instantMs, isoTime } from '../../src/testing/query.js';
import { inTimeZone } from '../testing/time-zone.js';

const ZONES = ['Pacific/Chatham', 'Asia/Kathmandu', 'America/St_Johns', 'Australia/Lord_Howe', 'Pacific/Kiritimati', 'Pacific/Niue'];

/** As written, and the instant it names. Local DST changes of the zones above: Chatham, Lord Howe, St John's. */
const TIMES: Array<[string, string]> = [
  ['2026-11-01', '2026-11-01T00:00:00.000Z'],
  ['2026-11-01T10:00', '2026-11-01T10:00:00.000Z'],
  ['2026-11-01T10:00:00', '2026-11-01T10:00:00.000Z'],
  ['2026-11-01 10:00:00.25', '2026-11-01T10:00:00.250Z'],
  ['2026-04-05T02:15:00', '2026-04-05T02:15:00.000Z'],
  ['2026-09-27T02:45:00', '2026-09-27T02:45:00.000Z'],
  ['2026-10-04T02:15:00', '2026-10-04T02:15:00.000Z'],
  ['2026-03-08T02:30:00', '2026-03-08T02:30:00.000Z'],
  ['2026-11-01T10:00:00+05:45', '2026-11-01T04:15:00.000Z'],
  ['2026-11-01T10:00:00-0330', '2026-11-01T13:30:00.000Z'],
  ['0099-02-28T23:00:00', '0099-02-28T23:00:00.000Z'],
];

describe.each(ZONES)('times read in %s', (zone) => {
  it('name the instant written in UTC: query bounds, vendor times, shifts', async () => {
    await inTimeZone(zone, () => {
      for (const [text, utc] of TIMES) {
        expect(toRfc3339Millis(text)).toBe(utc);
        expect(toTimeParam(text, 'since').toISOString()).toBe(utc);
        expect(canonicalEpoch(utc)).toBe(Date.parse(utc));
        expect(shiftTime(utc, 1)).toBe(new Date(Date.parse(utc) + 1).toISOString());
      }
      // A leap second is the instant after it.
      expect(toTimeParam('2016-12-31T23:59:60', 'until').toISOString()).toBe('2017-01-01T00:00:00.000Z');
    });
  });

  it('name the instant written in UTC: HTTP dates and the emulators’ query times', async () => {
    await inTimeZone(zone, () => {
      const at = Date.UTC(2026, 10, 23, 10, 0, 3);
      for (const date of ['Mon, 23 Nov 2026 10:00:03 GMT', 'Monday, 23-Nov-26 10:00:03 GMT', 'Mon Nov 23 10:00:03 2026']) {
        expect(parseHttpDate(date)).toBe(at);
      }
      // A date without its zone is not read as the host's.
      expect(parseHttpDate('Mon, 23 Nov 2026 10:00:03')).toBeUndefined();
      expect(isoTime('2026-11-23T10:00:03')).toBe(at);
      expect(isoTime('2026-11-23 10:00:03')).toBe(at);
      expect(isoTime('2026-11-23')).toBe(Date.UTC(2026, 10, 23));
      expect(instantMs('2026-11-23T10:00:03', 'at')).toBe(at);
    });
  });
});
