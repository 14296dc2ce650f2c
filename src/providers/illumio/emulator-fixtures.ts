/**
 * Realistic Illumio PCE events for the emulator, from a seed: the same seed gives the same events.
 * Timestamps deliberately collide (several events in one millisecond) because that is where window
 * splitting can drop or repeat events.
 */
import type { Rng } from '../../testing/rng.js';
import type { IllumioEvent } from './schemas.js';

/** The default time of the newest generated event, fixed so that a seed always gives the same events. */
export const ILLUMIO_FIXTURE_NEWEST = Date.parse('2026-11-23T10:00:00.000Z');

export interface IllumioFixtureOptions {
  /**
   * How many events.
   * @default 250
   */
  count?: number;
  /**
   * The organization the events belong to.
   * @default 1
   */
  orgId?: number | string;
  /**
   * Timestamp of the newest event, in epoch milliseconds; older ones go back from it.
   * @default ILLUMIO_FIXTURE_NEWEST (2026-11-23T10:00:00.000Z)
   */
  newest?: number;
  /**
   * Largest gap between two consecutive events, in milliseconds; a gap is 0 (same millisecond) a
   * quarter of the time.
   * @default 60_000
   */
  maxGapMs?: number;
  /**
   * Every event at `newest`, in the same millisecond.
   * @default false
   */
  sameInstant?: boolean;
}

const EVENT_TYPES = [
  ['user.sign_in', 'info', 'success'],
  ['user.sign_in', 'err', 'failure'],
  ['user.sign_out', 'info', 'success'],
  ['rule_set.create', 'info', 'success'],
  ['rule_set.update', 'notice', 'success'],
  ['sec_policy.create', 'info', 'success'],
  ['workload.update', 'info', 'success'],
  ['agent.clone_detected', 'warning', null],
  ['agent.tampering', 'crit', null],
  ['system_task.agent_missed_heartbeats_check', 'alert', null],
  ['api_key.create', 'info', 'success'],
  ['request.authentication_failed', 'err', 'failure'],
] as const;

/** Generates `count` events, newest first, with hrefs unique within the organization. */
export function generateIllumioEvents(rng: Rng, options: IllumioFixtureOptions = {}): IllumioEvent[] {
  const { count = 250, orgId = 1, newest = ILLUMIO_FIXTURE_NEWEST, maxGapMs = 60_000, sameInstant = false } = options;
  const events: IllumioEvent[] = [];
  let time = newest;
  for (let index = 0; index < count; index++) {
    if (index > 0 && !sameInstant && !rng.chance(0.25)) time -= rng.int(1, maxGapMs);
    const [eventType, severity, status] = rng.pick(EVENT_TYPES);
    events.push(makeEvent(rng, orgId, eventType, severity, status, time));
  }
  return events;
}

function makeEvent(
  rng: Rng,
  orgId: number | string,
  eventType: string,
  severity: string,
  status: string | null,
  time: number,
): IllumioEvent {
  const byAgent = eventType.startsWith('agent.');
  const bySystem = eventType.startsWith('system_task.');
  const createdBy = bySystem
    ? { system: {} }
    : byAgent
      ? { agent: { href: `/orgs/${orgId}/agents/${rng.int(1, 900)}`, hostname: `web-${rng.hex(4)}` } }
      : { user: { href: `/users/${rng.int(1, 40)}`, username: `${rng.words(1)}.${rng.hex(3)}@example.com` } };
  const action =
    status === null
      ? null
      : {
          uuid: rng.uuid(),
          api_endpoint: `/api/v2/orgs/${orgId}/${eventType.split('.')[0] ?? 'events'}`,
          api_method: rng.pick(['GET', 'POST', 'PUT', 'DELETE']),
          api_status_code: status === 'success' ? 200 : 401,
          src_ip: `192.0.2.${rng.int(1, 254)}`,
        };
  return {
    href: `/orgs/${orgId}/events/${rng.uuid()}`,
    timestamp: new Date(time).toISOString(),
    pce_fqdn: 'pce.example.com',
    created_by: createdBy,
    event_type: eventType,
    status,
    severity,
    action,
    resource_changes: status === 'success' ? [{ uuid: rng.uuid(), change_type: 'update', resource: {} }] : [],
    notifications: byAgent
      ? [{ uuid: rng.uuid(), notification_type: eventType, info: { agent: createdBy.agent ?? null } }]
      : [],
  };
}
