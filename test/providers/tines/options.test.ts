import { configurationOption as optionOf } from '../../support/options.js';
import { afterEach, describe, expect, it } from 'vitest';
import { isConfigurationError, isCursorError } from '../../../src/core/errors.js';
import { tines, type TinesOptions } from '../../../src/providers/tines/index.js';
import { DEFAULT_TINES_CREDENTIAL } from '../../../src/providers/tines/emulator.js';
import { connect, type Connected } from './connect.js';

let open: Connected | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

const configurationOption = (run: () => unknown) => optionOf(run, DEFAULT_TINES_CREDENTIAL.key);

const valid: TinesOptions = { baseUrl: 'https://tenant-1234.tines.com', token: DEFAULT_TINES_CREDENTIAL.key };

describe('tines options', () => {
  it.each<[string, Record<string, unknown>]>([
    ['token', { token: undefined }],
    ['token', { token: '   ' }],
    ['authScheme', { authScheme: 'basic' }],
    // `null` is a value, not "not given" (only `undefined` is).
    ['authScheme', { authScheme: null }],
    ['apiPath', { apiPath: 'v2' }],
    ['apiPath', { apiPath: null }],
    ['email', { email: 'analyst@example.com' }],
    ['email', { authScheme: 'x-user-token', email: 'not-an-email' }],
    // Sent as a header, which carries nothing beyond Latin-1.
    ['email', { authScheme: 'x-user-token', email: 'анна@example.com' }],
    // Latin-1 a header carries, as bytes Tines reads as ASCII: no account's address would match them.
    ['email', { authScheme: 'x-user-token', email: 'jörg@example.com' }],
    ['email', { authScheme: 'x-user-token', email: 'a@bücher.example' }],
    ['email', { authScheme: 'x-user-token', email: 'a@example.com\u0001' }],
    ['email', { authScheme: 'x-user-token', email: 'a@example.com\r\nX-Other: 1' }],
    ['baseUrl', { baseUrl: 'http://tenant-1234.tines.com' }],
    ['baseUrl', { baseUrl: 'not a url' }],
    ['timeout', { timeout: -1 }],
    ['retry.retries', { retry: { retries: -1 } }],
    ['rateLimit.requests', { rateLimit: { requests: 0 } }],
    ['hooks.onRequest', { hooks: { onRequest: 'log' } }],
    ['fetch', { fetch: 'fetch' }],
  ])('refuses a bad %s before any request', async (option, overrides) => {
    open = await connect('server');
    expect(configurationOption(() => tines({ ...valid, baseUrl: open!.baseUrl, ...overrides } as TinesOptions))).toBe(option);
    expect(open.emulator.requests).toHaveLength(0);
  });

  it('refuses bad ids and queries before any request', async () => {
    open = await connect('server');
    const client = open.client();
    await expect(client.events.get('../admin')).rejects.toMatchObject({ option: 'id' });
    await expect(client.events.reemit(-1)).rejects.toMatchObject({ option: 'id' });
    await expect(client.events.get(undefined as never)).rejects.toMatchObject({ option: 'id' });
    await expect(client.events.get('')).rejects.toMatchObject({ option: 'id' });
    // The query is checked when the listing is created, synchronously.
    expect(configurationOption(() => client.events.list({ pageSize: 501 }))).toBe('pageSize');
    expect(configurationOption(() => client.events.list({ pageSize: null } as never))).toBe('pageSize');
    expect(configurationOption(() => client.events.list({ since: 'last tuesday' }))).toBe('since');
    // An empty range would page the whole tenant for nothing.
    expect(configurationOption(() => client.events.list({ since: '2026-02-01', until: '2026-01-01' }))).toBe('until');
    // The same instant is a window (empty: Tines' `since` is exclusive), as on every vendor.
    expect(() => client.events.list({ since: '2026-02-01', until: '2026-02-01' })).not.toThrow();
    for (const option of ['untilId', 'storyId', 'teamId', 'actionId']) expect(configurationOption(() => client.events.list({ [option]: '' }))).toBe(option);
    // Beyond 2^53 a number may already be a neighbouring id: only a decimal string is exact there.
    expect(configurationOption(() => client.events.list({ sinceId: 2 ** 53 }))).toBe('sinceId');
    expect(configurationOption(() => client.events.list({ sinceId: 10, untilId: 5 }))).toBe('untilId');
    expect(configurationOption(() => client.events.list({ sinceId: '10', untilId: 10 }))).toBe('untilId');
    // The narrowest range the ids allow is accepted.
    expect(() => client.events.list({ sinceId: 10, untilId: 11 })).not.toThrow();
    await expect(client.events.list().byPage({ pageSize: 0 })[Symbol.asyncIterator]().next()).rejects.toMatchObject({ option: 'pageSize' });
    await expect(client.events.list().byPage({ cursor: 'not-a-cursor!' })[Symbol.asyncIterator]().next()).rejects.toThrow(/cursor/i);
    expect(open.emulator.requests).toHaveLength(0);
  });

  it('refuses the cursor of a listing from another sinceId, before any request', async () => {
    open = await connect('server', { events: 10 });
    const client = open.client();
    const first = await client.events.list({ sinceId: 1, pageSize: 2 }).byPage()[Symbol.asyncIterator]().next();
    const cursor = (first.value as { cursor: string }).cursor;
    const before = open.emulator.requests.length;
    const error = await client.events.list({ sinceId: 2, pageSize: 2 }).byPage({ cursor })[Symbol.asyncIterator]().next().catch((e: unknown) => e);
    expect(isCursorError(error)).toBe(true);
    expect(open.emulator.requests).toHaveLength(before);
  });

  it('keeps its key out of the option errors of its calls before its first request', async () => {
    // A key of its own, which no other client of this process sends.
    const token = 'tines-key-not-sent-yet-5b7e';
    for (const client of [tines({ ...valid, token }), tines({ ...valid, token, authScheme: 'x-user-token' })]) {
      // Past the construction, whose registration of the key ends with it.
      await Promise.resolve();
      expect(optionOf(() => client.events.list({ since: token }), token)).toBe('since');
    }
  });

  it("refuses an email that is not ASCII by what it must be, without repeating it, and sends an ASCII one as given", async () => {
    const email = 'jörg@bücher.example';
    let error: unknown;
    try {
      tines({ ...valid, authScheme: 'x-user-token', email });
    } catch (caught) {
      error = caught;
    }
    expect(isConfigurationError(error) && error.problems).toEqual([
      expect.objectContaining({ option: 'email', message: expect.stringMatching(/^Invalid option `email`: must be ASCII/) as unknown }),
    ]);
    expect(String(error)).not.toContain('example');
    // The domain in its ASCII form (IDNA), as an account's address may be written.
    const ascii = 'j@xn--bcher-kva.example';
    open = await connect('server', { credentials: [{ key: DEFAULT_TINES_CREDENTIAL.key, email: ascii }] });
    const page = await open.client({ authScheme: 'x-user-token', email: ascii }).events.list({ pageSize: 1 }).byPage()[Symbol.asyncIterator]().next();
    expect(page.done).toBe(false);
    expect(open.emulator.requests[0]?.headers.get('x-user-email')).toBe(ascii);
  });

  it('accepts an http base URL on loopback and the tenant domains', () => {
    expect(() => tines({ ...valid, baseUrl: 'http://127.0.0.1:8080' })).not.toThrow();
    expect(() => tines({ ...valid, baseUrl: 'https://acme.tines.io' })).not.toThrow();
    expect(() => tines({ ...valid, baseUrl: 'https://tines.internal.example' })).not.toThrow();
  });
});

describe('tines rate limit', () => {
  it('stays under a tenant limit with a matching client limit: zero 429s in steady state', async () => {
    open = await connect('server', { rateLimit: { requests: 10, interval: 20_000 }, events: 120 });
    const statuses: number[] = [];
    const client = open.client({
      rateLimit: { requests: 10, interval: 20_000 },
      hooks: { onResponse: (info) => statuses.push(info.status) },
    });
    const ids: string[] = [];
    for (let round = 0; round < 3; round++) {
      for await (const event of client.events.list({ pageSize: 5 })) ids.push(event.id);
    }
    expect(ids).toHaveLength(360);
    expect(statuses.length).toBeGreaterThan(60);
    expect(statuses.filter((status) => status === 429)).toEqual([]);
  });
});
