/**
 * `event.data` is typed by its provider where the normalizer builds it (Illumio, FUJITSU, Informatica),
 * so a caller reads `data.action`, `data.categories` or `data.childEventIds` without a cast, also after
 * narrowing a merged stream by `event.provider`. Socotra and Tines pass the vendor's own object through:
 * theirs stays `Record<string, unknown>`. Every provider's event is still a `TributaryEvent`.
 * `npx tsc --noEmit -p .` checks the types here; the test reads the same fields from the emulators.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { merge, toCloudEvent, type TributaryEvent } from 'tributary';
import { fujitsu, type FujitsuEventData, type FujitsuTributaryEvent } from 'tributary/fujitsu';
import { illumio, type IllumioAction, type IllumioEventData, type IllumioTributaryEvent } from 'tributary/illumio';
import {
  informatica,
  type InformaticaEventData,
  type InformaticaHistoryEntry,
  type InformaticaTributaryEvent,
} from 'tributary/informatica';
import type { SocotraTributaryEvent } from 'tributary/socotra';
import type { TinesTributaryEvent } from 'tributary/tines';
import {
  createEmulator,
  DEFAULT_FUJITSU_TENANT,
  DEFAULT_FUJITSU_TOKEN,
  DEFAULT_ILLUMIO_CREDENTIAL,
  DEFAULT_INFORMATICA_USER,
} from 'tributary/testing';

const common = { retry: false, rateLimit: false, baseUrl: 'http://127.0.0.1:8080' } as const;

describe('event.data', () => {
  it('is typed by the provider that builds it', () => {
    expectTypeOf<IllumioTributaryEvent['data']>().toEqualTypeOf<IllumioEventData>();
    expectTypeOf<IllumioEventData['action']>().toEqualTypeOf<IllumioAction | null>();
    expectTypeOf<IllumioEventData['pce_fqdn']>().toEqualTypeOf<string | null>();
    expectTypeOf<FujitsuTributaryEvent['data']>().toEqualTypeOf<FujitsuEventData>();
    expectTypeOf<FujitsuEventData['categories']>().toEqualTypeOf<readonly string[]>();
    expectTypeOf<InformaticaTributaryEvent['data']>().toEqualTypeOf<InformaticaEventData>();
    expectTypeOf<InformaticaEventData['history']>().toEqualTypeOf<InformaticaHistoryEntry[]>();
    expectTypeOf<SocotraTributaryEvent['data']>().toEqualTypeOf<Record<string, unknown>>();
    expectTypeOf<TinesTributaryEvent['data']>().toEqualTypeOf<Record<string, unknown>>();
  });

  it('leaves every provider event a TributaryEvent, which toCloudEvent takes', () => {
    expectTypeOf<IllumioTributaryEvent>().toExtend<TributaryEvent>();
    expectTypeOf<FujitsuTributaryEvent>().toExtend<TributaryEvent>();
    expectTypeOf<InformaticaTributaryEvent>().toExtend<TributaryEvent<'informatica'>>();
    expectTypeOf<TributaryEvent<'tines'>['data']>().toEqualTypeOf<Record<string, unknown>>();
  });

  it('takes a user\'s own data type, an interface as well as a type alias', () => {
    // An interface has no index signature: a `Record<string, unknown>` bound refused it.
    interface Enriched {
      tenant: string;
    }
    type Mine = TributaryEvent<'tines', unknown, Enriched>;
    expectTypeOf<Mine['data']['tenant']>().toEqualTypeOf<string>();
    expectTypeOf<Mine>().toExtend<TributaryEvent<'tines', unknown, object>>();
  });

  it('is read without a cast, after narrowing a merged stream by provider', async () => {
    const pce = illumio({ ...common, fetch: createEmulator('illumio', { events: 5 }).fetch, orgId: 1, ...DEFAULT_ILLUMIO_CREDENTIAL });
    const k5 = fujitsu({ ...common, fetch: createEmulator('fujitsu', { events: 5 }).fetch, tenantId: DEFAULT_FUJITSU_TENANT, token: DEFAULT_FUJITSU_TOKEN });
    const cih = informatica({
      ...common,
      fetch: createEmulator('informatica', { events: 5 }).fetch,
      username: DEFAULT_INFORMATICA_USER.user,
      password: DEFAULT_INFORMATICA_USER.password,
    });
    const read: Record<string, number> = { illumio: 0, fujitsu: 0, informatica: 0 };
    for await (const event of merge(pce.events.list(), k5.events.list({ since: '2000-01-01T00:00:00Z' }), cih.events.list({ range: 'NO_RANGE' }))) {
      if (event.provider === 'illumio') {
        const method: unknown = event.data.action?.api_method;
        expect(method === undefined || typeof method === 'string').toBe(true);
        expect(Array.isArray(event.data.resource_changes)).toBe(true);
      } else if (event.provider === 'fujitsu') {
        expect(event.data.categories.every((category) => typeof category === 'string')).toBe(true);
      } else {
        expect(Array.isArray(event.data.history)).toBe(true);
        expect(event.data.counts).toBeTypeOf('object');
      }
      read[event.provider] = (read[event.provider] ?? 0) + 1;
      expect(toCloudEvent(event).data).toBe(event.data);
    }
    expect(read).toEqual({ illumio: 5, fujitsu: 5, informatica: expect.any(Number) });
    expect(read['informatica']).toBeGreaterThanOrEqual(5);
  });
});
