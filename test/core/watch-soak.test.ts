/**
 * A long run of `watch` over each vendor's emulator: thousands of polls, as a collector that runs for
 * days makes them. Events arrive steadily, in bursts at one whole second (more than a page where the
 * vendor pages past one) and late within the minute the README allows; 429s with `Retry-After` (in
 * seconds and as a date), 503s and connection resets come now and then; the process stops between
 * polls by its signal, or crashes with a page in hand, and a new one resumes from the checkpoint.
 *
 * Checked at the end, against what the vendor lists: every event delivered, and only once, but for
 * the pages a crash left uncommitted (once more each). Checked as the run goes, once it is warm: what
 * the process keeps does not grow with the polls. The checkpoint's cursor, the listeners on the
 * client's and the watch's signals, the timers and other handles the process holds, the credentials
 * known to redaction and the limiters of the registry stay within what the first half of the run
 * needed. The heap is measured once the source has gone quiet (while events come, the emulators keep
 * every one, and the test every id): polls that find nothing leave nothing behind.
 *
 * The five watches also run through one `merge`, each vendor on a clock of its own, stopped and crashed
 * as one process, with the same checks.
 *
 * Time is the test's: the vendor's clock moves only when a watch sleeps between polls, the client's
 * reads it, and every wait the client makes (back-off, `Retry-After`, the limiter's window) is scaled
 * to nothing. `SOAK_POLLS=n` (and `SOAK_MERGED_POLLS=n` for the merge) runs longer.
 */
import { getEventListeners } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { memoryCheckpoint } from '../../src/core/checkpoint.js';
import type { Clock } from '../../src/core/clock.js';
import { merge } from '../../src/core/merge.js';
import { secretCount } from '../../src/core/redact.js';
import { watch } from '../../src/core/watch.js';
import { createRng, type Rng } from '../../src/testing/rng.js';
import { emulatedVendor, VENDOR_NAMES, type EmulatedVendor, type VendorName } from '../support/emulated-vendors.js';

const T0 = Date.parse('2030-01-01T12:00:00.000Z');
const POLLS = Number(process.env.SOAK_POLLS ?? 1000);
const INTERVAL_MS = 10_000;
/** The longest an event is listed after its own time: within the overlap's minute, as the README assumes. */
const MAX_LATE_MS = 55_000;
/** Polls between two looks at what the process keeps. */
const PROBE_EVERY = 50;
/** Polls of a quiet source after the run, over which the heap is measured every `HEAP_EVERY`. */
const QUIET_POLLS = 1000;
const HEAP_EVERY = 100;
/**
 * Heap a quiet poll may leave behind, on average, beyond what a collection takes back: below what a
 * request, a response or a page kept per poll would hold, above what the runs measure without a leak
 * (up to 200 bytes, compiled code).
 */
const QUIET_BYTES_PER_POLL = 1_000;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heap = (): number => {
  gc();
  return process.memoryUsage().heapUsed;
};

interface Profile {
  /** The form of the service (`emulatedVendor`'s flavor). */
  flavor?: string;
  pageSize: number;
  /** Whether the vendor dates events to the millisecond (else to the second). */
  millis: boolean;
  /** Events at one burst's second at most: more than a page where the vendor pages past one. */
  crowd: number;
}

const profiles: Record<VendorName, Profile> = {
  socotra: { pageSize: 20, millis: true, crowd: 50 },
  tines: { flavor: 'oldest-first', pageSize: 20, millis: true, crowd: 50 },
  // A second holding a whole page fails FUJITSU's marker clearly (tail-settle.property.test.ts).
  fujitsu: { flavor: 'exclusive', pageSize: 20, millis: false, crowd: 8 },
  illumio: { pageSize: 20, millis: true, crowd: 50 },
  informatica: { pageSize: 20, millis: true, crowd: 50 },
};

/** What the process keeps, at one look. */
interface Probe {
  cursor: number;
  clientListeners: number;
  watchListeners: number;
  handles: number;
  secrets: number;
  limiters: number;
}

const limiterCount = (): number => (globalThis as { [key: symbol]: Map<string, unknown> | undefined })[Symbol.for('tributary.rateLimiters.v1')]?.size ?? 0;

/** The events of one interval: a few at any millisecond, some listed late, now and then a burst at one second. */
function arrive(vendor: EmulatedVendor, profile: Profile, rng: Rng, from: number, serial: { n: number }): void {
  const whole = (at: number): number => Math.floor(at / 1000) * 1000;
  for (let k = rng.int(0, 2); k > 0; k--) {
    const at = profile.millis ? rng.int(from, from + INTERVAL_MS - 1) : whole(rng.int(from, from + INTERVAL_MS - 1));
    const late = rng.chance(0.2) ? rng.int(1, MAX_LATE_MS) : 0;
    vendor.create(at, Math.max(from, at + late), serial.n++);
  }
  if (rng.chance(0.04)) {
    const at = whole(rng.int(from, from + INTERVAL_MS - 1));
    for (let k = rng.int(3, profile.crowd); k > 0; k--) vendor.create(at, at + (rng.chance(0.3) ? rng.int(0, MAX_LATE_MS) : 0), serial.n++);
  }
}

async function soak(name: VendorName) {
  const profile = profiles[name];
  const rng = createRng(4242);
  const time = { now: T0, skew: 0 };
  const vendorClock: Clock = { now: () => time.now, scale: 1, sleep: async () => undefined };
  const clientClock: Clock = { now: () => time.now, scale: 1e-7, sleep: async () => undefined };
  const client = new AbortController();
  // The vendor's published limit, on the client's clock.
  const vendor = emulatedVendor(name, { time, vendor: vendorClock, client: clientClock }, profile.flavor, { signal: client.signal, rateLimit: {} });
  vendor.faults.add({ kind: 'rate-limit', retryAfter: 2, schedule: { probability: 0.02, seed: 1 } });
  vendor.faults.add({ kind: 'rate-limit', retryAfter: 3, retryAfterFormat: 'http-date', schedule: { probability: 0.01, seed: 2 } });
  vendor.faults.add({ kind: 'status', status: 503, schedule: { probability: 0.02, seed: 3 } });
  vendor.faults.add({ kind: 'reset', schedule: { probability: 0.01, seed: 4 } });

  const checkpoint = memoryCheckpoint();
  const delivered = new Map<string, number>();
  /** Deliveries more than one an id may have: a crash left its page uncommitted. */
  const again = new Map<string, number>();
  const probes: Probe[] = [];
  const serial = { n: 0 };
  let polls = 0;
  let stop = new AbortController();
  let stopAt = 0;
  let quiet = false;
  const heaps: number[] = [];
  const clock: Clock = {
    now: () => time.now,
    scale: 1,
    async sleep(_ms, signal) {
      // A turn of the event loop, as a real wait gives: within one, V8 keeps every object a WeakRef
      // (undici's, of each Request's AbortController) was made for, and a run of nothing but microtasks
      // grew by 5 KB a poll.
      await new Promise((resolve) => setImmediate(resolve));
      if (polls >= stopAt) {
        stop.abort();
        throw signal?.reason;
      }
      if (!quiet) arrive(vendor, profile, rng, time.now, serial);
      vendor.advance(time.now + INTERVAL_MS);
      polls++;
      if (quiet && polls % HEAP_EVERY === 0) {
        vendor.forgetRequests();
        heaps.push(heap());
      }
      if (!quiet && polls % PROBE_EVERY === 0) {
        vendor.forgetRequests();
        probes.push({
          cursor: checkpoint.value?.length ?? 0,
          clientListeners: getEventListeners(client.signal, 'abort').length,
          watchListeners: getEventListeners(stop.signal, 'abort').length,
          handles: process.getActiveResourcesInfo().length,
          secrets: secretCount(),
          limiters: limiterCount(),
        });
      }
    },
  };

  let crashes = 0;
  while (polls < POLLS) {
    stop = new AbortController();
    stopAt = Math.min(POLLS, polls + rng.int(20, 300));
    for await (const page of watch(vendor.listing(profile.pageSize), { checkpoint, interval: INTERVAL_MS, clock, signal: stop.signal })) {
      for (const { id } of page.items) delivered.set(id, (delivered.get(id) ?? 0) + 1);
      if (page.hasMore && rng.chance(0.05)) {
        for (const { id } of page.items) again.set(id, (again.get(id) ?? 0) + 1);
        crashes++;
        break;
      }
    }
  }
  // Then one watch over a quiet source, without faults, its heap measured as it goes.
  vendor.faults.clear();
  quiet = true;
  stop = new AbortController();
  stopAt = polls + QUIET_POLLS;
  for await (const page of watch(vendor.listing(profile.pageSize), { checkpoint, interval: INTERVAL_MS, clock, signal: stop.signal })) {
    for (const { id } of page.items) delivered.set(id, (delivered.get(id) ?? 0) + 1);
  }
  // What the last polls hold at the least beyond what the first (after one of warm-up) held at the
  // most: a collection leaves some garbage or other, but not more and more of it.
  const early = heaps.slice(1, 4);
  const late = heaps.slice(-3);
  const leftPerPoll = (Math.min(...late) - Math.max(...early)) / ((heaps.length - 6) * HEAP_EVERY);
  // The last events are visible by now; the tail drains them.
  for (let last = 0; last < 20; last++) {
    time.now += INTERVAL_MS;
    vendor.advance(time.now);
    for await (const page of vendor.listing(profile.pageSize).byPage(checkpoint.value === undefined ? {} : { cursor: checkpoint.value })) {
      for (const { id } of page.items) delivered.set(id, (delivered.get(id) ?? 0) + 1);
      await checkpoint.save(page.cursor);
    }
  }
  const visible = vendor.visible();
  return {
    created: serial.n,
    missing: visible.filter((id) => !delivered.has(id)),
    repeated: [...delivered].filter(([id, count]) => count > 1 + (again.get(id) ?? 0)).map(([id]) => id),
    unknown: [...delivered.keys()].filter((id) => !visible.includes(id)),
    crashes,
    probes,
    settled: checkpoint.value?.length ?? 0,
    leftPerPoll,
    heaps,
  };
}

/** Polls of each vendor's watch in the merged run. */
const MERGED_POLLS = Number(process.env.SOAK_MERGED_POLLS ?? 300);

/** One vendor of the merged run: on a clock of its own, moved by its own watch's waits. */
function mergedSource(name: VendorName, client: AbortSignal, rng: Rng) {
  const profile = profiles[name];
  const time = { now: T0, skew: 0 };
  const vendorClock: Clock = { now: () => time.now, scale: 1, sleep: async () => undefined };
  const clientClock: Clock = { now: () => time.now, scale: 1e-7, sleep: async () => undefined };
  const vendor = emulatedVendor(name, { time, vendor: vendorClock, client: clientClock }, profile.flavor, { signal: client, rateLimit: {} });
  vendor.faults.add({ kind: 'rate-limit', retryAfter: 2, schedule: { probability: 0.02, seed: 1 } });
  vendor.faults.add({ kind: 'status', status: 503, schedule: { probability: 0.02, seed: 3 } });
  vendor.faults.add({ kind: 'reset', schedule: { probability: 0.01, seed: 4 } });
  const serial = { n: 0 };
  const source = {
    name,
    profile,
    time,
    vendor,
    checkpoint: memoryCheckpoint(),
    delivered: new Map<string, number>(),
    again: new Map<string, number>(),
    polls: 0,
    serial,
    /** The wait between polls, when the run has not reached `stopAt`: this vendor's events of the interval arrive. */
    step(): void {
      arrive(vendor, profile, rng, time.now, serial);
      vendor.advance(time.now + INTERVAL_MS);
      source.polls++;
    },
  };
  return source;
}

/**
 * The five vendors' watches through one `merge`, for `MERGED_POLLS` polls each: stopped by the signal
 * when one of them reaches the process's last poll, or by a crash (`break`) with a page in hand.
 */
async function mergedSoak() {
  const rng = createRng(2424);
  const client = new AbortController();
  const sources = VENDOR_NAMES.map((name) => mergedSource(name, client.signal, rng));
  const probes: Probe[] = [];
  let stop = new AbortController();
  let stopAt = 0;
  let crashes = 0;
  const polled = (): number => Math.min(...sources.map((source) => source.polls));
  const clockOf = (source: (typeof sources)[number]): Clock => ({
    now: () => source.time.now,
    scale: 1,
    async sleep(_ms, signal) {
      await new Promise((resolve) => setImmediate(resolve));
      if (source.polls >= stopAt) {
        stop.abort();
        throw signal?.reason;
      }
      source.step();
      if (source === sources[0] && source.polls % PROBE_EVERY === 0) {
        for (const { vendor } of sources) vendor.forgetRequests();
        probes.push({
          cursor: sources.reduce((sum, { checkpoint }) => sum + (checkpoint.value?.length ?? 0), 0),
          clientListeners: getEventListeners(client.signal, 'abort').length,
          watchListeners: getEventListeners(stop.signal, 'abort').length,
          handles: process.getActiveResourcesInfo().length,
          secrets: secretCount(),
          limiters: limiterCount(),
        });
      }
    },
  });
  while (polled() < MERGED_POLLS) {
    stop = new AbortController();
    stopAt = Math.min(MERGED_POLLS, polled() + rng.int(20, 100));
    const watches = sources.map((source) => {
      const pages = watch(source.vendor.listing(source.profile.pageSize), { checkpoint: source.checkpoint, interval: INTERVAL_MS, clock: clockOf(source), signal: stop.signal });
      return (async function* () {
        for await (const page of pages) yield { source, page };
      })();
    });
    for await (const { source, page } of merge(...watches)) {
      for (const { id } of page.items) source.delivered.set(id, (source.delivered.get(id) ?? 0) + 1);
      if (page.hasMore && rng.chance(0.05)) {
        for (const { id } of page.items) source.again.set(id, (source.again.get(id) ?? 0) + 1);
        crashes++;
        break;
      }
    }
  }
  const runs = [];
  for (const source of sources) {
    const { vendor, checkpoint, delivered, again, time } = source;
    vendor.faults.clear();
    for (let last = 0; last < 20; last++) {
      time.now += INTERVAL_MS;
      vendor.advance(time.now);
      for await (const page of vendor.listing(source.profile.pageSize).byPage(checkpoint.value === undefined ? {} : { cursor: checkpoint.value })) {
        for (const { id } of page.items) delivered.set(id, (delivered.get(id) ?? 0) + 1);
        await checkpoint.save(page.cursor);
      }
    }
    const visible = vendor.visible();
    runs.push({
      name: source.name,
      created: source.serial.n,
      missing: visible.filter((id) => !delivered.has(id)),
      repeated: [...delivered].filter(([id, count]) => count > 1 + (again.get(id) ?? 0)).map(([id]) => id),
    });
  }
  return { runs, crashes, probes };
}

/** The most of `key` over the probes of the first half of the run (after the first, a warm-up), and over the second. */
/**
 * What a probe may read above the first half's most in the second without a leak: it is taken while the
 * watches are wherever they are, each with a listener while it waits or one per fetch in flight (up to
 * four of Informatica's pages ahead), whereas a leak grows with the polls, by hundreds over a run.
 */
const SLACK = 5;

function halves(probes: readonly Probe[], key: keyof Probe): { first: number; second: number } {
  const middle = Math.floor(probes.length / 2);
  const most = (part: readonly Probe[]) => Math.max(...part.map((probe) => probe[key]));
  return { first: most(probes.slice(1, middle)), second: most(probes.slice(middle)) };
}

describe('watch over thousands of polls', () => {
  it.each(VENDOR_NAMES)('%s: delivers every event once across restarts and faults, and keeps what it holds flat', async (name) => {
    const run = await soak(name);
    expect(run.created).toBeGreaterThan(POLLS);
    expect(run.crashes).toBeGreaterThan(0);
    expect(run.missing).toEqual([]);
    expect(run.repeated).toEqual([]);
    expect(run.unknown).toEqual([]);
    for (const key of ['clientListeners', 'watchListeners', 'handles', 'secrets', 'limiters'] as const) {
      const { first, second } = halves(run.probes, key);
      expect({ key, most: second }).toEqual({ key, most: Math.min(second, first + SLACK) });
    }
    // Bursts make a cursor longer for a while, and a settled tail short again: one that grows with the
    // polls would be longer in the second half than in the first, and longer once settled.
    const cursor = halves(run.probes, 'cursor');
    expect(cursor.second).toBeLessThanOrEqual(cursor.first * 1.5);
    expect(run.settled).toBeLessThanOrEqual(cursor.first);
    expect(run.leftPerPoll).toBeLessThan(QUIET_BYTES_PER_POLL);
  }, 60_000);

  it('the five through one merge: every event once, and what the process holds flat', async () => {
    const { runs, crashes, probes } = await mergedSoak();
    expect(crashes).toBeGreaterThan(0);
    for (const run of runs) {
      expect(run.created).toBeGreaterThan(MERGED_POLLS);
      expect({ name: run.name, missing: run.missing, repeated: run.repeated }).toEqual({ name: run.name, missing: [], repeated: [] });
    }
    for (const key of ['clientListeners', 'watchListeners', 'handles', 'secrets', 'limiters'] as const) {
      const { first, second } = halves(probes, key);
      expect({ key, most: second }).toEqual({ key, most: Math.min(second, first + SLACK) });
    }
    const cursor = halves(probes, 'cursor');
    expect(cursor.second).toBeLessThanOrEqual(cursor.first * 1.5);
  }, 60_000);
});
