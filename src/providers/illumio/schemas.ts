/**
 * zod schemas for the Illumio PCE events API (seed 003 and VENDORS.md "Illumio").
 *
 * Permissive by design: real PCEs add fields, return `null` for documented ones and differ between
 * versions, so every object keeps its unknown keys and every field the SDK does not need is optional
 * and nullable. Only `href` (the identity and dedupe key) and `timestamp` (the paging key) are strict.
 */
import { z } from 'zod';

const optionalString = z.string().nullish();

/**
 * One principal under `created_by`: `{ user: { href, username } }`, `{ agent: { href, hostname } }`,
 * `{ system: {} }`, `{ ven: { href, hostname, name } }`, `{ container_cluster: { href, name } }`, ...
 */
const principalSchema = z.looseObject({
  href: optionalString,
  username: optionalString,
  hostname: optionalString,
  name: optionalString,
});

/**
 * `created_by` holds exactly one variant key naming the kind of principal. The set of kinds grows with
 * PCE versions, so the object is kept open and the variant picked in `normalize.ts`.
 */
export const createdBySchema = z.looseObject({
  user: principalSchema.nullish(),
  agent: principalSchema.nullish(),
  system: principalSchema.nullish(),
  ven: principalSchema.nullish(),
  container_cluster: principalSchema.nullish(),
  service_account: principalSchema.nullish(),
});
export type IllumioCreatedBy = z.output<typeof createdBySchema>;

/** The API call behind an event; `null` for events the PCE raised by itself. */
export const actionSchema = z.looseObject({
  uuid: optionalString,
  api_method: optionalString,
  api_endpoint: optionalString,
  api_status_code: z.number().nullish(),
  src_ip: optionalString,
  info: z.unknown().optional(),
});
export type IllumioAction = z.output<typeof actionSchema>;

/** Opaque lists: the PCE documents their items loosely and they are passed through untouched. */
const opaqueList = z.array(z.unknown()).nullish();

export const eventSchema = z.looseObject({
  /** `/orgs/{orgId}/events/{uuid}` (or `/system_events/{uuid}` on older PCEs): id and dedupe key. */
  href: z.string().min(1),
  /** RFC 3339; with or without milliseconds, with or without a zone. */
  timestamp: z.string().min(1),
  event_type: z.string(),
  pce_fqdn: optionalString,
  created_by: createdBySchema.nullish(),
  /** Syslog names: `emerg`, `alert`, `crit`, `err`, `warning`, `notice`, `info`, `debug`. */
  severity: optionalString,
  /** `success`, `failure`, or `null` when the event had no action. */
  status: optionalString,
  action: actionSchema.nullish(),
  resource_changes: opaqueList,
  notifications: opaqueList,
});

/** An Illumio PCE event as received, unknown fields kept. */
export type IllumioEvent = z.output<typeof eventSchema>;

/** `GET /orgs/{orgId}/events` and the async export's result file: a bare array. */
export const eventListSchema = z.array(eventSchema);

/**
 * An asynchronous job (`GET /orgs/{orgId}/jobs/{id}`). `status` is `pending`/`running`, then `done`
 * (`completed` on some versions) or `failed`; `result.href` names the file holding the export.
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
