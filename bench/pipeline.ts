/**
 * The per-page work of each provider's listing, taken apart for the breakdown scenario: the response
 * schema (zod) and the page normalizer, exactly as the provider's `events.list` runs them. These are
 * the providers' internal modules; the breakdown is for the owners of that code.
 */
import type { z } from 'zod';
import type { ProviderName } from '../src/core/errors.js';
import { DEFAULT_FUJITSU_TENANT } from '../src/providers/fujitsu/emulator.js';
import { keyEvents, normalizeEvents as normalizeFujitsu } from '../src/providers/fujitsu/normalize.js';
import { eventListSchema as fujitsuList } from '../src/providers/fujitsu/schemas.js';
import { normalizeEvents as normalizeIllumio } from '../src/providers/illumio/normalize.js';
import { eventListSchema as illumioList } from '../src/providers/illumio/schemas.js';
import { normalizeInformaticaEvents } from '../src/providers/informatica/normalize.js';
import { informaticaEventListSchema, searchResults } from '../src/providers/informatica/schemas.js';
import { SOCOTRA_EMULATOR_TENANT } from '../src/providers/socotra/emulator.js';
import { socotraNormalizer } from '../src/providers/socotra/normalize.js';
import { toTokenPage } from '../src/providers/socotra/pagination.js';
import { socotraEventStreamSchema } from '../src/providers/socotra/schemas.js';
import { normalizeEvents as normalizeTines } from '../src/providers/tines/normalize.js';
import { tinesEventListSchema } from '../src/providers/tines/schemas.js';

export interface PagePipeline<S extends z.ZodType = z.ZodType> {
  schema: S;
  /** The validated body to normalized events (with the paging step's own per-page work where it has one). */
  normalize(data: z.output<S>): unknown[];
}

const pipeline = <S extends z.ZodType>(schema: S, normalize: (data: z.output<S>) => unknown[]): PagePipeline => ({
  schema,
  normalize: normalize as (data: unknown) => unknown[],
});

const socotraPage = socotraNormalizer(SOCOTRA_EMULATOR_TENANT, 'events.list');
const fujitsuPage = normalizeFujitsu(DEFAULT_FUJITSU_TENANT);

export const PIPELINES: Readonly<Record<ProviderName, PagePipeline>> = {
  socotra: pipeline(socotraEventStreamSchema, (data) => socotraPage(toTokenPage(data).items)),
  tines: pipeline(tinesEventListSchema, (data) => normalizeTines(Array.isArray(data) ? data : data.events)),
  fujitsu: pipeline(fujitsuList, (data) => fujitsuPage(keyEvents(data.events, 'events.list'))),
  illumio: pipeline(illumioList, (data) => normalizeIllumio(data, '1')),
  informatica: pipeline(informaticaEventListSchema, (data) => normalizeInformaticaEvents(searchResults(data), 'flatten')),
};
