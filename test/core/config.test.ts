import { describe, expect, it } from 'vitest';
import {
  checkMembers,
  describe as described,
  oneOf,
  optionalBoolean,
  optionalInteger,
  optionalString,
  queryObject,
  requireInteger,
  requireString,
  timeWindow,
  type SinceBound,
  toTimeParam,
  uuid,
} from '../../src/core/config.js';
import { ConfigurationError } from '../../src/core/errors.js';
import { OptionProblems } from '../../src/core/option-problems.js';

function configError(fn: () => unknown): ConfigurationError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError');
}

/** `queryObject` of `query` alone: its unknown keys are its only problems. */
function queryAlone(query: unknown, known: readonly string[]): Record<string, unknown> {
  const problems = new OptionProblems();
  const checked = queryObject(query, known, problems);
  problems.throwIfAny();
  return checked;
}

describe('option validators', () => {
  it('queryObject: an object of known keys, a missing query as none', () => {
    expect(queryAlone(undefined, ['since'])).toEqual({});
    const query = { since: '2026-11-01', later: undefined };
    expect(queryAlone(query, ['since'])).toBe(query);
    const typo = configError(() => queryAlone({ sinceID: 5 }, ['since', 'until']));
    expect(typo.option).toBe('sinceID');
    expect(typo.message).toMatch(/unknown query option; expected one of since, until/);
    expect(configError(() => queryAlone('since=1', ['since'])).message).toMatch(/`query`: expected an object, got a string/);
    expect(configError(() => queryAlone(null, ['since'])).option).toBe('query');
    // A cursor given with the query, as other SDKs take it, is pointed to where it goes.
    const cursor = configError(() => queryAlone({ since: '2026-11-01', cursor: 'eyJ2' }, ['since']));
    expect(cursor).toMatchObject({ option: 'cursor', reason: 'unknown' });
    expect(cursor.message).toMatch(/a cursor is not part of the query: resume with byPage\(\{ cursor \}\), watch's `cursor` or the CLI's --cursor/);
  });

  it('requireString / optionalString, without echoing the value', () => {
    expect(requireString('abc', 'apiKey')).toBe('abc');
    expect(optionalString(undefined, 'apiKey')).toBeUndefined();
    expect(configError(() => requireString('   ', 'apiKey')).option).toBe('apiKey');
    expect(configError(() => requireString(42, 'apiKey')).message).toMatch(/`apiKey`: expected a string, got number/);
    // An object is named by its kind, the slip a user makes (a Date where a type goes), and still not shown.
    expect(configError(() => requireString(new Date(0), 'type')).message).toMatch(/`type`: expected a string, got a Date$/);
    expect(configError(() => requireString(['policy.issue'], 'type')).message).toMatch(/`type`: expected a string, got an array$/);
    expect(configError(() => requireString({ name: 'x' }, 'type')).message).toMatch(/`type`: expected a string, got object$/);
    const secret = configError(() => optionalString('', 'apiSecret'));
    expect(secret.option).toBe('apiSecret');
  });

  it('requireInteger / optionalInteger with bounds', () => {
    expect(requireInteger(20, 'limit', 20, 100)).toBe(20);
    expect(requireInteger(100, 'limit', 20, 100)).toBe(100);
    expect(optionalInteger(undefined, 'limit', 20, 100)).toBeUndefined();
    expect(configError(() => requireInteger(19, 'limit', 20, 100)).message).toMatch(/between 20 and 100, got 19/);
    expect(configError(() => requireInteger(1.5, 'limit')).option).toBe('limit');
    expect(configError(() => optionalInteger('5', 'pageSize')).message).toMatch(/expected an integer, got "5"/);
  });

  it('oneOf, optionalBoolean, uuid', () => {
    expect(oneOf('COMPLETE', 'status', ['COMPLETE', 'ERROR'])).toBe('COMPLETE');
    expect(configError(() => oneOf('complete', 'status', ['COMPLETE', 'ERROR'])).message).toMatch(
      /expected one of "COMPLETE", "ERROR", got "complete"/,
    );
    expect(optionalBoolean(false, 'x')).toBe(false);
    expect(configError(() => optionalBoolean('true', 'x')).option).toBe('x');
    expect(uuid('0b0e5a4c-1f2d-4c3b-9a8e-7d6c5b4a3928', 'userLocator')).toBe('0b0e5a4c-1f2d-4c3b-9a8e-7d6c5b4a3928');
    expect(configError(() => uuid('0b0e5a4c', 'userLocator')).option).toBe('userLocator');
    // Any case, and nothing before or after it.
    expect(uuid('0B0E5A4C-1F2D-4C3B-9A8E-7D6C5B4A3928', 'userLocator')).toBe('0B0E5A4C-1F2D-4C3B-9A8E-7D6C5B4A3928');
    expect(configError(() => uuid('0b0e5a4c-1f2d-4c3b-9a8e-7d6c5b4a3928/x', 'userLocator')).option).toBe('userLocator');
    expect(configError(() => uuid('x0b0e5a4c-1f2d-4c3b-9a8e-7d6c5b4a3928', 'userLocator')).option).toBe('userLocator');
    // A long value is shown cut at 40 characters: enough to recognize, not a page of text in a log line.
    expect(configError(() => uuid(`${'a'.repeat(40)}${'b'.repeat(60)}`, 'userLocator')).message).toMatch(/got "a{40}…"$/);
  });

  it('toTimeParam accepts Dates and RFC 3339 / ISO 8601 strings; a zone-less time is UTC', () => {
    const d = new Date('2026-11-01T10:00:00.000Z');
    expect(toTimeParam(d, 'since')).toEqual(d);
    expect(toTimeParam(d, 'since')).not.toBe(d);
    expect(toTimeParam('2026-11-01', 'since').toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(toTimeParam('2026-11-01T10:00:00', 'since').toISOString()).toBe('2026-11-01T10:00:00.000Z');
    expect(toTimeParam('2026-11-01T10:00Z', 'since').toISOString()).toBe('2026-11-01T10:00:00.000Z');
    expect(toTimeParam('2026-11-01T12:00:00.123456+02:00', 'since').toISOString()).toBe('2026-11-01T10:00:00.123Z');
    expect(toTimeParam('2026-11-01 12:00:00+0200', 'since').toISOString()).toBe('2026-11-01T10:00:00.000Z');
    // As read from a file or a setting, with the white space around it.
    expect(toTimeParam(' 2026-11-01T10:00:00Z\n', 'since').toISOString()).toBe('2026-11-01T10:00:00.000Z');
  });

  it.each(['yesterday', '2026-02-30', '2026-13-01', '2026-11-01T25:00:00Z', '1730000000', ''])(
    'toTimeParam refuses %j',
    (value) => {
      expect(configError(() => toTimeParam(value, 'until')).option).toBe('until');
    },
  );

  // A string is read within these years only; such a Date was left out of Illumio's query (no lower
  // bound at all) and sent as `+010000-01-01T00:00:00.000Z` to the others.
  it.each([Date.UTC(10000, 0, 1), 8.64e15, -8.64e15, Date.UTC(-1, 11, 31, 23, 59, 59, 999)])('toTimeParam refuses a Date at %d, outside the years RFC 3339 writes', (ms) => {
    const error = configError(() => toTimeParam(new Date(ms), 'since'));
    expect(error.option).toBe('since');
    expect(error.message).toMatch(/0000 to 9999/);
  });

  it('toTimeParam takes the first and the last instants RFC 3339 writes', () => {
    for (const time of ['0000-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z']) {
      expect(toTimeParam(new Date(time), 'since').toISOString()).toBe(time);
    }
    // The last leap second RFC 3339 can write is read as the instant after it, in the year 10000.
    expect(configError(() => toTimeParam('9999-12-31T23:59:60Z', 'until')).message).toMatch(/`until`: must be within the years 0000 to 9999/);
  });

  it('checkMembers: a member it does not know is refused, unless it is given as undefined', () => {
    const rules = { retries: [(value: unknown) => typeof value === 'number', 'a number'] } as const;
    expect(configError(() => checkMembers({ retires: 2 }, 'retry.', rules, true))).toMatchObject({ option: 'retry.retires', reason: 'unknown' });
    expect(() => checkMembers({ retires: undefined, retries: 2 }, 'retry.', rules, true)).not.toThrow();
  });

  it('describe says what was given without echoing a string: its kind, a number or a boolean as it is', () => {
    expect(described(null)).toBe('null');
    expect(described([])).toBe('an array');
    expect(described(new Map())).toBe('a Map');
    expect(described([1].values())).toBe('an Array Iterator');
    expect(described(new Error('x'))).toBe('an Error');
    expect(described(new URL('https://x.example'))).toBe('a URL');
    expect(described(new (class Options {})())).toBe('an instance of a class');
    expect(described(0)).toBe('0');
    expect(described(true)).toBe('true');
    expect(described(' \n')).toBe('an empty string');
    expect(described('hunter2')).toBe('a string');
    expect(described(undefined)).toBe('undefined');
  });

  it('toTimeParam refuses an invalid Date and a non-string', () => {
    expect(configError(() => toTimeParam(new Date(Number.NaN), 'since')).message).toBe('Invalid option `since`: is an invalid Date');
    expect(configError(() => toTimeParam(1730000000 as unknown as string, 'since')).option).toBe('since');
  });

  it('timeWindow puts a leap second on the side of it each reading of since needs; until at its minute\'s last millisecond', () => {
    const window = (since: string | undefined, until: string | undefined, bound: SinceBound) => {
      const { since: from, until: to } = timeWindow(since, until, bound);
      return [from?.toISOString(), to?.toISOString()];
    };
    expect(toTimeParam('2016-12-31T23:59:60.5Z', 'since').toISOString()).toBe('2017-01-01T00:00:00.000Z');
    expect(window('2016-12-31T23:59:60.0005Z', '2016-12-31T23:59:60.5Z', 'exclusive')).toEqual(['2016-12-31T23:59:59.999Z', '2016-12-31T23:59:59.999Z']);
    // The white space around a bound, which toTimeParam reads past, hides no leap second.
    expect(window(' 2016-12-31T23:59:60Z\n', ' 2016-12-31T23:59:60.5Z ', 'exclusive')).toEqual(['2016-12-31T23:59:59.999Z', '2016-12-31T23:59:59.999Z']);
    for (const bound of ['inclusive', 'whole-seconds'] as const) {
      expect(window('2016-12-31T23:59:60.0005Z', undefined, bound)).toEqual(['2017-01-01T00:00:00.000Z', undefined]);
      // Within the leap second the window stays one instant rather than end before it starts.
      expect(window('2016-12-31T23:59:60Z', '2016-12-31T23:59:60.5Z', bound)).toEqual(['2017-01-01T00:00:00.000Z', '2017-01-01T00:00:00.000Z']);
    }
    expect(window('2016-12-31T23:59:59.999Z', '2016-12-31T23:59:60Z', 'inclusive')).toEqual(['2016-12-31T23:59:59.999Z', '2016-12-31T23:59:59.999Z']);
    expect(configError(() => timeWindow('2016-12-31T23:59:60Z', '2016-12-31T23:59:59.999Z', 'inclusive')).message).toMatch(/\("2016-12-31T23:59:60Z"\), got 2016-12-31T23:59:59\.999Z/);
    expect(configError(() => timeWindow('2017-01-01T00:00:00Z', '2016-12-31T23:59:60.999Z', 'inclusive')).option).toBe('until');
  });

  it('timeWindow takes an inclusive since finer than a millisecond up to the next one, and cuts the rest down', () => {
    // An event at 10:00:00.000 is before 10:00:00.000500: an inclusive bound of .000 listed it.
    const since = '2026-11-20T12:00:00.000500+02:00';
    expect(timeWindow(since, undefined, 'inclusive').since?.toISOString()).toBe('2026-11-20T10:00:00.001Z');
    expect(timeWindow(since, undefined, 'exclusive').since?.toISOString()).toBe('2026-11-20T10:00:00.000Z');
    expect(timeWindow(` ${since}\n`, undefined, 'inclusive').since?.toISOString()).toBe('2026-11-20T10:00:00.001Z');
    expect(timeWindow('2026-11-20T10:00:00.000500Z', '2026-11-20T10:00:00.999500Z', 'inclusive')).toEqual({
      since: new Date('2026-11-20T10:00:00.001Z'),
      until: new Date('2026-11-20T10:00:00.999Z'),
      empty: false,
    });
    // Whole milliseconds (a trailing zero included) and Dates are taken as they are.
    for (const exact of ['2026-11-20T10:00:00.123000Z', '2026-11-20T10:00:00.123Z', new Date('2026-11-20T10:00:00.123Z')]) {
      expect(timeWindow(exact, undefined, 'inclusive').since?.toISOString()).toBe('2026-11-20T10:00:00.123Z');
    }
    // Within one millisecond the window stays that millisecond rather than start after its end.
    expect(timeWindow('2026-11-20T10:00:00.000300Z', '2026-11-20T10:00:00.000700Z', 'inclusive').since?.toISOString()).toBe('2026-11-20T10:00:00.000Z');
    // Such a window holds no millisecond an event can carry where since is read at or after it.
    expect(timeWindow('2026-11-20T10:00:00.000300Z', '2026-11-20T10:00:00.000700Z', 'inclusive').empty).toBe(true);
    expect(timeWindow('2026-11-20T10:00:00.000300Z', '2026-11-20T10:00:00.001Z', 'inclusive').empty).toBe(false);
    expect(timeWindow('2026-11-20T10:00:00.000300Z', '2026-11-20T10:00:00.000700Z', 'whole-seconds').empty).toBe(false);
    expect(timeWindow('2026-11-20T10:00:00.000300Z', '2026-11-20T10:00:00.000700Z', 'exclusive').empty).toBe(false);
    expect(timeWindow('2026-11-20T10:00:00.000Z', '2026-11-20T10:00:00.000Z', 'inclusive').empty).toBe(false);
    for (const bound of ['inclusive', 'whole-seconds'] as const) {
      expect(timeWindow('2016-12-31T23:59:60.2Z', '2016-12-31T23:59:60.7Z', bound).empty).toBe(true);
      expect(timeWindow('2016-12-31T23:59:60.2Z', '2017-01-01T00:00:00Z', bound).empty).toBe(false);
    }
    // In the wrong order within one millisecond, in any reading of since, it is no window.
    for (const bound of ['inclusive', 'exclusive', 'whole-seconds'] as const) {
      expect(configError(() => timeWindow('2026-11-20T10:00:00.000700Z', '2026-11-20T10:00:00.0003Z', bound)).option).toBe('until');
      expect(timeWindow('2026-11-20T10:00:00.0007Z', '2026-11-20T10:00:00.000700000Z', bound).until?.toISOString()).toBe('2026-11-20T10:00:00.000Z');
    }
    // A leap second comes after every fraction of its minute's last millisecond.
    expect(timeWindow('2016-12-31T23:59:59.9996Z', '2016-12-31T23:59:60Z', 'exclusive').until?.toISOString()).toBe('2016-12-31T23:59:59.999Z');
    expect(configError(() => timeWindow('2016-12-31T23:59:60Z', '2016-12-31T23:59:59.9996Z', 'exclusive')).option).toBe('until');
  });
});
