import { configurationOption as optionOf } from '../../support/options.js';
import { sleepsOnlyClock } from '../../support/stepped-clock.js';
import { afterEach, describe, expect, it } from 'vitest';
import { scaledClock } from '../../../src/core/clock.js';
import { isConfigurationError, isCursorError } from '../../../src/core/errors.js';
import { socotra, type SocotraOptions } from '../../../src/providers/socotra/index.js';
import { connect, HOST, TENANT, TOKEN, type Connected } from './connect.js';

let open: Connected | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

const configurationOption = (run: () => unknown) => optionOf(run, TOKEN);

async function rejectedOption(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    expect(isConfigurationError(error)).toBe(true);
    return (error as { option?: string }).option;
  }
  throw new Error('expected a ConfigurationError');
}

const valid: SocotraOptions = { baseUrl: HOST, tenantLocator: TENANT, token: TOKEN };

describe('socotra options', () => {
  it.each<[string, Record<string, unknown>]>([
    ['tenantLocator', { tenantLocator: undefined }],
    ['tenantLocator', { tenantLocator: 'acme-insurance' }],
    ['tenantLocator', { tenantLocator: `${TENANT}/../other` }],
    ['token', { token: undefined }],
    ['token', { token: '  ' }],
    ['token', { token: 'abc\r\nX-Injected: 1' }],
    ['baseUrl', { baseUrl: 'http://api-ec-sandbox.socotra.com' }],
    ['baseUrl', { baseUrl: 'not a url' }],
    ['timeout', { timeout: 0 }],
    ['retry.retries', { retry: { retries: 1.5 } }],
    ['rateLimit.interval', { rateLimit: { interval: -1 } }],
    ['hooks.onRetry', { hooks: { onRetry: true } }],
    ['userAgent', { userAgent: 'x\ny' }],
  ])('refuses a bad %s before any request', async (option, overrides) => {
    open = await connect('server');
    expect(configurationOption(() => socotra({ ...valid, baseUrl: open!.baseUrl, ...overrides } as SocotraOptions))).toBe(option);
    expect(open.emulator.requests).toHaveLength(0);
  });

  it('refuses bad queries, locators and job keys before any request', async () => {
    open = await connect('server');
    const client = open.client();
    const list = client.events.list;
    expect(configurationOption(() => list({ pageSize: 0 }))).toBe('pageSize');
    expect(configurationOption(() => list({ pageSize: 1001 }))).toBe('pageSize');
    expect(configurationOption(() => list({ since: 'last tuesday' }))).toBe('since');
    expect(configurationOption(() => list({ since: '2026-11-02', until: '2026-11-01' }))).toBe('until');
    expect(configurationOption(() => list({ type: '' }))).toBe('type');
    expect(configurationOption(() => list({ startTimestamp: '2026-11-01' } as never))).toBe('startTimestamp');
    const failed = client.schedules.failed.list;
    expect(configurationOption(() => failed({ state: 'paused' as never }))).toBe('state');
    // The types refuse these combinations too; the check stays for JavaScript callers.
    // @ts-expect-error one listing at a time
    expect(configurationOption(() => failed({ policyLocator: 'p', state: 'quit' }))).toBe('state');
    // @ts-expect-error one listing at a time
    expect(configurationOption(() => failed({ tenant: true, policyLocator: 'p' }))).toBe('tenant');
    // @ts-expect-error one listing at a time
    expect(configurationOption(() => failed({ tenant: true, state: 'quit' }))).toBe('state');
    expect(configurationOption(() => failed({ tenant: 'yes' as never }))).toBe('tenant');
    expect(configurationOption(() => failed({ policyLocator: '..' }))).toBe('policyLocator');
    expect(configurationOption(() => failed({ count: 5 } as never))).toBe('count');
    expect(await rejectedOption(client.events.get('..'))).toBe('locator');
    expect(await rejectedOption(client.events.get(''))).toBe('locator');
    expect(await rejectedOption(client.events.get('list'))).toBe('locator');
    expect(await rejectedOption(client.events.forRequest('.'))).toBe('requestLocator');
    // No URL can carry a lone surrogate: `encodeURIComponent` would throw a bare URIError.
    expect(await rejectedOption(client.events.get('a\ud800'))).toBe('locator');
    expect(await rejectedOption(client.events.forRequest('a\udc00'))).toBe('requestLocator');
    expect(await rejectedOption(client.schedules.forPolicy('a\ud800'))).toBe('policyLocator');
    expect(configurationOption(() => failed({ policyLocator: 'a\ud800' }))).toBe('policyLocator');
    expect(await rejectedOption(client.schedules.forPolicy(3 as never))).toBe('policyLocator');
    expect(await rejectedOption(client.schedules.failed.resume({ triggerName: 'n' } as never))).toBe('triggerGroup');
    expect(await rejectedOption(client.schedules.failed.delete(null as never))).toBe('job');
    expect(await rejectedOption(client.schedules.failed.resume('trigger-1' as never))).toBe('job');
    await expect(list().byPage({ pageSize: 0 })[Symbol.asyncIterator]().next()).rejects.toMatchObject({ option: 'pageSize' });
    expect(open.emulator.requests).toHaveLength(0);
  });

  it('keeps its token out of the option errors of its calls before its first request', async () => {
    // A token of its own, which no other client of this process sends.
    const token = 'socotra-token-not-sent-yet-8d41';
    const client = socotra({ ...valid, token });
    // Past the construction, whose registration of the token ends with it.
    await Promise.resolve();
    expect(optionOf(() => client.events.list({ since: token }), token)).toBe('since');
    expect(optionOf(() => client.schedules.failed.list({ state: token as never }), token)).toBe('state');
  });

  it('refuses a malformed cursor, or one from another query, before any request', async () => {
    open = await connect('server', { events: 5 });
    const client = open.client();
    const [page] = await firstPage(client.events.list({ type: 'policy.issue' }).byPage());
    const before = open.emulator.requests.length;
    for (const cursor of ['not-a-cursor!', page!.cursor]) {
      const error = await client.events.list().byPage({ cursor })[Symbol.asyncIterator]().next().catch((e: unknown) => e);
      expect(isCursorError(error)).toBe(true);
    }
    expect(open.emulator.requests).toHaveLength(before);
  });

  it('encodes path parameters so a value cannot leave its segment', async () => {
    open = await connect('server', { events: 1 });
    const client = open.client();
    await expect(client.events.get('a/../../list')).rejects.toMatchObject({ status: 404 });
    await expect(client.schedules.forPolicy('p?x=1#y')).resolves.toEqual([]);
    expect(open.emulator.requests.map((r) => r.path)).toEqual([
      `/event/${TENANT}/events/a%2F..%2F..%2Flist`,
      `/event/${TENANT}/events/schedules/policy/p%3Fx%3D1%23y`,
    ]);
  });

  it('accepts http on loopback', () => {
    expect(() => socotra({ ...valid, baseUrl: 'http://127.0.0.1:8080' })).not.toThrow();
    expect(() => socotra({ ...valid, baseUrl: 'http://localhost:8080' })).not.toThrow();
  });
});

async function firstPage<T>(pages: AsyncIterable<T>): Promise<T[]> {
  for await (const page of pages) return [page];
  return [];
}

describe('socotra rate limit', () => {
  it('stays under a server limit with the same client limit: zero 429s in steady state', async () => {
    // Socotra publishes no limit; a tenant behind a gateway may have one. The client's sliding window,
    // set to exactly the server's limit, never lets the server count one request too many.
    const clock = scaledClock(0.01);
    open = await connect('server', { rateLimit: { requests: 10, interval: 2_000 }, events: 150, clock });
    const statuses: number[] = [];
    const client = open.client({
      clock,
      rateLimit: { requests: 10, interval: 2_000 },
      hooks: { onResponse: (info) => statuses.push(info.status) },
    });
    const ids: string[] = [];
    for (let round = 0; round < 2; round++) {
      for await (const event of client.events.list({ pageSize: 5 })) ids.push(event.id);
    }
    expect(ids).toHaveLength(300);
    expect(statuses.length).toBeGreaterThanOrEqual(62);
    expect(statuses.filter((status) => status === 429)).toEqual([]);
  });

  it('without a client limit, waits out the server 429s (Retry-After) and loses nothing', async () => {
    // On a clock moved only by its waits the pages sent one after another are all in the minute until
    // a 429's Retry-After is waited out: on a 600 ms minute of real time, five pages on a loaded machine
    // could take longer, and no 429 came.
    const clock = sleepsOnlyClock();
    open = await connect('server', { rateLimit: { requests: 5, interval: 60_000 }, events: 60, clock });
    const statuses: number[] = [];
    const client = open.client({
      clock,
      rateLimit: false,
      retry: { retries: 10, budget: 10 },
      hooks: { onResponse: (info) => statuses.push(info.status) },
    });
    const ids = (await client.events.list({ pageSize: 5 }).toArray()).map((e) => e.id);
    expect(ids).toEqual(open.emulator.store.page(0, {}, 100).events.map((e) => e.locator));
    expect(statuses).toContain(429);
  });
});
