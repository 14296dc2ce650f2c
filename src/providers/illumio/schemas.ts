/**
 * zod schemas for the Illumio PCE events API (seed 003 and VENDORS.md "Illumio").
 *
 * Permissive by design: real PCEs add fields, return `null` for documented ones and differ between
 * versions, so every object keeps its unknown keys and every field the SDK does not need is optional
 * and nullable; the event's text fields take an array too, as documented strings drift into arrays
 * (VENDORS.md). Only `href` (the identity and dedupe key) and `timestamp` (the paging key) are strict;
 * the two nested objects (`created_by`, `action`) are opaque here and checked where they are read.
 */
import * as z from 'zod';
import { textOrList } from '../../core/text-or-list.js';

const optionalString = z.string().nullish();

/**
 * `created_by`: one variant key naming the kind of principal (`user`, `agent`, `system`, `ven`,
 * `container_cluster`, `service_account`, ... the set grows with PCE versions), holding
 * `{ href, username | hostname | name }`. Not validated field by field: per-key validation of these two
 * nested objects cost more than the rest of the event together (0.83 us an event against 0.26 us
 * without), and the SDK reads only an `href` and a name, which `normalize.ts` checks by `typeof`.
 * Values are therefore `unknown` until checked.
 */
export type IllumioCreatedBy = Readonly<Record<string, unknown>>;

/**
 * The API call behind an event (`null` for events the PCE raised by itself), passed through untouched
 * as `data.action`. The documented fields are listed for discovery; they are as the PCE sent them.
 */
export interface IllumioAction {
  readonly uuid?: unknown;
  readonly api_method?: unknown;
  readonly api_endpoint?: unknown;
  readonly api_status_code?: unknown;
  readonly src_ip?: unknown;
  readonly info?: unknown;
  readonly [field: string]: unknown;
}

/**
 * Opaque lists: the PCE documents their items loosely and they are passed through untouched. Not
 * checked: one event whose list came as a single object (VENDORS.md: documented shapes drift) would
 * fail its page for good, over a field the SDK only hands on; the normalizer makes it a list.
 */
const opaqueList = z.unknown().optional();

export const eventSchema = z.looseObject({
  /** `/orgs/{orgId}/events/{uuid}` (or `/system_events/{uuid}` on older PCEs): id and dedupe key. */
  href: z.string().min(1),
  /** RFC 3339; with or without milliseconds, with or without a zone. */
  timestamp: z.string().min(1),
  /** Missing or `null` on some events (VENDORS.md): typed `illumio.unknown` then, not a failed page. */
  event_type: textOrList.nullish(),
  pce_fqdn: textOrList.nullish(),
  /** An object (see `IllumioCreatedBy`) or `null`; anything else yields no actor. */
  created_by: z.unknown().optional(),
  /** Syslog names: `emerg`, `alert`, `crit`, `err`, `warning`, `notice`, `info`, `debug`. */
  severity: textOrList.nullish(),
  /** `success`, `failure`, or `null` when the event had no action. */
  status: textOrList.nullish(),
  /** An object (see `IllumioAction`) or `null`; anything else is delivered as `data.action: null`. */
  action: z.unknown().optional(),
  resource_changes: opaqueList,
  notifications: opaqueList,
});

/** An Illumio PCE event as received, unknown fields kept. */
export type IllumioEvent = z.output<typeof eventSchema>;

/** `GET /orgs/{orgId}/events` and the async export's result file: a bare array. */
export const eventListSchema = z.array(eventSchema);

/**
 * An asynchronous job (`GET /orgs/{orgId}/jobs/{id}`). `status` is `pending`/`running`, then `done`
 * (`completed` on some versions) or `failed` (or another word: `export.ts` ends the job on any);
 * `result.href` names the file holding the export.
 */
export const jobSchema = z.looseObject({
  href: optionalString,
  job_type: optionalString,
  description: optionalString,
  status: z.string(),
  requested_at: optionalString,
  terminated_at: optionalString,
  result: z.looseObject({ href: optionalString }).nullish(),
  /** Present on failed jobs of some versions. */
  error_message: optionalString,
  message: optionalString,
});
export type IllumioJob = z.output<typeof jobSchema>;
