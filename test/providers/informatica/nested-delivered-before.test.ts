/**
 * A child event delivered on its own, its parent not among the results (the parent did not match the
 * `eventStatus` filter yet), comes again inside that parent once the parent matches. The next tail
 * drops it in `flatten` mode; in `nested` mode the parent was delivered whole and the child came a
 * second time in its `data.childEvents` (2 repeats of 3 events, 3 of 4 with a grandchild). A grandchild
 * created since under the child delivered before comes on its own, as the search sends a child whose
 * parent it does not list.
 */
import { describe, expect, it } from 'vitest';
import { scaledClock } from '../../../src/core/clock.js';
import { informaticaEmulator } from '../../../src/providers/informatica/emulator.js';
import type { InformaticaChildrenMode, InformaticaTributaryEvent } from '../../../src/providers/informatica/index.js';
import { inProcessClient } from './connect.js';

const NOW = Date.parse('2030-01-01T12:00:00.000Z');
const UNTIL = NOW - 1_000;
const WINDOW = { since: new Date(NOW - 3_600_000).toISOString(), until: new Date(UNTIL).toISOString() };

/** An event's id and, in `nested` mode, those of the descendants it carries. */
const idsOf = (event: InformaticaTributaryEvent): string[] => [event.id, ...(event.data.childEvents ?? []).flatMap(idsOf)];
const repeats = (ids: readonly string[]) => ids.filter((id, index) => ids.indexOf(id) !== index);

/** When the `Error` child's own `Error` child is created: none, before the first listing, or after it. */
type Grandchild = 'none' | 'before' | 'after';

/** A parent that does not match yet, with `Error` children that do, in the window's last minute. */
function world(children: InformaticaChildrenMode, grandchild: Grandchild) {
  const clock = scaledClock(0.001, () => NOW);
  const emulator = informaticaEmulator.create({ seed: 1, events: 0, clock, rateLimit: false, responseForms: 'list' });
  const events = emulator.store.events;
  events.add({ eventId: 200, createTime: UNTIL - 30_000, eventStatus: 'Processing' }, NOW);
  events.add({ eventId: 201, parentEventId: 200, createTime: UNTIL - 20_000, eventStatus: 'Error' }, NOW);
  const addGrandchild = () => events.add({ eventId: 202, parentEventId: 201, createTime: UNTIL - 10_000, eventStatus: 'Error' }, NOW);
  if (grandchild === 'before') addGrandchild();
  events.add({ eventId: 203, parentEventId: 200, createTime: UNTIL - 5_000, eventStatus: 'Error' }, NOW);
  const listing = inProcessClient(emulator.fetch, clock).events.list({ ...WINDOW, eventStatus: 'ERROR', children });
  // The parent comes to match; a grandchild created since comes with it, visible late within the minute.
  const change = () => {
    if (grandchild === 'after') addGrandchild();
    events.setStatus(200, 'Error', NOW);
  };
  return { change, listing };
}

describe('informatica: a child delivered on its own, then inside a parent that came to match', () => {
  it.each([
    ['flatten', 'none'],
    ['nested', 'none'],
    ['flatten', 'before'],
    ['nested', 'before'],
    ['flatten', 'after'],
    ['nested', 'after'],
  ] as const)('%s (grandchild created %s): the next tail delivers the parent, and no child again', async (children, grandchild) => {
    const { change, listing } = world(children, grandchild);
    const got: string[] = [];
    let cursor = '';
    for await (const page of listing.byPage()) {
      got.push(...page.items.flatMap(idsOf));
      cursor = page.cursor;
    }
    expect(got).not.toContain('200');
    change();
    const later: InformaticaTributaryEvent[] = [];
    for await (const page of listing.byPage({ cursor })) later.push(...page.items);
    got.push(...later.flatMap(idsOf));
    expect(repeats(got)).toEqual([]);
    expect([...got].sort()).toEqual(grandchild === 'none' ? ['200', '201', '203'] : ['200', '201', '202', '203']);
    // A grandchild new since comes on its own, as the search sends a child whose parent it does not list.
    expect(later.map((event) => event.id)).toEqual(grandchild === 'after' ? ['200', '202'] : ['200']);
    if (grandchild === 'after') expect(later[1]?.data.parentEventId).toBe('201');
    // The parent still names the children it was sent with.
    const parent = later[0];
    if (children === 'flatten') expect(parent?.data.childEventIds).toEqual(['201', '203']);
    else expect(parent?.data.childEvents).toEqual([]);
    expect(parent?.raw.childEvents?.map((child) => child.eventId)).toEqual([201, 203]);
  });
});

/**
 * One listing of page 1 over a parent (200), its child (201), 12 others between or after them, and a
 * newest event (400), all in status Error but as `parent` says; when the page with `flipOn` is in
 * hand, the parent's status becomes `flipTo`. The ids it delivered, each page's items flattened.
 */
async function oneListing(
  children: 'flatten' | 'nested',
  plan: { parent: { minutes: number; status: 'Error' | 'Processing' }; childMinutes: number; othersMinutes: number; flipOn: string; flipTo: 'Error' | 'Processing' },
): Promise<string[]> {
  const clock = scaledClock(0.001, () => NOW);
  const emulator = informaticaEmulator.create({ seed: 1, events: 0, clock, rateLimit: false, responseForms: 'list' });
  const events = emulator.store.events;
  const at = (minutes: number) => UNTIL - minutes * 60_000;
  events.add({ eventId: 200, createTime: at(plan.parent.minutes), eventStatus: plan.parent.status }, NOW);
  events.add({ eventId: 201, parentEventId: 200, createTime: at(plan.childMinutes), eventStatus: 'Error' }, NOW);
  for (let i = 0; i < 12; i++) events.add({ eventId: 300 + i, createTime: at(plan.othersMinutes) - i, eventStatus: 'Error' }, NOW);
  events.add({ eventId: 400, createTime: at(0), eventStatus: 'Error' }, NOW);
  const listing = inProcessClient(emulator.fetch, clock).events.list({ ...WINDOW, eventStatus: 'ERROR', pageSize: 1, children });
  const got: string[] = [];
  for await (const page of listing.byPage()) {
    const ids = page.items.flatMap(idsOf);
    got.push(...ids);
    if (ids.includes(plan.flipOn)) events.setStatus(200, plan.flipTo, NOW);
  }
  return got;
}

const EVERY_ID = ['200', '201', ...Array.from({ length: 12 }, (_, i) => String(300 + i)), '400'];

describe('informatica: within one listing, a child delivered on its own, then inside a parent that came to match', () => {
  // Older than the window's last minute, so the cursor's ids do not name the child: only what the
  // iteration delivered does, which was looked up for top-level events only (1 repeat of 16 events,
  // in either mode). Between the child and its parent, more pages than are fetched ahead.
  it.each(['flatten', 'nested'] as const)('%s: delivers the parent pages later, and the child once', async (children) => {
    const got = await oneListing(children, { parent: { minutes: 30, status: 'Processing' }, childMinutes: 10, othersMinutes: 20, flipOn: '201', flipTo: 'Error' });
    expect(repeats(got)).toEqual([]);
    expect([...got].sort()).toEqual(EVERY_ID);
  });
});

describe('informatica: within one listing, a child delivered inside its parent, then on its own once the parent left the filter', () => {
  // Older than the window's last minute, so the cursor's ids do not name the child: only what the
  // iteration delivered does, children included, which the next pages read again before their offset.
  // After the parent, more pages than are fetched ahead.
  it.each(['flatten', 'nested'] as const)('%s: the child comes once', async (children) => {
    const got = await oneListing(children, { parent: { minutes: 30, status: 'Error' }, childMinutes: 25, othersMinutes: 40, flipOn: '200', flipTo: 'Processing' });
    expect(repeats(got)).toEqual([]);
    expect([...got].sort()).toEqual(EVERY_ID);
  });
});
