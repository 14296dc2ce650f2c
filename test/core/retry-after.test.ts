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
});
