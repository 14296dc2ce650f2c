import { describe, expect, it } from 'vitest';
import { tines } from '../../../src/providers/tines/index.js';
import { DEFAULT_TINES_CREDENTIAL, tinesEmulator } from '../../../src/providers/tines/emulator.js';
import { fastClock, TENANT } from './connect.js';

describe('tines resumed with another pageSize', () => {
  it.each([
    ['newest first, larger', 'newest-first' as const, 20],
    ['newest first, smaller', 'newest-first' as const, 3],
    ['oldest first, larger', 'oldest-first' as const, 20],
  ])('%s: a mid-pass cursor loses and repeats nothing', async (_name, order, resumedSize) => {
    const clock = fastClock();
    const emulator = tinesEmulator.create({ seed: 7, events: 60, clock, order });
    const client = tines({ baseUrl: TENANT, token: DEFAULT_TINES_CREDENTIAL.key, fetch: emulator.fetch, clock });
    const list = () => client.events.list({ pageSize: 10 });
    const ids: string[] = [];
    let cursor = '';
    for await (const page of list().byPage()) {
      ids.push(...page.items.map((event) => event.id));
      cursor = page.cursor;
      break;
    }
    for await (const page of list().byPage({ cursor, pageSize: resumedSize })) ids.push(...page.items.map((event) => event.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(emulator.store.events.map((event) => String(event.id)).sort());
  });
});
