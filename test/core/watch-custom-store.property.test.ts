/**
 * `watch(listing, { checkpoint })` with a store of the application's own (`{ load, save }`, as a Redis
 * client answers) that misbehaves, at random, alone or two watches merged: each process of the consumer
 * meets one misbehaviour of one store, every store's answers come late now and then, and a last
 * process drains each watch from whatever its store holds; a load may answer at once, with no promise,
 * as a JavaScript caller's store can. (`watch.property.test.ts` covers the
 * vendors, their faults and the consumer's own stops with well-behaved stores.)
 *
 * Promised (README "Continuous collection", `watch.ts`, `checkpoint.ts`), and checked:
 * - a value loaded that is no cursor (`''`, a number, an object, a cursor of another vendor or query)
 *   is a `CursorError` naming the checkpoint, and a load that throws or rejects fails the watch with
 *   its error, before the watch sends any request; `null` and `undefined` start the listing;
 * - a save that throws or rejects fails the watch with its error; what a save resolves to is ignored;
 * - the watch's signal, the client's signal or the consumer's `return()` during a load or a save that
 *   does not answer ends the watch at once: quietly, with the client's reason, or closed;
 * - saves of a watch are never concurrent, and come in the order of the pages asked past: the store
 *   holds the cursor of the last page the consumer asked past whose save went through;
 * - every event is delivered, and again only as one of a page handled and not committed, or after a
 *   load that started the listing.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Checkpoint } from '../../src/core/checkpoint.js';
import { scaledClock, type Clock } from '../../src/core/clock.js';
import { isCursorError } from '../../src/core/errors.js';
import type { Page } from '../../src/core/paginate/types.js';
import { watch } from '../../src/core/watch.js';
import { fujitsu } from '../../src/providers/fujitsu/index.js';
import { DEFAULT_FUJITSU_TENANT, DEFAULT_FUJITSU_TOKEN, fujitsuEmulator } from '../../src/providers/fujitsu/emulator.js';
import { tines } from '../../src/providers/tines/index.js';
import { DEFAULT_TINES_CREDENTIAL, tinesEmulator } from '../../src/providers/tines/emulator.js';
import { watchedPages } from '../support/watched-pages.js';
import { PROPERTY_BUDGET } from '../support/property-timeout.js';

const timing = scaledClock(0.001);

/** What a load may answer beside the value kept: each a store's mistake or a store's way of saying "none". */
const LOADS = ['throws', 'rejects', 'undefined', 'null', 'empty', 'number', 'object', 'other-vendor', 'other-query', 'whitespace'] as const;
/** Loaded values that are no cursor of this listing. */
const NOT_CURSORS = new Set<string>(['empty', 'number', 'object', 'other-vendor', 'other-query']);
/** `slow`: a save that answers only once the page after has come (prefetched), or a while later if none does. */
const SAVES = ['throws', 'rejects', 'value', 'slow'] as const;
/**
 * What ends the watch while a load or a save is pending: the watch's signal or the client's during a
 * load that never answers, or during a save that answers only the abort (a store given the same
 * signal), with its reason or with an `AbortError` of its own; `return()` during a slow save that
 * lands or fails.
 */
const HANGS = ['signal-load', 'client-load', 'signal-save', 'client-save', 'store-abort-save', 'return-save', 'return-failed-save'] as const;

const faultOf = fc.oneof(
  fc.record({ on: fc.constant('load' as const), kind: fc.constantFrom(...LOADS) }),
  fc.record({ on: fc.constant('save' as const), kind: fc.constantFrom(...SAVES), nth: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ on: fc.constant('hang' as const), kind: fc.constantFrom(...HANGS), nth: fc.integer({ min: 1, max: 5 }) }),
);
type Fault = ReturnType<typeof faultOf.generate>['value'];

const roundOf = fc.record({
  fault: faultOf,
  /** The watch whose store misbehaves. */
  stream: fc.nat(),
  /** The consumer breaks out after this many pages, or watches until the listings are quiet. */
  breakAt: fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
});
type Round = ReturnType<typeof roundOf.generate>['value'];

const scenarioOf = fc.record({
  streams: fc.array(fc.record({ events: fc.integer({ min: 1, max: 40 }), pageSize: fc.integer({ min: 3, max: 10 }) }), { minLength: 1, maxLength: 2 }),
  /** Which of a store's answers come a few milliseconds late (bits of a mask), else at once. */
  lateness: fc.nat(),
  rounds: fc.array(roundOf, { minLength: 1, maxLength: 4 }),
});
type Scenario = ReturnType<typeof scenarioOf.generate>['value'];

/** Cursors of other listings: of another vendor, and of the same vendor's listing of another query. */
const foreign = { vendor: '', query: '' };
beforeAll(async () => {
  const emulator = fujitsuEmulator.create({ seed: 3, events: 3 });
  const client = fujitsu({ baseUrl: 'https://database.example.com', tenantId: DEFAULT_FUJITSU_TENANT, token: DEFAULT_FUJITSU_TOKEN, fetch: emulator.fetch });
  for await (const page of client.events.list().byPage()) foreign.vendor = page.cursor;
  const tenant = tinesEmulator.create({ events: 3, seed: 3, clock: timing });
  const other = tines({ baseUrl: 'https://tenant.tines.com', token: DEFAULT_TINES_CREDENTIAL.key, fetch: tenant.fetch, clock: timing });
  for await (const page of other.events.list({ since: '2020-01-01T00:00:00Z' }).byPage()) foreign.query = page.cursor;
});

/** A value kept in memory, as Redis keeps it, and the saves of the store over it still to land. */
interface Kept {
  value: string | undefined;
  /** The cursors of the saves asked for, in order, this process. */
  asked: string[];
  landing: Set<Promise<unknown>>;
}

interface Stream {
  emulator: ReturnType<typeof tinesEmulator.create>;
  pageSize: number;
  kept: Kept;
  delivered: string[];
  /** Per id, how often it may come again. */
  mayRepeat: Map<string, number>;
  /** The cursor the store must hold, and the one before the last page asked past. */
  committed: string | undefined;
  before: string | undefined;
  asked: Page<{ id: string }> | undefined;
  /** The cursors of the pages asked past this process, in order. */
  askedPast: string[];
}

const LOAD_THROWN = new Error('checkpoint store: load failed');
const SAVE_THROWN = new Error('checkpoint store: save failed');
const CLIENT_STOPPED = new Error('client shutting down');

/** What the round's misbehaving store did, for the checks. */
interface Happened {
  /** The stop came during a pending load or save. */
  hung: boolean;
  /** The save that failed or never answered: its page is not committed. */
  unsaved: boolean;
  /** Saves asked for while another of the same watch was pending. */
  concurrent: number;
  /** Slow saves the next page came during. */
  overtaken: number;
}

const STORE_ABORTED = new DOMException('checkpoint store: the save was cut short', 'AbortError');

/**
 * The store of one watch in one process. `stop` is called when its misbehaving load or save begins,
 * and returns the signal that aborts the save (undefined for `return()`).
 */
function storeOf(kept: Kept, fault: Fault | undefined, draw: () => boolean, happened: Happened, stop: () => AbortSignal | undefined, answered: () => number): Checkpoint {
  let saves = 0;
  let inFlight = 0;
  const settle = async <T>(value: T): Promise<T> => {
    if (draw()) await new Promise((resolve) => setTimeout(resolve, 2));
    return value;
  };
  /** A load of a store kept in the process may answer at once, with no promise, as a JavaScript caller's can. */
  const answer = <T>(value: T): Promise<T> => (draw() ? (value as unknown as Promise<T>) : settle(value));
  const hang = (): Promise<never> => {
    happened.hung = true;
    stop();
    return new Promise<never>(() => undefined);
  };
  /** A save that answers only the stop: rejected with its reason, or with an error of the store's. */
  const cutShort = (cursor: string): Promise<unknown> => {
    happened.hung = true;
    const signal = stop();
    if (signal === undefined) {
      // `return()` asked while the save runs: it lands, or fails, a little later.
      const lands = fault?.kind === 'return-save';
      if (lands) happened.unsaved = false;
      return new Promise((resolve) => setTimeout(resolve, 5)).then(() => {
        if (!lands) throw SAVE_THROWN;
        kept.value = cursor;
      });
    }
    return new Promise((_resolve, reject) => {
      signal.addEventListener('abort', () => reject(fault?.kind === 'store-abort-save' ? STORE_ABORTED : signal.reason), { once: true });
    });
  };
  return {
    load: () => {
      if (fault?.on === 'hang' && fault.kind.endsWith('-load')) return hang();
      if (fault?.on !== 'load') return answer(kept.value);
      switch (fault.kind) {
        case 'throws':
          throw LOAD_THROWN;
        case 'rejects':
          return settle(undefined).then(() => Promise.reject(LOAD_THROWN));
        case 'undefined':
          return settle(undefined);
        case 'null':
          return settle(null);
        case 'empty':
          return settle('');
        case 'number':
          return settle(42 as unknown as string);
        case 'object':
          return settle({ cursor: kept.value } as unknown as string);
        case 'other-vendor':
          return settle(foreign.vendor);
        case 'other-query':
          return settle(foreign.query);
        case 'whitespace':
          return settle(kept.value === undefined ? undefined : ` ${kept.value}\n`);
      }
    },
    save: (cursor) => {
      saves += 1;
      kept.asked.push(cursor);
      if (inFlight > 0) happened.concurrent += 1;
      const faulty = (fault?.on === 'save' || fault?.on === 'hang') && fault.nth === saves;
      if (faulty && fault.on === 'hang' && fault.kind.endsWith('-save')) {
        happened.unsaved = true;
        return cutShort(cursor);
      }
      if (faulty && fault.kind === 'throws') {
        happened.unsaved = true;
        throw SAVE_THROWN;
      }
      inFlight += 1;
      const before = answered();
      const slow = async (): Promise<void> => {
        for (let turn = 0; turn < 20 && answered() === before; turn++) await new Promise((resolve) => setTimeout(resolve, 1));
        if (answered() > before) happened.overtaken += 1;
      };
      const saving = (faulty && fault.kind === 'slow' ? slow() : settle(undefined)).then(() => {
        inFlight -= 1;
        if (faulty && fault.kind === 'rejects') {
          happened.unsaved = true;
          throw SAVE_THROWN;
        }
        kept.value = cursor;
        return faulty ? { ok: true, cursor: 'not what was saved' } : 'OK';
      });
      kept.landing.add(saving);
      void saving.catch(() => undefined).finally(() => kept.landing.delete(saving));
      return saving;
    },
  };
}

interface Figures {
  faults: Record<string, number>;
  overtaken: number;
}

async function runRound(streams: Stream[], round: Round | undefined, lateness: { bits: number }, figures: Figures): Promise<void> {
  const index = round === undefined ? -1 : round.stream % streams.length;
  const fault = round?.fault;
  const watchStop = new AbortController();
  const happenings: Happened[] = streams.map(() => ({ hung: false, unsaved: false, concurrent: 0, overtaken: 0 }));
  const happened = happenings[index] ?? { hung: false, unsaved: false, concurrent: 0, overtaken: 0 };
  const sleeps = streams.map(() => 0);
  const clockOf = (at: number): Clock => ({
    now: () => Date.now(),
    scale: 1,
    sleep: async (_ms, signal) => {
      await new Promise((resolve) => setImmediate(resolve));
      signal?.throwIfAborted();
      // The listings are static: once each watch has polled twice more, the consumer stops.
      sleeps[at] = (sleeps[at] as number) + 1;
      if (sleeps.every((count) => count >= 2)) watchStop.abort();
      signal?.throwIfAborted();
    },
  });
  const draw = (): boolean => {
    lateness.bits = (lateness.bits * 1_103_515_245 + 12_345) % 2 ** 31;
    return (lateness.bits & 4) !== 0;
  };
  let closing: Promise<unknown> | undefined;
  const clientStops = streams.map(() => new AbortController());
  let close = async (): Promise<void> => undefined;
  const stop = (): AbortSignal | undefined => {
    if (fault?.on !== 'hang') return undefined;
    const client = clientStops[index] as AbortController;
    if (fault.kind.startsWith('client-')) {
      setImmediate(() => client.abort(CLIENT_STOPPED));
      return client.signal;
    }
    if (fault.kind.startsWith('return-')) {
      setImmediate(() => (closing = close()));
      return undefined;
    }
    setImmediate(() => watchStop.abort());
    return watchStop.signal;
  };
  const watches = streams.map((stream, at) => {
    let answers = 0;
    // The vendor answers a millisecond later: a page prefetched while the consumer holds the one before
    // is still on its way when that one's save begins.
    const fetch: typeof globalThis.fetch = async (input, init) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return stream.emulator.fetch(input, init).finally(() => (answers += 1));
    };
    const client = tines({ baseUrl: 'https://tenant.tines.com', token: DEFAULT_TINES_CREDENTIAL.key, fetch, clock: timing, signal: (clientStops[at] as AbortController).signal });
    const checkpoint = storeOf(stream.kept, at === index ? fault : undefined, draw, happenings[at] as Happened, stop, () => answers);
    return watch(client.events.list({ pageSize: stream.pageSize }), { checkpoint, clock: clockOf(at), interval: 1_000, signal: watchStop.signal });
  });
  const pages = watchedPages(watches);
  close = pages.close;
  const take = pages.take;

  const started = streams.map((stream) => stream.emulator.requests.length);
  if (fault?.on === 'load' && (fault.kind === 'undefined' || fault.kind === 'null')) {
    // The listing starts over: everything delivered so far may come again.
    const stream = streams[index] as Stream;
    for (const id of new Set(stream.delivered)) stream.mayRepeat.set(id, (stream.mayRepeat.get(id) ?? 0) + 1);
  }
  let error: unknown;
  let taken = 0;
  let inHand: { source: number; page: Page<{ id: string }> } | undefined;
  try {
    for (;;) {
      if (inHand !== undefined) {
        const stream = streams[inHand.source] as Stream;
        stream.before = stream.committed;
        stream.committed = inHand.page.cursor;
        stream.asked = inHand.page;
        stream.askedPast.push(inHand.page.cursor);
      }
      inHand = undefined;
      const next = await take();
      if (next === undefined) break;
      // Out of the loop before handling the page: it is neither delivered nor committed.
      if (++taken === round?.breakAt) {
        await close();
        break;
      }
      inHand = next;
      (streams[next.source] as Stream).delivered.push(...next.page.items.map((event) => event.id));
    }
  } catch (caught) {
    error = caught;
  }
  // The close fails with the save that failed while it waited.
  const closed = await Promise.resolve(closing).then(
    () => undefined,
    (failure: unknown) => failure,
  );
  if (fault?.kind === 'return-failed-save' && happened.hung) expect(closed, 'the close').toBe(SAVE_THROWN);
  else expect(closed, 'the close').toBeUndefined();

  const misbehaving = streams[index];
  if (misbehaving !== undefined && happened.unsaved) {
    // The save that failed or never answered committed nothing: its page, handled, comes again.
    misbehaving.committed = misbehaving.before;
    const asked = misbehaving.asked as Page<{ id: string }>;
    for (const event of asked.items) misbehaving.mayRepeat.set(event.id, (misbehaving.mayRepeat.get(event.id) ?? 0) + 1);
  }
  const kind = `${fault?.on}:${fault?.kind}`;
  if (fault?.on === 'load' && (fault.kind === 'throws' || fault.kind === 'rejects')) expect(error, kind).toBe(LOAD_THROWN);
  else if (fault?.on === 'load' && NOT_CURSORS.has(fault.kind)) {
    expect(isCursorError(error), `${kind}: ${String(error)}`).toBe(true);
    expect((error as Error).message, kind).toMatch(/checkpoint/);
  } else if (fault?.on === 'save' && happened.unsaved) expect(error, kind).toBe(SAVE_THROWN);
  else if (fault?.on === 'hang' && fault.kind.startsWith('client-') && happened.hung) expect(error, kind).toBe(CLIENT_STOPPED);
  else if (fault?.on === 'hang' && fault.kind === 'store-abort-save' && happened.hung) expect(error, kind).toBe(STORE_ABORTED);
  // A merge being closed drops what its sources answer: the close alone tells.
  else if (fault?.on === 'hang' && fault.kind === 'return-failed-save' && happened.hung) expect([SAVE_THROWN, undefined], kind).toContain(error);
  else expect(error, kind).toBeUndefined();
  if ((fault?.on === 'load' && error !== undefined) || (fault?.on === 'hang' && fault.kind.endsWith('-load'))) {
    const stream = misbehaving as Stream;
    expect(stream.emulator.requests.length, `${kind}: requests before the load was refused`).toBe(started[index]);
  }
  for (const [at, { concurrent, overtaken }] of happenings.entries()) {
    expect(concurrent, `saves at once of watch ${at}`).toBe(0);
    figures.overtaken += overtaken;
  }

  for (const [at, stream] of streams.entries()) {
    await Promise.all([...stream.kept.landing]);
    expect(stream.kept.value, `${kind}: the store of watch ${at}`).toBe(stream.committed);
    // Each page asked past saved, in order, and nothing else.
    expect(stream.kept.asked, `${kind}: the saves of watch ${at}`).toEqual(stream.askedPast);
    stream.kept.asked = [];
    stream.askedPast = [];
    stream.asked = undefined;
  }
}

async function run(scenario: Scenario, figures: Figures): Promise<void> {
  const streams: Stream[] = scenario.streams.map((setup, at) => ({
    emulator: tinesEmulator.create({ events: setup.events, seed: 11 + at, clock: timing }),
    pageSize: setup.pageSize,
    kept: { value: undefined, asked: [], landing: new Set() },
    delivered: [],
    mayRepeat: new Map(),
    committed: undefined,
    before: undefined,
    asked: undefined,
    askedPast: [],
  }));
  const lateness = { bits: scenario.lateness };
  for (const round of scenario.rounds) {
    const key = `${round.fault.on}:${round.fault.kind}`;
    figures.faults[key] = (figures.faults[key] ?? 0) + 1;
    await runRound(streams, round, lateness, figures);
  }
  // A last process with stores that behave.
  await runRound(streams, undefined, lateness, figures);
  for (const [at, stream] of streams.entries()) {
    const all = stream.emulator.store.events.map((event) => String(event.id));
    const counts = new Map<string, number>();
    for (const id of stream.delivered) counts.set(id, (counts.get(id) ?? 0) + 1);
    const lost = all.filter((id) => !counts.has(id));
    const repeated = [...counts].filter(([id, count]) => count - 1 > (stream.mayRepeat.get(id) ?? 0));
    expect({ watch: at, lost, repeated }).toEqual({ watch: at, lost: [], repeated: [] });
  }
}

describe('watch with a store of its own that misbehaves, at random', () => {
  it('fails with the store’s error or a CursorError naming it, stops at once, saves in order, loses nothing', async () => {
    const figures: Figures = { faults: {}, overtaken: 0 };
    await fc.assert(
      fc.asyncProperty(scenarioOf, (scenario) => run(scenario, figures)),
      // A watch held by a store that never answers is a run that never ends: fast-check names its case.
      { numRuns: 100, seed: 7_400, timeout: 2_000, interruptAfterTimeLimit: PROPERTY_BUDGET.interruptAfter, markInterruptAsFailure: true },
    );
    for (const kind of [...LOADS.map((k) => `load:${k}`), ...SAVES.map((k) => `save:${k}`), ...HANGS.map((k) => `hang:${k}`)]) {
      expect(figures.faults[kind] ?? 0, kind).toBeGreaterThan(3);
    }
    expect(figures.overtaken, 'slow saves the next page was fetched during').toBeGreaterThan(3);
  }, PROPERTY_BUDGET.test);
});
