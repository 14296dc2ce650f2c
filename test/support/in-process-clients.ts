/**
 * Clients of the five vendors over a `fetch` given (an emulator's, in process, or one that counts its
 * requests), with the emulators' credentials and no limiter: tests of paging and cursors alone.
 * Informatica's is `inProcessClient` of its own tests.
 */
import type { Clock } from '../../src/core/clock.js';
import type { RateLimitOptions } from '../../src/core/options.js';
import { fujitsu } from '../../src/providers/fujitsu/index.js';
import { DEFAULT_FUJITSU_TENANT, DEFAULT_FUJITSU_TOKEN } from '../../src/providers/fujitsu/emulator.js';
import { illumio } from '../../src/providers/illumio/index.js';
import { DEFAULT_ILLUMIO_CREDENTIAL } from '../../src/providers/illumio/emulator.js';
import { socotra } from '../../src/providers/socotra/index.js';
import { SOCOTRA_EMULATOR_TENANT, SOCOTRA_EMULATOR_TOKEN } from '../../src/providers/socotra/emulator.js';
import { tines } from '../../src/providers/tines/index.js';
import { DEFAULT_TINES_CREDENTIAL } from '../../src/providers/tines/emulator.js';
import { inProcessClient as informaticaClient } from '../providers/informatica/connect.js';

type Fetch = typeof globalThis.fetch;
/** Options over the defaults above: a client signal, a limiter of its own. */
export type ExtraOptions = { signal?: AbortSignal; rateLimit?: false | RateLimitOptions };

export const inProcessClients = {
  illumio: (fetch: Fetch, clock: Clock, extra: ExtraOptions = {}) =>
    illumio({ baseUrl: 'https://pce.example.com:8443', orgId: 1, ...DEFAULT_ILLUMIO_CREDENTIAL, fetch, clock, rateLimit: false, ...extra }),
  fujitsu: (fetch: Fetch, clock: Clock, extra: ExtraOptions = {}) =>
    fujitsu({ baseUrl: 'https://database.uk-1.cloud.global.fujitsu.com', tenantId: DEFAULT_FUJITSU_TENANT, token: DEFAULT_FUJITSU_TOKEN, fetch, clock, rateLimit: false, ...extra }),
  tines: (fetch: Fetch, clock: Clock, extra: ExtraOptions = {}) =>
    tines({ baseUrl: 'https://tenant-1234.tines.com', token: DEFAULT_TINES_CREDENTIAL.key, fetch, clock, rateLimit: false, ...extra }),
  informatica: informaticaClient,
  socotra: (fetch: Fetch, clock: Clock, extra: ExtraOptions = {}) =>
    socotra({ baseUrl: 'https://api-ec-sandbox.socotra.com', tenantLocator: SOCOTRA_EMULATOR_TENANT, token: SOCOTRA_EMULATOR_TOKEN, fetch, clock, rateLimit: false, ...extra }),
};
