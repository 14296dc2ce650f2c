/**
 * How the Tines emulator reads a list query and writes events and pages: the old API's bare array of
 * `agent_id` events (seed 001) or the current API's `{ events, meta }` with `action_id`, `story_run_guid`
 * and timestamps with or without milliseconds (https://www.tines.com/api/events/list, VENDORS.md).
 */
import { ZONE_FORMS, zonedTime, type TimeZoneStyle } from '../../testing/zoned-time.js';
import { queryInt, queryTime } from '../../testing/query.js';
import type { TinesStoredEvent } from './emulator-store.js';

/** `per_page` bounds and default (https://www.tines.com/api/welcome). */
export const MAX_PER_PAGE = 500;
const DEFAULT_PER_PAGE = 20;

export interface TinesListQuery {
  sinceId: number | undefined;
  untilId: number | undefined;
  since: number | undefined;
  until: number | undefined;
  storyId: number | undefined;
  teamId: number | undefined;
  page: number;
  perPage: number;
}

/** Reads the documented filters; a malformed value is a 400, as the tenant answers. */
export function parseListQuery(url: URL): TinesListQuery {
  const params = url.searchParams;
  const id = (name: string) => queryInt(params, name, { min: 0 });
  return {
    sinceId: id('since_id'),
    untilId: id('until_id'),
    since: queryTime(params, 'since'),
    until: queryTime(params, 'until'),
    storyId: id('story_id'),
    teamId: id('team_id'),
    page: queryInt(params, 'page', { default: 1, min: 1 }),
    perPage: queryInt(params, 'per_page', { default: DEFAULT_PER_PAGE, min: 1, max: MAX_PER_PAGE }),
  };
}

/** Whether an event passes the filters: `since_id` exclusive, `until_id` inclusive, times likewise. */
export function matches(event: TinesStoredEvent, query: TinesListQuery): boolean {
  return (
    (query.sinceId === undefined || event.id > query.sinceId) &&
    (query.untilId === undefined || event.id <= query.untilId) &&
    (query.since === undefined || event.createdAt > query.since) &&
    (query.until === undefined || event.createdAt <= query.until) &&
    (query.storyId === undefined || event.storyId === query.storyId) &&
    (query.teamId === undefined || event.teamId === query.teamId)
  );
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** `text` (the ISO text of `ms`) in `event`'s zone form under `zones`; drawn from the id, so a re-read matches. */
function zone(event: TinesStoredEvent, zones: TimeZoneStyle, text: string, ms: number): string {
  return zones === 'utc' ? text : zonedTime(text, ms, Math.floor(event.id / 2) % ZONE_FORMS);
}

/** Current tenants write whole seconds for some events and milliseconds for others. */
const isoSeconds = (ms: number): string => iso(ms).replace(/\.\d{3}Z$/, 'Z');

/** The seed's form: `agent_id`, every timestamp with milliseconds. */
export function legacyEvent(event: TinesStoredEvent, zones: TimeZoneStyle = 'utc'): Record<string, unknown> {
  const created = zone(event, zones, iso(event.createdAt), event.createdAt);
  return {
    id: event.id,
    user_id: event.userId,
    agent_id: event.actionId,
    payload: event.payload,
    created_at: created,
    updated_at: created,
    expires_at: event.expiresAt === null ? null : zone(event, zones, iso(event.expiresAt), event.expiresAt),
  };
}

/**
 * The current form. Which optional fields appear varies per event (a deterministic function of its id),
 * as it does across a real tenant's history: `agent_id` beside or instead of `action_id`, `user_id` and
 * `expires_at` missing rather than null.
 */
export function currentEvent(event: TinesStoredEvent, zones: TimeZoneStyle = 'utc'): Record<string, unknown> {
  const time = zone(event, zones, event.id % 2 === 0 ? isoSeconds(event.createdAt) : iso(event.createdAt), event.createdAt);
  const out: Record<string, unknown> = { id: event.id };
  if (event.userId !== null) out['user_id'] = event.userId;
  if (event.id % 3 !== 0) out['agent_id'] = event.actionId;
  out['action_id'] = event.actionId;
  out['payload'] = event.payload;
  out['created_at'] = time;
  out['updated_at'] = time;
  if (event.expiresAt !== null) out['expires_at'] = zone(event, zones, iso(event.expiresAt), event.expiresAt);
  out['story_run_guid'] = event.storyRunGuid;
  out['previous_event_ids'] = event.previousEventIds;
  out['re_emitted'] = event.reEmitted;
  return out;
}

/** How the emulator fills `meta`: consistent, or with fields that contradict each other. */
export type MetaMode = 'consistent' | 'disagree';

function pageLink(url: URL, page: number): string {
  const link = new URL(url);
  link.searchParams.set('page', String(page));
  return link.toString();
}

/**
 * The `meta` of one page. In `disagree` mode `next_page` is always null and `pages` is rounded down, so
 * a client that trusts either field alone stops before the end, while `next_page_number` and `count`
 * stay right: what some real tenants send.
 */
export function pageMeta(url: URL, query: TinesListQuery, count: number, mode: MetaMode): Record<string, unknown> {
  const exactPages = Math.max(1, Math.ceil(count / query.perPage));
  const hasNext = query.page < exactPages;
  const lying = mode === 'disagree';
  return {
    current_page: pageLink(url, query.page),
    previous_page: query.page > 1 ? pageLink(url, query.page - 1) : null,
    next_page: hasNext && !lying ? pageLink(url, query.page + 1) : null,
    next_page_number: hasNext ? query.page + 1 : null,
    per_page: query.perPage,
    pages: lying ? Math.max(1, Math.floor(count / query.perPage)) : exactPages,
    count,
  };
}
