/**
 * FUJITSU events at benchmark sizes. The emulator's own `seed` spreads events over the last hour, as the
 * service's default `duration` searches; 20,000 of them would put more than a page (100) in one second,
 * which the SDK rightly refuses to page through. The store's own `add` makes a few hundred template
 * events (sources, categories and messages drawn as the emulator draws them); copies of them, each with
 * its own message, are spread over the days before `now` (a fifth in bursts sharing one second, as
 * `seed` does), appended to the tenant's list and sorted once.
 */
import { createRng } from '../../src/testing/rng.js';
import { DEFAULT_FUJITSU_TENANT, type FujitsuEmulatorStore, type StoredEvent } from '../../src/providers/fujitsu/emulator.js';

const TEMPLATES = 500;
const TEMPLATE_TENANT = 'bench-templates';
/** How far back bulk events may go: the window a FUJITSU listing of the benchmark asks for. */
export const FUJITSU_HISTORY_MS = 60 * 86_400_000;

export function loadFujitsuEvents(store: FujitsuEmulatorStore, count: number, now: number, seed: number): void {
  const rng = createRng(seed);
  const templates: StoredEvent[] = [];
  for (let i = 0; i < TEMPLATES; i++) templates.push(store.events.add(TEMPLATE_TENANT, { at: now }));
  // `all()` hands out the tenant's own list: the one place events can be added without a sort each.
  const list = store.events.all(DEFAULT_FUJITSU_TENANT) as StoredEvent[];
  const before = list.length;
  // Gaps of 1 to 3 seconds between bursts keep a million events inside the window.
  let second = Math.floor(now / 1000) * 1000 - 1000;
  let seq = 1_000_000_000;
  for (let added = 0; added < count; ) {
    second -= rng.int(1, 3) * 1000;
    const burst = Math.min(count - added, rng.chance(0.2) ? rng.int(2, 6) : 1);
    for (let i = 0; i < burst; i++, added++) {
      const template = templates[rng.int(0, TEMPLATES - 1)] as StoredEvent;
      list.push({ ...template, seq: seq++, at: second, message: `${template.message} #${added}` });
    }
  }
  if (second < now - FUJITSU_HISTORY_MS) throw new Error(`${count} FUJITSU events do not fit the benchmark's window`);
  list.sort((a, b) => b.at - a.at || b.seq - a.seq);
  if (store.events.all(DEFAULT_FUJITSU_TENANT).length !== before + count) {
    throw new Error('the FUJITSU store did not take the bulk events (all() no longer returns its own list)');
  }
}
