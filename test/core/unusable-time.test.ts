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

  it('points into the page for an event known only by its place, and shows a missing value', () => {
    const error = unusableTime('fujitsu', 'events.list', 3, 'date', undefined, {});
    expect(error.message).toBe('fujitsu event 3 has an unusable date: undefined');
    expect(error.issues).toEqual(['events[3].date: not a date and time (undefined)']);
  });
});
