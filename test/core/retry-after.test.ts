import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../src/core/retry-after.js';

const now = Date.UTC(2026, 10, 23, 10, 0, 0);

describe('parseRetryAfter', () => {
  it('reads delay-seconds', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': '120' }), now)).toBe(120_000);
    expect(parseRetryAfter(new Headers({ 'retry-after': ' 0 ' }), now)).toBe(0);
    expect(parseRetryAfter(new Headers({ 'retry-after': '1.5' }), now)).toBe(1500);
  });

  it('reads an HTTP date against the response Date header', () => {
    const headers = new Headers({
      'retry-after': 'Mon, 23 Nov 2026 10:00:30 GMT',
      date: 'Mon, 23 Nov 2026 10:00:10 GMT',
    });
    expect(parseRetryAfter(headers, now + 3_600_000)).toBe(20_000);
  });

  it('reads an HTTP date against now when there is no Date header', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Mon, 23 Nov 2026 10:00:30 GMT' }), now)).toBe(30_000);
  });

  it('treats a past date as no wait and ignores garbage', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Mon, 23 Nov 2026 09:00:00 GMT' }), now)).toBe(0);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(parseRetryAfter(new Headers({ 'retry-after': '-5' }), now)).toBeUndefined();
    expect(parseRetryAfter(new Headers(), now)).toBeUndefined();
  });

  it('reads the asctime form as GMT, whatever the local time zone', () => {
    // `Date.parse` reads a zone-less date in local time: 5 hours off in New York.
    const zone = process.env.TZ;
    try {
      for (const tz of ['America/New_York', 'Asia/Kolkata', 'UTC']) {
        process.env.TZ = tz;
        const headers = new Headers({ 'retry-after': 'Mon Nov 23 10:00:03 2026', date: 'Mon, 23 Nov 2026 10:00:00 GMT' });
        expect(parseRetryAfter(headers, now)).toBe(3000);
        expect(parseRetryAfter(new Headers({ 'retry-after': 'Mon Nov  3 10:00:03 2026' }), Date.UTC(2026, 10, 3, 10, 0, 0))).toBe(3000);
        expect(parseRetryAfter(new Headers({ 'retry-after': 'Mon, 23 Nov 2026 10:00:30' }), now)).toBeUndefined();
      }
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it('reads the RFC 850 form and a date with an offset', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Monday, 23-Nov-26 10:00:30 GMT' }), now)).toBe(30_000);
    expect(parseRetryAfter(new Headers({ 'retry-after': '2026-11-23T11:00:30+01:00' }), now)).toBe(30_000);
  });

  it('takes the longest of a header sent twice', () => {
    // fetch joins two headers of one name with a comma.
    expect(parseRetryAfter(new Headers([['retry-after', '2'], ['retry-after', '5']]), now)).toBe(5000);
    expect(parseRetryAfter(new Headers({ 'retry-after': '2, 2' }), now)).toBe(2000);
    // A date has a comma of its own.
    const dates = new Headers([['retry-after', 'Mon, 23 Nov 2026 10:00:30 GMT'], ['retry-after', 'Mon, 23 Nov 2026 10:00:40 GMT']]);
    expect(parseRetryAfter(dates, now)).toBe(40_000);
    expect(parseRetryAfter(new Headers({ 'retry-after': '5, Mon, 23 Nov 2026 10:00:30 GMT' }), now)).toBe(30_000);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Mon Nov 23 10:00:30 2026, 50' }), now)).toBe(50_000);
  });

  it('refuses an asctime date whose fields are out of range, rather than rolling it over', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Mon Nov 23 25:00:30 2026' }), now)).toBeUndefined();
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Mon Feb 30 10:00:30 2026' }), now)).toBeUndefined();
    // Each field at the first value past its range, where `Date.UTC` would roll over into the next unit.
    for (const value of ['Mon Nov 23 24:00:30 2026', 'Mon Nov 23 10:60:30 2026', 'Mon Nov 23 10:00:60 2026']) {
      expect(parseRetryAfter(new Headers({ 'retry-after': value }), now), value).toBeUndefined();
    }
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Mon Nov 23 23:59:59 2026' }), now)).toBe(50_399_000);
  });

  it('refuses an asctime date whose month is no month, rather than reading it as the December before', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Mon Xyz 23 10:00:30 2026' }), now)).toBeUndefined();
  });

  it('rounds decimal seconds up to the next millisecond, so a wait asked for is never cut short', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': '1.0001' }), now)).toBe(1001);
    expect(parseRetryAfter(new Headers({ 'retry-after': '0.0001' }), now)).toBe(1);
  });

  it('refuses an IMF-fixdate or RFC 850 date whose fields are out of range, as the asctime form', () => {
    // Date.parse rolls 31 February over into 3 March and 24:00 into the next day: a date in the past
    // (no wait) or a day off, where the server sent no readable wait at all.
    for (const value of [
      'Tue, 31 Feb 2026 10:00:00 GMT',
      'Mon, 31 Nov 2026 10:00:30 GMT',
      'Mon, 23 Nov 2026 24:00:30 GMT',
      'Mon, 23 Nov 2026 10:60:30 GMT',
      'Monday, 31-Nov-26 10:00:30 GMT',
    ]) {
      expect(parseRetryAfter(new Headers({ 'retry-after': value }), now), value).toBeUndefined();
    }
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Mon, 30 Nov 2026 10:00:00 GMT' }), now)).toBe(7 * 86_400_000);
  });

  it('reads delay-seconds too long for a number as the longest wait a time can hold, never Infinity', () => {
    // Number() of 309 digits is Infinity, which an error's retryAfterMs carried into JSON as null.
    const wait = parseRetryAfter(new Headers({ 'retry-after': '9'.repeat(400) }), now);
    expect(wait).toBe(8.64e15);
    expect(parseRetryAfter(new Headers({ 'retry-after': '1e400' }), now)).toBeUndefined();
  });
});
