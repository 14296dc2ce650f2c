/**
 * Each vendor's published defaults (`ILLUMIO_DEFAULTS`, ...) are public, so their type is too: a caller
 * that passes them on (to size a shared limiter, say) can name it. `npx tsc --noEmit -p .` checks the
 * types here.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ProviderDefaults } from 'tributary';
import { FUJITSU_DEFAULTS } from 'tributary/fujitsu';
import { ILLUMIO_DEFAULTS } from 'tributary/illumio';
import { INFORMATICA_DEFAULTS } from 'tributary/informatica';
import { SOCOTRA_DEFAULTS } from 'tributary/socotra';
import { TINES_DEFAULTS } from 'tributary/tines';

/** The request budget a shared limiter would be sized to; `undefined` where the vendor publishes none. */
const budget = (defaults: ProviderDefaults): number | undefined => defaults.rateLimit?.requests;

describe('provider defaults', () => {
  it('are typed with the exported ProviderDefaults', () => {
    for (const defaults of [SOCOTRA_DEFAULTS, TINES_DEFAULTS, FUJITSU_DEFAULTS, ILLUMIO_DEFAULTS, INFORMATICA_DEFAULTS]) {
      expectTypeOf(defaults).toEqualTypeOf<ProviderDefaults>();
    }
    expect(budget(ILLUMIO_DEFAULTS)).toBe(500);
    expect(budget(INFORMATICA_DEFAULTS)).toBe(5);
  });
});
