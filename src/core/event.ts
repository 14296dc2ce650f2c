/**
 * The normalized event: one shape over all five vendors, CloudEvents-compatible, with the vendor's
 * object kept as `raw`.
 */
import * as z from 'zod';
import type { ProviderName } from './errors.js';
import { isRecord } from './plain-object.js';
import { toRfc3339Millis } from './time.js';

export type { ProviderName };

export type Severity = 'debug' | 'info' | 'notice' | 'warning' | 'error' | 'critical' | 'alert' | 'emergency';

/*
 * Optional fields are typed `?: T | undefined`, as zod types them: an event read back through
 * `tributaryEventSchema` is then a `TributaryEvent` under `exactOptionalPropertyTypes`. A field given
 * as `undefined` is absent (`toCloudEvent` and `JSON.stringify` leave it out).
 */
export interface Actor {
  /** `'user'`, `'system'`, `'agent'`, ... in the vendor's terms. */
  kind: string;
  id?: string | undefined;
  name?: string | undefined;
}

/**
 * `P`: the provider; `R`: the vendor's object (`raw`); `D`: what `data` holds, typed by the providers
 * whose normalizer builds it (`IllumioEventData`, `FujitsuEventData`, `InformaticaEventData`).
 */
export interface TributaryEvent<P extends ProviderName = ProviderName, R = unknown, D extends object = Record<string, unknown>> {
  provider: P;
  /** Stable per vendor: Socotra locator, Tines id, FUJITSU content hash, Illumio href, Informatica eventId. */
  id: string;
  type: string;
  /** RFC 3339, UTC, milliseconds: `2026-11-23T10:00:00.000Z`. */
  time: string;
  /** URI reference of the producer, e.g. `illumio:/orgs/1`. */
  source: string;
  subject?: string | undefined;
  actor?: Actor | undefined;
  severity?: Severity | undefined;
  status?: string | undefined;
  message?: string | undefined;
  /** The normalized payload, as `toCloudEvent` gives it as the CloudEvent's `data` (the events it holds without `raw`). */
  data: D;
  /** The vendor's object as received. */
  raw: R;
}

/** Providers, severities and the canonical time, as the schema checks them. */
const PROVIDERS = ['socotra', 'tines', 'fujitsu', 'illumio', 'informatica'] as const satisfies readonly ProviderName[];
const SEVERITIES = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'] as const satisfies readonly Severity[];

/**
 * The zod schema of a `TributaryEvent`, for events that come back from outside the SDK (an NDJSON
 * file, a queue). `data` gets a cheap object check rather than a record schema (DESIGN.md: five to
 * seven times faster), `raw` is kept as it is.
 */
export const tributaryEventSchema = z.object({
  provider: z.enum(PROVIDERS),
  id: z.string().min(1),
  type: z.string().min(1),
  time: z.string().refine((value) => toRfc3339Millis(value) === value, 'RFC 3339 UTC with milliseconds (YYYY-MM-DDTHH:mm:ss.sssZ)'),
  source: z.string().min(1),
  subject: z.string().optional(),
  actor: z.object({ kind: z.string(), id: z.string().optional(), name: z.string().optional() }).optional(),
  severity: z.enum(SEVERITIES).optional(),
  status: z.string().optional(),
  message: z.string().optional(),
  data: z.custom<Record<string, unknown>>(isRecord, 'an object'),
  raw: z.unknown(),
});
