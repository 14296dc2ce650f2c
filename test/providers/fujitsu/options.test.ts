import { describe, expect, it } from 'vitest';

import { isConfigurationError } from '../../../src/core/errors.js';
import { fujitsu, type FujitsuEventsQuery, type FujitsuOptions } from '../../../src/providers/fujitsu/index.js';
import { clock, clientOf, createEmulator, identity, TENANT, TOKEN } from './helpers.js';

function configurationError(run: () => unknown): { option: string; message: string } {
  try {
    run();
  } catch (error) {
    expect(isConfigurationError(error)).toBe(true);
    return error as { option: string; message: string };
  }
  throw new Error('expected a ConfigurationError');
}

const valid: FujitsuOptions = { baseUrl: 'https://database.uk-1.cloud.global.fujitsu.com', tenantId: TENANT, token: TOKEN };

describe('fujitsu factory options', () => {
  it.each<[string, Record<string, unknown>]>([
    ['tenantId', { tenantId: undefined }],
    ['tenantId', { tenantId: '  ' }],
    ['tenantId', { tenantId: '..' }],
    ['tenantId', { tenantId: 'a\ud800' }],
    ['token', { token: undefined }],
    ['token', { identity: identity() }],
    ['token', { token: '' }],
    ['identity', { token: undefined, identity: 'user:password' }],
    ['identity.url', { token: undefined, identity: identity({ url: 'identity.example' }) }],
    ['identity.userName', { token: undefined, identity: identity({ userName: '' }) }],
    ['identity.password', { token: undefined, identity: { ...identity(), password: 42 } }],
    ['identity.domainName', { token: undefined, identity: identity({ domainName: undefined as unknown as string }) }],
    ['identity.projectId', { token: undefined, identity: identity({ projectId: '' }) }],
    ['identity.url', { token: undefined, identity: identity({ url: 'https://u:p@identity.example.com' }) }],
    ['identity.url', { token: undefined, identity: identity({ url: 'ftp://identity.example.com' }) }],
    // A misspelt member would log in to another project than the one meant.
    ['identity.projectID', { token: undefined, identity: { ...identity(), projectID: 'tenant-b' } }],
    ['baseUrl', { baseUrl: 'http://database.example.com' }],
    ['baseUrl', { baseUrl: 'not a url' }],
    ['baseUrl', { baseUrl: 'https://user:secret@database.example.com' }],
    ['timeout', { timeout: -1 }],
    ['retry.retries', { retry: { retries: 1.5 } }],
    ['rateLimit.requests', { rateLimit: { requests: 0 } }],
    ['hooks.onRequest', { hooks: { onRequest: 'log' } }],
  ])('names %s', (option, overrides) => {
    const error = configurationError(() => fujitsu({ ...valid, ...overrides } as FujitsuOptions));
    expect(error.option).toBe(option);
  });

  it('refuses plain http for an identity host that is not loopback', () => {
    const error = configurationError(() =>
      fujitsu({ ...valid, token: undefined, identity: identity({ url: 'http://identity.example.com' }) } as unknown as FujitsuOptions),
    );
    // Named as the option it is: the database `baseUrl` is fine.
    expect(error.option).toBe('identity.url');
    expect(error.message).toMatch(/https/);
  });

  it('never echoes a credential in an option error', () => {
    const error = configurationError(() =>
      fujitsu({ ...valid, token: undefined, identity: identity({ password: 'super-secret-pw', userName: '' }) } as unknown as FujitsuOptions),
    );
    expect(JSON.stringify(error)).not.toContain('super-secret-pw');
    // Written as a member's name as well, which the check of identity's members names before any login is built.
    const password = 'swapped-password-3e9c';
    const swapped = configurationError(() => fujitsu({ ...valid, token: undefined, identity: { ...identity({ password }), [password]: 1 } } as never));
    expect(swapped.option).toMatch(/^identity\./);
    expect(JSON.stringify(swapped) + String(swapped)).not.toContain(password);
  });
});

describe('fujitsu events.list query', () => {
  it.each<[string, Record<string, unknown>]>([
    ['pageSize', { pageSize: 19 }],
    ['pageSize', { pageSize: 101 }],
    ['pageSize', { pageSize: 50.5 }],
    ['since', { since: 'yesterday' }],
    ['until', { until: new Date(Number.NaN) }],
    ['until', { since: '2026-11-02', until: '2026-11-01' }],
    ['duration', { duration: 0 }],
    ['duration', { since: '2026-11-01', duration: 30 }],
    ['categories', { categories: 7 }],
    ['categories', { categories: [] }],
    // A hole of a sparse array is no category: `map` would skip it and send it as nothing.
    ['categories[1]', { categories: Object.assign(new Array<string>(3), { 0: 'backup', 2: 'failover' }) }],
    ['categories[1]', { categories: ['backup', ''] }],
    ['sourceType', { sourceType: 'db-cluster' }],
    ['sourceId', { sourceId: '' }],
    ['limit', { limit: 50 }],
  ])('names %s before any request', (option, query) => {
    const emulator = createEmulator();
    const error = configurationError(() => clientOf(emulator).events.list(query as FujitsuEventsQuery));
    expect(error.option).toBe(option);
    expect(emulator.requests).toHaveLength(0);
  });

  it('refuses a resume page size outside 20 to 100, and a foreign cursor, before any request', async () => {
    const emulator = createEmulator();
    const listing = clientOf(emulator).events.list();
    await expect(listing.byPage({ pageSize: 10 })[Symbol.asyncIterator]().next()).rejects.toMatchObject({ option: 'pageSize' });
    await expect(listing.byPage({ cursor: 'bm90LWEtY3Vyc29y' })[Symbol.asyncIterator]().next()).rejects.toThrow(/cursor/i);
    expect(emulator.requests).toHaveLength(0);
  });

  it('binds a cursor to its query but not to its page size', async () => {
    const emulator = createEmulator({ events: 30 });
    const client = clientOf(emulator, { clock });
    const first = client.events.list({ pageSize: 20, categories: 'backup' }).byPage();
    const page = (await first[Symbol.asyncIterator]().next()).value;
    const other = client.events.list({ categories: 'failover' }).byPage({ cursor: page!.cursor });
    await expect(other[Symbol.asyncIterator]().next()).rejects.toThrow(/another query/);
    // The window a listing without `since` starts from is part of its query too.
    const longer = client.events.list({ categories: 'backup', duration: 120 }).byPage({ cursor: page!.cursor });
    await expect(longer[Symbol.asyncIterator]().next()).rejects.toThrow(/another query/);
    const same = client.events.list({ categories: 'backup', pageSize: 100 }).byPage({ cursor: page!.cursor });
    expect((await same[Symbol.asyncIterator]().next()).done).toBe(false);
  });
});
