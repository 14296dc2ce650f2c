/**
 * The length of the cursors each provider issues, typical and at the bounds of what a cursor keeps,
 * driven through the real listings against the emulators: a quiet tenant, and a burst of events at one
 * instant or within one minute (the ids a cursor remembers grow with them): `plain` is the length
 * the cursor has as base64url JSON (every cursor before compression), `longest` and `tail` the lengths
 * issued now. Also the time to encode and decode the longest cursor of each (JSON, compression,
 * base64url; the state's own check left out), in microseconds.
 *
 *   node --import tsx bench/cursor-sizes.ts
 */
import { performance } from 'node:perf_hooks';
import { scaledClock, type Clock } from '../src/core/clock.js';
import { cursorJson, decodeCursor, encodeCursor, queryFingerprint, type CursorBinding } from '../src/core/cursor.js';
import { unfoldRepeats } from '../src/core/cursor-repeats.js';
import type { Paginated } from '../src/core/paginate/types.js';
import { fujitsu } from '../src/providers/fujitsu/index.js';
import { DEFAULT_FUJITSU_TENANT, DEFAULT_FUJITSU_TOKEN, fujitsuEmulator } from '../src/providers/fujitsu/emulator.js';
import { illumio } from '../src/providers/illumio/index.js';
import { DEFAULT_ILLUMIO_CREDENTIAL, illumioEmulator } from '../src/providers/illumio/emulator.js';
import { informatica } from '../src/providers/informatica/index.js';
import { DEFAULT_INFORMATICA_USER, informaticaEmulator } from '../src/providers/informatica/emulator.js';
import { socotra } from '../src/providers/socotra/index.js';
import { SOCOTRA_EMULATOR_TENANT, SOCOTRA_EMULATOR_TOKEN, socotraEmulator } from '../src/providers/socotra/emulator.js';
import { tines } from '../src/providers/tines/index.js';
import { DEFAULT_TINES_CREDENTIAL, tinesEmulator } from '../src/providers/tines/emulator.js';

const NOW = Date.parse('2026-11-23T10:00:00.000Z');

interface Measured {
  scenario: string;
  pages: number;
  /** The longest cursor of the listing, the tail included. */
  longest: string;
  tail: string;
}

/**
 * Lists every page, then lists again from the tail after `between` (a poll with what it adds, or with
 * nothing new), keeping the longest cursor.
 */
async function measure(scenario: string, listing: () => Paginated<unknown>, between = (): void => undefined): Promise<Measured> {
  let longest = '';
  let tail = '';
  let pages = 0;
  for (const from of [undefined, 'tail'] as const) {
    if (from !== undefined) between();
    const cursor = from === undefined ? undefined : tail;
    for await (const page of listing().byPage(cursor === undefined ? {} : { cursor })) {
      pages++;
      if (page.cursor.length > longest.length) longest = page.cursor;
      tail = page.cursor;
    }
  }
  return { scenario, pages, longest, tail };
}

function frozen(now: number): Clock {
  return scaledClock(0.001, () => now);
}

async function socotraScenarios(): Promise<Measured[]> {
  const run = (events: number) => {
    const clock = frozen(NOW);
    const emulator = socotraEmulator.create({ seed: 11, events, clock, rateLimit: false });
    const client = socotra({
      baseUrl: 'https://api-ec-sandbox.socotra.com',
      tenantLocator: SOCOTRA_EMULATOR_TENANT,
      token: SOCOTRA_EMULATOR_TOKEN,
      fetch: emulator.fetch,
      clock,
      rateLimit: false,
    });
    return measure(`socotra events, ${events} events, pages of 1000`, () => client.events.list({ pageSize: 1000 }) as Paginated<unknown>);
  };
  return [await run(40), await run(5000)];
}

async function tinesScenarios(): Promise<Measured[]> {
  const run = async (events: number, everyMs: number, pageSize: number, more = 0) => {
    const time = { now: NOW };
    const clock: Clock = { now: () => time.now, scale: 1, sleep: async () => undefined };
    const emulator = tinesEmulator.create({ seed: 5, events: 0, clock });
    const emit = (count: number) => {
      for (let i = 0; i < count; i++) {
        time.now += everyMs;
        emulator.store.emit({ actionId: 21 });
      }
    };
    emit(events);
    const client = tines({ baseUrl: 'https://tenant-1234.tines.com', token: DEFAULT_TINES_CREDENTIAL.key, fetch: emulator.fetch, clock, rateLimit: false });
    const then = more === 0 ? '' : `, then ${more} more`;
    return measure(
      `tines, ${events} events ${everyMs} ms apart${then}, pages of ${pageSize}`,
      () => client.events.list({ pageSize }) as Paginated<unknown>,
      () => emit(more),
    );
  };
  return [await run(40, 5_000, 100), await run(3000, 20, 500), await run(1500, 20, 100, 1500)];
}

async function fujitsuScenarios(): Promise<Measured[]> {
  const run = async (seconds: number, perSecond: number, pageSize: number) => {
    const clock = frozen(NOW);
    const emulator = fujitsuEmulator.create({ events: 0, clock });
    for (let ago = seconds; ago >= 1; ago--) emulator.store.events.addBurst(DEFAULT_FUJITSU_TENANT, NOW - ago * 1000, perSecond);
    const client = fujitsu({
      baseUrl: 'https://database.uk-1.cloud.global.fujitsu.com',
      tenantId: DEFAULT_FUJITSU_TENANT,
      token: DEFAULT_FUJITSU_TOKEN,
      fetch: emulator.fetch,
      clock,
      rateLimit: false,
    });
    return measure(`fujitsu, ${seconds} s of ${perSecond} events a second, pages of ${pageSize}`, () =>
      client.events.list({ since: new Date(NOW - 3_600_000), pageSize }) as Paginated<unknown>,
    );
  };
  return [await run(60, 1, 100), await run(60, 99, 100)];
}

async function illumioScenarios(): Promise<Measured[]> {
  const run = async (events: number, spreadMs: number, pageSize: number) => {
    const clock = scaledClock(0.001);
    const emulator = illumioEmulator.create({ seed: 1, events: 0, clock, rateLimit: false });
    if (spreadMs === 0) emulator.store.record(events, NOW);
    else for (let i = 0; i < events; i++) emulator.store.record(1, NOW - spreadMs + i * Math.floor(spreadMs / events));
    const client = illumio({
      baseUrl: 'https://pce.example.com:8443',
      orgId: 1,
      apiKey: DEFAULT_ILLUMIO_CREDENTIAL.apiKey,
      apiSecret: DEFAULT_ILLUMIO_CREDENTIAL.apiSecret,
      fetch: emulator.fetch,
      clock,
      rateLimit: false,
    });
    const shape = spreadMs === 0 ? 'at one instant' : `over ${spreadMs / 1000} s`;
    return measure(`illumio, ${events} events ${shape}, pages of ${pageSize}`, () => client.events.list({ pageSize, mode: 'sync' }) as Paginated<unknown>);
  };
  return [await run(40, 3_600_000, 500), await run(3000, 30_000, 500), await run(3000, 0, 500), await run(10_000, 0, 10_000)];
}

async function informaticaScenarios(): Promise<Measured[]> {
  type Add = (createTime: number, parent?: number) => number;
  const run = async (name: string, fill: (add: Add) => void, pageSize: number, between?: (add: Add, pass: () => void) => void) => {
    const now = Date.now();
    const time = { now };
    const clock = scaledClock(0.001, () => time.now);
    const emulator = informaticaEmulator.create({ seed: 1, events: 0, clock, rateLimit: false });
    const add: Add = (createTime, parent) => emulator.store.events.add({ createTime: now + createTime, parentEventId: parent }, now).eventId;
    fill(add);
    const client = informatica({
      baseUrl: 'https://cih-pod1.dm-us.informaticacloud.com',
      username: DEFAULT_INFORMATICA_USER.user,
      password: DEFAULT_INFORMATICA_USER.password,
      fetch: emulator.fetch,
      clock,
      rateLimit: false,
    });
    const since = new Date(now - 3_600_000).toISOString();
    return measure(
      `informatica, ${name}, pages of ${pageSize}`,
      () => client.events.list({ since, pageSize }) as Paginated<unknown>,
      () => between?.(add, () => void (time.now = now + 1_000)),
    );
  };
  return [
    await run('40 events over an hour', (add) => {
      for (let i = 0; i < 40; i++) add(-3_500_000 + i * 60_000);
    }, 200),
    await run('1200 events in the last minute and 1200 children ahead of the window', (add) => {
      for (let i = 0; i < 1200; i++) add(-30_000 + i);
      const parent = add(-30_000);
      for (let i = 0; i < 1200; i++) add(1 + (i % 900), parent);
    }, 500),
    // The second listing holds all three: the first one's ids (`d`), its own (`k`), the children ahead (`e`).
    await run('1200 events in the last minute, 1200 children ahead, then 1200 more', (add) => {
      for (let i = 0; i < 1200; i++) add(-50_000 + i);
      const parent = add(-50_000);
      for (let i = 0; i < 1200; i++) add(5_000 + (i % 900), parent);
    }, 100, (add, pass) => {
      for (let i = 0; i < 1200; i++) add(-30_000 + i);
      pass();
    }),
  ];
}

/** Microseconds per call of `run`, the median of a few batches. */
function timeUs(run: () => void): number {
  const batches: number[] = [];
  for (let b = 0; b < 7; b++) {
    const start = performance.now();
    for (let i = 0; i < 20; i++) run();
    batches.push(((performance.now() - start) * 1000) / 20);
  }
  return batches.sort((a, b) => a - b)[3] as number;
}

/** The envelope of `cursor` with its whole state: the members written as a repeat of another put back. */
function wholeEnvelope(cursor: string): { p: CursorBinding['provider']; k: CursorBinding['kind']; s: unknown } {
  const { r, s, ...envelope } = JSON.parse(cursorJson(cursor)) as { p: CursorBinding['provider']; k: CursorBinding['kind']; s: unknown; r?: unknown };
  return { ...envelope, s: unfoldRepeats(s, r) };
}

function costs(cursor: string): { encodeUs: number; decodeUs: number } {
  const envelope = wholeEnvelope(cursor);
  const binding: CursorBinding = { provider: envelope.p, query: queryFingerprint({}), kind: envelope.k };
  const encoded = encodeCursor(binding, envelope.s);
  return {
    encodeUs: Math.round(timeUs(() => encodeCursor(binding, envelope.s))),
    decodeUs: Math.round(timeUs(() => decodeCursor(encoded, binding, (state) => state))),
  };
}

async function main(): Promise<void> {
  const rows: Array<Record<string, string | number>> = [];
  for (const scenarios of [socotraScenarios, tinesScenarios, fujitsuScenarios, illumioScenarios, informaticaScenarios]) {
    for (const { scenario, pages, longest, tail } of await scenarios()) {
      const plain = Buffer.from(JSON.stringify(wholeEnvelope(longest)), 'utf8').toString('base64url').length;
      rows.push({ scenario, pages, plain, longest: longest.length, tail: tail.length, ...costs(longest) });
    }
  }
  console.table(rows);
}

await main();
