/**
 * Tines event → `TributaryEvent`. Runs once per page; per event it only reads properties, converts the
 * timestamp and builds a few strings, so `JSON.parse` stays the dominant cost of a page.
 */
import type { TributaryEvent } from '../../core/event.js';
import { firstText } from '../../core/text-or-list.js';
import { toRfc3339Millis } from '../../core/time.js';
import { unusableTime } from '../../core/unusable-time.js';
import { uriSegment } from '../../core/uri-segment.js';
import { canonicalId } from './ids.js';
import type { TinesEvent } from './schemas.js';

/** A normalized Tines event; `raw` is the tenant's object as received. */
export type TinesTributaryEvent = TributaryEvent<'tines', TinesEvent>;

/** Tines has one kind of event (an action's output); its kind lives in the emitting action, not here. */
export const TINES_EVENT_TYPE = 'tines.event';

function present(value: number | string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  const text = String(value);
  return text === '' ? undefined : text;
}

/**
 * The emitting action, named `agent_id` by the old API and `action_id` by the current one (VENDORS.md
 * "Tines"), as received; `undefined` when the event names neither.
 */
function actionOf(raw: TinesEvent): number | string | undefined {
  const agent = raw.agent_id;
  if (agent !== null && agent !== undefined && agent !== '') return agent;
  const action = raw.action_id;
  return action !== null && action !== undefined && action !== '' ? action : undefined;
}

/**
 * `tines://{tenant}/actions/{id}`: ids are numbered per tenant, so the tenant's host is part of the
 * source, which CloudEvents requires to make `source` + `id` unique (two tenants merged would share ids).
 * Without a tenant (an event normalized on its own), `tines:/actions/{id}`.
 */
function sourceOf(tenant: string | undefined, action: number | string | undefined): string {
  const root = tenant === undefined ? 'tines:/' : `tines://${tenant}/`;
  return action === undefined ? `${root}events` : `${root}actions/${uriSegment(String(action))}`;
}

/** The producer: the emitting action. An event that names none is attributed to the tenant's event log. */
export function toSource(raw: TinesEvent, tenant?: string): string {
  return sourceOf(tenant, actionOf(raw));
}

/**
 * `toSource` for one page: a page comes from a few dozen actions, so each one's source is built once
 * (building it per event was a fifth of the normalizer's time, bench/ scenario 1b).
 */
function pageSources(tenant: string | undefined): (raw: TinesEvent) => string {
  const sources = new Map<number | string | undefined, string>();
  return (raw) => {
    const action = actionOf(raw);
    let source = sources.get(action);
    if (source === undefined) sources.set(action, (source = sourceOf(tenant, action)));
    return source;
  };
}

/**
 * `data` must be an object; Tines payloads are objects in practice, but any JSON is allowed, so another
 * value is wrapped as `{ value }` rather than dropped.
 */
function toData(payload: unknown): Record<string, unknown> {
  if (typeof payload === 'object' && payload !== null && !Array.isArray(payload)) {
    return payload as Record<string, unknown>;
  }
  return payload === undefined ? {} : { value: payload };
}

/** One event, as `events.get` answers it; `tenant`: the host of the tenant's URL. */
export function normalizeEvent(raw: TinesEvent, tenant?: string): TinesTributaryEvent {
  return normalizeWith(raw, (event) => toSource(event, tenant), 'events.get');
}

function normalizeWith(raw: TinesEvent, source: (raw: TinesEvent) => string, operation: string): TinesTributaryEvent {
  const id = canonicalId(raw.id);
  const time = toRfc3339Millis(raw.created_at);
  if (time === undefined) throw unusableTime('tines', operation, id, 'created_at', raw.created_at, raw);
  const data = toData(raw.payload);
  // An empty guid names no run (and CloudEvents refuses an empty subject).
  const subject = firstText(raw.story_run_guid);
  const user = present(raw.user_id);
  // The usual event has both: one literal of its final shape, where adding them to a smaller one grows
  // a separate property store for every event.
  if (subject && user !== undefined) {
    return { provider: 'tines', id, type: TINES_EVENT_TYPE, time, source: source(raw), data, raw, subject, actor: { kind: 'user', id: user } };
  }
  const event: TinesTributaryEvent = { provider: 'tines', id, type: TINES_EVENT_TYPE, time, source: source(raw), data, raw };
  if (subject) event.subject = subject;
  if (user !== undefined) event.actor = { kind: 'user', id: user };
  return event;
}

/** Normalizes one page, in the order given (the pagination sorts it by id first); `tenant` as above. */
export function normalizeEvents(events: readonly TinesEvent[], tenant?: string): TinesTributaryEvent[] {
  const out = new Array<TinesTributaryEvent>(events.length);
  const source = pageSources(tenant);
  for (let index = 0; index < events.length; index++) out[index] = normalizeWith(events[index] as TinesEvent, source, 'events.list');
  return out;
}
