/**
 * Seeded, realistic content for the Socotra emulator: events in order of completion (with some calls
 * completing late, so `timestamp` is not monotonic), timestamps written the ways tenants send them
 * (with and without milliseconds, with and without a zone), events sharing one `requestId`, plugin
 * events without a user, `data` lists cut by the vendor (`listCompleted: false`), scheduled policy
 * events and failed scheduled jobs.
 */
import type { Rng } from '../../testing/rng.js';
import type { EmulatedEvent, EmulatedFailedJob, SocotraStore } from './emulator-store.js';

export interface SocotraFixtureOptions {
  /** Events to generate. */
  events: number;
  /** Policies with scheduled events. */
  policies: number;
  /** Failed scheduled jobs. */
  failedJobs: number;
  /** Epoch milliseconds of the first generated event. */
  start: number;
}

const TYPES = [
  'policy.issue',
  'policy.renew',
  'quote.create',
  'quote.validate',
  'invoice.generate',
  'payment.post',
  'account.create',
  'plugin.custom',
] as const;

const TRIGGER_STATES = ['NORMAL', 'PAUSED', 'COMPLETE', 'ERROR', 'BLOCKED', 'NONE'] as const;

/** The three timestamp forms seen in the wild; all mean UTC. */
function writeTimestamp(time: number, rng: Rng): string {
  const iso = new Date(time).toISOString();
  const form = rng.int(0, 9);
  if (form === 0) return iso.replace(/\.\d{3}Z$/, 'Z');
  if (form === 1) return iso.slice(0, -1);
  return iso;
}

/** `map<string,object>` (seed 000): every value of `data` is an object. */
function eventData(type: string, time: number, rng: Rng): Record<string, unknown> {
  if (type === 'invoice.generate' || type === 'plugin.custom') {
    const items = Array.from({ length: rng.int(1, 4) }, () => rng.ulid(time));
    // The vendor cuts long lists and says so with `listCompleted: false`.
    return { [type === 'invoice.generate' ? 'invoices' : 'records']: { listCompleted: !rng.chance(0.3), items } };
  }
  return { policy: { locator: rng.ulid(time - 86_400_000), note: rng.words(3) } };
}

/** Fills `store` with `options.events` events, one to three per API request. */
function generateEvents(store: SocotraStore, options: SocotraFixtureOptions, rng: Rng): void {
  const users = Array.from({ length: 5 }, () => rng.uuid());
  let clock = options.start;
  while (store.length < options.events) {
    clock += rng.int(1_000, 60_000);
    const type = rng.pick(TYPES);
    // A call that took long: its events complete now but carry the time the call started.
    const time = rng.chance(0.15) ? clock - rng.int(60_000, 600_000) : clock;
    const requestId = rng.ulid(time);
    const userLocator = type === 'plugin.custom' ? null : rng.pick(users);
    const count = Math.min(rng.int(1, 3), options.events - store.length);
    for (let i = 0; i < count; i += 1) {
      const event: EmulatedEvent = {
        locator: rng.ulid(time + i),
        type: i === 0 ? type : rng.pick(TYPES),
        timestamp: writeTimestamp(time + i, rng),
        userLocator,
        requestId,
        data: eventData(type, time, rng),
      };
      store.append(event);
    }
  }
}

function generateSchedules(store: SocotraStore, options: SocotraFixtureOptions, rng: Rng): string[] {
  const policies = Array.from({ length: options.policies }, () => rng.ulid(options.start));
  for (const policyLocator of policies) {
    for (let i = rng.int(1, 3); i > 0; i -= 1) {
      const triggerState = rng.pick(TRIGGER_STATES);
      store.addScheduled({
        policyLocator,
        transactionLocator: rng.ulid(options.start),
        triggerState,
        customEventId: `${rng.pick(['renewal', 'lapse', 'reminder'])}-${rng.hex(6)}`,
        nextEventTime: triggerState === 'COMPLETE' ? null : new Date(rng.date(options.start, options.start + 9e9)).toISOString(),
      });
    }
  }
  return policies;
}

function generateFailedJobs(store: SocotraStore, options: SocotraFixtureOptions, policies: string[], rng: Rng): void {
  let time = options.start;
  for (let i = 0; i < options.failedJobs; i += 1) {
    time += rng.int(60_000, 3_600_000);
    const policyLocator = policies.length > 0 && rng.chance(0.6) ? rng.pick(policies) : undefined;
    const job: EmulatedFailedJob = {
      triggerName: `trigger-${rng.hex(12)}`,
      triggerGroup: policyLocator === undefined ? 'tenant' : `policy-${policyLocator}`,
      failedJobState: rng.chance(0.5) ? 'queued' : 'quit',
      failureCount: rng.int(1, 5),
      createdAt: new Date(time).toISOString(),
      updatedAt: new Date(time + rng.int(0, 600_000)).toISOString(),
    };
    if (policyLocator !== undefined) job.policyLocator = policyLocator;
    store.addFailedJob(job);
  }
}

/** Fills a fresh store from `rng`: the same seed gives the same tenant. */
export function generateSocotraFixtures(store: SocotraStore, options: SocotraFixtureOptions, rng: Rng): void {
  generateEvents(store, options, rng);
  const policies = generateSchedules(store, options, rng);
  generateFailedJobs(store, options, policies, rng);
}
