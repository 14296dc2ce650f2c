/**
 * zod schemas of the Cloud Integration Hub Events REST API responses (seed 004, VENDORS.md
 * "Informatica"). Permissive by design: unknown fields are kept, documented fields may be missing or
 * `null`. Only what the SDK needs is strict: the event id and its `createTime`.
 */
import { z } from 'zod';

/** Ids are Java `Long`s; a gateway or an older release may send them as numeric strings. */
const longId = z.union([z.number().int(), z.string().regex(/^\d+$/, 'expected a numeric id')]);

const optionalText = z.string().nullish();
const optionalCount = z.number().nullish();

/** One step of an event's processing (`eventHistory`). */
export const informaticaHistoryEntrySchema = z.looseObject({
  eventId: longId.nullish(),
  timeStamp: optionalText,
  eventStatusName: optionalText,
  comments: optionalText,
});

export type InformaticaHistoryEntry = z.output<typeof informaticaHistoryEntrySchema>;

/**
 * A publication or subscription event as the vendor sends it. Written out (rather than inferred) because
 * `childEvents` nests the same type recursively.
 */
export interface InformaticaEvent {
  /** The event id, a `Long` (a numeric string from some gateways). */
  eventId: number | string;
  /** `PUBLICATION`, `SUBSCRIPTION`, `COMPOUND_SUBSCRIPTION`, ... */
  eventType?: string | null | undefined;
  applicationName?: string | null | undefined;
  topicName?: string | null | undefined;
  pubSubName?: string | null | undefined;
  /** When the event started, `yyyy-MM-ddTHH:mm:ss.SSSZ` (UTC). */
  createTime: string;
  completionTime?: string | null | undefined;
  /** Mixed case in responses (`Complete`, `Error`, `Pending`, ...), unlike the upper-case request enum. */
  eventStatus?: string | null | undefined;
  /** The cumulative status of all child events (`ERROR`, `NONE`, ...). */
  descendantState?: string | null | undefined;
  parentEventId?: number | string | null | undefined;
  childEvents?: InformaticaEvent[] | null | undefined;
  /** The seed's syntax shows one object, its example a list: both arrive. */
  eventHistory?: InformaticaHistoryEntry | InformaticaHistoryEntry[] | null | undefined;
  /** Run id of the Data Integration or Mass Ingestion task (`runId` in the example). */
  runId?: string | number | null | undefined;
  /** The same, spelled as in the seed's response syntax. */
  runID?: string | number | null | undefined;
  sourceSuccessCount?: number | null | undefined;
  sourceFailedCount?: number | null | undefined;
  targetSuccessCount?: number | null | undefined;
  targetFailedCount?: number | null | undefined;
  /** Fields the documentation does not list are kept as received. */
  [field: string]: unknown;
}

export const informaticaEventSchema: z.ZodType<InformaticaEvent> = z.looseObject({
  eventId: longId,
  eventType: optionalText,
  applicationName: optionalText,
  topicName: optionalText,
  pubSubName: optionalText,
  createTime: z.string().min(1),
  completionTime: optionalText,
  eventStatus: optionalText,
  descendantState: optionalText,
  parentEventId: longId.nullish(),
  get childEvents() {
    return z.array(informaticaEventSchema).nullish();
  },
  eventHistory: z.union([z.array(informaticaHistoryEntrySchema), informaticaHistoryEntrySchema]).nullish(),
  runId: z.union([z.string(), z.number()]).nullish(),
  runID: z.union([z.string(), z.number()]).nullish(),
  sourceSuccessCount: optionalCount,
  sourceFailedCount: optionalCount,
  targetSuccessCount: optionalCount,
  targetFailedCount: optionalCount,
});

/**
 * The search answers a list of events, or a single bare object when one event matches (the form of
 * the seed's own example). Both become a list.
 */
export const informaticaEventListSchema = z
  .union([z.array(informaticaEventSchema), informaticaEventSchema])
  .transform((value): InformaticaEvent[] => (Array.isArray(value) ? value : [value]));
