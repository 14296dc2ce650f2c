/**
 * A vendor-neutral emulator that serves one list of events in every paging style the SDK's strategies
 * implement, each with the end conditions of the vendor that uses it, so the strategies and the
 * pipeline can be tested end to end over HTTP without a vendor's quirks in the way:
 *
 * | route | style | order | answer |
 * |---|---|---|---|
 * | `GET /token?pageSize&token` | token (Socotra) | oldest first | `{ items, token }`; the token is always present, the end is an empty `items` |
 * | `GET /since-id?since_id&per_page` | since-id (Tines) | oldest first | a bare array of events with `id > since_id` |
 * | `GET /marker?marker&limit` | marker (FUJITSU) | newest first | `{ items }` of events before the marker time (or at it, if inclusive) |
 * | `GET /offset?offset&count` | offset (Informatica) | oldest first | `{ items }`, `X-Total-Count` |
 * | `GET /window?from&to&max` | time window (Illumio) | newest first | a bare array, bounds inclusive, at most `max` (capped), `X-Total-Count` of all matches |
 * | `GET /events/:id` | | | one event, or 404 |
 *
 * Event times have second precision and often share a second, as FUJITSU's do, so inclusive bounds
 * really return boundary events again.
 */
import { requireBearer } from './auth.js';
import { defineEmulator } from './define.js';
import { boolean, integer, rateLimit, secret, time } from './option-rules.js';
import { isoTime, queryInt, queryString, queryTime } from './query.js';
import { EmulatorHttpError, json } from './responses.js';
import type { Rng } from './rng.js';
import { createRouter } from './router.js';
import type { Emulator, EmulatorContext, EmulatorOptions, EmulatorRateLimit, ResolvedEmulatorOptions } from './types.js';
import { createWindowLimiter, type WindowLimiter } from './window-limiter.js';

/** One generic event. `id`s increase in the order events were added. */
export interface GenericEvent {
  id: number;
  /** RFC 3339, UTC, second precision: `2026-11-01T00:00:05Z`. */
  time: string;
  type: string;
  message: string;
}

export interface GenericEmulatorOptions {
  /**
   * Whether `/marker` returns the events at the marker time again (inclusive) or only older ones.
   * @default true
   * @example { markerInclusive: false }
   */
  markerInclusive?: boolean | undefined;
  /**
   * Largest page `/token`, `/since-id`, `/marker` and `/offset` serve; a larger request is capped.
   * @default 500
   * @example { maxPageSize: 100 }
   */
  maxPageSize?: number | undefined;
  /**
   * Largest `max` of `/window`; more matches are dropped silently (`X-Total-Count` still counts them).
   * @default 1_000
   * @example { maxWindowResults: 10_000 }
   */
  maxWindowResults?: number | undefined;
  /**
   * Require `Authorization: Bearer <token>`; without it, no authentication.
   * @example 'test-token'
   * @default undefined (no authentication)
   */
  token?: string | undefined;
  /**
   * A server-side rate limit per credential; 429 with `Retry-After` when exceeded. `false`: none.
   * @example { requests: 5, interval: 60_000 }
   * @default undefined (no limit)
   */
  rateLimit?: EmulatorRateLimit | false | undefined;
  /**
   * Where the generated events start: the first is at this time or up to 90 seconds after it.
   * @default '2026-11-01T00:00:00Z'
   * @example { start: '2026-12-01T00:00:00Z' }
   */
  start?: string | undefined;
}

/** The generic emulator's state. */
export interface GenericStore {
  /** Every event, in the order added (ascending `id`). */
  readonly events: readonly GenericEvent[];
  /**
   * Appends an event; `time` defaults to a few seconds after the last event's, `id` is the next one.
   * An earlier `time` makes a late arrival: a new `id` with an old time.
   */
  add(event?: Partial<Omit<GenericEvent, 'id'>>): GenericEvent;
  /** Removes every event (ids keep increasing). */
  clear(): void;
  /** The server-side rate limiter, when the `rateLimit` option is set. */
  readonly limiter: WindowLimiter | undefined;
}

const TYPES = ['record.created', 'record.updated', 'record.deleted', 'job.completed', 'job.failed'] as const;
const FIRST_ID = 1_000_001;

function secondPrecision(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function createGenericStore(options: ResolvedEmulatorOptions & GenericEmulatorOptions, rng: Rng): GenericStore {
  const events: GenericEvent[] = [];
  let nextId = FIRST_ID;
  let lastTime = isoTime(options.start ?? '2026-11-01T00:00:00Z');
  const store: GenericStore = {
    events,
    add(event = {}) {
      // A third of the events share the previous one's second: marker and window bounds meet ties.
      lastTime = event.time === undefined ? lastTime + (rng.chance(0.33) ? 0 : rng.int(1, 90) * 1000) : Math.max(lastTime, isoTime(event.time));
      const added: GenericEvent = {
        id: nextId,
        time: event.time ?? secondPrecision(lastTime),
        type: event.type ?? rng.pick(TYPES),
        message: event.message ?? rng.words(rng.int(2, 6)),
      };
      nextId += rng.int(1, 3);
      events.push(added);
      return added;
    },
    clear() {
      events.length = 0;
    },
    limiter: options.rateLimit ? createWindowLimiter({ ...options.rateLimit, clock: options.clock }) : undefined,
  };
  for (let i = 0; i < options.events; i++) store.add();
  return store;
}

type Context = EmulatorContext<GenericStore, GenericEmulatorOptions>;

/** Newest first by time, then by id (so ties keep one order on every page). */
const newestFirst = (a: GenericEvent, b: GenericEvent) => isoTime(b.time) - isoTime(a.time) || b.id - a.id;

function pageSize(query: URLSearchParams, name: string, context: Context): number {
  return Math.min(queryInt(query, name, { default: 20, min: 1 }), context.options.maxPageSize ?? 500);
}

/** Tokens are opaque to clients; here `t` + the last delivered id in base 36. */
function encodeToken(afterId: number): string {
  return `t${afterId.toString(36)}`;
}

function decodeToken(token: string): number {
  const id = /^t[0-9a-z]{1,12}$/.test(token) ? parseInt(token.slice(1), 36) : NaN;
  if (!Number.isSafeInteger(id)) throw new EmulatorHttpError(400, 'Invalid value for token');
  return id;
}

const router = createRouter<Context>()
  .get('/token', ({ query, context }) => {
    const token = queryString(query, 'token');
    const after = token === undefined ? 0 : decodeToken(token);
    const items = context.store.events.filter((event) => event.id > after).slice(0, pageSize(query, 'pageSize', context));
    return json({ items, token: encodeToken(items.at(-1)?.id ?? after) });
  })
  .get('/since-id', ({ query, context }) => {
    const sinceId = queryInt(query, 'since_id', { default: 0, min: 0 });
    return json(context.store.events.filter((event) => event.id > sinceId).slice(0, pageSize(query, 'per_page', context)));
  })
  .get('/marker', ({ query, context }) => {
    const marker = queryTime(query, 'marker');
    const inclusive = context.options.markerInclusive ?? true;
    const before = (event: GenericEvent) => {
      const time = isoTime(event.time);
      return marker === undefined || time < marker || (inclusive && time === marker);
    };
    const items = context.store.events.filter(before).sort(newestFirst).slice(0, pageSize(query, 'limit', context));
    return json({ items });
  })
  .get('/offset', ({ query, context }) => {
    const offset = queryInt(query, 'offset', { default: 0, min: 0 });
    const events = context.store.events;
    const items = events.slice(offset, offset + pageSize(query, 'count', context));
    return json({ items }, { headers: { 'X-Total-Count': String(events.length) } });
  })
  .get('/window', ({ query, context }) => {
    const from = queryTime(query, 'from') ?? -Infinity;
    const to = queryTime(query, 'to') ?? Infinity;
    const cap = context.options.maxWindowResults ?? 1_000;
    const max = Math.min(queryInt(query, 'max', { default: 100, min: 1 }), cap);
    const matches = context.store.events.filter((event) => {
      const time = isoTime(event.time);
      return time >= from && time <= to;
    });
    return json(matches.sort(newestFirst).slice(0, max), { headers: { 'X-Total-Count': String(matches.length) } });
  })
  .get('/events/:id', ({ params, context }) => {
    const event = context.store.events.find((candidate) => String(candidate.id) === params['id']);
    if (!event) throw new EmulatorHttpError(404, `No event ${params['id'] ?? ''}`);
    return json(event);
  });

export const genericEmulator = defineEmulator<GenericStore, GenericEmulatorOptions>({
  provider: 'generic',
  baseUrl: 'https://generic.example.com',
  options: {
    markerInclusive: boolean,
    maxPageSize: integer(1),
    maxWindowResults: integer(1),
    token: secret,
    rateLimit,
    start: time(false),
  },
  createStore({ options, rng }) {
    return createGenericStore(options, rng);
  },
  handle(request, context) {
    const { token } = context.options;
    const key = token === undefined ? 'anonymous' : requireBearer(request, token);
    const verdict = context.store.limiter?.check(key);
    if (verdict && !verdict.ok) {
      throw new EmulatorHttpError(429, 'Too many requests', { 'Retry-After': String(verdict.retryAfterSeconds) });
    }
    return router.handle(request, context);
  },
});

/**
 * The generic paging emulator.
 * @example
 * const emulator = createGenericEmulator({ events: 120, markerInclusive: false });
 * const res = await emulator.fetch('https://generic.example.com/offset?offset=0&count=50');
 */
export function createGenericEmulator(options: EmulatorOptions & GenericEmulatorOptions = {}): Emulator<GenericStore> {
  return genericEmulator.create(options);
}
