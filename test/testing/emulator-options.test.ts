/**
 * Every emulator refuses an option it does not know, and an option of the wrong shape, with a
 * `ConfigurationError` naming it, before it answers anything: a misspelt option would otherwise leave
 * the default in place and the test pass for the wrong reason.
 */
import { describe, expect, it } from 'vitest';
import { isConfigurationError, type ProviderName } from '../../src/core/errors.js';
import { createEmulator } from '../../src/testing/index.js';
import { UNBOUNDED_EVENTS } from '../../src/testing/options.js';

const TARGETS = ['socotra', 'tines', 'fujitsu', 'illumio', 'informatica', 'generic'] as const;

function refusal(provider: (typeof TARGETS)[number], options: unknown): unknown {
  try {
    createEmulator(provider as ProviderName, options as never);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('emulator options', () => {
  // 2 ** 31 hung while the store was built: a refusal that came after building would run out of the
  // test's time. Not timed here (FUJITSU's 50_000 took 6.9 s on a loaded machine, well under 1 alone).
  it.each(TARGETS)('%s: refuses more than 50_000 events, naming events, before building them; builds 50_000', { timeout: 60_000 }, (provider) => {
    for (const events of [50_001, 2 ** 31, Number.MAX_SAFE_INTEGER]) {
      const error = refusal(provider, { events });
      expect(isConfigurationError(error), `${events}`).toBe(true);
      expect(error).toMatchObject({ option: 'events' });
      expect(String(error)).toMatch(/from 0 to 50000/);
    }
    expect(createEmulator(provider as ProviderName, { events: 50_000 }).provider).toBe(provider);
  });

  it('lifts the limit of events for a caller that sets UNBOUNDED_EVENTS (the benchmark), and only then', () => {
    expect(createEmulator('generic', { events: 50_001, [UNBOUNDED_EVENTS]: true } as never).store.events).toHaveLength(50_001);
    expect(refusal('generic', { events: 50_001, [UNBOUNDED_EVENTS]: 'yes' })).toMatchObject({ option: 'events' });
  });

  it.each(TARGETS)('%s: refuses an unknown option, and an unknown member of rateLimit, naming them', (provider) => {
    const unknown = refusal(provider, { ratelimit: false });
    expect(isConfigurationError(unknown)).toBe(true);
    expect(unknown).toMatchObject({ option: 'ratelimit', reason: 'unknown' });
    expect(refusal(provider, { rateLimit: { requests: 5, interval: 1_000, burst: 2 } })).toMatchObject({ option: 'rateLimit.burst' });
    expect(refusal(provider, 'seed=3')).toMatchObject({ option: 'options' });
    expect(createEmulator(provider as ProviderName, { seed: 3, events: 2, clock: undefined, baseUrl: 'https://x.example' }).provider).toBe(provider);
  });

  it.each([
    ['illumio', { async: { locaton: 'href' } }, 'async.locaton'],
    ['illumio', { credentials: { apiKey: 'api_1', apiSecret: 'secret' } }, 'credentials'],
    ['illumio', { credentials: [null] }, 'credentials'],
    ['tines', { credentials: { key: 'a-long-key' } }, 'credentials'],
    ['fujitsu', { users: { userName: 'u', password: 'p', domainName: 'd', projectId: 'x' } }, 'users'],
    ['fujitsu', { users: [{ userName: 'u', password: 5, domainName: 'd', projectId: 'x' }] }, 'users'],
    ['fujitsu', { tokens: 'abc' }, 'tokens'],
    ['fujitsu', { tokens: [''] }, 'tokens'],
    ['informatica', { users: [{ user: 'a' }] }, 'users'],
    ['informatica', { users: [null] }, 'users'],
  ] as const)('%s: refuses %j naming %s', (provider, options, option) => {
    const error = refusal(provider, options);
    expect(isConfigurationError(error)).toBe(true);
    expect(error).toMatchObject({ option });
  });

  // `null` is a value, not the default, as a client's options have it; a clock of infinite scale or a
  // base URL msw cannot intercept is no better.
  it.each(TARGETS)('%s: refuses null, a URL object, an infinite clock scale and a base URL that is not http(s), naming them', (provider) => {
    const clock = { now: Date.now, sleep: async () => undefined };
    for (const [options, option] of [
      [{ seed: null }, 'seed'],
      [{ events: null }, 'events'],
      [{ clock: null }, 'clock'],
      [{ baseUrl: null }, 'baseUrl'],
      [{ baseUrl: new URL('https://x.example') }, 'baseUrl'],
      [{ baseUrl: 'mailto:ops@x.example' }, 'baseUrl'],
      [{ clock: { ...clock, scale: Infinity } }, 'clock'],
    ] as const) {
      const error = refusal(provider, options);
      expect(isConfigurationError(error), `${JSON.stringify(options)}: ${String(error)}`).toBe(true);
      expect(error).toMatchObject({ option });
    }
  });

  it('listen refuses a port or host of the wrong type, null, or a misspelt option, naming it', async () => {
    const emulator = createEmulator('generic', { events: 1 });
    for (const [options, option] of [
      [{ port: null }, 'port'],
      [{ host: null }, 'host'],
      [{ host: 5 }, 'host'],
      [{ host: ' ' }, 'host'],
      [{ prot: 8080 }, 'prot'],
      // Its message failed to show it, with a TypeError.
      [{ port: Object.create(null) as unknown }, 'port'],
      [null, 'options'],
    ] as const) {
      const error = await emulator.listen(options as never).then((server) => server.close(), (caught: unknown) => caught);
      expect(isConfigurationError(error), `${JSON.stringify(options)}: ${String(error)}`).toBe(true);
      expect(error).toMatchObject({ option });
    }
    const server = await emulator.listen({ port: undefined, host: undefined, prot: undefined } as never);
    await server.close();
  });

  it('names the provider it has no emulator for, whatever its type', () => {
    for (const provider of [Symbol('pce'), Object.create(null) as unknown]) expect(refusal(provider as never, {})).toMatchObject({ option: 'provider' });
  });

  it('names every target it has, generic included, when the provider is unknown', () => {
    expect((refusal('pce' as never, {}) as Error).message).toContain('informatica, generic');
  });
});
