import { describe, expect, it, vi } from 'vitest';
import { informatica, type InformaticaListQuery, type InformaticaOptions } from '../../../src/providers/informatica/index.js';

const good: InformaticaOptions = { baseUrl: 'https://cih-pod1.dm-us.informaticacloud.com', username: 'user@acme.com', password: 'Secret-Pass-1' };

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

  it('never echoes the password in a configuration error', () => {
    try {
      informatica({ ...good, baseUrl: 'ftp://x', password: 'Do-Not-Show-Me' });
    } catch (error) {
      expect(JSON.stringify(error) + String(error)).not.toContain('Do-Not-Show-Me');
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
