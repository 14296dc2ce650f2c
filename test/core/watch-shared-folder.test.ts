/**
 * Watches that run at once and keep their cursors in one folder (README "Continuous collection"):
 * watches of different listings, each with its own file, and two watches of the same listing given the
 * same file, whose saves then race. Each watch lists on its own, so the second delivers every page the
 * first does; the file holds the cursor of whichever saved last, which may be behind the other's. A
 * restart from it repeats pages, and never skips one.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { fileCheckpoint } from '../../src/core/checkpoint.js';
import { scaledClock } from '../../src/core/clock.js';
import type { Page } from '../../src/core/paginate/types.js';
import { closeRateLimiters } from '../../src/core/rate-limit.js';
import { watch } from '../../src/core/watch.js';
import { illumioEmulator } from '../../src/providers/illumio/emulator.js';
import { socotraEmulator } from '../../src/providers/socotra/emulator.js';
import { inProcessClients } from '../support/in-process-clients.js';

const folders: string[] = [];
afterEach(async () => {
  await closeRateLimiters();
  await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
});

const clock = scaledClock(0.001);
const listings = {
  illumio: () => inProcessClients.illumio(illumioEmulator.create({ seed: 2, events: 60, clock, rateLimit: false }).fetch, clock).events.list({ pageSize: 7 }),
  socotra: () => inProcessClients.socotra(socotraEmulator.create({ seed: 2, events: 60, clock }).fetch, clock).events.list({ pageSize: 7 }),
};

/** Takes `pages` pages of `source` (every page handled, the last committed by asking for one more), then stops. */
async function take<T extends { id: string }>(source: AsyncGenerator<Page<T>, void, undefined>, pages: number): Promise<string[]> {
  const ids: string[] = [];
  let taken = 0;
  for await (const page of source) {
    if (taken === pages) break;
    ids.push(...page.items.map((item) => item.id));
    taken += 1;
  }
  return ids;
}

async function folder(): Promise<string> {
  const made = await mkdtemp(join(tmpdir(), 'tributary-watches-'));
  folders.push(made);
  return made;
}

it('keeps the cursors of watches of different listings saving at once in one folder apart', async () => {
  const dir = await folder();
  const expected = { illumio: (await listings.illumio().toArray()).map((e) => e.id), socotra: (await listings.socotra().toArray()).map((e) => e.id) };
  for (const round of [3, 2, 9]) {
    const got = await Promise.all([
      take(watch(listings.illumio(), { checkpoint: fileCheckpoint(join(dir, 'illumio.cursor')), interval: 0, clock }), round),
      take(watch(listings.socotra(), { checkpoint: fileCheckpoint(join(dir, 'socotra.cursor')), interval: 0, clock }), round),
      take(watch(listings.illumio(), { checkpoint: fileCheckpoint(join(dir, 'illumio.cursor.2')), interval: 0, clock }), round),
    ]);
    expect(got[0]).toEqual(got[2]);
    expected.illumio.splice(0, got[0].length).forEach((id, index) => expect(got[0][index]).toBe(id));
    expected.socotra.splice(0, got[1].length).forEach((id, index) => expect(got[1][index]).toBe(id));
  }
  expect(expected).toEqual({ illumio: [], socotra: [] });
  expect((await readdir(dir)).sort()).toEqual(['illumio.cursor', 'illumio.cursor.2', 'socotra.cursor']);
});

it('two watches of one listing and one file deliver every page each; a restart from the file repeats, never skips', async () => {
  const dir = await folder();
  const path = join(dir, 'pce.cursor');
  const all = (await listings.illumio().toArray()).map((e) => e.id);
  // One takes more pages than the other: whichever saved last, the file may be behind the faster one.
  const [fast, slow] = await Promise.all([
    take(watch(listings.illumio(), { checkpoint: fileCheckpoint(path), interval: 0, clock }), 6),
    take(watch(listings.illumio(), { checkpoint: fileCheckpoint(path), interval: 0, clock }), 2),
  ]);
  expect(fast).toEqual(all.slice(0, fast.length));
  expect(slow).toEqual(all.slice(0, slow.length));
  const rest = await take(watch(listings.illumio(), { checkpoint: fileCheckpoint(path), interval: 0, clock }), 20);
  // The restart starts after a page one of the two handled and committed: at or before the fast one's end.
  const start = all.indexOf(rest[0] as string);
  expect(start).toBeGreaterThan(0);
  expect(start).toBeLessThanOrEqual(fast.length);
  expect(rest).toEqual(all.slice(start));
  expect(await readdir(dir)).toEqual(['pce.cursor']);
});
