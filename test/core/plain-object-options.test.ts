/**
 * An option made of members (`retry`, `rateLimit`, `hooks`, FUJITSU's `identity`, redisRateLimit's
 * `clientOptions`, an emulator's `rateLimit` and `async`, a fault's `schedule` and `match`) is a plain
 * object: a `Map`, a `Date`, a `RegExp` or a class instance has no members of its own to read and was
 * taken for one of none, the defaults silently in place of what the caller meant.
 */
import { describe, expect, it } from 'vitest';
import { isConfigurationError } from '../../src/core/errors.js';
import { fujitsu } from '../../src/providers/fujitsu/index.js';
import { illumio } from '../../src/providers/illumio/index.js';
import { redisRateLimit } from '../../src/redis/index.js';
import { createEmulator } from '../../src/testing/index.js';
import { memoryCheckpoint, watch } from '../../src/index.js';
import { configurationOption } from '../support/options.js';
import { thrownBy } from '../support/thrown-by.js';

class RetrySettings {
  retries = 0;
}

const notPlain: ReadonlyArray<[string, unknown]> = [
  ['a Map', new Map([['retries', 0]])],
  ['a RegExp', /retries/],
  ['a Date', new Date(0)],
  ['a class instance', new RetrySettings()],
];

const base = { baseUrl: 'https://pce.example.com', orgId: 1, apiKey: 'api_1', apiSecret: 'secret-0123' } as const;

describe('an option of members is a plain object', () => {
  it.each(['retry', 'rateLimit', 'hooks'])('%s: refuses a Map, a RegExp, a Date and a class instance, naming it', (option) => {
    for (const [, value] of notPlain) {
      expect(configurationOption(() => illumio({ ...base, [option]: value }), base.apiSecret)).toBe(option);
    }
  });

  it('says what was given instead', () => {
    expect(() => illumio({ ...base, retry: new Map() as never })).toThrow(/retry`: expected a plain object or false, got a Map/);
    expect(() => illumio({ ...base, hooks: new RetrySettings() as never })).toThrow(/got an instance of a class/);
  });

  it('takes an object without a prototype, as before', () => {
    const retry = Object.assign(Object.create(null) as object, { retries: 1 });
    expect(() => illumio({ ...base, retry, rateLimit: Object.create(null) as object, hooks: Object.create(null) as object })).not.toThrow();
  });

  it('FUJITSU identity and redisRateLimit clientOptions', () => {
    for (const [, value] of notPlain) {
      expect(configurationOption(() => fujitsu({ baseUrl: 'https://db.example', tenantId: 't1', identity: value as never }), 'secret')).toBe('identity');
      expect(configurationOption(() => redisRateLimit({ clientOptions: value as never }), 'secret')).toBe('redisRateLimit.clientOptions');
    }
  });

  it('an emulator’s rateLimit and async, and a fault’s schedule and match', () => {
    const emulator = createEmulator('illumio', { events: 1 });
    for (const [kind, value] of notPlain) {
      for (const option of ['rateLimit', 'async']) {
        const error = thrownBy(() => createEmulator('illumio', { events: 1, [option]: value } as never));
        expect(isConfigurationError(error) && error.option, `${option} as ${kind}`).toBe(option);
      }
      for (const option of ['schedule', 'match']) {
        const error = thrownBy(() => emulator.faults.add({ kind: 'status', status: 503, [option]: value } as never));
        expect(isConfigurationError(error) && error.option, `${option} as ${kind}`).toBe(option);
      }
    }
  });
});

describe('options and queries as a whole are plain objects too', () => {
  // Read for their (absent) members, these listed everything: `byPage(new Map([['cursor', c]]))` from the
  // start again, `list(new Map([['since', t]]))` without its window, `toArray(new Map([['maxItems', 1]]))`
  // the whole listing.
  const pce = illumio({ ...base, baseUrl: 'http://127.0.0.1:9', fetch: () => Promise.reject(new Error('no request expected')) });

  it.each(notPlain)('refuses %s as a factory’s options, a query, byPage’s, toArray’s, a call’s and watch’s options', async (_, value) => {
    expect(configurationOption(() => illumio(value as never), base.apiSecret)).toBe('options');
    expect(configurationOption(() => pce.events.list(value as never), base.apiSecret)).toBe('query');
    expect(configurationOption(() => watch(pce.events.list(), value as never), base.apiSecret)).toBe('options');
    expect(configurationOption(() => redisRateLimit(value as never), base.apiSecret)).toBe('redisRateLimit');
    const calls: Array<() => Promise<unknown>> = [
      () => pce.events.list().byPage(value as never)[Symbol.asyncIterator]().next(),
      () => pce.events.list().toArray(value as never),
      () => pce.events.get('1', value as never),
    ];
    for (const call of calls) {
      const error = await Promise.resolve().then(call).then(() => undefined, (e: unknown) => e);
      expect(isConfigurationError(error) && error.option).toBe('options');
    }
  });

  it('takes them without a prototype, as before', async () => {
    const none = (): object => Object.create(null) as object;
    expect(() => pce.events.list(none() as never).byPage(none() as never)).not.toThrow();
    expect(() => watch(pce.events.list(), Object.assign(none(), { checkpoint: memoryCheckpoint() }) as never)).not.toThrow();
    await expect(pce.events.list().toArray({ maxItems: 0 })).resolves.toEqual([]);
  });
});

