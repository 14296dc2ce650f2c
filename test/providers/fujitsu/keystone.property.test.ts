/**
 * Keystone authentication as the FUJITSU client does it (README "Authenticate", `auth.ts`), over seeded
 * scenarios: tokens of any lifetime that expire on Keystone's clock, tokens revoked before their time
 * (a `401` mid-listing), client clocks hours ahead of or behind Keystone's, Keystone answers with and
 * without `issued_at`, several clients of one identity in one process each running several listings at
 * once, some with a wrong password, logins answered `401`, `429`, `500`, `502`, `503` (with or without
 * `Retry-After`) or a reset, listings aborted while a login is in flight, and a login answer whose
 * catalog names another host.
 *
 * What the README promises, checked on every scenario:
 * - every event of the window once in each listing that ends, whatever was renewed on the way;
 * - one login for the requests that need one at the same time: a client logs in at most once a round,
 *   once more per revocation and per login that failed or lost a waiter, and never after Keystone
 *   refused its password; no client of the process sends a refused password again within 15 minutes;
 * - a login refused unread (`429`, `503`) is retried by the login, never by each request waiting for it;
 * - no request answered `401` for a token past its lifetime: it is renewed before, on the client's clock;
 * - each failure typed: the abort's own reason, the refusal (`AuthenticationError`, `auth.login`, sent
 *   once), or the login's own failure, a lost answer (`500`, `502`, a reset) never resent;
 * - no password and no token, old or new, in an error, a hook's argument or `inspect` of the client;
 * - requests only to the database and identity hosts, the token only to the first, the password only
 *   to the second.
 *
 * Time is the test's own: each request takes up to 40 ms or 3 s of it, a back-off or `Retry-After` moves it at
 * once, and rounds are up to two hours apart.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/core/clock.js';
import { isAuthenticationError, isHttpError, isNetworkError } from '../../../src/core/errors.js';
import { fujitsu } from '../../../src/providers/fujitsu/index.js';
import { DEFAULT_FUJITSU_TENANT as TENANT, fujitsuEmulator, type StoredEvent } from '../../../src/providers/fujitsu/emulator.js';
import { serveEvent } from '../../../src/providers/fujitsu/emulator-store.js';
import { REMEMBERED_MS } from '../../../src/providers/fujitsu/login-registry.js';
import { keyEvents } from '../../../src/providers/fujitsu/normalize.js';
import type { FujitsuEvent } from '../../../src/providers/fujitsu/schemas.js';
import { createRng } from '../../../src/testing/rng.js';
import { PROPERTY_TIMEOUT } from '../../support/property-timeout.js';
import '../../support/fast-check-seed.js';
import { BASE, IDENTITY, identity, USER } from './helpers.js';

const START = Date.UTC(2026, 11, 1, 12, 0, 0);
const LOGIN_PATH = '/v3/auth/tokens';
/** A host the login's catalog names: nothing may be sent there. */
const ELSEWHERE = 'https://database.attacker.example';

/** What the test answers a login with, attempt by attempt; `ok` is Keystone's own answer. */
const loginOutcome = fc.constantFrom('ok', 'ok', 'ok', 'ok', 429, 503, 500, 502, 'reset', 401);
type LoginOutcome = typeof loginOutcome extends fc.Arbitrary<infer T> ? T : never;

const listing = fc.record({
  client: fc.nat(),
  pageSize: fc.integer({ min: 20, max: 100 }),
  /** Aborted by its caller when its client's next login is in flight. */
  abortAtLogin: fc.constantFrom(false, false, false, true),
});

const round = fc.record({
  advanceS: fc.oneof(fc.integer({ min: 0, max: 120 }), fc.integer({ min: 0, max: 7_200 })),
  listings: fc.array(listing, { minLength: 1, maxLength: 5 }),
  /** A token revoked at the round's n-th listing request or after: that request is answered `401`. */
  revokeAt: fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined }),
});

const scenario = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  events: fc.integer({ min: 0, max: 150 }),
  tokenTtlS: fc.oneof(fc.integer({ min: 30, max: 300 }), fc.constantFrom(3_600, 7_200)),
  /** Whether Keystone's answer carries `issued_at` (it always does; a proxy may drop fields). */
  issuedAt: fc.boolean(),
  catalogElsewhere: fc.boolean(),
  /** The most a request takes of the test's time: a round of slow requests renews on the way. */
  latencyMs: fc.constantFrom(40, 40, 3_000),
  /** Each client's clock against Keystone's. */
  clients: fc.array(
    fc.record({
      skewS: fc.oneof(fc.constant(0), fc.integer({ min: -10_800, max: 10_800 })),
      /** A wrong password: Keystone refuses it, and locks the account at the fifth refusal in 15 minutes. */
      wrongPassword: fc.constantFrom(false, false, false, true),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  /** Whether a `429` or `503` answering a login says when to come back. */
  retryAfter: fc.boolean(),
  logins: fc.array(loginOutcome, { maxLength: 8 }),
  rounds: fc.array(round, { minLength: 1, maxLength: 5 }),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

/** The id the client gives a stored event. */
function idOf(event: StoredEvent): string {
  return (keyEvents([serveEvent(event, 'zoneless', 'array') as FujitsuEvent], 'events.list')[0] as { id: string }).id;
}

interface Figures {
  logins: number;
  revoked: number;
  refused: number;
  aborted: number;
  listed: number;
  failed: number;
}

/**
 * Keystone's error body (`errors.ts`), for a login answered by the test. It echoes the login it refused,
 * password included, as a gateway that logs what it was sent may: the error must not show it.
 */
function keystoneError(status: number, login: string, retryAfter: boolean): Response {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (retryAfter && (status === 429 || status === 503)) headers['retry-after'] = '1';
  const message = `${status === 401 ? 'The request you have made requires authentication.' : 'Keystone is unavailable.'} Request: ${login}`;
  return new Response(JSON.stringify({ error: { code: status, title: 'Error', message } }), { status, headers });
}

/** Scenarios run so far: each has a user of its own, since the process remembers a refused password. */
let scenarios = 0;
const WRONG_PASSWORD = 'wrong-password-3141';

async function run(setup: Scenario): Promise<Figures> {
  const world = { now: START };
  const rng = createRng(setup.seed);
  const emulatorClock: Clock = { now: () => world.now, scale: 0.001, sleep: async () => undefined };
  const user = { ...USER, userName: `reader-${scenarios++}` };
  const emulator = fujitsuEmulator.create({ seed: setup.seed, events: setup.events, clock: emulatorClock, tokenTtl: setup.tokenTtlS * 1000, users: [user] });
  const passwordOf = (client: number): string => (setup.clients[client]?.wrongPassword ? WRONG_PASSWORD : USER.password);
  /** When (world time) Keystone last refused each password, whichever client sent it. */
  const refusedAt = new Map<string, number>();
  const figures: Figures = { logins: 0, revoked: 0, refused: 0, aborted: 0, listed: 0, failed: 0 };
  const since = START - 2 * 3_600_000;
  const expected = [...new Set(emulator.store.events.all(TENANT).filter((event) => event.at >= since && event.at <= START).map(idOf))].sort();

  const secrets = new Set<string>([USER.password, WRONG_PASSWORD]);
  /** The round each token was issued in, and those revoked before their lifetime ended. */
  const revoked = new Set<string>();
  const issuedIn = new Map<string, number>();
  const sent: Array<{ client: number; url: URL; token: string | null; body: string }> = [];
  const expiry401: string[] = [];
  /** What the test's fetch saw go wrong: thrown there, it would reach the client as a network error. */
  const violations: string[] = [];
  const shown: string[] = [];
  let loginCount = 0;
  const listingOf = new AsyncLocalStorage<{ listing: number; client: number }>();
  /** Listings that started a login whose answer was lost: Keystone may have counted it. */
  const lost = new Set<number>();
  let listings = 0;
  let round = 0;
  let listingRequests = 0;
  let revokeAt: number | undefined;

  interface ClientState {
    /** Logins sent in the current round, and how many more than one it may take: one per failed login. */
    logins: number;
    allowance: number;
    refusedAt: number | undefined;
    /** Listings to abort at the next login. */
    abortAtLogin: Array<() => void>;
  }
  const states: ClientState[] = setup.clients.map(() => ({ logins: 0, allowance: 0, refusedAt: undefined, abortAtLogin: [] }));

  const login = async (client: number, state: ClientState, request: Request): Promise<Response> => {
    const outcome: LoginOutcome = setup.logins[loginCount] ?? 'ok';
    // The listing whose request started this login (a shared login runs in the context of the first).
    // A login queued in the limiter of the user's logins, which the clients share, may run in the
    // context of another client's listing: only one of its own client's is taken for its own.
    const context = listingOf.getStore();
    const by = context?.client === client ? context.listing : undefined;
    if (by !== undefined && lost.has(by)) violations.push(`listing ${by} sent again a login whose answer was lost`);
    if (by !== undefined && (outcome === 500 || outcome === 502 || outcome === 'reset')) lost.add(by);
    loginCount += 1;
    state.logins += 1;
    figures.logins += 1;
    if (state.refusedAt !== undefined) violations.push(`a login sent after Keystone refused the password in round ${state.refusedAt}`);
    const password = passwordOf(client);
    const refused = refusedAt.get(password);
    if (refused !== undefined && world.now - refused < REMEMBERED_MS) violations.push(`a password refused ${world.now - refused} ms before sent again by client ${client}`);
    const refuse = (): void => {
      state.refusedAt = round;
      refusedAt.set(password, world.now);
      figures.refused += 1;
    };
    // Sent, the login is read to its answer though its waiters leave: a later request takes its token
    // or its refusal, and sends none of its own.
    for (const abort of state.abortAtLogin.splice(0)) abort();
    if (request.signal.aborted) violations.push('a login sent, given up with its waiters');
    if (outcome !== 'ok') state.allowance += 1;
    if (outcome === 'reset') throw new TypeError('fetch failed', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) });
    if (outcome === 401) refuse();
    if (typeof outcome === 'number') return keystoneError(outcome, await request.clone().text(), setup.retryAfter);
    const answer = await emulator.fetch(request);
    if (answer.status === 401) refuse();
    const token = answer.headers.get('x-subject-token');
    if (token === null) return answer;
    secrets.add(token);
    issuedIn.set(token, round);
    const body = (await answer.json()) as { token: Record<string, unknown> };
    if (!setup.issuedAt) delete body.token['issued_at'];
    if (setup.catalogElsewhere) {
      body.token['catalog'] = [
        { type: 'database', name: 'database', endpoints: [{ interface: 'public', region: 'uk-1', url: `${ELSEWHERE}/v1.0/${TENANT}` }] },
        { type: 'identity', name: 'keystone', endpoints: [{ interface: 'public', region: 'uk-1', url: `${ELSEWHERE}/v3` }] },
      ];
    }
    return new Response(JSON.stringify(body), { status: answer.status, headers: answer.headers });
  };

  const fetchOf =
    (client: number): typeof globalThis.fetch =>
    async (input, init) => {
      const request = new Request(input, init);
      world.now += rng.int(0, setup.latencyMs);
      const url = new URL(request.url);
      const token = request.headers.get('x-auth-token');
      sent.push({ client, url, token, body: request.method === 'POST' ? await request.clone().text() : '' });
      const state = states[client] as ClientState;
      if (url.pathname === LOGIN_PATH) return login(client, state, request);
      listingRequests += 1;
      // A token from an earlier round revoked before its time: this request and every later one that
      // sends it are refused. One issued this round may have been the one a refused request was
      // resent with, which fails it as the README says (the request is sent once more, not twice).
      if (revokeAt !== undefined && listingRequests >= revokeAt && token !== null && (issuedIn.get(token) ?? round) < round) {
        revokeAt = undefined;
        revoked.add(token);
        figures.revoked += 1;
      }
      // Keystone's own refusal: the emulator asked with a token it does not know.
      if (token !== null && revoked.has(token)) request.headers.set('x-auth-token', 'gAAAAA-revoked');
      const answer = await emulator.fetch(request);
      if (answer.status === 401 && token !== null && !revoked.has(token)) expiry401.push(token);
      return answer;
    };

  const hook = (what: string) => (info: unknown) => void shown.push(`${what} ${JSON.stringify(info)} ${inspect(info, { depth: 8 })}`);
  const onRetry = (info: { operation: string; error: unknown }): void => {
    hook('onRetry')(info);
    // Each waiting request retrying the login on its own schedule sent eleven logins for eight listings.
    if (info.operation !== 'auth.login' && (info.error as { operation?: string }).operation === 'auth.login') violations.push(`${info.operation} retried for its login`);
  };
  const hooks = { onRequest: hook('onRequest'), onResponse: hook('onResponse'), onRetry, onRateLimit: hook('onRateLimit') };
  const clients = setup.clients.map(({ skewS }, index) => {
    const clock: Clock = {
      now: () => world.now + skewS * 1000,
      scale: 0.001,
      sleep: async (ms, signal) => {
        signal?.throwIfAborted();
        world.now += ms;
      },
    };
    return fujitsu({
      baseUrl: BASE,
      tenantId: TENANT,
      identity: identity({ userName: user.userName, password: passwordOf(index) }),
      fetch: fetchOf(index),
      clock,
      hooks,
      retry: { retries: 3, minDelay: 200, maxDelay: 2_000 },
    });
  });

  for (const step of setup.rounds) {
    world.now += step.advanceS * 1000;
    listingRequests = 0;
    revokeAt = step.revokeAt;
    for (const state of states) {
      state.logins = 0;
      state.allowance = 0;
    }
    const revokedBefore = figures.revoked;
    const roundStart = world.now;
    const runs = step.listings.map(async ({ client: pick, pageSize, abortAtLogin }) => {
      const index = pick % clients.length;
      const state = states[index] as ClientState;
      const client = clients[index] as (typeof clients)[number];
      const controller = new AbortController();
      const reason = new Error(`listing of client ${index} stopped by its caller`);
      let abortedAt = false;
      const abort = (): void => {
        abortedAt = true;
        controller.abort(reason);
      };
      if (abortAtLogin) state.abortAtLogin.push(abort);
      const password = passwordOf(index);
      const id = listings++;
      try {
        const events = await listingOf.run({ listing: id, client: index }, () => client.events.list({ since: new Date(since), until: new Date(START), pageSize }).toArray({ signal: controller.signal }));
        figures.listed += 1;
        expect(events.map((event) => event.id).sort(), 'every event of the window once').toEqual(expected);
      } catch (error) {
        figures.failed += 1;
        shown.push(`error ${inspect(error, { depth: 8 })} ${JSON.stringify(error)} ${String(error)}`);
        if (abortedAt) {
          figures.aborted += 1;
          expect(error).toBe(reason);
          return;
        }
        // Refused to this client, or to another one of its password: it sends that password no more.
        // A refusal may also come just after a login of this listing failed otherwise.
        if (refusedAt.has(password) && isAuthenticationError(error)) {
          state.refusedAt ??= round;
          expect((error as Error).message).toMatch(/will not try again/);
          expect((error as { operation?: string }).operation).toBe('auth.login');
          return;
        }
        // The login's own failure: refused unread (429, 503) and retried until the retries ran out,
        // or lost (500, 502, a reset) and not sent again (`lost`).
        expect((error as { operation?: string }).operation, inspect(error)).toBe('auth.login');
        expect(isNetworkError(error) || (isHttpError(error) && [429, 500, 502, 503].includes(error.status)), inspect(error)).toBe(true);
      } finally {
        const pending = state.abortAtLogin.indexOf(abort);
        if (pending >= 0) state.abortAtLogin.splice(pending, 1);
      }
    });
    await Promise.all(runs);
    for (const state of states) state.abortAtLogin.length = 0;
    const revocations = figures.revoked - revokedBefore;
    // A token is kept at least three quarters of its lifetime: a long round renews on the way.
    const renewals = 1 + Math.floor((world.now - roundStart) / (0.75 * setup.tokenTtlS * 1000));
    states.forEach((state, index) => {
      expect(state.logins, `logins of client ${index} in round ${round}`).toBeLessThanOrEqual(renewals + revocations + state.allowance);
    });
    round += 1;
  }

  expect(violations).toEqual([]);
  expect(emulator.store.keystone.isLocked(user.domainName, user.userName), 'the account locked').toBe(false);
  // Renewed on its own clock before Keystone's `expires_at`, whatever the skew: never refused for age.
  expect(expiry401, 'requests refused with a token past its lifetime').toEqual([]);

  shown.push(inspect(clients, { depth: 8, showHidden: true }));
  for (const text of shown) for (const secret of secrets) expect(text.includes(secret), `a credential in ${text.slice(0, 200)}`).toBe(false);

  for (const { url, token, body } of sent) {
    const origin = url.origin;
    expect([BASE, IDENTITY]).toContain(origin);
    if (origin === IDENTITY) expect(token).toBeNull();
    if (origin === BASE) expect(body.includes(USER.password)).toBe(false);
  }
  return figures;
}

/** A token given as `token`: never renewed, whenever it ends. */
const staticScenario = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  events: fc.integer({ min: 0, max: 150 }),
  pageSize: fc.integer({ min: 20, max: 100 }),
  ttlS: fc.integer({ min: 1, max: 7_200 }),
  skewS: fc.integer({ min: -10_800, max: 10_800 }),
  /** When the listing starts, after the token was issued. */
  afterS: fc.integer({ min: 0, max: 7_200 }),
  /** Revoked before its time at the listing's n-th request. */
  revokeAt: fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
  latencyMs: fc.constantFrom(40, 3_000),
});
type StaticScenario = typeof staticScenario extends fc.Arbitrary<infer T> ? T : never;

const STATIC_TOKEN = 'gAAAAAstatic-9f2c4e1a7b3d5f60';

/** Lists with a static token; returns whether the token ran out on the way. */
async function runStatic(setup: StaticScenario): Promise<boolean> {
  const world = { now: START };
  const rng = createRng(setup.seed);
  const emulatorClock: Clock = { now: () => world.now, scale: 0.001, sleep: async () => undefined };
  const emulator = fujitsuEmulator.create({ seed: setup.seed, events: setup.events, clock: emulatorClock, tokens: [] });
  emulator.store.keystone.issue(STATIC_TOKEN, TENANT, setup.ttlS * 1000);
  const since = START - 2 * 3_600_000;
  const expected = [...new Set(emulator.store.events.all(TENANT).filter((event) => event.at >= since && event.at <= START).map(idOf))].sort();
  world.now += setup.afterS * 1000;
  let requests = 0;
  let refusals = 0;
  /** Requests other than the listing's (a login): thrown in fetch, they would be a network error. */
  const violations: string[] = [];
  const shown: string[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    world.now += rng.int(0, setup.latencyMs);
    if (new URL(request.url).origin !== BASE || request.method !== 'GET') violations.push(`${request.method} ${request.url}`);
    if (++requests === setup.revokeAt) emulator.store.keystone.expireAll();
    const answer = await emulator.fetch(request);
    if (answer.status !== 401) return answer;
    refusals += 1;
    // The service names the token it refused, as some gateways do.
    const message = `The token ${request.headers.get('x-auth-token') ?? ''} has expired.`;
    return new Response(JSON.stringify({ unauthorized: { message, code: 401 } }), { status: 401, headers: answer.headers });
  };
  const hook = (info: unknown): void => void shown.push(`${JSON.stringify(info)} ${inspect(info, { depth: 8 })}`);
  const clock: Clock = {
    now: () => world.now + setup.skewS * 1000,
    scale: 0.001,
    sleep: async (ms) => void (world.now += ms),
  };
  const client = fujitsu({
    baseUrl: BASE,
    tenantId: TENANT,
    token: STATIC_TOKEN,
    fetch,
    clock,
    hooks: { onRequest: hook, onResponse: hook, onRetry: hook, onRateLimit: hook },
  });
  let ended = false;
  try {
    const events = await client.events.list({ since: new Date(since), until: new Date(START), pageSize: setup.pageSize }).toArray();
    expect(events.map((event) => event.id).sort()).toEqual(expected);
  } catch (error) {
    ended = true;
    shown.push(`${inspect(error, { depth: 8 })} ${JSON.stringify(error)} ${String(error)}`);
    expect(isAuthenticationError(error), inspect(error)).toBe(true);
    expect(error).toMatchObject({ status: 401, operation: 'events.list' });
    // Refused once: not sent again, and no login tried (there is no password to log in with).
    expect(refusals).toBe(1);
  }
  expect(violations).toEqual([]);
  shown.push(inspect(client, { depth: 8, showHidden: true }));
  for (const text of shown) expect(text.includes(STATIC_TOKEN), text.slice(0, 200)).toBe(false);
  return ended;
}

describe('fujitsu Keystone authentication property', () => {
  it(
    'one login for the requests that need it, renewed before its time on a skewed clock, failures typed, no credential shown or sent elsewhere',
    async () => {
      const totals: Figures = { logins: 0, revoked: 0, refused: 0, aborted: 0, listed: 0, failed: 0 };
      await fc.assert(
        fc.asyncProperty(scenario, async (setup) => {
          // A scenario takes well under a second: one that hangs fails with its case, not the test's timeout.
          let timer: NodeJS.Timeout | undefined;
          const stuck = new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error('the scenario did not end within 5 s')), 5_000);
          });
          const figures = await Promise.race([run(setup), stuck]).finally(() => clearTimeout(timer));
          for (const key of Object.keys(totals) as Array<keyof Figures>) totals[key] += figures[key];
        }),
        { numRuns: 120 },
      );
      // The scenarios reached what they are for.
      expect(totals.revoked).toBeGreaterThan(20);
      expect(totals.refused).toBeGreaterThan(5);
      expect(totals.aborted).toBeGreaterThan(5);
      expect(totals.listed).toBeGreaterThan(200);
    },
    PROPERTY_TIMEOUT.timeout,
  );

  it('a static token that runs out, by its lifetime or before: an AuthenticationError of the request it failed, no login, the token shown nowhere', async () => {
    let ended = 0;
    await fc.assert(
      fc.asyncProperty(staticScenario, async (setup) => {
        if (await runStatic(setup)) ended += 1;
      }),
      { numRuns: 60 },
    );
    expect(ended).toBeGreaterThan(15);
  }, PROPERTY_TIMEOUT.timeout);
});
