/**
 * The routes of the Socotra Events API emulator: the ten endpoints of seed 000 over a `SocotraStore`,
 * with the vendor's rules for the event stream (VENDORS.md "Socotra"):
 * - `pagingToken` is on every page, also the last; the end is an empty `events` array; the token never
 *   expires, so polling the newest one later yields what completed since;
 * - a request carrying `pagingToken` carries no other filter (400 otherwise); a first request without
 *   any is served from the start of the stream (every parameter is optional in the seed);
 * - failed jobs page by `offset`/`count`; resume and delete take `{ triggerName, triggerGroup }`.
 *
 * A route throws `EmulatorHttpError` for a vendor error; `defineEmulator` renders it with the vendor's
 * error body (`emulator.ts`).
 */
import { queryTime } from '../../testing/query.js';
import { EmulatorHttpError, empty, json } from '../../testing/responses.js';
import { createRouter, type RouteRequest, type Router } from '../../testing/router.js';
import type { EmulatedFailedJob, SocotraStore, StreamFilters } from './emulator-store.js';

/** The page size the emulator uses when a first request gives none. */
export const EMULATOR_DEFAULT_PAGE_SIZE = 50;
/** The largest `pageSize` / `count` the emulator accepts. */
export const EMULATOR_MAX_PAGE_SIZE = 1000;

/** What the handler adds to a route besides the request: the store and the caller's permission. */
export interface SocotraRouteContext {
  store: SocotraStore;
  /** Whether the caller's token has the `write` permission of the `events` security group. */
  canWrite: boolean;
  /** The emulator's `stuckToken`: a page asked with a token comes back with that same token. */
  stuckToken: boolean;
}

type Route = RouteRequest<SocotraRouteContext>;

/** `{ p: position, s/u: start/end (ms), t: type, n: page size }`, base64url: opaque to clients. */
interface TokenState {
  p: number;
  n: number;
  s?: number;
  u?: number;
  t?: string;
}

function encodeToken(state: TokenState): string {
  return Buffer.from(JSON.stringify(state)).toString('base64url');
}

function decodeToken(token: string): TokenState {
  try {
    const state = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<TokenState>;
    if (Number.isInteger(state.p) && Number.isInteger(state.n) && (state.p as number) >= 0) return state as TokenState;
  } catch {
    // Falls through to the 400 below: a token the vendor did not issue.
  }
  throw new EmulatorHttpError(400, 'Invalid pagingToken');
}

function integerParam(url: URL, name: string, min: number, max: number): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null) return undefined;
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw) || value < min || value > max) {
    throw new EmulatorHttpError(400, `Invalid value for ${name}: ${raw}`);
  }
  return value;
}

const STREAM_FILTERS = ['startTimestamp', 'endTimestamp', 'type', 'pageSize'] as const;

function listEvents({ url, context: { store, stuckToken } }: Route): Response {
  const token = url.searchParams.get('pagingToken');
  const filterNames = STREAM_FILTERS.filter((name) => url.searchParams.has(name));
  let state: TokenState;
  if (token !== null) {
    if (filterNames.length > 0) {
      throw new EmulatorHttpError(400, `pagingToken cannot be combined with ${filterNames.join(', ')}`);
    }
    state = decodeToken(token);
  } else {
    const start = queryTime(url.searchParams, 'startTimestamp');
    const end = queryTime(url.searchParams, 'endTimestamp');
    const type = url.searchParams.get('type');
    state = { p: 0, n: integerParam(url, 'pageSize', 1, EMULATOR_MAX_PAGE_SIZE) ?? EMULATOR_DEFAULT_PAGE_SIZE };
    if (start !== undefined) state.s = start;
    if (end !== undefined) state.u = end;
    if (type !== null) state.t = type;
  }
  const filters: StreamFilters = {};
  if (state.s !== undefined) filters.startTimestamp = state.s;
  if (state.u !== undefined) filters.endTimestamp = state.u;
  if (state.t !== undefined) filters.type = state.t;
  const page = store.page(state.p, filters, state.n);
  const next = stuckToken && token !== null ? token : encodeToken({ ...state, p: page.position });
  return json({ pagingToken: next, events: page.events });
}

function getEvent({ params: { locator = '' }, context: { store } }: Route): Response {
  const event = store.get(locator);
  if (event === undefined) throw new EmulatorHttpError(404, `Event ${locator} not found`);
  return json(event);
}

function eventsForRequest({ params: { requestId = '' }, context: { store } }: Route): Response {
  return json(store.forRequest(requestId));
}

function scheduledForPolicy({ params: { policyLocator = '' }, context: { store } }: Route): Response {
  return json(store.scheduledFor(policyLocator));
}

/** Serves a failed job without the emulator's private `policyLocator`. */
function served({ policyLocator: _policy, ...job }: EmulatedFailedJob): Omit<EmulatedFailedJob, 'policyLocator'> {
  return job;
}

type JobFilter = (job: EmulatedFailedJob, params: Readonly<Record<string, string>>) => boolean;

function failedList(select: JobFilter): (route: Route) => Response {
  return ({ url, params, context: { store } }) => {
    const offset = integerParam(url, 'offset', 0, Number.MAX_SAFE_INTEGER) ?? 0;
    const count = integerParam(url, 'count', 1, EMULATOR_MAX_PAGE_SIZE) ?? EMULATOR_DEFAULT_PAGE_SIZE;
    return json(store.failedJobs((job) => select(job, params), offset, count).map(served));
  };
}

function failedByState(route: Route): Response {
  const state = route.params['failedJobState'];
  if (state !== 'queued' && state !== 'quit') {
    throw new EmulatorHttpError(400, `Invalid failedJobState: ${state} (expected queued or quit)`);
  }
  return failedList((job) => job.failedJobState === state)(route);
}

async function failedJobKey({ request, context: { canWrite } }: Route): Promise<{ triggerName: string; triggerGroup: string }> {
  if (!canWrite) throw new EmulatorHttpError(403, 'Missing permission events:write');
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw new EmulatorHttpError(400, 'Request body must be a FailedJobRequest');
  }
  const { triggerName, triggerGroup } = (body ?? {}) as Record<string, unknown>;
  if (typeof triggerName !== 'string' || typeof triggerGroup !== 'string' || !triggerName || !triggerGroup) {
    throw new EmulatorHttpError(400, 'triggerName and triggerGroup are required');
  }
  return { triggerName, triggerGroup };
}

async function removeFailed(route: Route): Promise<Response> {
  const { triggerName, triggerGroup } = await failedJobKey(route);
  if (!route.context.store.removeFailedJob(triggerName, triggerGroup)) {
    throw new EmulatorHttpError(404, `Failed job ${triggerGroup}.${triggerName} not found`);
  }
  return empty();
}

const BASE = '/event/:tenantLocator/events';

/**
 * The ten endpoints. Order matters: the router takes the first match, so fixed segments come before the
 * `{locator}` catch-all and `failed/list` before `failed/{failedJobState}/list`.
 */
export function createSocotraRouter(): Router<SocotraRouteContext> {
  return createRouter<SocotraRouteContext>()
    .get(`${BASE}/list`, listEvents)
    .get(`${BASE}/request/:requestId`, eventsForRequest)
    .get(`${BASE}/schedules/failed/list`, failedList(() => true))
    .get(`${BASE}/schedules/tenant/failed/list`, failedList((job) => job.policyLocator === undefined))
    .get(`${BASE}/schedules/policy/:policyLocator/failed/list`, failedList((job, params) => job.policyLocator === params['policyLocator']))
    .get(`${BASE}/schedules/failed/:failedJobState/list`, failedByState)
    .post(`${BASE}/schedules/failed/resume`, removeFailed)
    .delete(`${BASE}/schedules/failed`, removeFailed)
    .get(`${BASE}/schedules/policy/:policyLocator`, scheduledForPolicy)
    .get(`${BASE}/:locator`, getEvent);
}
