/**
 * One rule for every listing's time window: `until` before `since` is a `ConfigurationError` naming
 * `until` before any request; `until` equal to `since` is a window of that instant, listed. Socotra and
 * Tines refused the equal window, FUJITSU named `since`.
 */
import { describe, expect, it } from 'vitest';
import { scaledClock } from '../../src/core/clock.js';
import { isConfigurationError } from '../../src/core/errors.js';
import { fujitsu } from '../../src/providers/fujitsu/index.js';
import { DEFAULT_FUJITSU_TENANT, DEFAULT_FUJITSU_TOKEN } from '../../src/providers/fujitsu/emulator.js';
import { illumio } from '../../src/providers/illumio/index.js';
import { DEFAULT_ILLUMIO_CREDENTIAL } from '../../src/providers/illumio/emulator.js';
import { informatica } from '../../src/providers/informatica/index.js';
import { DEFAULT_INFORMATICA_USER } from '../../src/providers/informatica/emulator.js';
import { socotra } from '../../src/providers/socotra/index.js';
import { SOCOTRA_EMULATOR_TENANT, SOCOTRA_EMULATOR_TOKEN } from '../../src/providers/socotra/emulator.js';
import { tines } from '../../src/providers/tines/index.js';
import { DEFAULT_TINES_CREDENTIAL } from '../../src/providers/tines/emulator.js';
import { createEmulator } from '../../src/testing/index.js';

type Vendor = 'socotra' | 'tines' | 'fujitsu' | 'illumio' | 'informatica';
type Listing = { byPage(): AsyncIterable<{ items: readonly unknown[] }> };

const clock = scaledClock(1e-6);

/** A client of `vendor` on its emulator, and the count of the requests it sent. */
function listing(vendor: Vendor): { list(query: Record<string, unknown>): Listing; requests(): number } {
  const emulator = createEmulator(vendor, { seed: 5, events: 20, ...(vendor === 'illumio' || vendor === 'informatica' ? { rateLimit: false } : {}) } as never);
  let requests = 0;
  const fetch: typeof globalThis.fetch = (input, init) => {
    requests += 1;
    return emulator.fetch(input, init);
  };
  const common = { baseUrl: 'https://vendor.example', fetch, clock, rateLimit: false } as const;
  const client = {
    socotra: () => socotra({ ...common, tenantLocator: SOCOTRA_EMULATOR_TENANT, token: SOCOTRA_EMULATOR_TOKEN }),
    tines: () => tines({ ...common, token: DEFAULT_TINES_CREDENTIAL.key }),
    fujitsu: () => fujitsu({ ...common, tenantId: DEFAULT_FUJITSU_TENANT, token: DEFAULT_FUJITSU_TOKEN }),
    illumio: () => illumio({ ...common, orgId: 1, ...DEFAULT_ILLUMIO_CREDENTIAL }),
    informatica: () => informatica({ ...common, username: DEFAULT_INFORMATICA_USER.user, password: DEFAULT_INFORMATICA_USER.password }),
  }[vendor]() as unknown as { events: { list(query: Record<string, unknown>): Listing } };
  return { list: (query) => client.events.list(query), requests: () => requests };
}

/** The first page, or the error the listing ended with, thrown by `list` itself or by its first request. */
async function firstPage(list: () => Listing): Promise<unknown> {
  try {
    for await (const page of list().byPage()) return page;
    return undefined;
  } catch (error) {
    return error;
  }
}

const VENDORS: readonly Vendor[] = ['socotra', 'tines', 'fujitsu', 'illumio', 'informatica'];
const INSTANT = '2026-11-01T10:00:00.000Z';

describe('a listing’s time window, one rule for every vendor', () => {
  it.each(VENDORS)('%s: until before since is a ConfigurationError naming until, before any request', async (vendor) => {
    const client = listing(vendor);
    const error = await firstPage(() => client.list({ since: '2026-11-02T00:00:00Z', until: new Date('2026-11-01T00:00:00Z') }));
    expect(isConfigurationError(error)).toBe(true);
    expect(error).toMatchObject({ option: 'until' });
    expect(String(error)).toMatch(/must not be before `since` \(2026-11-02T00:00:00\.000Z\), got 2026-11-01T00:00:00\.000Z/);
    expect(client.requests()).toBe(0);
  });

  it.each(VENDORS)('%s: until before since by less than a millisecond is refused too, before any request', async (vendor) => {
    const client = listing(vendor);
    // One millisecond when cut down to it: the order of the two is in the digits past it.
    const error = await firstPage(() => client.list({ since: '2026-11-01T10:00:00.000900Z', until: '2026-11-01T15:30:00.000500+05:30' }));
    expect(isConfigurationError(error), String(error)).toBe(true);
    expect(error).toMatchObject({ option: 'until' });
    expect(String(error)).toMatch(/must not be before `since` \("2026-11-01T10:00:00\.000900Z"\), got "2026-11-01T15:30:00\.000500\+05:30"/);
    expect(client.requests()).toBe(0);
  });

  // FUJITSU reads since to its whole second (whose events it dates there), Tines after it: neither lists
  // an event before since in such a window.
  it.each(['socotra', 'illumio', 'informatica'] as const)('%s: a window within one millisecond, past its start, lists nothing and sends nothing', async (vendor) => {
    const client = listing(vendor);
    const times: string[] = [];
    for await (const page of client.list({}).byPage()) times.push(...page.items.map((event) => (event as { time: string }).time));
    const at = times[0] as string;
    const sent = client.requests();
    const page = await firstPage(() => client.list({ since: `${at.slice(0, 23)}300Z`, until: `${at.slice(0, 23)}700Z` }));
    expect(page).toMatchObject({ items: [], hasMore: false });
    expect(client.requests()).toBe(sent);
  });

  it.each(VENDORS)('%s: until equal to since is a window of that instant, listed', async (vendor) => {
    const client = listing(vendor);
    const page = await firstPage(() => client.list({ since: INSTANT, until: new Date(INSTANT) }));
    expect(isConfigurationError(page), String(page)).toBe(false);
    expect(page).toMatchObject({ items: [] });
    expect(client.requests()).toBeGreaterThan(0);
  });
});
