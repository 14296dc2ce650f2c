/**
 * zod schemas of the Socotra Events API responses (seed 000, VENDORS.md "Socotra").
 *
 * Permissive by rule: unknown fields are kept (`looseObject`), fields the SDK does not need are
 * `nullish`, an enum the vendor may extend is a string, and text fields take an array too (VENDORS.md:
 * documented strings drift into arrays). Strict only where the SDK needs the value: an event's
 * `locator` and `timestamp`, the stream's `pagingToken`, and a failed job's `triggerName`/`triggerGroup`
 * (the key that resumes or deletes it). An event's `type` is not among them: one without a usable type
 * is delivered as `socotra.unknown`, where it stopped the stream at its page for good.
 */
import * as z from 'zod';
import { isRecord } from '../../core/plain-object.js';
import { textOrList } from '../../core/text-or-list.js';

const nonEmpty = z.string().min(1);

/** `EventResponse`: one event of the tenant's stream. */
export const socotraEventSchema = z.looseObject({
  /** A ULID, the event's stable identity. */
  locator: nonEmpty,
  /**
   * The event's type (`policy.issue`). Not checked: the normalizer reads its text, or the first text of
   * an array, and any other value is `socotra.unknown` rather than a page that fails for good.
   */
  type: z.unknown().optional(),
  /** With or without milliseconds or zone; normalized to RFC 3339 UTC milliseconds by the normalizer. */
  timestamp: nonEmpty,
  /** The UUID of the user whose call produced the event; missing for system and plugin events. */
  userLocator: textOrList.nullish(),
  /** The ULID of the API request that triggered the event. */
  requestId: textOrList.nullish(),
  /**
   * `map<string, object>`; some of its values are `{ listCompleted: boolean, items: string[] }`, where
   * `listCompleted: false` means the vendor cut the list.
   */
  // `map<string, object>` in the vendor's terms: opaque, so only a cheap object check (DESIGN.md hot path).
  data: z.custom<Record<string, unknown>>(isRecord, { message: 'expected an object' }).nullish(),
});
export type SocotraEvent = z.output<typeof socotraEventSchema>;

/**
 * `EventStreamResponse`: `pagingToken` is present on every page, also the last; the end of the stream
 * is an empty `events` array. A missing or `null` `events` is read as an empty page by the paging step
 * (`pagination.ts`), not by the schema: a schema that only checks is validated in place, without a copy
 * of the page (`core/response-schema.ts`).
 */
export const socotraEventStreamSchema = z.looseObject({
  pagingToken: nonEmpty,
  events: z.array(socotraEventSchema).nullish(),
});
export type SocotraEventStream = z.output<typeof socotraEventStreamSchema>;

/** `EventResponse[]`, the events of one API request. */
export const socotraEventArraySchema = z.array(socotraEventSchema);

/** Quartz trigger states the seed lists; later versions may add more, so any string is accepted. */
export type SocotraTriggerState = 'BLOCKED' | 'COMPLETE' | 'ERROR' | 'NONE' | 'NORMAL' | 'PAUSED' | (string & {});

/** `ScheduledPolicyEvent`: a scheduled event of one policy and the state of its trigger. */
export const socotraScheduledPolicyEventSchema = z.looseObject({
  policyLocator: textOrList.nullish(),
  transactionLocator: textOrList.nullish(),
  triggerState: z.custom<SocotraTriggerState>((value) => typeof value === 'string').nullish(),
  customEventId: textOrList.nullish(),
  /** When the trigger fires next; `null` once it will not fire again. */
  nextEventTime: textOrList.nullish(),
});
export type SocotraScheduledPolicyEvent = z.output<typeof socotraScheduledPolicyEventSchema>;
export const socotraScheduledPolicyEventArraySchema = z.array(socotraScheduledPolicyEventSchema);

/** The two states of a failed scheduled job: `queued` (will be retried) or `quit` (gave up). */
export type SocotraFailedJobState = 'queued' | 'quit' | (string & {});

/** `FailedJobDetails`: a scheduled job that failed; `triggerName` + `triggerGroup` identify it. */
export const socotraFailedJobSchema = z.looseObject({
  triggerName: nonEmpty,
  triggerGroup: nonEmpty,
  failedJobState: z.custom<SocotraFailedJobState>((value) => typeof value === 'string').nullish(),
  failureCount: z.number().nullish(),
  createdAt: textOrList.nullish(),
  updatedAt: textOrList.nullish(),
});
export type SocotraFailedJob = z.output<typeof socotraFailedJobSchema>;
export const socotraFailedJobArraySchema = z.array(socotraFailedJobSchema);
