/**
 * A checkpoint of the application's own (Redis, a database row) is written as its client answers:
 * `get` gives `null` for a key never saved and `set` resolves to `'OK'`. `watch` always read a `null`
 * as nothing saved and ignored what `save` resolved to, but the `Checkpoint` type refused both, so
 * `{ load: () => redis.get(key), save: (cursor) => redis.set(key, cursor) }` needed wrappers. A store
 * in the process (a `Map`, better-sqlite3) answers at once, as `watch` always took it, and the type asked
 * for promises there too.
 * `npx tsc --noEmit -p .` checks the types here; the test watches through such a checkpoint.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { scaledClock, watch, type Checkpoint } from 'tributary';
import { illumio } from 'tributary/illumio';
import { createEmulator, DEFAULT_ILLUMIO_CREDENTIAL } from 'tributary/testing';

/** The two calls of a Redis client a checkpoint needs, as ioredis types them. */
class FakeRedis {
  readonly values = new Map<string, string>();
  async get(key: string): Promise<string | null> {
    return this.values.get(key) ?? null;
  }
  async set(key: string, value: string): Promise<'OK'> {
    this.values.set(key, value);
    return 'OK';
  }
}

/** A client of an emulated PCE of three events, without retries or a limit. */
const emulatedPce = () =>
  illumio({
    baseUrl: 'http://127.0.0.1:8080',
    fetch: createEmulator('illumio', { events: 3 }).fetch,
    orgId: 1,
    ...DEFAULT_ILLUMIO_CREDENTIAL,
    retry: false,
    rateLimit: false,
  });

describe('a checkpoint of the application', () => {
  it('may answer null for nothing saved, and resolve its save to anything', () => {
    expectTypeOf(async () => null).toExtend<Checkpoint['load']>();
    expectTypeOf(async () => 'OK' as const).toExtend<Checkpoint['save']>();
  });

  it('of a store that answers at once (a Map, a synchronous database client) is one, as watch takes it', async () => {
    const rows = new Map<string, string>();
    const checkpoint: Checkpoint = {
      load: () => rows.get('pce.cursor') ?? null,
      save: (cursor) => {
        rows.set('pce.cursor', cursor);
      },
    };
    const controller = new AbortController();
    const pce = emulatedPce();
    let pages = 0;
    for await (const _page of watch(pce.events.list(), { checkpoint, signal: controller.signal, clock: scaledClock(0.001) })) {
      if (++pages === 2) controller.abort();
    }
    expect(rows.get('pce.cursor')).toEqual(expect.any(String));
  });

  it('starts fresh on null and saves each page handled', async () => {
    const redis = new FakeRedis();
    const checkpoint: Checkpoint = { load: () => redis.get('pce.cursor'), save: (cursor) => redis.set('pce.cursor', cursor) };
    const controller = new AbortController();
    const pce = emulatedPce();
    const items: number[] = [];
    for await (const page of watch(pce.events.list(), { checkpoint, signal: controller.signal, clock: scaledClock(0.001) })) {
      items.push(page.items.length);
      if (items.length === 2) controller.abort();
    }
    expect(items[0]).toBe(3);
    expect(redis.values.get('pce.cursor')).toEqual(expect.any(String));
  });
});
