/**
 * Every emulator refuses a bad value of each of its own options (an unknown enum value, a wrong type,
 * the integer just below its bound) with a `ConfigurationError` naming the option, and takes the
 * boundary value; an error about a credential never shows it.
 */
import { describe, expect, it } from 'vitest';
import { isConfigurationError, type ProviderName } from '../../src/core/errors.js';
import { createEmulator, DEFAULT_FUJITSU_USER, SOCOTRA_EMULATOR_TENANT } from '../../src/testing/index.js';

type Target = 'socotra' | 'tines' | 'fujitsu' | 'illumio' | 'informatica' | 'generic';
type Row = readonly [option: string, bad: readonly unknown[], good: readonly unknown[]];

const RATE_LIMIT: Row = [
  'rateLimit',
  [
    ...[true, 'fast', [], new Map()],
    ...[{ requests: 0, interval: 1 }, { requests: 1.5, interval: 1 }, { requests: 1, interval: 0 }, { requests: 1, interval: Infinity }],
    ...[{ requests: 1 }, { interval: 1 }],
  ],
  [false, { requests: 1, interval: 1 }, { requests: 2, interval: 0.5 }],
];

const ROWS: Readonly<Record<Target, readonly Row[]>> = {
  socotra: [
    ['tenantLocator', ['acme', 5, null], [SOCOTRA_EMULATOR_TENANT.toUpperCase()]],
    ['token', ['', 'has space', 5, null], ['t']],
    ['readOnlyToken', ['', 'a\tb', 5], ['r']],
    ['policies', [-1, 1.5, '3', Infinity, null], [0]],
    ['failedJobs', [-1, 0.5, '3'], [0]],
    ['start', ['soon', Number.NaN, Infinity, true], ['2026-12-01T00:00:00Z', '2026-12-01T00:00:00', 0]],
    RATE_LIMIT,
    ['errorFormat', ['xml', 'JSON', 1, null], ['text']],
    ['stuckToken', ['yes', 1, null], [false, true]],
  ],
  tines: [
    ['credentials', [{ key: 'a-long-key' }, [{ key: 'abc' }], [null], 'a-long-key'], [[{ key: 'abcd' }], []]],
    ['api', ['v2', 'Legacy', 1], ['legacy']],
    ['shape', ['xml', true], ['bare']],
    ['order', ['random'], ['oldest-first']],
    ['meta', ['lies'], ['disagree']],
    ['ignorePage', ['yes', 1], [true]],
    ['timeZones', ['local', 'UTC', 0], ['mixed']],
    RATE_LIMIT,
  ],
  fujitsu: [
    ['users', [DEFAULT_FUJITSU_USER, [{ ...DEFAULT_FUJITSU_USER, password: 5 }], [{ ...DEFAULT_FUJITSU_USER, domainName: '' }], [null]], [[DEFAULT_FUJITSU_USER]]],
    ['tokens', ['abc', [''], [5]], [['t'], []]],
    ['tokenTtl', [0, -1, Infinity, Number.NaN, '60'], [1, 0.5]],
    ['marker', ['both', true], ['exclusive']],
    ['dates', ['local', 'UTC'], ['millis']],
    ['categories', ['set'], ['mixed']],
    RATE_LIMIT,
  ],
  illumio: [
    ['orgId', [0, -1, 1.5, '1'], [1]],
    ['credentials', [{ apiKey: 'api_1', apiSecret: 'secret' }, [null], [{ apiKey: 'api_1', apiSecret: 'abc' }]], [[{ apiKey: 'api_1', apiSecret: 'abcd' }]]],
    RATE_LIMIT,
    ['async', [5, 'href', new Map(), []], [{}]],
    ['async.location', ['url', 1], ['href']],
    ['async.retryAfter', [-1, 1.5, '1'], [0, null]],
    ['async.retryAfterForm', ['http-date'], ['date']],
    ['async.pollsBeforeDone', [-1, 0.5], [0]],
    ['async.doneStatus', ['finished'], ['completed']],
    ['async.fail', ['yes', 0], [true]],
    ['async.outcome', ['cancelled', 5], [{}, [], () => ({})]],
    ['newest', ['yesterday', Number.NaN, true], ['2026-12-01T00:00:00Z', 0]],
    ['maxGapMs', [0, 1.5, '1'], [1]],
    ['timestamps', ['micros'], ['mixed']],
  ],
  informatica: [
    ['users', [[], [{ user: 'a' }], [null], [{ user: '', password: 'p' }], { user: 'a', password: 'p' }], [[{ user: 'a', password: '' }]]],
    RATE_LIMIT,
    ['responseForms', ['bare', 1], ['list']],
    ['timeZones', ['local'], ['mixed']],
  ],
  generic: [
    ['markerInclusive', ['yes', 0], [false]],
    ['maxPageSize', [0, 1.5, '5'], [1]],
    ['maxWindowResults', [0, -1], [1]],
    ['token', ['', ' ', 'a b', 5], ['t']],
    RATE_LIMIT,
    ['start', ['not a date', 0, true], ['2026-11-23T10:00:00']],
  ],
};

/** `{ async: { location: value } }` for `async.location`. */
function at(option: string, value: unknown): Record<string, unknown> {
  const [head = '', ...rest] = option.split('.');
  return { [head]: rest.length === 0 ? value : at(rest.join('.'), value) };
}

function refusal(provider: Target, options: Record<string, unknown>): unknown {
  try {
    createEmulator(provider as ProviderName, { events: 1, ...options } as never);
  } catch (error) {
    return error;
  }
  return undefined;
}

const CASES = Object.entries(ROWS).flatMap(([provider, rows]) => rows.map(([option, bad, good]) => [provider as Target, option, bad, good] as const));

describe('emulator option values', () => {
  it.each(CASES)('%s: refuses a bad %s naming it, and takes a good one', (provider, option, bad, good) => {
    for (const value of bad) {
      const error = refusal(provider, at(option, value));
      expect(isConfigurationError(error), `${option}: ${String(value)}`).toBe(true);
      expect(error, `${option}: ${String(value)}`).toMatchObject({ option });
      expect((error as Error).message).toMatch(new RegExp(`^${option.replace('.', '\\.')} must be `));
    }
    for (const value of good) expect(refusal(provider, at(option, value)), `${option}: ${String(value)}`).toBeUndefined();
  });

  it.each([
    ['tines', { timeZones: 'local' }, 'timeZones must be one of "utc", "mixed", got "local"'],
    ['informatica', { responseForms: 'bare' }, 'responseForms must be one of "mixed", "list", got "bare"'],
    ['fujitsu', { dates: 'UTC' }, 'dates must be one of "zoneless", "utc", "millis", got "UTC"'],
    ['socotra', { policies: -1 }, 'policies must be an integer >= 0, got -1'],
    ['illumio', { async: { pollsBeforeDone: 0.5 } }, 'async.pollsBeforeDone must be an integer >= 0, got 0.5'],
    ['generic', { markerInclusive: 'yes' }, 'markerInclusive must be a boolean, got "yes"'],
    ['socotra', { rateLimit: { requests: 0, interval: 1 } }, 'rateLimit must be false or { requests: an integer >= 1, interval: a number of milliseconds > 0 }, got { requests: 0, interval: 1 }'],
  ] as const)('%s: says what %j should be and shows the value', (provider, options, message) => {
    expect((refusal(provider, options) as Error).message).toBe(message);
  });

  it.each([
    ['socotra', 'token', { token: 'zq9 socotra' }],
    ['socotra', 'readOnlyToken', { readOnlyToken: 'zq9\tsocotra' }],
    ['generic', 'token', { token: 'zq9 generic' }],
    ['tines', 'credentials', { credentials: [{ key: 'zq9-tines-key' }, { key: 'zq9' }] }],
    ['fujitsu', 'users', { users: [{ ...DEFAULT_FUJITSU_USER, password: 'zq9-fujitsu', domainName: '' }] }],
    ['fujitsu', 'tokens', { tokens: ['gAAAA-zq9', ''] }],
    ['illumio', 'credentials', { credentials: [{ apiKey: 'api_1', apiSecret: 'zq9-illumio' }, { apiKey: 'api_2', apiSecret: 'zq9' }] }],
    ['informatica', 'users', { users: [{ user: 'ops', password: 'zq9-informatica' }, { user: '', password: 'p' }] }],
  ] as const)('%s: an error about %s never shows the credential', (provider, option, options) => {
    const error = refusal(provider, options);
    expect(error).toMatchObject({ option });
    expect(String(error)).not.toContain('zq9');
    expect(JSON.stringify(error)).not.toContain('zq9');
  });

  // It was taken, then every request failed on a limiter of `false`.
  it('generic: rateLimit false serves without a limit', async () => {
    const emulator = createEmulator('generic', { events: 1, rateLimit: false });
    for (let i = 0; i < 3; i += 1) expect((await emulator.fetch('https://generic.example.com/offset')).status).toBe(200);
  });
});
