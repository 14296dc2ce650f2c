/**
 * What names a vendor in the SDK's output is a `ProviderName`, not any string: the `provider` that hooks
 * receive and the CloudEvent's `provider` extension (and its `severity`, a `Severity`), so a `switch`
 * over them is checked for exhaustiveness and a misspelt `'ilumio'` does not compile.
 * `npx tsc --noEmit -p .` checks the types here; the test runs the hooks and the conversion.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { toCloudEvent, type CloudEventJson, type ProviderName, type RateLimitInfo, type RequestInfo, type Severity } from 'tributary';
import { illumio } from 'tributary/illumio';
import { createEmulator, DEFAULT_ILLUMIO_CREDENTIAL } from 'tributary/testing';

/** The vendor's name as a log shows it; exhaustive, so a sixth vendor must be named here. */
function label(provider: ProviderName): string {
  switch (provider) {
    case 'socotra':
      return 'Socotra';
    case 'tines':
      return 'Tines';
    case 'fujitsu':
      return 'FUJITSU K5';
    case 'illumio':
      return 'Illumio PCE';
    case 'informatica':
      return 'Informatica';
  }
}

describe('provider names in the output', () => {
  it('are typed ProviderName', () => {
    expectTypeOf<RequestInfo['provider']>().toEqualTypeOf<ProviderName>();
    expectTypeOf<RateLimitInfo['provider']>().toEqualTypeOf<ProviderName>();
    expectTypeOf<CloudEventJson['provider']>().toEqualTypeOf<ProviderName>();
    expectTypeOf<CloudEventJson['severity']>().toEqualTypeOf<Severity | undefined>();
  });

  it('are what hooks and toCloudEvent give', async () => {
    const seen: string[] = [];
    const pce = illumio({
      baseUrl: 'http://127.0.0.1:8080',
      fetch: createEmulator('illumio', { events: 3 }).fetch,
      orgId: 1,
      ...DEFAULT_ILLUMIO_CREDENTIAL,
      retry: false,
      hooks: { onRequest: (info) => seen.push(label(info.provider)), onResponse: (info) => seen.push(label(info.provider)) },
    });
    const [event] = await pce.events.list().toArray({ maxItems: 1 });
    expect(seen.slice(0, 2)).toEqual(['Illumio PCE', 'Illumio PCE']);
    const cloud = toCloudEvent(event as NonNullable<typeof event>);
    expect(label(cloud.provider)).toBe('Illumio PCE');
    // @ts-expect-error a misspelt vendor is no ProviderName
    expect(cloud.provider === 'ilumio').toBe(false);
  });
});
