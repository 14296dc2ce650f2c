/**
 * zod schemas of the Cloud Integration Hub Events REST API responses (seed 004, VENDORS.md
 * "Informatica"). Permissive by design: unknown fields are kept, documented fields may be missing or
 * `null`, and a documented string may arrive as an array. Only what the SDK needs is strict: the event
 * id and its `createTime`. What the SDK reads with a `typeof` check anyway (`eventHistory`, `runId`)
 * is opaque here: this schema runs once per event and child event, so every union it avoids counts.
 */
import * as z from 'zod';
import { textOrList } from '../../core/text-or-list.js';
import { STANDS_FOR } from '../../core/validation.js';

/**
 * Ids are Java `Long`s; a gateway or an older release may send them as numeric strings. A number past
 * 2^53 came out of `JSON.parse` rounded, so two events could share it: such an id is unusable.
 */
function isLongId(value: unknown): value is number | string {
  return typeof value === 'number' ? Number.isSafeInteger(value) && value >= 0 : typeof value === 'string' && /^\d+$/.test(value);
}

/**
 * A plain check rather than `z.union([z.number().int(), z.string().regex(...)])`: the union was a
 * fifth of the schema's cost per event (VENDORS.md "Informatica": numbers, or numeric strings).
 */
const longId = z.custom<number | string>(isLongId, {
  // A Long past 2^53 is numeric, yet unusable here: "expected a numeric id" read as a wrong type.
  message: 'expected a whole number below 2^53 (a larger one is rounded by JSON.parse) or a numeric string',
});

const optionalText = textOrList.nullish();
/** Usually a number; some pods send a numeric string. Read only as a count, so nothing else fails a page. */
const optionalCount = z.unknown().optional();

/**
 * One step of an event's processing (`eventHistory`): `{ eventId, timeStamp, eventStatusName, comments }`.
 * Passed through as received: the SDK reads only `comments`, and only when it is a string, so the
 * documented fields are `unknown` until checked.
 */
export interface InformaticaHistoryEntry {
  readonly eventId?: unknown;
  readonly timeStamp?: unknown;
  readonly eventStatusName?: unknown;
  readonly comments?: unknown;
  readonly [field: string]: unknown;
}

/**
 * A publication or subscription event as the vendor sends it. Written out (rather than inferred) because
 * `childEvents` nests the same type recursively. The optional text fields are documented as strings;
 * the array some responses send instead is kept as it came (`normalize.ts` reads its first string).
 */
export interface InformaticaEvent {
  /** The event id, a `Long` (a numeric string from some gateways). */
  eventId: number | string;
  /** `PUBLICATION`, `SUBSCRIPTION`, `COMPOUND_SUBSCRIPTION`, ... */
  eventType?: string | readonly unknown[] | null | undefined;
  applicationName?: string | readonly unknown[] | null | undefined;
  topicName?: string | readonly unknown[] | null | undefined;
  pubSubName?: string | readonly unknown[] | null | undefined;
  /** When the event started, `yyyy-MM-ddTHH:mm:ss.SSSZ` (UTC). */
  createTime: string;
  completionTime?: string | readonly unknown[] | null | undefined;
  /** Mixed case in responses (`Complete`, `Error`, `Pending`, ...), unlike the upper-case request enum. */
  eventStatus?: string | readonly unknown[] | null | undefined;
  /** The cumulative status of all child events (`ERROR`, `NONE`, ...). */
  descendantState?: string | readonly unknown[] | null | undefined;
  parentEventId?: number | string | null | undefined;
  childEvents?: InformaticaEvent[] | null | undefined;
  /**
   * The seed's syntax shows one `InformaticaHistoryEntry`, its example a list: both arrive. Opaque to
   * the schema; `normalize.ts` keeps the entries that are objects.
   */
  eventHistory?: unknown;
  /** Run id of the Data Integration or Mass Ingestion task (`runId` in the example), a string or a number. */
  runId?: unknown;
  /** The same, spelled as in the seed's response syntax. */
  runID?: unknown;
  /** The counts: usually numbers, numeric strings on some pods; `data.counts` has them as numbers. */
  sourceSuccessCount?: unknown;
  sourceFailedCount?: unknown;
  targetSuccessCount?: unknown;
  targetFailedCount?: unknown;
  /** Fields the documentation does not list are kept as received. */
  [field: string]: unknown;
}

/** Every field but `childEvents`, the same at every depth. */
const eventFields = {
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
  // Opaque here: unions of the two history forms and of the run id types were half of the schema's
  // cost per event, for values the normalizer reads with a `typeof` check anyway.
  eventHistory: z.unknown().optional(),
  runId: z.unknown().optional(),
  runID: z.unknown().optional(),
  sourceSuccessCount: optionalCount,
  sourceFailedCount: optionalCount,
  targetSuccessCount: optionalCount,
  targetFailedCount: optionalCount,
};

/** One event and its descendants, nested as deep as they come. */
export const informaticaEventSchema: z.ZodType<InformaticaEvent> = z.looseObject({
  ...eventFields,
  get childEvents() {
    return z.array(informaticaEventSchema).nullish();
  },
});

/** Levels of `childEvents` written out in `informaticaEventListSchema`. */
const UNROLLED_DEPTH = 4;

/**
 * The same event with `depth` levels of `childEvents` written out, and the recursive schema below them.
 * `z.compile` refuses a schema with a cycle, and compiled, a search page is checked five times faster
 * (2.5 against 0.5 us an event, bench/); compound subscriptions nest one or two levels.
 */
function unrolledEventSchema(depth: number): z.ZodType<InformaticaEvent> {
  const children =
    depth === 0
      ? z.custom<InformaticaEvent>((value) => informaticaEventSchema.safeParse(value).success, {
          message: `a child event nested more than ${UNROLLED_DEPTH} levels deep does not match the event schema`,
          // A yes or no: an issue below these levels is named by the recursive schema (`validation.ts`).
          params: { [STANDS_FOR]: informaticaEventSchema },
        })
      : unrolledEventSchema(depth - 1);
  return z.looseObject({ ...eventFields, childEvents: z.array(children).nullish() });
}

/**
 * The search answers a list of events, or a single bare object when one event matches (the form of
 * the seed's own example); the paging step wraps a bare object. Neither form is rewritten here, so the
 * page is validated in place (`core/response-schema.ts`), and an issue names the field of the form
 * that was sent (`core/validation.ts`).
 */
export const informaticaEventListSchema = z.union([z.array(unrolledEventSchema(UNROLLED_DEPTH)), unrolledEventSchema(UNROLLED_DEPTH)]);

/** The events of a search answer, in either form. */
export function searchResults(body: z.output<typeof informaticaEventListSchema>): InformaticaEvent[] {
  return Array.isArray(body) ? body : [body];
}

/**
 * Levels of `childEvents` the SDK reads: compound subscriptions nest one or two. The normalizer and the
 * paging step walk children recursively, and a chain a few thousand deep, which the validator still
 * passes, overflowed the stack there with a bare `RangeError`.
 */
export const MAX_CHILD_DEPTH = 100;

/**
 * Whether `events` nest `childEvents` more than `MAX_CHILD_DEPTH` levels deep. Runs on every page:
 * it allocates nothing, and its recursion stops at that depth, so the stack never holds more.
 */
export function nestedTooDeep(events: readonly InformaticaEvent[], depth = 0): boolean {
  for (const event of events) {
    const children = event.childEvents;
    if (!children || children.length === 0) continue;
    if (depth === MAX_CHILD_DEPTH || nestedTooDeep(children, depth + 1)) return true;
  }
  return false;
}
