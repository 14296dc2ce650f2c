/**
 * Illumio PCE event → `TributaryEvent`. Runs once per page; per event it does only property reads, one
 * regular-expression test on the timestamp and a string slice, so `JSON.parse` stays the dominant cost.
 * `event_type`, `pce_fqdn`, `severity` and `status` are read as text: the first string of an array.
 */
import type { Actor, Severity, TributaryEvent } from '../../core/event.js';
import { firstText } from '../../core/text-or-list.js';
import { toRfc3339Millis } from '../../core/time.js';
import { unusableTime } from '../../core/unusable-time.js';
import { uriSegment } from '../../core/uri-segment.js';
import { isRecord } from '../../core/plain-object.js';
import type { IllumioAction, IllumioEvent } from './schemas.js';

/** The `data` of an Illumio event: the parts of the PCE's event that are not normalized elsewhere. */
export type IllumioEventData = {
  /** The API call behind the event; `null` for an event the PCE raised by itself. */
  action: IllumioAction | null;
  /** As the PCE sent them; `[]` when missing or `null`, one item when sent as a single value. */
  resource_changes: unknown[];
  /** As the PCE sent them; `[]` when missing or `null`, one item when sent as a single value. */
  notifications: unknown[];
  /** The PCE that recorded the event, when it says. */
  pce_fqdn: string | null;
};

/** A normalized Illumio event; `raw` is the PCE's object as received. */
export type IllumioTributaryEvent = TributaryEvent<'illumio', IllumioEvent, IllumioEventData>;

/**
 * The PCE speaks syslog severities (VENDORS.md); some versions spell them out. A `Map`, not an object
 * literal: a severity of `constructor` or `__proto__` must find nothing, not `Object.prototype`'s.
 */
const SEVERITIES: ReadonlyMap<string, Severity> = new Map([
  ['emerg', 'emergency'],
  ['emergency', 'emergency'],
  ['alert', 'alert'],
  ['crit', 'critical'],
  ['critical', 'critical'],
  ['err', 'error'],
  ['error', 'error'],
  ['warning', 'warning'],
  ['warn', 'warning'],
  ['notice', 'notice'],
  ['info', 'info'],
  ['informational', 'info'],
  ['debug', 'debug'],
]);

/** Maps a syslog severity name to the normalized scale; unknown names are left out (kept in `raw`). */
export function toSeverity(value: string | null | undefined): Severity | undefined {
  return value ? SEVERITIES.get(value.toLowerCase()) : undefined;
}

/** A list the PCE documents loosely, as a list: a single value sent in its place is its one item. */
function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** Names a principal carries, in the order the PCE's variants use them. */
function principalName(value: Readonly<Record<string, unknown>>): string | undefined {
  for (const key of ['name', 'username', 'hostname'] as const) {
    const candidate = value[key];
    if (typeof candidate === 'string' && candidate !== '') return candidate;
  }
  return undefined;
}

/**
 * The principal kinds the PCE documents. A key the PCE adds beside the variant key (a scalar, or an
 * object of its own) must not be taken for the principal: a kind of this list is, wherever it stands.
 */
const PRINCIPAL_KINDS: ReadonlySet<string> = new Set(['user', 'agent', 'system', 'ven', 'container_cluster', 'service_account']);

/**
 * `created_by` has one variant key (`user`, `agent`, `system`, `ven`, `container_cluster`, ...): that key
 * is the actor's kind, its `href` the id, its name/username/hostname the name. The key is the first of
 * a documented kind, or else the first that holds an object (a principal of a newer kind), or else the
 * first that holds anything. Anything but an object (the PCE documents none) yields no actor; the
 * value stays in `raw`.
 */
export function toActor(createdBy: unknown): Actor | undefined {
  if (!isRecord(createdBy)) return undefined;
  let holdsObject: string | undefined;
  let holdsValue: string | undefined;
  for (const key in createdBy) {
    const value = createdBy[key];
    if (value === undefined || value === null) continue;
    if (PRINCIPAL_KINDS.has(key)) return principal(key, value);
    if (holdsObject === undefined && isRecord(value)) holdsObject = key;
    holdsValue ??= key;
  }
  const kind = holdsObject ?? holdsValue;
  return kind === undefined ? undefined : principal(kind, createdBy[kind]);
}

function principal(kind: string, value: unknown): Actor {
  if (!isRecord(value)) return { kind };
  const href = value['href'];
  const id = typeof href === 'string' && href !== '' ? href : undefined;
  const name = principalName(value);
  // The usual principal has both: one literal, where adding them to `{ kind }` grows a property store.
  if (id !== undefined && name !== undefined) return { kind, id, name };
  const actor: Actor = { kind };
  if (id !== undefined) actor.id = id;
  if (name !== undefined) actor.name = name;
  return actor;
}

/** `/orgs/7/events/…` → `illumio:/orgs/7`; `/system_events/…` → `illumio:/system_events`. */
const HREF_SOURCE = /^(?:\/orgs\/([^/]+)|\/system_events)\//;

/** The producer of an event, from its href, falling back to the client's organization. */
export function toSource(href: string, orgId: string): string {
  return sourceOf(HREF_SOURCE.exec(href), orgId);
}

function sourceOf(match: RegExpExecArray | null, orgId: string): string {
  if (match === null) return `illumio:/orgs/${orgId}`;
  const org = match[1];
  if (org === undefined) return 'illumio:/system_events';
  // Organization ids are integers; any other segment (`1 2`) must still make a URI reference.
  return `illumio:/orgs/${uriSegment(org)}`;
}

/**
 * Normalizes one page. `orgId` names the source of events whose href does not carry it. A timestamp
 * that is not a date fails the page with a `ResponseValidationError` that keeps the event: the SDK
 * cannot order or resume on it.
 */
export function normalizeEvents(events: readonly IllumioEvent[], orgId: string): IllumioTributaryEvent[] {
  const out: IllumioTributaryEvent[] = new Array<IllumioTributaryEvent>(events.length);
  const sourceOf = pageSources(orgId);
  for (let index = 0; index < events.length; index++) {
    const raw = events[index] as IllumioEvent;
    out[index] = buildEvent(raw, sourceOf(raw.href), 'events.list');
  }
  return out;
}

/**
 * `toSource` for one page, whose events nearly all share one organization: the last source is reused
 * while the href starts with the same `/orgs/{id}/`, instead of a match and a new string per event
 * (about a third of what normalizing an event allocated).
 */
function pageSources(orgId: string): (href: string) => string {
  let prefix = '';
  let source = '';
  return (href) => {
    if (prefix !== '' && href.startsWith(prefix)) return source;
    const match = HREF_SOURCE.exec(href);
    prefix = match?.[0] ?? '';
    source = sourceOf(match, orgId);
    return source;
  };
}

/** The type of an event whose `event_type` is missing, `null` or empty. */
const UNKNOWN_TYPE = 'illumio.unknown';

export function normalizeEvent(raw: IllumioEvent, orgId: string): IllumioTributaryEvent {
  return buildEvent(raw, toSource(raw.href, orgId), 'events.get');
}

/** `operation`: the client call that met the event, named by the error of an unusable time. */
function buildEvent(raw: IllumioEvent, source: string, operation: string): IllumioTributaryEvent {
  const time = toRfc3339Millis(raw.timestamp);
  if (time === undefined) throw unusableTime('illumio', operation, raw.href, 'timestamp', raw.timestamp, raw);
  const type = firstText(raw.event_type) || UNKNOWN_TYPE;
  const data: IllumioEventData = {
    action: isRecord(raw.action) ? raw.action : null,
    resource_changes: asList(raw.resource_changes),
    notifications: asList(raw.notifications),
    pce_fqdn: firstText(raw.pce_fqdn) ?? null,
  };
  const actor = toActor(raw.created_by);
  const severity = toSeverity(firstText(raw.severity));
  const status = firstText(raw.status);
  // The usual event has all three: one literal of its final shape, where adding them to a smaller one
  // grows a separate property store for every event.
  if (actor !== undefined && severity !== undefined && status) {
    return { provider: 'illumio', id: raw.href, type, time, source, data, raw, actor, severity, status };
  }
  const event: IllumioTributaryEvent = { provider: 'illumio', id: raw.href, type, time, source, data, raw };
  if (actor !== undefined) event.actor = actor;
  if (severity !== undefined) event.severity = severity;
  if (status) event.status = status;
  return event;
}
