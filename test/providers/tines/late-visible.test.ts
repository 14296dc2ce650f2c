/**
 * Events whose id is taken before they can be listed: an action that takes its id when it starts and
 * shows its event when it finishes, after events with later ids. A `watch` that took the largest id
 * delivered as its next `since_id` never saw them (every late event lost). The tail now re-reads the
 * minute before the newest event it delivered and drops the ids it remembers from it.
 */
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/core/clock.js';
import { memoryCheckpoint, watch } from '../../../src/index.js';
import { tines } from '../../../src/providers/tines/index.js';
import { DEFAULT_TINES_CREDENTIAL, tinesEmulator, type TinesEmulatorOptions } from '../../../src/providers/tines/emulator.js';
import { TENANT } from './connect.js';
import { cursorJson } from '../../../src/core/cursor.js';

const T0 = Date.parse('2030-01-01T12:00:00.000Z');
const STEP_MS = 5_000;

interface Tenant {
  options?: TinesEmulatorOptions;
  /** One action's events (no `until_id`), rather than all. */
  actionId?: number;
  pageSize: number;
  /** How long after its id is taken every third event becomes visible. */
  lateMs: number;
  polls?: number;
}

/** Watches while the tenant emits three events every 5 s, every third one visible only `lateMs` later. */
async function watchLate({ options = {}, actionId, pageSize, lateMs, polls = 30 }: Tenant) {
  const time = { now: T0 };
  const podClock: Clock = { now: () => time.now, scale: 1, sleep: async () => undefined };
  const emulator = tinesEmulator.create({ seed: 3, events: 0, ...options, clock: podClock });
  const emitted: Array<{ id: string; visibleAt: number }> = [];
  const advance = (ms: number): void => {
    for (const end = time.now + ms; time.now + STEP_MS <= end; ) {
      time.now += STEP_MS;
      for (let i = 0; i < 3; i++) {
        const visibleAt = i === 0 ? time.now + lateMs : time.now;
        const event = emulator.store.emit({ actionId: actionId ?? 21, visibleAt });
        emitted.push({ id: String(event.id), visibleAt });
      }
    }
  };
  const clock: Clock = { now: () => time.now, scale: 1, sleep: async (ms) => advance(ms) };
  const client = tines({ baseUrl: TENANT, token: DEFAULT_TINES_CREDENTIAL.key, fetch: emulator.fetch, clock });
  const listing = client.events.list({ pageSize, ...(actionId === undefined ? {} : { actionId }) });
  const delivered: string[] = [];
  let done = 0;
  for await (const page of watch(listing, { checkpoint: memoryCheckpoint(), clock, interval: STEP_MS })) {
    delivered.push(...page.items.map((event) => event.id));
    if (!page.hasMore && ++done === polls) break;
  }
  const visible = emitted.filter((event) => event.visibleAt <= time.now - STEP_MS).map((event) => event.id);
  const seen = new Set<string>();
  const repeated = delivered.filter((id) => seen.size === seen.add(id).size);
  return { visible, lost: visible.filter((id) => !seen.has(id)), repeated };
}

describe('a Tines watch with events visible after later ids', () => {
  describe.each<[string, Omit<Tenant, 'lateMs'>]>([
    ['newest first, all events', { pageSize: 100 }],
    ['newest first, small pages', { pageSize: 2 }],
    ['newest first, one action', { pageSize: 4, actionId: 21 }],
    ['oldest first', { pageSize: 3, options: { order: 'oldest-first' } }],
    ['legacy bare array', { pageSize: 5, options: { api: 'legacy' } }],
    // VENDORS.md: a time without a zone is UTC; the overlap is counted in created_at, in any zone form.
    ['times in mixed zones', { pageSize: 3, options: { timeZones: 'mixed' } }],
    ['legacy, times in mixed zones', { pageSize: 5, options: { api: 'legacy', timeZones: 'mixed' } }],
  ])('%s', (_name, tenant) => {
    it.each([
      ['12 s late', 12_000],
      ['40 s late', 40_000],
    ])('%s: delivers every event once', async (_late, lateMs) => {
      const { visible, lost, repeated } = await watchLate({ ...tenant, lateMs });
      expect(visible.length).toBeGreaterThan(60);
      expect(lost).toEqual([]);
      expect(repeated).toEqual([]);
    });
  });
});

describe('a Tines watch of one action on a tenant that ignores `page`', () => {
  // Newest first without `until_id`, a tail's pass can read only its first page. The overlap made
  // every tail list more than a page once the minute held more events than that (39 here): each poll
  // failed with a NoProgressError, where the tail after the largest id read only what was new. Below
  // that page are only the overlap's ids and events visible late, which that tail never read either.
  it.each([
    ['at once', 0],
    ['12 s late', 12_000],
  ])('visible %s: polls on, repeats none, and loses no event visible when polled', async (_late, lateMs) => {
    const { visible, lost, repeated } = await watchLate({ options: { ignorePage: true }, actionId: 21, pageSize: 5, lateMs });
    expect(visible.length).toBeGreaterThan(60);
    expect(repeated).toEqual([]);
    if (lateMs === 0) expect(lost).toEqual([]);
  });
});

/** A tenant on a pod clock the test moves, listed page by page from a cursor, counting what is sent. */
function tenant(options: TinesEmulatorOptions = {}) {
  const time = { now: T0 };
  const clock: Clock = { now: () => time.now, scale: 1, sleep: async () => undefined };
  const emulator = tinesEmulator.create({ seed: 5, events: 0, ...options, clock });
  const sent = { requests: 0, events: 0 };
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const response = await emulator.fetch(input, init);
    const body: unknown = await response.clone().json();
    sent.requests++;
    sent.events += (Array.isArray(body) ? body : (body as { events: unknown[] }).events).length;
    return response;
  };
  const client = tines({ baseUrl: TENANT, token: DEFAULT_TINES_CREDENTIAL.key, fetch, clock });
  const poll = async (pageSize: number, cursor?: string) => {
    const ids: string[] = [];
    let tail = cursor;
    for await (const page of client.events.list({ pageSize }).byPage(tail === undefined ? {} : { cursor: tail })) {
      ids.push(...page.items.map((event) => event.id));
      tail = page.cursor;
    }
    return { ids, tail: tail as string };
  };
  const emit = (visibleAt?: number) => String(emulator.store.emit({ actionId: 21, ...(visibleAt === undefined ? {} : { visibleAt }) }).id);
  return { time, sent, poll, emit };
}

const stateOf = (cursor: string): Record<string, unknown> =>
  (JSON.parse(cursorJson(cursor)) as { s: Record<string, unknown> }).s;

describe('the Tines tail overlap', () => {
  it('resumes a cursor written before the overlap was kept, after its largest id, and keeps one from there', async () => {
    const { time, poll, emit } = tenant();
    const first = [emit(), emit()];
    const { ids, tail } = await poll(10);
    expect(ids).toEqual(first);
    // The cursor as it was written: the largest id delivered, no overlap.
    const envelope = JSON.parse(cursorJson(tail)) as { s: Record<string, unknown> };
    envelope.s = { s: first[1], p: null, lo: null, hi: null, o: envelope.s['o'], m: envelope.s['m'] };
    const older = Buffer.from(JSON.stringify(envelope), 'utf8').toString('base64url');
    time.now += 5_000;
    const late = emit(time.now + 10_000);
    const second = [emit(), emit()];
    const resumed = await poll(10, older);
    expect(resumed.ids).toEqual(second);
    time.now += 10_000;
    expect((await poll(10, resumed.tail)).ids).toEqual([late]);
  });

  it('keeps at most 1000 ids of a busy minute, repeats none of them and still finds a late one among the newest', async () => {
    const { time, poll, emit } = tenant();
    const late: string[] = [];
    for (let i = 0; i < 1500; i++) {
      time.now += 20;
      if (i === 1400) late.push(emit(time.now + 5_000));
      else emit();
    }
    const first = await poll(500);
    expect(first.ids).toHaveLength(1499);
    const state = stateOf(first.tail);
    expect((state['w'] as unknown[]).length).toBe(1000);
    time.now += 5_000;
    const second = await poll(500, first.tail);
    expect(second.ids).toEqual(late);
    expect((await poll(500, second.tail)).ids).toEqual([]);
  });

  it.each([
    [100, 1, 39],
    [20, 2, 39],
  ])('re-reads the minute before the newest event it delivered: at %i a page, a poll with nothing new costs %i requests and %i events', async (pageSize, requests, events) => {
    const { time, sent, poll, emit } = tenant();
    // Three events every 5 s: 39 from the minute before the newest, both ends included.
    for (let i = 0; i < 24; i++) {
      time.now += 5_000;
      for (let j = 0; j < 3; j++) emit();
    }
    const { tail } = await poll(pageSize);
    const before = { ...sent };
    expect((await poll(pageSize, tail)).ids).toEqual([]);
    expect([sent.requests - before.requests, sent.events - before.events]).toEqual([requests, events]);
  });
});
