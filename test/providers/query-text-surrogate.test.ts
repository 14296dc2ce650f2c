/**
 * A text filter sent in a query string with a lone surrogate (half an emoji, a `\ud800` escape read
 * from a vendor's JSON) has no UTF-8 form: it went out as U+FFFD, so the listing filtered on another
 * value, delivering the events of a type that differs there and missing those asked for. It is refused
 * before any request, as a path parameter is, naming the option. Informatica's filters travel in a JSON
 * body, where the escape carries the text as it is.
 */
import { describe, expect, it, vi } from 'vitest';
import { isConfigurationError } from '../../src/core/errors.js';
import { fujitsu } from '../../src/providers/fujitsu/index.js';
import { illumio } from '../../src/providers/illumio/index.js';
import { socotra } from '../../src/providers/socotra/index.js';

const HALF = 'policy.\ud83d';
const fetch = vi.fn<typeof globalThis.fetch>();
const common = { fetch, rateLimit: false, retry: false } as const;

const listings: Array<[string, string, () => AsyncIterable<unknown>]> = [
  [
    'socotra type',
    'type',
    () => socotra({ ...common, baseUrl: 'https://api.example.com', tenantLocator: '6a3e0b52-8f1d-4c3b-9e7a-2d5f4c1b8a90', token: 'tok-1' }).events.list({ type: HALF }),
  ],
  ['illumio type', 'type', () => illumio({ ...common, baseUrl: 'https://pce.example.com', orgId: 1, apiKey: 'api_1', apiSecret: 'sec-1' }).events.list({ type: HALF })],
  [
    'illumio createdBy',
    'createdBy',
    () => illumio({ ...common, baseUrl: 'https://pce.example.com', orgId: 1, apiKey: 'api_1', apiSecret: 'sec-1' }).events.list({ createdBy: HALF }),
  ],
  [
    'fujitsu categories',
    'categories[1]',
    () => fujitsu({ ...common, baseUrl: 'https://db.example.com', tenantId: 't1', token: 'tok-1' }).events.list({ since: '2026-11-01', categories: ['backup', HALF] }),
  ],
  [
    'fujitsu sourceId',
    'sourceId',
    () => fujitsu({ ...common, baseUrl: 'https://db.example.com', tenantId: 't1', token: 'tok-1' }).events.list({ since: '2026-11-01', sourceId: HALF }),
  ],
];

describe('a query text filter with a lone surrogate', () => {
  it.each(listings)('%s is a ConfigurationError naming it, before any request', async (_, option, list) => {
    const error = await (async () => {
      for await (const _event of list()) return undefined;
      return undefined;
    })().catch((caught: unknown) => caught);
    expect(isConfigurationError(error)).toBe(true);
    expect(error).toMatchObject({ option });
    expect((error as Error).message).toMatch(/lone surrogate/);
    expect(fetch).not.toHaveBeenCalled();
  });
});
