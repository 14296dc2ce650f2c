/**
 * Cancellation at any real moment, not only between promise turns: each case serves a vendor's emulator
 * on a real socket, answers every request after a small latency (in some cases its body too, in two
 * halves a latency apart), starts one operation of a listing (its items, its pages, `toArray`, a single
 * `get`, a `watch`) and stops it after a random real delay: by a call's signal, by the client's signal,
 * or by leaving the loop (`return()`). Some answers meet a 503, a 429 or a reset besides, so that the
 * stop may also come while the client waits to retry. Afterwards:
 * - the operation has settled, with the signal's reason (a `watch` stopped by its own signal ends, as
 *   it documents), or done after a break;
 * - nothing went unhandled, and neither signal holds a listener;
 * - no request reached the vendor once the stop had been seen (beyond a grace for those already sent);
 * - the limiter (one request at a time, Informatica's 5 a minute on a fast clock) holds no slot: the
 *   next request of its key goes out;
 * - resuming from the last page cursor handed out delivers exactly the rest of an undisturbed listing.
 *
 * `CANCEL_RUNS` runs more cases (`FC_SEED` draws others).
 */
import fc from 'fast-check';
import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { scaledClock, type Clock } from '../../src/core/clock.js';
import { memoryCheckpoint } from '../../src/core/checkpoint.js';
import type { Paginated } from '../../src/core/paginate/types.js';
import { closeRateLimiters } from '../../src/core/rate-limit.js';
import { watch } from '../../src/core/watch.js';
import { fujitsu } from '../../src/providers/fujitsu/index.js';
import { DEFAULT_FUJITSU_TENANT, DEFAULT_FUJITSU_TOKEN, DEFAULT_FUJITSU_USER, fujitsuEmulator } from '../../src/providers/fujitsu/emulator.js';
import { illumio } from '../../src/providers/illumio/index.js';
import { DEFAULT_ILLUMIO_CREDENTIAL, illumioEmulator } from '../../src/providers/illumio/emulator.js';
import { informatica } from '../../src/providers/informatica/index.js';
import { DEFAULT_INFORMATICA_USER, informaticaEmulator } from '../../src/providers/informatica/emulator.js';
import { socotra } from '../../src/providers/socotra/index.js';
import { SOCOTRA_EMULATOR_TENANT, SOCOTRA_EMULATOR_TOKEN, socotraEmulator } from '../../src/providers/socotra/emulator.js';
import { tines } from '../../src/providers/tines/index.js';
import { DEFAULT_TINES_CREDENTIAL, tinesEmulator } from '../../src/providers/tines/emulator.js';
import type { Emulator } from '../../src/testing/types.js';
import { PROPERTY_TIMEOUT } from '../support/property-timeout.js';
import { slowBodyProxy } from '../support/slow-body-proxy.js';

afterEach(() => closeRateLimiters());

const RUNS = Number(process.env.CANCEL_RUNS ?? 12);
/** A vendor second lasts a real millisecond: latencies and Informatica's 5 a minute run in milliseconds. */
const SCALE = 0.001;
/** How long an operation may take to settle once stopped: generous, a hang and not a speed is sought. */
const SETTLE_BOUND_MS = 2_000;

type Item = { id: string };
type Client = { events: { get?(id: string, options?: { signal?: AbortSignal }): Promise<Item> } };

interface Target {
  emulator: Emulator;
  /** The client's options over the served URL, a signal and the limiter's key. */
  client(url: string, key: string, signal: AbortSignal | undefined): Client;
  listing(client: Client): Paginated<Item>;
  /** What tells the listing's items apart, when not their `id`. */
  idOf?(item: Item): string;
  /** An id `get` takes, when the listing's vendor has one. */
  getId?(items: Item[]): string;
}

const limit = (key: string, vendor?: { requests: number; interval: number }) => ({ rateLimit: { key, maxConcurrent: 1, ...vendor } });
const common = (url: string, key: string, signal: AbortSignal | undefined, clock: Clock) => ({
  baseUrl: url,
  clock,
  retry: { minDelay: 10, maxDelay: 100 },
  ...limit(key),
  ...(signal === undefined ? {} : { signal }),
});

/** `since`: where the listings that need a start begin, the same in every listing of a case. */
const TARGETS: Record<string, (clock: Clock, since: Date) => Target> = {
  socotra: (clock) => ({
    emulator: socotraEmulator.create({ seed: 3, events: 23, clock, policies: 1, failedJobs: 0 }),
    client: (url, key, signal) => socotra({ ...common(url, key, signal, clock), tenantLocator: SOCOTRA_EMULATOR_TENANT, token: SOCOTRA_EMULATOR_TOKEN }) as never,
    listing: (client) => (client as never as ReturnType<typeof socotra>).events.list({ pageSize: 5 }),
    getId: (items) => items[0]!.id,
  }),
  'socotra failed jobs': (clock) => ({
    emulator: socotraEmulator.create({ seed: 3, events: 0, clock, policies: 1, failedJobs: 23 }),
    client: (url, key, signal) => socotra({ ...common(url, key, signal, clock), tenantLocator: SOCOTRA_EMULATOR_TENANT, token: SOCOTRA_EMULATOR_TOKEN }) as never,
    listing: (client) => (client as never as ReturnType<typeof socotra>).schedules.failed.list({ pageSize: 5 }) as never,
    idOf: (job) => JSON.stringify([(job as never as { triggerGroup: string }).triggerGroup, (job as never as { triggerName: string }).triggerName]),
  }),
  tines: (clock) => ({
    emulator: tinesEmulator.create({ seed: 3, events: 23, clock }),
    client: (url, key, signal) => tines({ ...common(url, key, signal, clock), token: DEFAULT_TINES_CREDENTIAL.key }) as never,
    listing: (client) => (client as never as ReturnType<typeof tines>).events.list({ pageSize: 5 }),
    getId: (items) => items[0]!.id,
  }),
  fujitsu: (clock, since) => ({
    emulator: fujitsuEmulator.create({ seed: 3, events: 70, clock }),
    client: (url, key, signal) => fujitsu({ ...common(url, key, signal, clock), tenantId: DEFAULT_FUJITSU_TENANT, token: DEFAULT_FUJITSU_TOKEN }) as never,
    listing: (client) => (client as never as ReturnType<typeof fujitsu>).events.list({ since, pageSize: 20 }),
  }),
  // A Keystone login whose token lasts a few pages: the stop may come while a login is in flight.
  'fujitsu login': (clock, since) => ({
    emulator: fujitsuEmulator.create({ seed: 3, events: 70, clock, tokenTtl: 30_000 }),
    client: (url, key, signal) => {
      const { userName, password, domainName } = DEFAULT_FUJITSU_USER;
      return fujitsu({ ...common(url, key, signal, clock), tenantId: DEFAULT_FUJITSU_TENANT, identity: { url, userName, password, domainName } }) as never;
    },
    listing: (client) => (client as never as ReturnType<typeof fujitsu>).events.list({ since, pageSize: 20 }),
  }),
  illumio: (clock) => ({
    emulator: illumioEmulator.create({ seed: 3, events: 23, clock, rateLimit: false }),
    client: (url, key, signal) => illumio({ ...common(url, key, signal, clock), orgId: 1, ...DEFAULT_ILLUMIO_CREDENTIAL }) as never,
    listing: (client) => (client as never as ReturnType<typeof illumio>).events.list({ pageSize: 5, mode: 'sync' }),
    getId: (items) => items[0]!.id,
  }),
  informatica: (clock, since) => ({
    // The vendor's own 5 a minute stays on: the client's limiter of the same budget keeps under it.
    emulator: informaticaEmulator.create({ seed: 3, events: 12, clock }),
    client: (url, key, signal) =>
      informatica({
        ...common(url, key, signal, clock),
        ...limit(key, { requests: 5, interval: 60_000 }),
        username: DEFAULT_INFORMATICA_USER.user,
        password: DEFAULT_INFORMATICA_USER.password,
      }) as never,
    listing: (client) => (client as never as ReturnType<typeof informatica>).events.list({ since: since.toISOString(), pageSize: 5 }),
    getId: (items) => items[0]!.id,
  }),
};

type Operation = 'items' | 'byPage' | 'toArray' | 'get' | 'watch';
type Stop = 'call' | 'client' | 'break';
/** The ways each operation can be stopped: `for await` over items takes no call signal, a promise no break. */
const STOPS: Record<Operation, Stop[]> = {
  items: ['client', 'break'],
  byPage: ['call', 'client', 'break'],
  toArray: ['call', 'client'],
  get: ['call', 'client'],
  watch: ['call', 'client', 'break'],
};

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** `promise`'s outcome, or `'hung'` past the bound. */
async function within<T>(promise: Promise<T>, ms: number): Promise<{ value: T } | { error: unknown } | 'hung'> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), ms)));
  try {
    return await Promise.race([promise.then((value) => ({ value }), (error: unknown) => ({ error })), bound]);
  } finally {
    clearTimeout(timer);
  }
}

interface Case {
  target: string;
  operation: Operation;
  stop: Stop;
  latency: number;
  /** The stop's delay, in latencies. */
  delay: number;
  /** A failure some answers meet besides, which the client retries: the stop may come during its wait. */
  trouble: 'none' | 'status' | 'rate-limit' | 'reset';
  /** Seeds which answers meet the trouble. */
  troubleSeed: number;
  /** Whether each answer's body comes in two halves a latency apart (`slowBodyProxy`). */
  slowBody: boolean;
}

/** The troubles, each met by 30% of the answers; a 429's wait is a few latencies on the fast clock. */
const TROUBLES = {
  status: { kind: 'status', status: 503 },
  'rate-limit': { kind: 'rate-limit', retryAfter: 20 },
  reset: { kind: 'reset' },
} as const;

let cases = 0;

async function runCase({ target, operation, stop, latency, delay, trouble, troubleSeed, slowBody }: Case): Promise<void> {
  const clock = scaledClock(SCALE);
  const made = TARGETS[target]!(clock, new Date(clock.now() - 30 * 86_400_000));
  const { emulator } = made;
  const served = await emulator.listen();
  const server = slowBody ? await slowBodyProxy(served.url, latency) : served;
  const key = `cancel-timing-${cases++}`;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    const quiet = made.client(server.url, key, undefined);
    const idOf = made.idOf ?? ((item: Item) => item.id);
    const expected = (await made.listing(quiet).toArray()).map(idOf);
    expect(expected.length, 'a listing of several pages').toBeGreaterThan(10);
    // Every request from here is the operation's, answered after `latency` real milliseconds.
    emulator.faults.add({ kind: 'latency', ms: latency / SCALE });
    if (trouble !== 'none') emulator.faults.add({ ...TROUBLES[trouble], schedule: { probability: 0.3, seed: troubleSeed } });
    const clientController = new AbortController();
    const callController = new AbortController();
    const reason = new Error(`stopped ${key}`);
    const client = made.client(server.url, key, clientController.signal);
    const listing = made.listing(client);
    const callSignal = stop === 'call' ? callController.signal : undefined;

    const handed: string[] = [];
    let cursor: string | undefined;
    let stopping = false;
    let iterator: AsyncIterator<unknown> | undefined;
    const loop = async (iterable: AsyncIterable<unknown>, take: (value: unknown) => void): Promise<void> => {
      iterator = iterable[Symbol.asyncIterator]();
      for (;;) {
        const next = await iterator.next();
        if (next.done === true) return;
        if (stopping && stop === 'break') return;
        take(next.value);
      }
    };
    const takePage = (page: unknown): void => {
      const { items, cursor: pageCursor } = page as { items: Item[]; cursor: string };
      handed.push(...items.map(idOf));
      cursor = pageCursor;
    };
    const run = ((): Promise<unknown> => {
      switch (operation) {
        case 'items':
          return loop(listing, (item) => handed.push(idOf(item as Item)));
        case 'byPage':
          return loop(listing.byPage(callSignal === undefined ? {} : { signal: callSignal }), takePage);
        case 'toArray':
          return listing.toArray(callSignal === undefined ? {} : { signal: callSignal });
        case 'get': {
          const get = client.events.get;
          const id = made.getId?.(expected.map((id) => ({ id })));
          if (get === undefined || id === undefined) return listing.toArray({ maxItems: 1, ...(callSignal === undefined ? {} : { signal: callSignal }) });
          return get.call(client.events, id, callSignal === undefined ? {} : { signal: callSignal });
        }
        case 'watch':
          return loop(watch(listing, { checkpoint: memoryCheckpoint(), interval: 20_000, ...(callSignal === undefined ? {} : { signal: callSignal }) }), takePage);
      }
    })();
    let settledAt: 'before' | 'after' | undefined;
    run.then(
      () => (settledAt ??= stopping ? 'after' : 'before'),
      () => (settledAt ??= stopping ? 'after' : 'before'),
    );

    await sleep(delay * latency);
    stopping = true;
    if (stop === 'call') callController.abort(reason);
    else if (stop === 'client') clientController.abort(reason);
    else void iterator?.return?.();
    const outcome = await within(run, SETTLE_BOUND_MS);
    expect(outcome, 'the operation settles once stopped').not.toBe('hung');
    if (outcome === 'hung') return;
    if ('error' in outcome && settledAt === 'before') {
      // Failed on its own before the stop: a trouble the retries did not get past (a login reset).
      expect(trouble).not.toBe('none');
    } else if ('error' in outcome) {
      expect(outcome.error, 'a stopped operation fails with the signal reason').toBe(reason);
      expect(stop).not.toBe('break');
    } else if (operation === 'watch' && stop === 'client') {
      expect.fail('a watch stopped by the client fails with its reason, as its listing does');
    }

    // Requests sent before the stop may still arrive (the server shares this process's event loop, which a
    // loaded machine can hold for a while); none may be sent after it.
    await sleep(2 * latency + 250);
    const seen = emulator.requests.length;
    await sleep(3 * latency + 50);
    expect(emulator.requests.length, 'requests after the stop').toBe(seen);
    await sleep(0);
    expect(unhandled, 'unhandled rejections').toEqual([]);
    expect(getEventListeners(clientController.signal, 'abort'), 'listeners on the client signal').toHaveLength(0);
    expect(getEventListeners(callController.signal, 'abort'), 'listeners on the call signal').toHaveLength(0);

    emulator.faults.clear();
    // The limiter of the key lets the next request out (one at a time: a slot held would hold it forever).
    const after = made.client(server.url, key, undefined);
    const next = await within(made.listing(after).byPage()[Symbol.asyncIterator]().next(), SETTLE_BOUND_MS);
    expect(next, 'the next request of the limiter key').not.toBe('hung');

    if (operation === 'byPage' || (operation === 'watch' && stop !== 'client')) {
      const rest: string[] = [];
      for await (const page of made.listing(after).byPage(cursor === undefined ? {} : { cursor })) rest.push(...page.items.map(idOf));
      if (operation === 'watch') expect([...handed, ...rest].slice(0, expected.length)).toEqual(expected);
      else expect([...handed, ...rest], 'the pages handed out, then the rest from the last cursor').toEqual(expected);
    }
  } finally {
    process.off('unhandledRejection', onUnhandled);
    if (slowBody) await server.close();
    await served.close();
  }
}

const caseArbitrary = fc
  .record({
    target: fc.constantFrom(...Object.keys(TARGETS)),
    operation: fc.constantFrom<Operation>('items', 'byPage', 'toArray', 'get', 'watch'),
    stopIndex: fc.nat(2),
    latency: fc.integer({ min: 1, max: 15 }),
    delay: fc.integer({ min: 0, max: 30 }).map((tenths) => tenths / 10),
    trouble: fc.constantFrom<Case['trouble']>('none', 'none', 'status', 'rate-limit', 'reset'),
    troubleSeed: fc.nat(1_000),
    slowBody: fc.boolean(),
  })
  .map(({ stopIndex, ...rest }): Case => {
    const stops = STOPS[rest.operation];
    return { ...rest, stop: stops[stopIndex % stops.length] as Stop };
  });

describe('cancellation at a random real moment', () => {
  it('settles with the reason, leaves nothing behind, sends nothing after, and resumes exactly', { timeout: Math.max(PROPERTY_TIMEOUT.timeout, RUNS * 2_000) }, async () => {
    await fc.assert(fc.asyncProperty(caseArbitrary, runCase), { numRuns: RUNS, endOnFailure: true });
  });
});
