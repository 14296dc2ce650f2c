import { describe, expect, it, vi } from 'vitest';
import { inspect } from 'node:util';
import { isConfigurationError } from '../../../src/core/errors.js';
import { informatica, type InformaticaListQuery, type InformaticaOptions } from '../../../src/providers/informatica/index.js';

const good: InformaticaOptions = { baseUrl: 'https://cih-pod1.dm-us.informaticacloud.com', username: 'user@acme.com', password: 'Secret-Pass-1' };

/** What `run` throws; a failure if it throws nothing. */
function refusal(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a ConfigurationError, but nothing was thrown');
}

describe('informatica options', () => {
  it.each<[string, Partial<Record<keyof InformaticaOptions, unknown>>]>([
    ['username', { username: undefined }],
    ['username', { username: '  ' }],
    ['username', { username: 'a:b' }],
    ['password', { password: 42 }],
    ['password', { password: '' }],
    ['baseUrl', { baseUrl: 'http://cih.example.com' }],
    ['baseUrl', { baseUrl: 'not a url' }],
    ['timeout', { timeout: -1 }],
    ['retry.retries', { retry: { retries: -1 } }],
    ['rateLimit.requests', { rateLimit: { requests: 0 } }],
    ['fetch', { fetch: 'nope' }],
  ])('rejects a bad %s at construction', (option, change) => {
    const fetch = vi.fn();
    expect(() => informatica({ fetch, ...good, ...change } as InformaticaOptions)).toThrow(
      expect.objectContaining({ name: 'ConfigurationError', option }),
    );
    expect(fetch).not.toHaveBeenCalled();
  });

  // Each case its own password: one registered for redaction by a client built in another test must
  // not hide an echo here.
  it.each<[string, string, Partial<InformaticaOptions>]>([
    // The password itself refused: a trailing newline (read from a file), a line break or a NUL inside.
    ['password', 'Hidden-Pass-One', { password: 'Hidden-Pass-One\n' }],
    ['password', 'Hidden-Pass-Two', { password: 'Hidden-Pass-Two\r\nHidden-Pass-Two' }],
    ['password', 'Hidden-Pass-Three', { password: 'Hidden-Pass-Three\u0000' }],
    // Another option refused with a valid password, given, or held in the base URL as well.
    ['baseUrl', 'Hidden-Pass-Four', { baseUrl: 'ftp://x', password: 'Hidden-Pass-Four' }],
    ['baseUrl', 'Hidden-Pass-Five', { baseUrl: 'https://user:Hidden-Pass-Five@cih.example.com', password: 'Hidden-Pass-Five' }],
  ])('never echoes the password in a configuration error for a bad %s (%s)', (option, secret, change) => {
    const error = refusal(() => informatica({ ...good, ...change, fetch: vi.fn() }));
    expect(isConfigurationError(error)).toBe(true);
    expect((error as { option?: string }).option).toBe(option);
    for (const shown of [String(error), JSON.stringify(error), inspect(error, { depth: Infinity, showHidden: true })]) {
      expect(shown).not.toContain(secret);
    }
  });

  it.each<[string, Record<string, unknown>]>([
    ['eventType', { eventType: 'publication' }],
    ['eventStatus', { eventStatus: 'Complete' }],
    ['range', { range: 'LAST_YEAR' }],
    ['range', { range: 'LAST_HOUR', since: '2026-11-01' }],
    ['since', { range: 'CUSTOM' }],
    ['since', { until: '2026-11-01' }],
    ['since', { since: 'yesterday' }],
    ['until', { since: '2026-11-02', until: '2026-11-01' }],
    ['pageSize', { pageSize: 0 }],
    ['pageSize', { pageSize: 2001 }],
    ['pageSize', { pageSize: 1.5 }],
    ['children', { children: 'tree' }],
    ['useExactMatch', { useExactMatch: 'yes' }],
    ['applicationName', { applicationName: 7 }],
    ['type', { type: 'PUBLICATION' }],
  ])('rejects a bad %s query before any request', (option, query) => {
    const fetch = vi.fn();
    const client = informatica({ ...good, fetch });
    expect(() => client.events.list(query as InformaticaListQuery)).toThrow(expect.objectContaining({ name: 'ConfigurationError', option }));
    expect(fetch).not.toHaveBeenCalled();
  });

  it.each<[string, unknown]>([
    ['options', null],
    ['chidren', { chidren: 'flatten' }],
    ['children', { children: 'tree' }],
    ['signal', { signal: 'soon' }],
    ['signal', { signal: {} }],
  ])("rejects a bad %s of events.get's options before any request", async (option, getOptions) => {
    const fetch = vi.fn();
    const client = informatica({ ...good, fetch });
    await expect(client.events.get(1, getOptions as never)).rejects.toMatchObject({ name: 'ConfigurationError', option });
    expect(fetch).not.toHaveBeenCalled();
  });

  it.each<[string, unknown]>([
    ['an unknown mode', 'tree'],
    ['a number', 7],
    ['null', null],
  ])("says what is wrong with %s as children the same way in events.get's options and in list's query", async (_kind, children) => {
    const client = informatica({ ...good, fetch: vi.fn() });
    const listed = (() => {
      try {
        client.events.list({ children } as never);
      } catch (error) {
        return (error as Error).message;
      }
      return undefined;
    })();
    const got = await client.events.get(1, { children } as never).catch((error: unknown) => (error as Error).message);
    expect(listed).toMatch(/^Invalid option `children`: expected one of "flatten", "nested", got /);
    expect(got).toBe(listed);
  });

  it('accepts the base URL of the vendor example, with /dih-console', async () => {
    const fetch = vi.fn(async () => new Response('[]', { headers: { 'content-type': 'application/json' } }));
    const client = informatica({ ...good, baseUrl: 'https://cih-pod1.dm-us.informaticacloud.com/dih-console/', fetch, rateLimit: false });
    await client.events.list().toArray();
    const [input, init] = fetch.mock.calls[0] as unknown as [RequestInfo, RequestInit | undefined];
    const request = new Request(input, init);
    expect(new URL(request.url).pathname).toBe('/dih-console/api/v1/events');
    expect(request.method).toBe('POST');
    expect(request.headers.get('content-type')).toBe('application/json');
    expect(await request.json()).toMatchObject({ firstResult: 0 });
  });
});
