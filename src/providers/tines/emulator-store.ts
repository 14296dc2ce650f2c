/**
 * The in-memory tenant behind the Tines emulator: teams, stories, actions and their events. Ids grow
 * with time and have gaps, as on a real tenant where the id sequence is shared with other tenants; they
 * start around 2e9 (VENDORS.md "Tines").
 */
import { ConfigurationError } from '../../core/errors.js';
import { epochMs } from '../../testing/query.js';
import type { Rng } from '../../testing/rng.js';

export interface TinesEmulatorAction {
  id: number;
  storyId: number;
  teamId: number;
}

/** An event as the tenant keeps it; `emulator-wire.ts` renders it in the old or the current form. */
export interface TinesStoredEvent {
  id: number;
  actionId: number;
  storyId: number;
  teamId: number;
  /** `null` for events of actions owned by no user (system actions). */
  userId: number | null;
  storyRunGuid: string;
  previousEventIds: number[];
  payload: Record<string, unknown>;
  /** Milliseconds since the epoch. */
  createdAt: number;
  expiresAt: number | null;
  reEmitted: boolean;
  /**
   * Milliseconds since the epoch from which the event is listed and found by id; absent for one
   * visible as soon as it is emitted.
   */
  visibleAt?: number;
}

/** What a new event may say; everything else is generated, also a member given as `undefined`. */
export interface TinesEventInput {
  /**
   * The emitting action, one of the tenant's (`store.actions`).
   * @default a random action of the tenant
   * @example { actionId: 21 }
   */
  actionId?: number | undefined;
  /**
   * The event's `payload`.
   * @default a small random object
   * @example { payload: { status: 500, body: 'upstream failed' } }
   */
  payload?: Record<string, unknown> | undefined;
  /**
   * The action's owner; `null` for an event of a system action.
   * @default a user from 1 to 5, or `null` for about one event in seven
   * @example { userId: null }
   */
  userId?: number | null | undefined;
  /**
   * The story run the event belongs to.
   * @default a random UUID
   * @example { storyRunGuid: '4d0c6f0e-2b1a-4b8e-9a51-7f3c2e1d0b9a' }
   */
  storyRunGuid?: string | undefined;
  /**
   * When the event was created, in epoch milliseconds.
   * @default the emulator clock's now
   * @example { createdAt: Date.parse('2026-11-23T10:00:00Z') }
   */
  createdAt?: number | undefined;
  /**
   * From when the event is listed and found by id: an action that takes its id when it starts and
   * shows its event only when it finishes, after events of later ids (a `since_id` tail that has
   * moved past the id must look back for it). Epoch milliseconds.
   * @default at once
   * @example { visibleAt: Date.parse('2026-11-23T10:00:12Z') }
   */
  visibleAt?: number | undefined;
}

export interface TinesStore {
  /** Every event, ascending by id. */
  readonly events: readonly TinesStoredEvent[];
  readonly actions: ReadonlyMap<number, TinesEmulatorAction>;
  /** Adds an event with an id above every existing one, as the tenant does when an action emits. */
  emit(input?: TinesEventInput): TinesStoredEvent;
  /** The event with this id, if the tenant still has it. */
  get(id: number): TinesStoredEvent | undefined;
  /** Deletes an event (expiry, or a user clearing an action's events). */
  remove(id: number): boolean;
}

/** Teams 1 and 2, two stories each, three actions per story: enough for every filter to mean something. */
function createActions(): Map<number, TinesEmulatorAction> {
  const actions = new Map<number, TinesEmulatorAction>();
  let actionId = 21;
  for (const teamId of [1, 2]) {
    for (let story = 0; story < 2; story++) {
      const storyId = teamId * 100 + story;
      for (let index = 0; index < 3; index++) {
        actions.set(actionId, { id: actionId, storyId, teamId });
        actionId += 7;
      }
    }
  }
  return actions;
}

const FIRST_ID = 2_000_000_000;
const RETENTION_MS = 365 * 24 * 3_600_000;

export function createTinesStore(setup: { events: number; now: () => number; rng: Rng }): TinesStore {
  const { rng, now } = setup;
  const actions = createActions();
  const actionIds = [...actions.keys()];
  const events: TinesStoredEvent[] = [];
  let lastId = FIRST_ID + rng.int(0, 1000);
  // Earlier events are spread over the last few hours, a minute or so apart, so `since`/`until` filters
  // have something to cut.
  let clock = now() - setup.events * 70_000;

  const make = (input: TinesEventInput): TinesStoredEvent => {
    const createdAt = input.createdAt === undefined ? now() : epochMs(input.createdAt, 'createdAt');
    const actionId = input.actionId ?? rng.pick(actionIds);
    const action = actions.get(actionId);
    if (action === undefined) throw new ConfigurationError(`actionId must be the id of one of the store's actions, got ${String(actionId)}`, { option: 'actionId' });
    lastId += rng.int(1, 40);
    const previous = events.length > 0 && rng.chance(0.6) ? [(events[events.length - 1] as TinesStoredEvent).id] : [];
    const event: TinesStoredEvent = {
      id: lastId,
      actionId,
      storyId: action.storyId,
      teamId: action.teamId,
      userId: input.userId === undefined ? (rng.chance(0.85) ? rng.int(1, 5) : null) : input.userId,
      storyRunGuid: input.storyRunGuid ?? rng.uuid(),
      previousEventIds: previous,
      payload: input.payload ?? { [rng.words(1)]: { status: rng.pick([200, 201, 404, 500]), body: rng.words(3) } },
      createdAt,
      expiresAt: rng.chance(0.9) ? createdAt + RETENTION_MS : null,
      reEmitted: false,
    };
    if (input.visibleAt !== undefined) event.visibleAt = epochMs(input.visibleAt, 'visibleAt');
    events.push(event);
    return event;
  };

  for (let index = 0; index < setup.events; index++) {
    clock += rng.int(1_000, 120_000);
    make({ createdAt: Math.min(clock, now()) });
  }

  const indexOf = (id: number): number => {
    let low = 0;
    let high = events.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const value = (events[middle] as TinesStoredEvent).id;
      if (value === id) return middle;
      if (value < id) low = middle + 1;
      else high = middle - 1;
    }
    return -1;
  };

  return {
    events,
    actions,
    emit: (input = {}) => make(input),
    get: (id) => events[indexOf(id)],
    remove(id) {
      const index = indexOf(id);
      if (index < 0) return false;
      events.splice(index, 1);
      return true;
    },
  };
}
