/**
 * A tail after a burst, on a quiet source. The tail re-reads the minute before the newest event it
 * delivered (VENDORS.md: events arrive late), and that minute was counted from the newest event, not
 * from the clock: every quiet poll read the burst's last minute again (1000 events, 10 to 14 requests
 * at 100 a page) until a newer event came, spending Illumio's 500 or Informatica's 5 requests a minute
 * on events already delivered. The overlap is there for an event that becomes visible up to a minute
 * after its own time, so a read of it twice that long after the newest event was first delivered has
 * seen every such event; the tail then starts at the newest instant: one request a quiet poll.
 *
 * Late events here become visible 55 s after their time, within the overlap, before and after the
 * tail settles, across cursors resumed between pages; each is delivered once, nothing is repeated.
 */
import { describe, expect, it } from 'vitest';
import type { Paginated } from '../../src/core/paginate/types.js';
import { DEFAULT_FUJITSU_TENANT, fujitsuEmulator } from '../../src/providers/fujitsu/emulator.js';
import { serveEvent } from '../../src/providers/fujitsu/emulator-store.js';
import { keyEvents } from '../../src/providers/fujitsu/normalize.js';
import { illumioEmulator } from '../../src/providers/illumio/emulator.js';
import { informaticaEmulator } from '../../src/providers/informatica/emulator.js';
import { tinesEmulator } from '../../src/providers/tines/emulator.js';
import { inProcessClients } from '../support/in-process-clients.js';
import { clocks, counting, withoutSettleTime } from '../support/tail.js';

const T0 = Date.parse('2030-01-01T12:00:00.000Z');
const PAGE_SIZE = 100;
/** How long after its time a late event becomes visible: within the overlap's minute. */
const LATE_MS = 55_000;

/** A vendor on a pod clock the test moves, and a client whose clock reads the pod's, `skew` off. */
interface Vendor {
  /**
   * Creates an event dated `at` (the pod's time, from now on, in order), visible from `visibleAt`;
   * returns the id the client gives it.
   */
  create(at: number, visibleAt?: number): string;
  /** Moves the pod's clock to `to`. */
  advance(to: number): void;
  /** Moves the client's clock off the pod's by `ms` from now on. */
  skew(ms: number): void;
  listing(): Paginated<{ id: string }>;
  /** Event requests sent so far. */
  requests(): number;
}

/**
 * For vendors whose emulator shows an event as soon as it is stored: an event that becomes visible
 * late is stored then, with its earlier time.
 */
function stored(time: { now: number }, store: (at: number) => string) {
  const pending: Array<{ visibleAt: number; at: number; resolve: (id: string) => void; id?: string }> = [];
  const ids = new Map<number, string>();
  let next = 0;
  return {
    create(at: number, visibleAt = at): string {
      time.now = Math.max(time.now, at);
      if (visibleAt <= time.now) return store(at);
      // The id is the stored event's: known once stored, so it is handed out as a placeholder until then.
      const placeholder = `pending-${next++}`;
      pending.push({ visibleAt, at, resolve: (id) => ids.set(Number(placeholder.slice(8)), id) });
      return placeholder;
    },
    advance(to: number): void {
      time.now = to;
      for (const entry of pending.splice(0)) {
        if (entry.visibleAt <= to) entry.resolve(store(entry.at));
        else pending.push(entry);
      }
    },
    /** The id of an event created late, once stored. */
    resolve: (id: string): string => (id.startsWith('pending-') ? (ids.get(Number(id.slice(8))) ?? id) : id),
  };
}

type Setup = () => Vendor & { resolve(id: string): string };

const vendors: Array<[string, Setup]> = [
  [
    'illumio',
    () => {
      const { time, vendor: pod, client: clock } = clocks(T0);
      const emulator = illumioEmulator.create({ seed: 1, events: 0, clock: pod, rateLimit: false });
      const { sent, fetch } = counting(emulator.fetch);
      const events = stored(time, (at) => emulator.store.record(1, at)[0]!.href);
      const client = inProcessClients.illumio(fetch, clock);
      return {
        ...events,
        skew: (ms) => void (time.skew = ms),
        listing: () => client.events.list({ pageSize: PAGE_SIZE, mode: 'sync' }),
        requests: () => sent.requests,
      };
    },
  ],
  [
    'fujitsu',
    () => {
      const { time, vendor: pod, client: clock } = clocks(T0);
      const emulator = fujitsuEmulator.create({ events: 0, clock: pod });
      const { sent, fetch } = counting(emulator.fetch);
      const events = stored(time, (at) => {
        const event = emulator.store.events.add(DEFAULT_FUJITSU_TENANT, { at });
        return keyEvents([serveEvent(event, 'zoneless', 'array') as never], 'events.list')[0]!.id;
      });
      const client = inProcessClients.fujitsu(fetch, clock);
      return {
        ...events,
        skew: (ms) => void (time.skew = ms),
        listing: () => client.events.list({ since: new Date(T0 - 3_600_000), pageSize: PAGE_SIZE }),
        requests: () => sent.requests,
      };
    },
  ],
  [
    'tines',
    () => {
      const { time, vendor: pod, client: clock } = clocks(T0);
      const emulator = tinesEmulator.create({ seed: 5, events: 0, clock: pod });
      const { sent, fetch } = counting(emulator.fetch);
      const client = inProcessClients.tines(fetch, clock);
      return {
        // The id is taken when the event is created, and it is listed from `visibleAt`.
        create(at, visibleAt = at) {
          time.now = Math.max(time.now, at);
          return String(emulator.store.emit({ actionId: 21, createdAt: at, visibleAt }).id);
        },
        advance: (to) => void (time.now = to),
        resolve: (id) => id,
        skew: (ms) => void (time.skew = ms),
        listing: () => client.events.list({ pageSize: PAGE_SIZE }),
        requests: () => sent.requests,
      };
    },
  ],
  [
    'informatica',
    () => {
      const { time, vendor: pod, client: clock } = clocks(T0);
      const emulator = informaticaEmulator.create({ seed: 1, events: 0, clock: pod, rateLimit: false, responseForms: 'list' });
      const { sent, fetch } = counting(emulator.fetch);
      const events = stored(time, (at) => String(emulator.store.events.add({ createTime: at }, time.now).eventId));
      const client = inProcessClients.informatica(fetch, clock);
      return {
        ...events,
        skew: (ms) => void (time.skew = ms),
        listing: () => client.events.list({ since: new Date(T0 - 3_600_000).toISOString(), pageSize: PAGE_SIZE }),
        requests: () => sent.requests,
      };
    },
  ],
];

/** A vendor, what it delivered, and a poll: the listing from `cursor`, resumed from its `stopAfter`th page's cursor when given. */
function watcher(setup: Setup) {
  const vendor = setup();
  const delivered: string[] = [];
  const costs: number[] = [];
  let cursor: string | undefined;
  const drain = async (from: string | undefined, stopAfter = Infinity) => {
    let pages = 0;
    let last = from;
    for await (const page of vendor.listing().byPage(from === undefined ? {} : { cursor: from })) {
      delivered.push(...page.items.map((event) => event.id));
      last = page.cursor;
      if (++pages === stopAfter && page.hasMore) return { last, stopped: true };
    }
    return { last, stopped: false };
  };
  /** Polls at pod time `at`; `stopAfter`: the listing is left after that many pages and resumed from the last one's cursor. */
  const poll = async (at: number, stopAfter?: number) => {
    vendor.advance(at);
    const before = vendor.requests();
    let { last, stopped } = await drain(cursor, stopAfter);
    if (stopped) ({ last } = await drain(last));
    cursor = last;
    costs.push(vendor.requests() - before);
  };
  const repeated = () => {
    const seen = new Set<string>();
    return delivered.filter((id) => seen.size === seen.add(id).size);
  };
  return {
    vendor,
    delivered,
    costs,
    poll,
    repeated,
    cursor: () => cursor as string,
    setCursor: (value: string) => void (cursor = value),
  };
}

/** 1000 events over the 50 s from `from`, every 100th one (10 in all) visible `LATE_MS` after its time. */
function burst(vendor: Vendor, from: number, count = 1000): { all: string[]; late: string[] } {
  const all: string[] = [];
  const late: string[] = [];
  const step = 50_000 / count;
  for (let i = 0; i < count; i++) {
    const at = from + Math.floor(i * step);
    const id = i % 100 === 50 ? vendor.create(at, at + LATE_MS) : vendor.create(at);
    all.push(id);
    if (i % 100 === 50) late.push(id);
  }
  return { all, late };
}

const SETTLE_POLLS = [80_000, 110_000, 140_000, 170_000, 200_000, 230_000, 260_000];

/** The cost of each poll: `'minute'` for one that read the burst's last minute again (10 requests or more at 100 a page). */
const read = (costs: readonly number[]): Array<number | 'minute'> => costs.map((cost) => (cost >= 10 ? 'minute' : cost));
const M = 'minute';

describe.each(vendors)('%s: a quiet tail after a burst', (_name, setup) => {
  it('re-reads the burst\'s last minute until it has settled, then costs one request a poll; late events come once', async () => {
    const { vendor, delivered, costs, poll, repeated } = watcher(setup);
    const { all, late } = burst(vendor, T0);
    await poll(T0 + 50_000);
    expect(delivered).toHaveLength(990);
    // Polls every 30 s: the newest event was first delivered at +50 s; the poll at +170 s reads the
    // minute once more, two minutes after, and the tails after it start at the newest instant.
    for (const at of SETTLE_POLLS) await poll(T0 + at);
    expect(read(costs.slice(1))).toEqual([M, M, M, M, 1, 1, 1]);
    expect(repeated()).toEqual([]);
    expect(new Set(delivered)).toEqual(new Set(all.map(vendor.resolve)));
    expect(late.map(vendor.resolve).every((id) => delivered.includes(id))).toBe(true);
  });

  it('settles on the poll it was resumed into, between pages, and again after a newer burst with late events', async () => {
    const { vendor, delivered, costs, poll, repeated } = watcher(setup);
    const first = burst(vendor, T0);
    await poll(T0 + 50_000);
    for (const at of [80_000, 110_000, 140_000]) await poll(T0 + at);
    // The reading two minutes after is left after its first page, and resumed from its cursor.
    await poll(T0 + 170_000, 1);
    await poll(T0 + 200_000);
    expect(costs.at(-1)).toBe(1);
    // A newer burst 200 s after the first, its every 100th event visible 55 s late; its first poll is
    // resumed between pages too.
    const second = burst(vendor, T0 + 250_000, 300);
    await poll(T0 + 300_000, 1);
    for (const at of [330_000, 360_000, 390_000, 420_000]) await poll(T0 + at);
    expect(costs.at(-1)).toBeGreaterThan(1);
    // First delivered at +300 s: the poll at +420 s is the reading two minutes after.
    await poll(T0 + 450_000);
    await poll(T0 + 480_000);
    expect(costs.slice(-2)).toEqual([1, 1]);
    expect(repeated()).toEqual([]);
    expect(new Set(delivered)).toEqual(new Set([...first.all, ...second.all].map(vendor.resolve)));
  });

  it('after it settled, a listing that finds newer events over more than a minute starts its tail a minute before the newest', async () => {
    const { vendor, delivered, poll, repeated } = watcher(setup);
    const { all } = burst(vendor, T0);
    await poll(T0 + 50_000);
    for (const at of SETTLE_POLLS.slice(0, 5)) await poll(T0 + at);
    // Found by one listing whose overlap was cut at the burst's newest instant: the next tail reaches
    // back a minute from +400 s, not from the cut, or it lists the event at +300 s again.
    const newer = [vendor.create(T0 + 300_000), vendor.create(T0 + 400_000)];
    await poll(T0 + 410_000);
    await poll(T0 + 440_000);
    expect(repeated()).toEqual([]);
    expect(new Set(delivered)).toEqual(new Set([...all, ...newer].map(vendor.resolve)));
  });
});

describe.each(vendors)('%s: when the client\'s clock is not to be trusted', (name, setup) => {
  it('reads the minute again as before from a tail cursor written without the time, and settles two minutes after', async () => {
    const { vendor, delivered, costs, poll, repeated, cursor, setCursor } = watcher(setup);
    const { all } = burst(vendor, T0);
    await poll(T0 + 50_000);
    setCursor(withoutSettleTime(cursor()));
    for (const at of [...SETTLE_POLLS, 290_000]) await poll(T0 + at);
    // The first poll from the old cursor records when; two minutes after it (+80 s) comes at +200 s.
    expect(read(costs.slice(1))).toEqual([M, M, M, M, M, 1, 1, 1]);
    expect(repeated()).toEqual([]);
    expect(new Set(delivered)).toEqual(new Set(all.map(vendor.resolve)));
  });

  // FUJITSU's and Informatica's windows end at the client's now: one behind the pod's lists nothing new.
  const distances: Array<[string, number]> = [['ahead', 600_000], ...(name === 'illumio' || name === 'tines' ? [['behind', -600_000] as [string, number]] : [])];
  it.each(distances)('measures two minutes on the client\'s clock, ten minutes %s of the pod\'s', async (_distance, skew) => {
    const { vendor, costs, poll } = watcher(setup);
    vendor.skew(skew);
    burst(vendor, T0);
    await poll(T0 + 50_000);
    for (const at of SETTLE_POLLS) await poll(T0 + at);
    expect(read(costs.slice(1))).toEqual([M, M, M, M, 1, 1, 1]);
  });

  // For FUJITSU and Informatica a clock set back behind the pod's lists nothing new, as above.
  if (name === 'illumio' || name === 'tines') it('re-reads while the client\'s clock runs backwards, and settles two minutes after it stopped', async () => {
    const { vendor, delivered, costs, poll, repeated } = watcher(setup);
    const { all } = burst(vendor, T0);
    await poll(T0 + 50_000);
    await poll(T0 + 80_000);
    // Set back ten minutes: the tail cursor says its newest event was first delivered in the future.
    vendor.skew(-10 * 60_000);
    for (const at of [110_000, 140_000, 170_000, 200_000, 230_000, 260_000, 290_000]) await poll(T0 + at);
    // Read again from +110 s, when the clock went back, to two minutes after (+230 s on the pod's).
    expect(read(costs.slice(1))).toEqual([M, M, M, M, M, M, 1, 1]);
    expect(repeated()).toEqual([]);
    expect(new Set(delivered)).toEqual(new Set(all.map(vendor.resolve)));
  });
});
