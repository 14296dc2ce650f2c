/**
 * zod schemas for FUJITSU Cloud Service K5 DBaaS event notifications (seed 002) and for the Keystone v3
 * login that precedes them (VENDORS.md "FUJITSU").
 *
 * Permissive by design: unknown fields are kept, every field the SDK does not need is optional and
 * nullable, and `eventCategories` is accepted both as the documented string and as the array the
 * example shows; the other text fields of an event take an array too (VENDORS.md: documented strings
 * drift into arrays). Only `date` is strict: it is the paging key (the next `marker`) and the event's
 * time, so an event without a usable date cannot be placed in the stream.
 */
import * as z from 'zod';
import { textOrList } from '../../core/text-or-list.js';

/**
 * ISO 8601 date and time as the service writes it: `2013-03-18T19:09:17`, with or without seconds,
 * fractions or a zone (a zone-less date is UTC). A regular expression is cheap enough to run per event.
 */
const FUJITSU_DATE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$/i;

const optionalString = z.string().nullish();

/** One event notification: `{ date, eventCategories, message, sourceIdentifier, sourceType }`. */
export const eventSchema = z.looseObject({
  /** When the event occurred; second precision in practice, usually without a zone. */
  date: z.string().regex(FUJITSU_DATE, 'expected an ISO 8601 date and time'),
  /** Documented as a string, shown (and usually sent) as an array of strings. */
  eventCategories: z.union([z.string(), z.array(z.string())]).nullish(),
  message: textOrList.nullish(),
  /** The resource the event is about: a DB instance or snapshot id. */
  sourceIdentifier: textOrList.nullish(),
  /** `db-instance` or `db-snapshot`; other values are kept as they come. */
  sourceType: textOrList.nullish(),
});
export type FujitsuEvent = z.output<typeof eventSchema>;

/** `GET /v1.0/{tenantId}/events`: always wrapped, never a bare array. */
export const eventListSchema = z.looseObject({
  events: z.array(eventSchema),
});
export type FujitsuEventList = z.output<typeof eventListSchema>;

/**
 * The body of `POST /v3/auth/tokens`. The token itself travels in the `X-Subject-Token` header; the body
 * only tells when it expires, which lets the client log in again before a request is refused.
 */
export const keystoneTokenSchema = z.looseObject({
  token: z.looseObject({
    expires_at: optionalString,
    issued_at: optionalString,
  }),
});
export type KeystoneToken = z.output<typeof keystoneTokenSchema>;

/**
 * Error bodies. OpenStack services wrap the message under a key naming the fault
 * (`{ "itemNotFound": { "message": "...", "code": 404 } }`); Keystone uses
 * `{ "error": { "message", "code", "title" } }`. Both are one object with one fault key.
 */
export const faultSchema = z.looseObject({
  message: optionalString,
  title: optionalString,
  code: z.union([z.number(), z.string()]).nullish(),
});
export const errorBodySchema = z.union([z.string(), z.record(z.string(), z.unknown())]);
