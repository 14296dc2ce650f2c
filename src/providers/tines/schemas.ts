/**
 * zod schemas of the Tines events API. Permissive as VENDORS.md "Tines" asks: unknown fields are kept
 * (`looseObject`), documented-but-optional fields may be missing or `null`, ids may arrive as numbers or
 * as decimal strings, a documented string (`story_run_guid`) may arrive as an array. Strict only where
 * the SDK needs a value: the event `id` and `created_at`.
 *
 * Field list: seed 001 (`/api/v1/agents/{id}/events`, bare array) and the current docs
 * (https://www.tines.com/api/events/list, `{ events, meta }`; https://www.tines.com/api/events).
 */
import * as z from 'zod';
import { textOrList } from '../../core/text-or-list.js';

/**
 * An event id: a non-negative safe integer, or a decimal string. Ids are integers around 2e9 today;
 * some proxies and older tenants send them as strings. A number beyond 2^53 is refused: `JSON.parse`
 * could not hold it exactly, and it must not silently become a neighbouring id.
 */
function isTinesId(value: unknown): value is number | string {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0;
  return typeof value === 'string' && /^\d+$/.test(value);
}

/** A plain check: the equivalent `z.union` of an int and a regex cost a tenth of the event's validation. */
export const tinesIdSchema = z.custom<number | string>(isTinesId, { message: 'expected a non-negative integer or a decimal id' });

/** A reference to a user, action or event: a number, or a string on some tenants. */
const refSchema = z.union([z.number(), z.string()]);

/** One event, as `GET /api/v1/events`, `/api/v1/actions/{id}/events` and `/api/v1/events/{id}` return it. */
export const tinesEventSchema = z.looseObject({
  id: tinesIdSchema,
  /** The emitting action's owner; missing on events emitted by system actions. */
  user_id: refSchema.nullish(),
  /** The emitting action, under its old name. */
  agent_id: refSchema.nullish(),
  /** The emitting action, under its current name (some tenants send this instead of `agent_id`). */
  action_id: refSchema.nullish(),
  /** Any JSON; kept opaque (no per-key validation on the hot path). */
  payload: z.unknown().optional(),
  created_at: z.string().min(1),
  story_run_guid: textOrList.nullish(),
  // Not read by the SDK, so not checked: one drifted value must not fail the page that carries it.
  /** Usually an RFC 3339 time. */
  updated_at: z.unknown().optional(),
  /** Usually an RFC 3339 time, after which the tenant drops the event. */
  expires_at: z.unknown().optional(),
  /** Usually the ids of the events that led to this one. */
  previous_event_ids: z.unknown().optional(),
  /** Usually whether the event was re-emitted. */
  re_emitted: z.unknown().optional(),
});

export type TinesEvent = z.output<typeof tinesEventSchema>;

/**
 * The pagination `meta` of the current API (https://www.tines.com/api/welcome). Page links are URLs,
 * numbers are numbers, but real tenants send them in other forms (a number as a string, a link as a
 * one-item array) and let them disagree. No field of it alone ends a listing (`meta.ts`), so none is
 * checked: a field in a form `meta.ts` cannot read gives no vote, where it failed the page for good.
 */
const metaValueSchema = z.unknown().optional();
export const tinesMetaSchema = z.looseObject({
  current_page: metaValueSchema,
  previous_page: metaValueSchema,
  next_page: metaValueSchema,
  next_page_number: metaValueSchema,
  per_page: metaValueSchema,
  pages: metaValueSchema,
  count: metaValueSchema,
});

export type TinesMeta = z.output<typeof tinesMetaSchema>;

/** The current API's wrapped list. */
export const tinesEventPageSchema = z.looseObject({
  events: z.array(tinesEventSchema),
  meta: tinesMetaSchema.nullish(),
});

/** The seed's bare array (`/api/v1/agents/{id}/events`). */
export const tinesEventArraySchema = z.array(tinesEventSchema);

/**
 * A list response: the seed's bare array or the current `{ events, meta }`; both exist in the wild.
 * Both forms only check, so the body is validated in place against each form on its own
 * (`core/response-schema.ts`), and a failure names the field of the form that was sent.
 */
export const tinesEventListSchema = z.union([tinesEventArraySchema, tinesEventPageSchema]);

export type TinesEventList = z.output<typeof tinesEventListSchema>;

/**
 * The error bodies Tines sends: `{ errors: [{ message, details }] }`, `{ error: '...' }`, a bare array
 * of messages or objects, or plain text (VENDORS.md "Tines"). Used only to pull out a message.
 */
const errorEntrySchema = z.union([
  z.string(),
  z.looseObject({ message: z.string().nullish(), details: z.unknown().optional() }),
]);
export const tinesErrorBodySchema = z.union([
  z.string(),
  z.array(errorEntrySchema),
  z.looseObject({
    errors: z.union([z.array(errorEntrySchema), z.string()]).nullish(),
    error: z.string().nullish(),
    message: z.string().nullish(),
  }),
]);
