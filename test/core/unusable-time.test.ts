import { describe, expect, it } from 'vitest';
import { isResponseValidationError } from '../../src/core/errors.js';
import { unusableTime } from '../../src/core/unusable-time.js';

describe('unusableTime', () => {
  it('names the vendor, the event, the field and the value, and keeps the raw event', () => {
    const raw = { href: '/orgs/1/events/abc', timestamp: 'yesterday' };
    const error = unusableTime('illumio', 'events.list', raw.href, 'timestamp', raw.timestamp, raw);
    expect(isResponseValidationError(error)).toBe(true);
    expect(error.message).toBe('illumio event /orgs/1/events/abc has an unusable timestamp: "yesterday"');
    expect(error.issues).toEqual(['timestamp: not a date and time ("yesterday")']);
    expect(error).toMatchObject({ provider: 'illumio', operation: 'events.list' });
    expect(error.raw).toBe(raw);
  });

  it('names an event known only by its place in the page by that place, its issue within the raw event, and shows a missing value', () => {
    const error = unusableTime('fujitsu', 'events.list', 3, 'date', undefined, {});
    expect(error.message).toBe('fujitsu event at events[3] of its page has an unusable date: undefined');
    // `raw` is the event, not the page: a path into the page would not resolve in it.
    expect(error.issues).toEqual(['date: not a date and time (undefined)']);
  });
});
