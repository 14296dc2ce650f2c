/**
 * A `Date` made in another realm (a `vm` context, a test environment's global) is a `Date` all the
 * same: as a query bound it names its instant, as in a query's fingerprint and an option's message.
 */
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { show, timeWindow, toTimeParam } from '../../src/core/config.js';
import { canonicalJson } from '../../src/core/cursor.js';
import { toRfc3339Millis } from '../../src/core/time.js';
import { illumio } from '../../src/providers/illumio/index.js';
import { illumioEmulator, DEFAULT_ILLUMIO_CREDENTIAL } from '../../src/providers/illumio/emulator.js';

const AT = '2026-11-23T10:00:00.250Z';
const foreign = (iso: string): Date => runInNewContext(`new Date(${JSON.stringify(iso)})`) as Date;

describe('a Date of another realm', () => {
  it('is read as the instant it holds', () => {
    expect(foreign(AT) instanceof Date).toBe(false);
    expect(toTimeParam(foreign(AT), 'since').toISOString()).toBe(AT);
    expect(toRfc3339Millis(foreign(AT))).toBe(AT);
    expect(timeWindow(foreign(AT), foreign('2026-11-23T11:00:00Z'), 'inclusive').until?.toISOString()).toBe('2026-11-23T11:00:00.000Z');
    expect(canonicalJson({ since: foreign(AT) })).toBe(canonicalJson({ since: new Date(AT) }));
    expect(show(foreign(AT))).toBe(AT);
  });

  it('is refused as a Date when invalid or out of range', () => {
    expect(() => toTimeParam(foreign('nope'), 'since')).toThrow('is an invalid Date');
    expect(() => toTimeParam(runInNewContext('new Date(253402300800000)') as Date, 'until')).toThrow('must be within the years 0000 to 9999');
  });

  it('bounds a listing as a Date of this realm does', async () => {
    const emulator = illumioEmulator.create({ seed: 2, events: 40, rateLimit: false });
    const pce = illumio({ baseUrl: 'https://pce.example.com:8443', orgId: 1, ...DEFAULT_ILLUMIO_CREDENTIAL, fetch: emulator.fetch, rateLimit: false });
    const times = emulator.store.events.map((event) => Date.parse(event.timestamp)).sort((a, b) => a - b);
    const middle = new Date(times[20] as number).toISOString();
    const ids = async (since: Date) => (await pce.events.list({ since }).toArray()).map((event) => event.id);
    expect(await ids(foreign(middle))).toEqual(await ids(new Date(middle)));
  });
});
