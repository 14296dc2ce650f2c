/**
 * What a test gives an emulator's store and gets back from it is exported by name from
 * `tributary/testing`, as `TinesEventInput` and `TinesStoredEvent` were: a table of fixtures, or a helper
 * that adds them, names its type instead of digging it out of a method's parameters. So is the type of
 * each option that shapes what an emulator writes (`FujitsuDateStyle`, `TinesMetaMode`), for a test
 * that runs over each of its forms.
 * `npx tsc --noEmit -p .` checks the types here; the test adds the fixtures and lists them.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { fujitsu } from 'tributary/fujitsu';
import { informatica } from 'tributary/informatica';
import { socotra } from 'tributary/socotra';
import {
  createEmulator,
  DEFAULT_FUJITSU_TENANT,
  DEFAULT_FUJITSU_TOKEN,
  DEFAULT_INFORMATICA_USER,
  SOCOTRA_EMULATOR_TENANT,
  SOCOTRA_EMULATOR_TOKEN,
  type FujitsuCategoriesStyle,
  type FujitsuDateStyle,
  type FujitsuEmulatorOptions,
  type FujitsuEmulatorStore,
  type FujitsuEventInput,
  type FujitsuEventStore,
  type FujitsuMarkerMode,
  type FujitsuStoredEvent,
  type EmulatorTimeZoneStyle,
  type InformaticaEmulatorOptions,
  type InformaticaEmulatorState,
  type InformaticaResponseForms,
  type InformaticaEventInput,
  type InformaticaStoredEvent,
  type SocotraEmulatedEvent,
  type SocotraEventInput,
  type SocotraStore,
  type TinesEmulatorAction,
  type TinesEmulatorOptions,
  type TinesEmulatorStore,
  type TinesMetaMode,
} from 'tributary/testing';

const common = { retry: false, rateLimit: false, baseUrl: 'http://127.0.0.1:8080' } as const;

describe('the testing kit', () => {
  it('exports the types of what its stores take and give', () => {
    expectTypeOf<Parameters<SocotraStore['addEvent']>[0]>().toEqualTypeOf<SocotraEventInput | undefined>();
    expectTypeOf<ReturnType<SocotraStore['addEvent']>>().toEqualTypeOf<SocotraEmulatedEvent>();
    expectTypeOf<FujitsuEmulatorStore['events']>().toEqualTypeOf<FujitsuEventStore>();
    expectTypeOf<Parameters<FujitsuEventStore['add']>[1]>().toEqualTypeOf<FujitsuEventInput>();
    expectTypeOf<ReturnType<FujitsuEventStore['add']>>().toEqualTypeOf<FujitsuStoredEvent>();
    expectTypeOf<Parameters<InformaticaEmulatorState['events']['add']>[0]>().toEqualTypeOf<InformaticaEventInput>();
    expectTypeOf<ReturnType<InformaticaEmulatorState['events']['add']>>().toEqualTypeOf<InformaticaStoredEvent>();
    expectTypeOf<TinesEmulatorStore['actions']>().toEqualTypeOf<ReadonlyMap<number, TinesEmulatorAction>>();
    expectTypeOf<FujitsuEmulatorOptions['marker']>().toEqualTypeOf<FujitsuMarkerMode | undefined>();
    expectTypeOf<FujitsuEmulatorOptions['dates']>().toEqualTypeOf<FujitsuDateStyle | undefined>();
    expectTypeOf<FujitsuEmulatorOptions['categories']>().toEqualTypeOf<FujitsuCategoriesStyle | undefined>();
  });

  it('exports the types of the options that shape the wire, for a test run over each form', () => {
    expectTypeOf<TinesEmulatorOptions['meta']>().toEqualTypeOf<TinesMetaMode | undefined>();
    expectTypeOf<TinesEmulatorOptions['timeZones']>().toEqualTypeOf<EmulatorTimeZoneStyle | undefined>();
    expectTypeOf<InformaticaEmulatorOptions['responseForms']>().toEqualTypeOf<InformaticaResponseForms | undefined>();
    expectTypeOf<InformaticaEmulatorOptions['timeZones']>().toEqualTypeOf<EmulatorTimeZoneStyle | undefined>();
  });

  it('takes fixtures typed by those names', async () => {
    const socotraFixtures: SocotraEventInput[] = [{ type: 'policy.issue' }, { type: 'policy.cancel', userLocator: null }];
    const soc = createEmulator('socotra', { events: 0 });
    for (const fixture of socotraFixtures) soc.store.addEvent(fixture);
    const listed = await socotra({ ...common, fetch: soc.fetch, tenantLocator: SOCOTRA_EMULATOR_TENANT, token: SOCOTRA_EMULATOR_TOKEN }).events.list().toArray();
    expect(listed.map((event) => event.type)).toEqual(['policy.issue', 'policy.cancel']);

    const fujitsuFixtures: FujitsuEventInput[] = [{ at: '2026-11-23T10:00:00Z', categories: ['backup'] }];
    const k5 = createEmulator('fujitsu', { events: 0 });
    const stored: FujitsuStoredEvent[] = fujitsuFixtures.map((fixture) => k5.store.events.add(DEFAULT_FUJITSU_TENANT, fixture));
    const fromK5 = await fujitsu({ ...common, fetch: k5.fetch, tenantId: DEFAULT_FUJITSU_TENANT, token: DEFAULT_FUJITSU_TOKEN })
      .events.list({ since: '2026-11-23T00:00:00Z', until: '2026-11-24T00:00:00Z' })
      .toArray();
    expect(fromK5.map((event) => event.data.categories)).toEqual(stored.map((event) => event.categories));

    const cih = createEmulator('informatica', { events: 0 });
    const input: InformaticaEventInput = { eventType: 'PUBLICATION', applicationName: 'DI_App', topicName: undefined };
    const added: InformaticaStoredEvent = cih.store.events.add(input, Date.now());
    const fromCih = await informatica({ ...common, fetch: cih.fetch, username: DEFAULT_INFORMATICA_USER.user, password: DEFAULT_INFORMATICA_USER.password })
      .events.get(added.eventId);
    expect(fromCih.data.applicationName).toBe('DI_App');
  });
});
