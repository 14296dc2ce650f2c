/**
 * `merge()` model-checked: seeded sources whose every answer is a promise the test settles, in an order
 * drawn at random (nothing waits on real time), each source ending with its last item, with an error
 * (rejected or thrown at once) or never, and closing by answering its pending `next()` with the end or
 * an abort, its `return()` failing now and then (a watch whose last page could not be saved). The
 * consumer takes items, and stops at random: `break` (`return()`), `next()` and `return()` at once, or
 * `return()` while it waits.
 *
 * Promised (README, `merge.ts`), and checked at every step:
 * - items come in the order their sources answered them: each source's own order, and no source held
 *   back behind another that answered later;
 * - a source is asked for more only once the consumer asked past its last item, and never twice at once;
 * - nothing is lost or repeated: a merge that ends by itself delivered every item of every source;
 * - a source's failure is the merge's, the very error, once the items answered before it, and those
 *   the others had answered when the merge took it, are delivered; a close that fails fails the
 *   consumer's `return()`;
 * - at the end every source has finished or been closed, once, with nothing left pending, and is not
 *   asked for anything after.
 *
 * Then the same of the SDK's own sources, listings and `watch`es over requests and waits the test
 * answers, stopped by `break`, by the client's signal, by the watches' or by a request that fails: the
 * failure is the merge's, each item comes once, and no request, wait or abort listener is left behind.
 */
import { getEventListeners } from 'node:events';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/core/clock.js';
import { merge } from '../../src/core/merge.js';
import { paginate } from '../../src/core/paginate/paginate.js';
import { tokenStrategy } from '../../src/core/paginate/token.js';
import type { Page } from '../../src/core/paginate/types.js';
import { watch } from '../../src/core/watch.js';
import { PROPERTY_BUDGET } from '../support/property-timeout.js';

const ENDS = ['done', 'error', 'throw', 'never'] as const;
const CLOSES = ['done', 'abort'] as const;

const sourceOf = fc.record({
  items: fc.integer({ min: 0, max: 8 }),
  /** How the source ends after its items: `throw` is a `next()` that throws instead of rejecting. */
  end: fc.constantFrom(...ENDS, 'done', 'done'),
  /** How a pending `next()` is answered when the source is closed. */
  close: fc.constantFrom(...CLOSES),
  closeFails: fc.boolean(),
});

const scenarioOf = fc.record({
  sources: fc.array(sourceOf, { minLength: 0, maxLength: 5 }),
  /** The random stream the steps are drawn from: which answer settles next, what the consumer does. */
  steps: fc.array(fc.nat({ max: 999 }), { minLength: 200, maxLength: 200 }),
  /** Per mille of the consumer's turns that stop it, and how. */
  stopRate: fc.constantFrom(0, 0, 20, 80, 250),
});

type Scenario = typeof scenarioOf extends fc.Arbitrary<infer T> ? T : never;
type SourceScript = Scenario['sources'][number];

interface Item {
  source: number;
  n: number;
}

/** A settled answer, in the order the test settled them. */
type Answer = { source: number; item: Item } | { source: number; error: Error };

class Controlled implements AsyncIterator<Item> {
  asked = 0;
  returns = 0;
  finished = false;
  pending: { resolve: (result: IteratorResult<Item>) => void; reject: (error: unknown) => void } | undefined;
  readonly error: Error;
  readonly closeError: Error;

  constructor(
    readonly index: number,
    readonly script: SourceScript,
    readonly world: World,
  ) {
    this.error = new Error(`source ${index} failed`);
    this.closeError = new Error(`source ${index} could not be closed`);
  }

  next(): Promise<IteratorResult<Item>> {
    const { world, index } = this;
    world.check(this.pending === undefined, `source ${index} asked twice at once`);
    world.check(this.returns === 0, `source ${index} asked after its return()`);
    world.check(!this.finished, `source ${index} asked after it ended`);
    world.check(this.asked === 0 || world.askedPast.has(`${index}:${this.asked - 1}`), `source ${index} asked before the consumer asked past its item ${this.asked - 1}`);
    const n = this.asked++;
    if (n === this.script.items && this.script.end === 'throw') {
      this.finished = true;
      world.log.push({ source: index, error: this.error });
      throw this.error;
    }
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      // Only answers that will come are offered to the scheduler; `never` waits for the close.
      if (n < this.script.items || this.script.end !== 'never') world.ready.push(this);
    });
  }

  /** Settles the pending answer as the script says. */
  answer(): void {
    const pending = this.pending as NonNullable<Controlled['pending']>;
    this.pending = undefined;
    const n = this.asked - 1;
    if (n < this.script.items) {
      const item = { source: this.index, n };
      this.world.log.push({ source: this.index, item });
      pending.resolve({ done: false, value: item });
    } else if (this.script.end === 'error') {
      this.finished = true;
      this.world.log.push({ source: this.index, error: this.error });
      pending.reject(this.error);
    } else {
      this.finished = true;
      pending.resolve({ done: true, value: undefined });
    }
  }

  async return(): Promise<IteratorResult<Item>> {
    this.returns += 1;
    const pending = this.pending;
    this.pending = undefined;
    this.world.ready = this.world.ready.filter((source) => source !== this);
    if (pending !== undefined) {
      if (this.script.close === 'abort') pending.reject(new DOMException('The source was closed', 'AbortError'));
      else pending.resolve({ done: true, value: undefined });
    }
    this.finished = true;
    if (this.script.closeFails) throw this.closeError;
    return { done: true, value: undefined };
  }
}

class World {
  log: Answer[] = [];
  ready: Controlled[] = [];
  askedPast = new Set<string>();
  violations: string[] = [];

  check(ok: boolean, what: string): void {
    if (!ok) this.violations.push(what);
  }
}

/** A turn of the event loop: every callback of the promises settled so far has run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

type Stop = 'break' | 'next-return' | 'return-waiting';

interface Figures {
  ends: Record<'done' | 'error' | Stop, number>;
  items: number;
  closeFailures: number;
}

async function run(scenario: Scenario, figures: Figures): Promise<void> {
  const world = new World();
  const sources = scenario.sources.map((script, index) => new Controlled(index, script, world));
  const merged = merge(...sources.map((source) => ({ [Symbol.asyncIterator]: () => source })));
  let step = 0;
  const draw = (): number => scenario.steps[step++ % scenario.steps.length] as number;

  const delivered: Item[] = [];
  let inHand: Item | undefined;
  let waiting: Promise<IteratorResult<Item>> | undefined;
  let outcome: { kind: 'done' } | { kind: 'error'; error: unknown } | undefined;
  let stop: { kind: Stop; closed: PromiseSettledResult<unknown> } | undefined;

  const ask = (): void => {
    if (inHand !== undefined) world.askedPast.add(`${inHand.source}:${inHand.n}`);
    inHand = undefined;
    const asked = merged.next();
    waiting = asked;
    asked.then(
      (result) => {
        if (waiting === asked) waiting = undefined;
        if (result.done === true) outcome ??= { kind: 'done' };
        else {
          delivered.push(result.value);
          inHand = result.value;
        }
      },
      (error: unknown) => {
        if (waiting === asked) waiting = undefined;
        outcome ??= { kind: 'error', error };
      },
    );
  };
  const close = async (kind: Stop): Promise<void> => {
    if (kind === 'next-return') ask();
    const [closed] = await Promise.allSettled([merged.return(undefined), waiting]);
    stop = { kind, closed };
  };

  for (let turns = 0; outcome === undefined && stop === undefined; turns++) {
    if (turns > 10_000) throw new Error('the merge did not end');
    const roll = draw();
    // The consumer's turn when it holds an item or has not started, and sometimes while it waits.
    const consumerTurn = waiting === undefined || world.ready.length === 0 || roll % 4 === 0;
    if (!consumerTurn) {
      (world.ready.splice(draw() % world.ready.length, 1)[0] as Controlled).answer();
    } else if (draw() < scenario.stopRate || (waiting !== undefined && world.ready.length === 0)) {
      const kind: Stop = waiting !== undefined ? 'return-waiting' : draw() % 2 === 0 ? 'break' : 'next-return';
      await close(kind);
    } else if (waiting === undefined) ask();
    await settle();
  }
  await settle();

  // Delivered in the order answered, as far as the merge went: past the first error, only what the
  // others had answered when the merge took it.
  const answered = world.log.flatMap((answer) => ('item' in answer ? [answer.item] : []));
  const firstError = world.log.findIndex((answer) => 'error' in answer);
  const beforeError = (firstError < 0 ? world.log : world.log.slice(0, firstError)).flatMap((answer) => ('item' in answer ? [answer.item] : []));
  expect(delivered).toEqual(answered.slice(0, delivered.length));
  expect(new Set(delivered.map((item) => `${item.source}:${item.n}`)).size, 'an item delivered twice').toBe(delivered.length);

  if (stop !== undefined) {
    figures.ends[stop.kind] += 1;
    // The close fails with the first source's failure to close, among those it closed.
    const closedFailing = sources.filter((source) => source.script.closeFails && source.returns > 0);
    if (closedFailing.length > 0 && firstError < 0) {
      figures.closeFailures += 1;
      expect(stop.closed.status).toBe('rejected');
      expect(closedFailing.map((source) => source.closeError)).toContain((stop.closed as PromiseRejectedResult).reason);
    }
    if (closedFailing.length === 0) expect(stop.closed).toEqual({ status: 'fulfilled', value: { done: true, value: undefined } });
    expect(await merged.next()).toEqual({ done: true, value: undefined });
  } else if (outcome?.kind === 'done') {
    figures.ends.done += 1;
    expect(firstError, 'ended quietly after an error').toBe(-1);
    // Only once every source ended: then every item of each was delivered.
    for (const [index, source] of sources.entries()) {
      expect(source.script.end, `source ${index} ended`).toBe('done');
      expect(delivered.filter((item) => item.source === index).length).toBe(source.script.items);
    }
  } else if (outcome?.kind === 'error') {
    figures.ends.error += 1;
    const expected = world.log[firstError] as { error: Error } | undefined;
    // The very error of the source that failed first, once the items answered before it were delivered.
    expect(outcome.error).toBe(expected?.error);
    expect(delivered.slice(0, beforeError.length)).toEqual(beforeError);
    expect(await merged.next()).toEqual({ done: true, value: undefined });
  }
  figures.items += delivered.length;

  // Every source finished or closed, once, nothing left pending; nothing asked of it after.
  for (const [index, source] of sources.entries()) {
    expect(source.finished, `source ${index} left open`).toBe(true);
    expect(source.pending, `source ${index} left with a next() pending`).toBeUndefined();
    expect(source.returns, `source ${index} closed more than once`).toBeLessThanOrEqual(1);
  }
  expect(world.violations).toEqual([]);
}

describe('merge, model-checked', () => {
  it('keeps answer order, loses and repeats nothing, fails with the source error, and closes every source once', async () => {
    const figures: Figures = { ends: { done: 0, error: 0, break: 0, 'next-return': 0, 'return-waiting': 0 }, items: 0, closeFailures: 0 };
    await fc.assert(
      fc.asyncProperty(scenarioOf, (scenario) => run(scenario, figures)),
      { numRuns: 1_500, seed: 7_300, interruptAfterTimeLimit: PROPERTY_BUDGET.interruptAfter, markInterruptAsFailure: true },
    );
    // The scenarios reached what they are for.
    for (const [end, count] of Object.entries(figures.ends)) expect(count, end).toBeGreaterThan(10);
    expect(figures.closeFailures).toBeGreaterThan(10);
    expect(figures.items).toBeGreaterThan(1000);
  }, PROPERTY_BUDGET.test);
});

const listedOf = fc.record({
  watched: fc.boolean(),
  events: fc.integer({ min: 0, max: 30 }),
  pageSize: fc.integer({ min: 1, max: 8 }),
  /** The request of the source that fails, if one does. */
  failsAt: fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
});

const STOPS_LISTED = ['none', 'break', 'client', 'watch', 'next-return'] as const;

const listedScenarioOf = fc.record({
  sources: fc.array(listedOf, { minLength: 1, maxLength: 4 }),
  stop: fc.constantFrom(...STOPS_LISTED),
  /** After how many items the stop comes. */
  after: fc.integer({ min: 0, max: 40 }),
  steps: fc.array(fc.nat({ max: 999 }), { minLength: 100, maxLength: 100 }),
});

type ListedScenario = typeof listedScenarioOf extends fc.Arbitrary<infer T> ? T : never;

/** What the test answers when it pleases: requests and waits, each given up on its signal's abort. */
class Pending {
  readonly waits = new Set<{ settle: () => void }>();

  add<T>(signal: AbortSignal, answer: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const entry = {
        settle: () => {
          signal.removeEventListener('abort', onAbort);
          this.waits.delete(entry);
          try {
            resolve(answer());
          } catch (error) {
            reject(error);
          }
        },
      };
      const onAbort = (): void => {
        this.waits.delete(entry);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waits.add(entry);
    });
  }
}

async function runListed(scenario: ListedScenario, figures: Record<string, number>): Promise<void> {
  const pending = new Pending();
  const client = new AbortController();
  const watching = new AbortController();
  const failures = scenario.sources.map((_, index) => new Error(`vendor ${index} failed`));
  const clock: Clock = { now: () => 0, scale: 1, sleep: (_ms, signal) => pending.add(signal ?? new AbortController().signal, () => undefined) };
  const sources = scenario.sources.map((setup, index) => {
    let requests = 0;
    const listing = paginate({
      provider: 'socotra',
      operation: 'events.list',
      query: { index },
      pageSize: setup.pageSize,
      client: { signal: client.signal },
      normalize: (items: string[]) => items,
      strategy: tokenStrategy<string>({
        id: (item) => item,
        fetchPage: (token, pageSize, signal) =>
          pending.add(signal, () => {
            requests += 1;
            if (requests === setup.failsAt) throw failures[index];
            const from = Number(token ?? 0);
            const items = Array.from({ length: Math.max(0, Math.min(pageSize, setup.events - from)) }, (_, i) => `${index}:${from + i}`);
            return { items, token: String(from + items.length) };
          }),
      }),
    });
    return setup.watched ? watch(listing, { clock, interval: 1_000, signal: watching.signal }) : listing;
  });
  const merged = merge(...sources);
  const delivered: string[] = [];
  let step = 0;
  let error: unknown;
  let taken = 0;
  let turns = 0;
  const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
  try {
    for (;;) {
      const asked = merged.next();
      let answer: IteratorResult<string | Page<string>> | undefined;
      let failed: { error: unknown } | undefined;
      asked.then(
        (result) => (answer = result),
        (caught: unknown) => (failed = { error: caught }),
      );
      let stopped = false;
      for (; answer === undefined && failed === undefined; turns++) {
        await settle();
        if (answer !== undefined || failed !== undefined) break;
        const stopNow = taken >= scenario.after && !stopped;
        if (stopNow && scenario.stop === 'client') client.abort(new Error('client stopped'));
        if (stopNow && scenario.stop === 'watch') watching.abort();
        if (stopNow && scenario.stop === 'next-return') await merged.return();
        if (stopNow) stopped = true;
        const waits = [...pending.waits];
        // Watches wait for ever in a quiet stream: a stop of the consumer's ends them.
        if (waits.length === 0 || turns > 120) {
          await merged.return();
          continue;
        }
        (waits[(scenario.steps[step++ % scenario.steps.length] as number) % waits.length] as { settle: () => void }).settle();
      }
      if (failed !== undefined) throw failed.error;
      const result = answer as IteratorResult<string | Page<string>>;
      if (result.done === true) break;
      delivered.push(...(typeof result.value === 'string' ? [result.value] : result.value.items));
      taken += 1;
      if (scenario.stop === 'break' && taken >= scenario.after) {
        await merged.return();
        break;
      }
    }
  } catch (caught) {
    error = caught;
  }
  await settle();
  figures[error === undefined ? 'clean' : 'failed'] = (figures[error === undefined ? 'clean' : 'failed'] ?? 0) + 1;
  figures['items'] = (figures['items'] ?? 0) + delivered.length;
  if (error !== undefined) expect([...failures, client.signal.reason]).toContain(error);
  expect(new Set(delivered).size, 'an event delivered twice').toBe(delivered.length);
  // Nothing left behind: no request or wait pending, no listener on the long-lived signals.
  expect(pending.waits.size, 'requests or waits left pending').toBe(0);
  expect(getEventListeners(client.signal, 'abort'), 'listeners left on the client signal').toHaveLength(0);
  expect(getEventListeners(watching.signal, 'abort'), 'listeners left on the watch signal').toHaveLength(0);
}

describe('merge of listings and watches, at random', () => {
  it('fails with the failure, delivers each event once, and leaves no request, wait or listener behind', async () => {
    const figures: Record<string, number> = {};
    await fc.assert(
      fc.asyncProperty(listedScenarioOf, (scenario) => runListed(scenario, figures)),
      { numRuns: 500, seed: 7_310, interruptAfterTimeLimit: PROPERTY_BUDGET.interruptAfter, markInterruptAsFailure: true },
    );
    expect(figures['clean']).toBeGreaterThan(30);
    expect(figures['failed']).toBeGreaterThan(30);
  }, PROPERTY_BUDGET.test);
});
