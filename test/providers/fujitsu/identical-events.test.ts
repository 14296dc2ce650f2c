/**
 * Events identical in all five fields within one second have one content id (`identity.ts`) and are
 * one event to the SDK (README, "Identical events"): delivered once whether the page holds them all,
 * a page cut falls between them, or a tail meets them again, on inclusive and exclusive servers.
 */
import { describe, expect, it } from 'vitest';
import type { MarkerMode } from '../../../src/providers/fujitsu/emulator.js';
import { clientOf, createEmulator, TENANT } from './helpers.js';

const NOW = Date.UTC(2026, 10, 23, 10, 0, 0);
const FAILOVER = { sourceType: 'db-instance', sourceIdentifier: 'dbinst_678yuhyhih', categories: ['failover'], message: 'Failover completed' };

describe.each<MarkerMode>(['inclusive', 'exclusive'])('fujitsu identical events, %s marker', (marker) => {
  /** `newer` distinct events a second after three identical ones and a distinct one, and five before. */
  function setup(newer: number) {
    const emulator = createEmulator({ marker });
    for (let i = 0; i < 5; i++) emulator.store.events.add(TENANT, { at: NOW - 1_000, message: `older #${i}` });
    for (let i = 0; i < 3; i++) emulator.store.events.add(TENANT, { at: NOW, ...FAILOVER });
    emulator.store.events.add(TENANT, { at: NOW, message: 'distinct' });
    for (let i = 0; i < newer; i++) emulator.store.events.add(TENANT, { at: NOW + 1_000, message: `newer #${i}` });
    const client = clientOf(emulator);
    const drain = async (pageSize: number, cursor?: string) => {
      const ids: string[] = [];
      let last = '';
      for await (const page of client.events.list({ since: new Date(NOW - 60_000), until: new Date(NOW + 1_000), pageSize }).byPage(cursor === undefined ? {} : { cursor })) {
        ids.push(...page.items.map((event) => event.id));
        last = page.cursor;
      }
      return { ids, cursor: last };
    };
    return { drain };
  }

  it('delivers three identical events in one page once', async () => {
    const { ids } = await setup(0).drain(20);
    expect(ids).toHaveLength(7);
    expect(new Set(ids).size).toBe(7);
  });

  it('delivers them once when a page cut falls between them, and a tail brings none again', async () => {
    // The 17 newer events, the distinct one and two of the three fill the first page.
    const { drain } = setup(17);
    const first = await drain(20);
    expect(first.ids).toHaveLength(24);
    expect(new Set(first.ids).size).toBe(24);
    expect((await drain(20, first.cursor)).ids).toEqual([]);
  });
});
