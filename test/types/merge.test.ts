/**
 * `merge()` types its items as the union of its sources' items, whatever the sources: clients of
 * different vendors, a spread array, listings beside `watch()`es. Merging nothing yields nothing, so its
 * items are `never`, not `unknown`. `npx tsc --noEmit -p .` checks the types here; the test merges.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { merge, watch, type Page, type TributaryEvent } from 'tributary';
import { illumio, type IllumioTributaryEvent } from 'tributary/illumio';
import { tines, type TinesTributaryEvent } from 'tributary/tines';
import { createEmulator, DEFAULT_ILLUMIO_CREDENTIAL, DEFAULT_TINES_CREDENTIAL } from 'tributary/testing';

const common = { retry: false, rateLimit: false, baseUrl: 'http://127.0.0.1:8080' } as const;
const pce = illumio({ ...common, fetch: createEmulator('illumio', { events: 3 }).fetch, orgId: 1, ...DEFAULT_ILLUMIO_CREDENTIAL });
const tin = tines({ ...common, fetch: createEmulator('tines', { events: 3 }).fetch, token: DEFAULT_TINES_CREDENTIAL.key });

type Item<G> = G extends AsyncGenerator<infer T, void, undefined> ? T : never;

describe('merge', () => {
  it('types its items by its sources', () => {
    expectTypeOf<Item<ReturnType<typeof merge<[]>>>>().toBeNever();
    expectTypeOf(merge(pce.events.list(), tin.events.list())).toEqualTypeOf<AsyncGenerator<IllumioTributaryEvent | TinesTributaryEvent, void, undefined>>();
    const lists = [pce.events.list(), tin.events.list()];
    expectTypeOf<Item<ReturnType<typeof merge<typeof lists>>>>().toEqualTypeOf<IllumioTributaryEvent | TinesTributaryEvent>();
    expectTypeOf<Item<ReturnType<typeof merge<[ReturnType<typeof watch<IllumioTributaryEvent>>]>>>>().toEqualTypeOf<Page<IllumioTributaryEvent>>();
  });

  it('of nothing ends at once', async () => {
    const none: never[] = [];
    for await (const item of merge()) none.push(item);
    expect(none).toEqual([]);
  });

  it('of two vendors yields both, narrowed by provider', async () => {
    const seen: string[] = [];
    for await (const event of merge(pce.events.list(), tin.events.list())) {
      expectTypeOf(event).toExtend<TributaryEvent>();
      seen.push(event.provider === 'illumio' ? event.raw.href : String(event.raw.id));
    }
    expect(seen).toHaveLength(6);
  });
});
