/**
 * A call's own `signal` (`byPage`'s, `toArray`'s, a single call's options) stops that call and no other:
 * while it waits in the limiter, while it backs off after a 503 and in the request in flight, with the
 * signal's reason as given; a byPage stopped so resumes from its last cursor to exactly the rest; and
 * neither the call's signal nor the client's keeps a listener afterwards.
 */
import { defaultMaxListeners, getEventListeners, getMaxListeners, setMaxListeners } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { scaledClock, type Clock } from '../../src/core/clock.js';
import { isConfigurationError } from '../../src/core/errors.js';
import type { Page, Paginated } from '../../src/core/paginate/types.js';
import { fujitsu } from '../../src/providers/fujitsu/index.js';
import { DEFAULT_FUJITSU_TENANT, DEFAULT_FUJITSU_TOKEN, fujitsuEmulator } from '../../src/providers/fujitsu/emulator.js';
import { illumio } from '../../src/providers/illumio/index.js';
import { DEFAULT_ILLUMIO_CREDENTIAL, illumioEmulator } from '../../src/providers/illumio/emulator.js';
import { informatica } from '../../src/providers/informatica/index.js';
import { DEFAULT_INFORMATICA_USER, informaticaEmulator } from '../../src/providers/informatica/emulator.js';
import { socotra } from '../../src/providers/socotra/index.js';
import { SOCOTRA_EMULATOR_TENANT, SOCOTRA_EMULATOR_TOKEN, socotraEmulator } from '../../src/providers/socotra/emulator.js';
import { tines } from '../../src/providers/tines/index.js';
import { DEFAULT_TINES_CREDENTIAL, tinesEmulator } from '../../src/providers/tines/emulator.js';

type Fetch = typeof globalThis.fetch;
type Vendor = 'socotra' | 'tines' | 'fujitsu' | 'illumio' | 'informatica';
const VENDORS: readonly Vendor[] = ['socotra', 'tines', 'fujitsu', 'illumio', 'informatica'];
const SINCE = '2000-01-01T00:00:00.000Z';
const EVENTS = 70;
/** FUJITSU takes pages of 20 to 100 events. */
const pageSizeOf = (vendor: Vendor): number => (vendor === 'fujitsu' ? 20 : 7);

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(1);
  }
}

interface Held {
  url: string;
  signal: AbortSignal | undefined;
  release(): void;
}

/**
 * The emulator's fetch, with requests that may be held until the test releases them (or their signal
 * aborts) and the next ones answered 503.
 */
function gated(inner: Fetch) {
  const state = { sent: 0, holding: false, unavailable: 0, held: [] as Held[], onFetch: (): void => {} };
  const fetch: Fetch = async (input, init) => {
    state.sent += 1;
    state.onFetch();
    const url = input instanceof Request ? input.url : String(input);
    const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined) ?? undefined;
    if (state.unavailable > 0) {
      state.unavailable -= 1;
      return new Response('{"message":"busy"}', { status: 503, headers: { 'content-type': 'application/json' } });
    }
    if (state.holding) {
      await new Promise<void>((resolve, reject) => {
        state.held.push({ url, signal, release: resolve });
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
    }
    return inner(input, init);
  };
  return { state, fetch };
}

/** A clock whose every wait (a back-off, a job poll) lasts until it is aborted. */
function stuckClock() {
  const waits = { started: 0 };
  const clock: Clock = {
    now: () => Date.now(),
    scale: 1,
    sleep: (_ms, signal) =>
      new Promise<void>((_resolve, reject) => {
        waits.started += 1;
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      }),
  };
  return { waits, clock };
}

interface Setup {
  client: ReturnType<typeof makeClient>;
  gate: ReturnType<typeof gated>['state'];
  listing(pageSize?: number, query?: Record<string, unknown>): Paginated<{ id: string }>;
}

interface ClientOptions {
  clock: Clock;
  signal?: AbortSignal;
  rateLimit?: false | { maxConcurrent: number };
  retry?: { minDelay: number; maxDelay: number };
}

function makeClient(vendor: Vendor, fetch: Fetch, options: ClientOptions) {
  const common = { fetch, rateLimit: false as const, ...options };
  switch (vendor) {
    case 'socotra':
      return socotra({ baseUrl: 'https://api-ec-sandbox.socotra.com', tenantLocator: SOCOTRA_EMULATOR_TENANT, token: SOCOTRA_EMULATOR_TOKEN, ...common });
    case 'tines':
      return tines({ baseUrl: 'https://tenant-1234.tines.com', token: DEFAULT_TINES_CREDENTIAL.key, ...common });
    case 'fujitsu':
      return fujitsu({ baseUrl: 'https://database.uk-1.cloud.global.fujitsu.com', tenantId: DEFAULT_FUJITSU_TENANT, token: DEFAULT_FUJITSU_TOKEN, ...common });
    case 'illumio':
      return illumio({ baseUrl: 'https://pce.example.com:8443', orgId: 1, ...DEFAULT_ILLUMIO_CREDENTIAL, ...common });
    case 'informatica':
      return informatica({
        baseUrl: 'https://cih-pod1.dm-us.informaticacloud.com',
        username: DEFAULT_INFORMATICA_USER.user,
        password: DEFAULT_INFORMATICA_USER.password,
        ...common,
      });
  }
}

function emulatorFetch(vendor: Vendor): Fetch {
  switch (vendor) {
    case 'socotra':
      return socotraEmulator.create({ seed: 3, events: EVENTS, rateLimit: false, policies: 2, failedJobs: 3 }).fetch;
    case 'tines':
      return tinesEmulator.create({ seed: 3, events: EVENTS, rateLimit: false }).fetch;
    case 'fujitsu':
      return fujitsuEmulator.create({ seed: 3, events: EVENTS, rateLimit: false }).fetch;
    case 'illumio':
      return illumioEmulator.create({ seed: 3, events: EVENTS, rateLimit: false }).fetch;
    case 'informatica':
      return informaticaEmulator.create({ seed: 3, events: EVENTS, rateLimit: false }).fetch;
  }
}

function setup(vendor: Vendor, options: Partial<ClientOptions> = {}): Setup {
  const { state, fetch } = gated(emulatorFetch(vendor));
  const client = makeClient(vendor, fetch, { clock: scaledClock(0.001), ...options });
  const events = client.events as { list(query?: unknown): Paginated<{ id: string }> };
  const needsSince = vendor === 'fujitsu' || vendor === 'informatica' || vendor === 'illumio';
  return {
    client,
    gate: state,
    listing: (pageSize = pageSizeOf(vendor), query = {}) => events.list({ pageSize, ...(needsSince ? { since: SINCE } : {}), ...query }),
  };
}

const ids = (items: ReadonlyArray<{ id: string }>): string[] => items.map((item) => item.id);

function expectNoListeners(...signals: Array<AbortSignal | undefined>): void {
  for (const signal of signals) if (signal) expect(getEventListeners(signal, 'abort')).toHaveLength(0);
}

/** A page of `iterator` taken while requests are held: releases them one by one until the page comes. */
async function pageReleasingHeld(gate: Setup['gate'], iterator: AsyncIterator<Page<{ id: string }>>): Promise<Page<{ id: string }>> {
  let settled = false;
  const next = iterator.next().finally(() => {
    settled = true;
  });
  for (;;) {
    await until(() => settled || gate.held.length > 0, 'a request or the page');
    if (settled) break;
    // A request held while the page is still on its way may be the prefetch of the next page, which
    // goes out before the page is handed over: only one the page still waits for is released.
    await sleep(20);
    if (settled) break;
    gate.held.shift()?.release();
  }
  const result = await next;
  if (result.done === true) throw new Error('the listing ended on its first page');
  return result.value;
}

let warnings: string[] = [];
const onWarning = (warning: Error): void => void warnings.push(`${warning.name}: ${warning.message}`);
afterEach(() => {
  process.off('warning', onWarning);
  warnings = [];
});

describe.each(VENDORS)('%s: a listing stopped by its own signal', (vendor) => {
  it('rejects toArray and byPage with the reason while they wait in the limiter; the client\'s other call goes on', async () => {
    const client = new AbortController();
    const { gate, listing } = setup(vendor, { rateLimit: { maxConcurrent: 1 }, signal: client.signal });
    const all = await listing().toArray();
    expect(all.length).toBeGreaterThan(2 * pageSizeOf(vendor));
    gate.holding = true;
    const sent = gate.sent;
    // Another call of the client holds the limiter's only slot.
    const other = listing().toArray();
    await until(() => gate.held.length === 1, 'the other call\'s request');
    const forArray = new AbortController();
    const forPages = new AbortController();
    const array = listing().toArray({ signal: forArray.signal });
    const pages = listing().byPage({ signal: forPages.signal })[Symbol.asyncIterator]().next();
    await sleep(30);
    expect(gate.sent).toBe(sent + 1);
    const arrayReason = new Error('array no longer wanted');
    const pagesReason = 'pages no longer wanted';
    forArray.abort(arrayReason);
    forPages.abort(pagesReason);
    await expect(array).rejects.toBe(arrayReason);
    await expect(pages).rejects.toBe(pagesReason);
    gate.holding = false;
    gate.held.shift()?.release();
    expect(ids(await other)).toEqual(ids(all));
    expectNoListeners(forArray.signal, forPages.signal, client.signal);
  });

  it('rejects toArray and byPage with the reason during the back-off after a 503', async () => {
    const client = new AbortController();
    const { waits, clock } = stuckClock();
    const { gate, listing } = setup(vendor, { clock, signal: client.signal, retry: { minDelay: 60_000, maxDelay: 60_000 } });
    for (const run of [
      (signal: AbortSignal) => listing().toArray({ signal }),
      (signal: AbortSignal) => listing().byPage({ signal })[Symbol.asyncIterator]().next(),
    ]) {
      const waited = waits.started;
      const sent = gate.sent;
      gate.unavailable = 1;
      const controller = new AbortController();
      const outcome = run(controller.signal);
      await until(() => waits.started > waited, 'the back-off');
      const reason = new Error('stop backing off');
      controller.abort(reason);
      await expect(outcome).rejects.toBe(reason);
      expect(gate.sent).toBe(sent + 1);
      expectNoListeners(controller.signal, client.signal);
    }
    // The client goes on: its next listing is not aborted.
    expect((await listing().toArray()).length).toBeGreaterThan(2 * pageSizeOf(vendor));
  });

  it('aborts the request in flight; the last page\'s cursor resumes with exactly the rest', async () => {
    const client = new AbortController();
    const { gate, listing } = setup(vendor, { signal: client.signal });
    const all = await listing().toArray();
    gate.holding = true;

    const forArray = new AbortController();
    const array = listing().toArray({ signal: forArray.signal });
    await until(() => gate.held.length === 1, 'the request of toArray');
    const arrayReason = new Error('array no longer wanted');
    forArray.abort(arrayReason);
    await expect(array).rejects.toBe(arrayReason);
    expect(gate.held.shift()?.signal?.aborted).toBe(true);

    const forPages = new AbortController();
    const iterator = listing().byPage({ signal: forPages.signal })[Symbol.asyncIterator]();
    const first = await pageReleasingHeld(gate, iterator);
    expect(first.hasMore).toBe(true);
    await until(() => gate.held.length > 0, 'the next page\'s request');
    const inFlight = gate.held[0] as Held;
    const pagesReason = new Error('pages no longer wanted');
    forPages.abort(pagesReason);
    await expect(iterator.next()).rejects.toBe(pagesReason);
    expect(inFlight.signal?.aborted).toBe(true);
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    expectNoListeners(forArray.signal, forPages.signal, client.signal);

    gate.holding = false;
    gate.held.length = 0;
    const rest: Array<{ id: string }> = [];
    for await (const page of listing().byPage({ cursor: first.cursor })) rest.push(...page.items);
    expect([...ids(first.items), ...ids(rest)]).toEqual(ids(all));
  });

  it('rejects between pages, after the next page came in', async () => {
    const { listing } = setup(vendor);
    const controller = new AbortController();
    const iterator = listing().byPage({ signal: controller.signal })[Symbol.asyncIterator]();
    await iterator.next();
    // The prefetched page is in: the abort is between pages.
    await sleep(30);
    const reason = new Error('enough');
    controller.abort(reason);
    await expect(iterator.next()).rejects.toBe(reason);
    expectNoListeners(controller.signal);
  });

  it('rejects before any request when the signal is aborted already, and refuses a signal that is not one', async () => {
    const { gate, listing } = setup(vendor);
    const reason = new Error('aborted before');
    const aborted = AbortSignal.abort(reason);
    await expect(listing().toArray({ signal: aborted })).rejects.toBe(reason);
    await expect(listing().toArray({ signal: aborted, maxItems: 0 })).rejects.toBe(reason);
    await expect(listing().byPage({ signal: aborted })[Symbol.asyncIterator]().next()).rejects.toBe(reason);
    for (const bad of [new AbortController(), 'abort', null, { aborted: false }]) {
      for (const run of [
        () => listing().toArray({ signal: bad as unknown as AbortSignal }),
        () => listing().byPage({ signal: bad as unknown as AbortSignal })[Symbol.asyncIterator]().next(),
      ]) {
        const error = await run().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(isConfigurationError(error)).toBe(true);
        expect((error as { option?: string }).option).toBe('signal');
      }
    }
    expect(gate.sent).toBe(0);
  });

  it('leaves no listener on a long-lived signal given to many listings at once', async () => {
    process.on('warning', onWarning);
    const { gate, listing } = setup(vendor);
    const shared = new AbortController().signal;
    // Node 20's limit (Node 24 sets none), so that both take the path that raises it.
    setMaxListeners(defaultMaxListeners, shared);
    let peak = 0;
    const sample = (): void => void (peak = Math.max(peak, getEventListeners(shared, 'abort').length));
    gate.onFetch = sample;
    const counts = await Promise.all(
      Array.from({ length: 3 * defaultMaxListeners }, async (_, n) => {
        if (n % 2 === 0) return (await listing(20).toArray({ signal: shared })).length;
        let count = 0;
        for await (const page of listing(20).byPage({ signal: shared })) count += page.items.length;
        return count;
      }),
    );
    expect(new Set(counts).size).toBe(1);
    await sleep(0);
    expect(peak).toBeGreaterThan(defaultMaxListeners);
    expect(getMaxListeners(shared)).toBeGreaterThanOrEqual(peak);
    expectNoListeners(shared);
    expect(warnings.filter((w) => w.startsWith('MaxListenersExceededWarning'))).toEqual([]);
  });
});

type Call = (options?: { signal?: AbortSignal }) => Promise<unknown>;

/** Every call of `vendor` that is not a listing, each with an argument it takes. */
function singleCalls(vendor: Vendor, client: Setup['client']): Record<string, Call> {
  const job = { triggerName: 'trigger-1', triggerGroup: 'policy-1' };
  switch (vendor) {
    case 'socotra': {
      const c = client as ReturnType<typeof socotra>;
      return {
        'events.get': (o) => c.events.get('01JD3W5X8V0000000000000001', o),
        'events.forRequest': (o) => c.events.forRequest('01JD3W5X8V0000000000000002', o),
        'schedules.forPolicy': (o) => c.schedules.forPolicy('01JD3W5X8V0000000000000003', o),
        'schedules.failed.resume': (o) => c.schedules.failed.resume(job, o),
        'schedules.failed.delete': (o) => c.schedules.failed.delete(job, o),
      };
    }
    case 'tines': {
      const c = client as ReturnType<typeof tines>;
      return { 'events.get': (o) => c.events.get(1, o), 'events.reemit': (o) => c.events.reemit(1, o) };
    }
    case 'illumio': {
      const c = client as ReturnType<typeof illumio>;
      return { 'events.get': (o) => c.events.get('3a2b1c00-0000-4000-8000-000000000001', o) };
    }
    case 'informatica': {
      const c = client as ReturnType<typeof informatica>;
      return { 'events.get': (o) => c.events.get(1, o) };
    }
    case 'fujitsu':
      return {};
  }
}

const SINGLE_CALLS = VENDORS.flatMap((vendor) =>
  Object.keys(singleCalls(vendor, setup(vendor).client)).map((name) => [vendor, name] as const),
);

describe.each(SINGLE_CALLS)('%s %s: stopped by its own signal', (vendor, name) => {
  const callOf = (s: Setup): Call => singleCalls(vendor, s.client)[name] as Call;

  it('rejects with the reason while it waits in the limiter; the client\'s other call goes on', async () => {
    const client = new AbortController();
    const s = setup(vendor, { rateLimit: { maxConcurrent: 1 }, signal: client.signal });
    const all = await s.listing().toArray();
    s.gate.holding = true;
    const other = s.listing().toArray();
    await until(() => s.gate.held.length === 1, 'the other call\'s request');
    const sent = s.gate.sent;
    const controller = new AbortController();
    const outcome = callOf(s)({ signal: controller.signal });
    await sleep(30);
    const reason = new Error('no longer wanted');
    controller.abort(reason);
    await expect(outcome).rejects.toBe(reason);
    expect(s.gate.sent).toBe(sent);
    s.gate.holding = false;
    s.gate.held.shift()?.release();
    expect(ids(await other)).toEqual(ids(all));
    expectNoListeners(controller.signal, client.signal);
  });

  it('rejects with the reason during the back-off after a 503', async () => {
    const client = new AbortController();
    const { waits, clock } = stuckClock();
    const s = setup(vendor, { clock, signal: client.signal, retry: { minDelay: 60_000, maxDelay: 60_000 } });
    s.gate.unavailable = 1;
    const controller = new AbortController();
    const outcome = callOf(s)({ signal: controller.signal });
    await until(() => waits.started > 0, 'the back-off');
    const reason = new Error('stop backing off');
    controller.abort(reason);
    await expect(outcome).rejects.toBe(reason);
    expect(s.gate.sent).toBe(1);
    expectNoListeners(controller.signal, client.signal);
  });

  it('aborts the request in flight with the reason', async () => {
    const client = new AbortController();
    const s = setup(vendor, { signal: client.signal });
    s.gate.holding = true;
    const controller = new AbortController();
    const outcome = callOf(s)({ signal: controller.signal });
    await until(() => s.gate.held.length === 1, 'the request');
    controller.abort('timed out');
    await expect(outcome).rejects.toBe('timed out');
    expect(s.gate.held[0]?.signal?.aborted).toBe(true);
    expect(client.signal.aborted).toBe(false);
    expectNoListeners(controller.signal, client.signal);
  });

  it('rejects before any request when the signal is aborted already; refuses a value that is no signal, or an unknown option', async () => {
    const s = setup(vendor);
    const reason = new Error('aborted before');
    await expect(callOf(s)({ signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    for (const [options, option] of [
      [{ signal: new AbortController() }, 'signal'],
      [{ signal: 'abort' }, 'signal'],
      [{ signal: null }, 'signal'],
      [{ signl: AbortSignal.timeout(1_000) }, 'signl'],
      [null, 'options'],
    ] as const) {
      const error = await callOf(s)(options as never).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isConfigurationError(error), String(error)).toBe(true);
      expect((error as { option?: string }).option).toBe(option);
    }
    expect(s.gate.sent).toBe(0);
  });

  it('leaves no listener on a long-lived signal given to many calls at once', async () => {
    process.on('warning', onWarning);
    const s = setup(vendor);
    const shared = new AbortController().signal;
    setMaxListeners(defaultMaxListeners, shared);
    s.gate.holding = true;
    const calls = Array.from({ length: 3 * defaultMaxListeners }, () => callOf(s)({ signal: shared }).catch(() => undefined));
    await until(() => s.gate.held.length === calls.length, 'every request');
    expect(getEventListeners(shared, 'abort').length).toBeGreaterThan(defaultMaxListeners);
    s.gate.holding = false;
    for (const held of s.gate.held.splice(0)) held.release();
    await Promise.all(calls);
    expectNoListeners(shared);
    expect(warnings.filter((w) => w.startsWith('MaxListenersExceededWarning'))).toEqual([]);
  });
});

describe('single calls keep their former signatures', () => {
  it.each(['socotra', 'tines', 'illumio', 'informatica'] as const)('%s: events.get(id) without options', async (vendor) => {
    const s = setup(vendor);
    const [first] = await s.listing().toArray({ maxItems: 1 });
    const id = (first as { id: string }).id;
    const got = await (s.client.events as { get(id: string): Promise<{ id: string }> }).get(id);
    expect(got.id).toBe(id);
  });
});

describe('Illumio: an async export stopped by the listing\'s signal', () => {
  it('rejects with the reason while it waits for the job, and the client goes on', async () => {
    const client = new AbortController();
    const { waits, clock } = stuckClock();
    const s = setup('illumio', { clock, signal: client.signal });
    const controller = new AbortController();
    const outcome = s.listing(7, { mode: 'async' }).toArray({ signal: controller.signal });
    await until(() => waits.started > 0, 'the export job\'s poll');
    const reason = new Error('export no longer wanted');
    controller.abort(reason);
    await expect(outcome).rejects.toBe(reason);
    expectNoListeners(controller.signal, client.signal);
    expect((await s.listing().toArray()).length).toBeGreaterThan(14);
  });
});
