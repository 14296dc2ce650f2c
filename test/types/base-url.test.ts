/**
 * `baseUrl` takes a `URL` as well as a string, in the common options and in every factory's own
 * options type; the runtime always took both. `npx tsc --noEmit -p .` checks the types here; the test
 * lists every provider's emulator through a `URL`, with the suffixes a copied URL may carry.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { CommonOptions } from 'tributary';
import { fujitsu, type FujitsuOptions } from 'tributary/fujitsu';
import { illumio, type IllumioOptions } from 'tributary/illumio';
import { informatica, type InformaticaOptions } from 'tributary/informatica';
import { socotra, type SocotraOptions } from 'tributary/socotra';
import { tines, type TinesOptions } from 'tributary/tines';
import {
  createEmulator,
  DEFAULT_FUJITSU_TENANT,
  DEFAULT_FUJITSU_TOKEN,
  DEFAULT_ILLUMIO_CREDENTIAL,
  DEFAULT_INFORMATICA_USER,
  DEFAULT_TINES_CREDENTIAL,
  SOCOTRA_EMULATOR_TENANT,
  SOCOTRA_EMULATOR_TOKEN,
} from 'tributary/testing';

describe('baseUrl', () => {
  it('is typed string | URL in every options type', () => {
    expectTypeOf<CommonOptions['baseUrl']>().toEqualTypeOf<string | URL>();
    expectTypeOf<SocotraOptions['baseUrl']>().toEqualTypeOf<string | URL>();
    expectTypeOf<TinesOptions['baseUrl']>().toEqualTypeOf<string | URL>();
    expectTypeOf<FujitsuOptions['baseUrl']>().toEqualTypeOf<string | URL>();
    expectTypeOf<IllumioOptions['baseUrl']>().toEqualTypeOf<string | URL>();
    expectTypeOf<InformaticaOptions['baseUrl']>().toEqualTypeOf<string | URL>();
  });

  it('as a URL, lists every provider', async () => {
    const common = { retry: false, rateLimit: false } as const;
    const at = (path = '') => new URL(`http://127.0.0.1:8080${path}`);
    const listings = {
      socotra: (fetch: typeof globalThis.fetch) =>
        socotra({ ...common, fetch, baseUrl: at(), tenantLocator: SOCOTRA_EMULATOR_TENANT, token: SOCOTRA_EMULATOR_TOKEN }).events.list(),
      tines: (fetch: typeof globalThis.fetch) => tines({ ...common, fetch, baseUrl: at(), token: DEFAULT_TINES_CREDENTIAL.key }).events.list(),
      // A URL copied from the service catalog, with the tenant's path: trimmed as the string is.
      fujitsu: (fetch: typeof globalThis.fetch) =>
        fujitsu({ ...common, fetch, baseUrl: at(`/v1.0/${DEFAULT_FUJITSU_TENANT}`), tenantId: DEFAULT_FUJITSU_TENANT, token: DEFAULT_FUJITSU_TOKEN })
          .events.list({ since: '2000-01-01T00:00:00Z' }),
      illumio: (fetch: typeof globalThis.fetch) =>
        illumio({ ...common, fetch, baseUrl: at(), orgId: 1, ...DEFAULT_ILLUMIO_CREDENTIAL }).events.list(),
      // The vendor's example URL ends in /dih-console: trimmed as the string is.
      informatica: (fetch: typeof globalThis.fetch) =>
        informatica({ ...common, fetch, baseUrl: at('/dih-console'), username: DEFAULT_INFORMATICA_USER.user, password: DEFAULT_INFORMATICA_USER.password })
          .events.list({ range: 'LAST_30_DAYS' }),
    };
    for (const [name, list] of Object.entries(listings)) {
      const emulator = createEmulator(name as keyof typeof listings, { events: 5 });
      const events = await list(emulator.fetch).toArray();
      expect(events.length, name).toBeGreaterThan(0);
    }
  });
});
