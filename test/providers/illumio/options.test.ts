/**
 * Every bad option and bad query is a `ConfigurationError` naming it, thrown before any request; the
 * secret never appears in one.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isConfigurationError, isCursorError } from '../../../src/core/errors.js';
import { illumio, ILLUMIO_DEFAULTS, type IllumioListQuery, type IllumioOptions } from '../../../src/providers/illumio/index.js';
import { thrownBy } from '../../support/thrown-by.js';

const SECRET = 'a-secret-that-must-never-be-shown-91c2';
const valid: IllumioOptions = { baseUrl: 'https://pce.example.com:8443', orgId: 1, apiKey: 'api_1a2b3c', apiSecret: SECRET };

function counting() {
  let calls = 0;
  const fetch: typeof globalThis.fetch = async () => {
    calls += 1;
    return new Response('[]', { headers: { 'content-type': 'application/json', 'x-total-count': '0' } });
  };
  return { fetch, calls: () => calls };
}

describe('illumio options', () => {
  const bad: Array<[string, Record<string, unknown>]> = [
    ['orgId', { orgId: 0 }],
    ['orgId', { orgId: '1/../2' }],
    // As text the same positive integer, written one way: /orgs/0 and /orgs/012 name no organization.
    ['orgId', { orgId: '0' }],
    ['orgId', { orgId: '012' }],
    ['orgId', { orgId: undefined }],
    // No string form: its message's String() threw a TypeError.
    ['orgId', { orgId: Object.create(null) as unknown }],
    ['apiKey', { apiKey: '' }],
    ['apiKey', { apiKey: 'api:x' }],
    ['apiSecret', { apiSecret: undefined }],
    ['apiSecret', { apiSecret: '   ' }],
    ['jobPollInterval', { jobPollInterval: 0 }],
    ['jobTimeout', { jobTimeout: 1.5 }],
    ['baseUrl', { baseUrl: 'http://pce.example.com:8443' }],
    ['baseUrl', { baseUrl: 'not a url' }],
    ['baseUrl', { baseUrl: `https://api_1a2b3c:${SECRET}@pce.example.com` }],
    ['timeout', { timeout: -1 }],
    ['retry.retries', { retry: { retries: -1 } }],
    // Past 2^53 an attempt's count stops changing: the retries would never end.
    ['retry.retries', { retry: { retries: 2 ** 53 } }],
    ['retry.retries', { retry: { retries: Number.MAX_VALUE } }],
    ['rateLimit.requests', { rateLimit: { requests: 0 } }],
    ['hooks.onRequest', { hooks: { onRequest: 'log' } }],
    ['userAgent', { userAgent: 'a\r\nX-Evil: 1' }],
    ['fetch', { fetch: 'fetch' }],
  ];
  it.each(bad)('refuses a bad %s before any request', (option, patch) => {
    const spy = counting();
    const error = thrownBy(() => illumio({ ...valid, fetch: spy.fetch, ...patch } as IllumioOptions));
    expect(isConfigurationError(error)).toBe(true);
    expect((error as { option: string }).option).toBe(option);
    expect(spy.calls()).toBe(0);
    const shown = `${String(error)}${JSON.stringify(error)}${inspect(error)}`;
    expect(shown).not.toContain(SECRET);
  });

  it('accepts an orgId as a number or a numeric string, and plain http to loopback', () => {
    expect(() => illumio({ ...valid, orgId: '12' })).not.toThrow();
    expect(() => illumio({ ...valid, baseUrl: 'http://127.0.0.1:8443' })).not.toThrow();
    expect(() => illumio({ ...valid, baseUrl: 'http://pce.internal:8443', allowInsecureHttp: true })).not.toThrow();
  });

  it('declares the vendor rate limit of 500 requests a minute', () => {
    expect(ILLUMIO_DEFAULTS.rateLimit).toEqual({ requests: 500, interval: 60_000 });
  });
});

describe('illumio queries', () => {
  const bad: Array<[string, IllumioListQuery | Record<string, unknown> | unknown[]]> = [
    ['pageSize', { pageSize: 0 }],
    ['pageSize', { pageSize: 10_001 }],
    ['pageSize', { pageSize: 2.5 }],
    ['severity', { severity: 'loud' }],
    ['status', { status: 'ok' }],
    ['type', { type: '' }],
    ['since', { since: 'yesterday' }],
    ['until', { until: '2026-02-30T00:00:00Z' }],
    ['until', { since: '2026-11-02', until: '2026-11-01' }],
    ['mode', { mode: 'fast' }],
    ['mode', { mode: null }],
    ['asyncThreshold', { mode: 'auto', asyncThreshold: 0 }],
    // Only 'auto' reads it: elsewhere it would do nothing.
    ['asyncThreshold', { asyncThreshold: 5 }],
    ['asyncThreshold', { mode: 'sync', asyncThreshold: 5 }],
    ['asyncThreshold', { mode: 'async', asyncThreshold: 5 }],
    // A misspelt filter would list every event.
    ['severty', { severty: 'err' }],
    ['query', ['since']],
  ];
  it.each(bad)('refuses a bad %s before any request', async (option, query) => {
    const spy = counting();
    const pce = illumio({ ...valid, fetch: spy.fetch });
    const error = await Promise.resolve()
      .then(() => pce.events.list(query as IllumioListQuery).toArray())
      .catch((e: unknown) => e);
    expect(isConfigurationError(error)).toBe(true);
    expect((error as { option: string }).option).toBe(option);
    expect(spy.calls()).toBe(0);
  });

  it('refuses a bad byPage pageSize, a foreign cursor and a cursor of another query before any request', async () => {
    const spy = counting();
    const pce = illumio({ ...valid, fetch: spy.fetch });
    const pages = pce.events.list().byPage({ pageSize: 20_000 })[Symbol.asyncIterator]();
    expect(await pages.next().catch((e: unknown) => e)).toMatchObject({ option: 'pageSize' });
    const bogus = await pce.events.list().byPage({ cursor: 'bm90LWEtY3Vyc29y' })[Symbol.asyncIterator]().next().catch((e: unknown) => e);
    expect(isCursorError(bogus)).toBe(true);
    expect(spy.calls()).toBe(0);
    let cursor = '';
    for await (const page of pce.events.list({ type: 'user.sign_in' }).byPage()) cursor = page.cursor;
    expect(spy.calls()).toBe(1);
    const other = await pce.events.list({ type: 'user.sign_out' }).byPage({ cursor })[Symbol.asyncIterator]().next().catch((e: unknown) => e);
    expect(isCursorError(other)).toBe(true);
    expect(spy.calls()).toBe(1);
    // The page size and the mode are not part of what a cursor is bound to.
    const same = pce.events.list({ type: 'user.sign_in', pageSize: 5, mode: 'auto' }).byPage({ cursor })[Symbol.asyncIterator]();
    expect((await same.next()).done).toBe(false);
  });

  const ids: Array<[string, unknown]> = [
    ['an empty id', ''],
    ['a blank id', '  '],
    ['a non-string', 42],
    ['"."', '.'],
    ['".."', '..'],
    ['an href of another resource', '/orgs/1/jobs/9'],
    ['an href with a dot segment', '/orgs/1/events/..'],
    ['a malformed escape', '/orgs/1/events/%E0%A4%A'],
  ];
  it.each(ids)('events.get refuses %s before any request', async (_, id) => {
    const spy = counting();
    const error = await illumio({ ...valid, fetch: spy.fetch }).events.get(id as string).catch((e: unknown) => e);
    expect(isConfigurationError(error)).toBe(true);
    expect((error as { option: string }).option).toBe('id');
    expect(spy.calls()).toBe(0);
  });

  it('events.get says why it refused an href: its form, or a part that would leave its segment', async () => {
    const reason = (id: string) => illumio(valid).events.get(id).catch((e: unknown) => (e as Error).message);
    expect(await reason('/orgs/1/jobs/9')).toContain('an href must look like /orgs/{orgId}/events/{uuid} or /system_events/{uuid}');
    expect(await reason('/orgs/1/events/..')).toContain('it would not stay one path segment');
  });
});
