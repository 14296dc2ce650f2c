/**
 * `watch()` of a listing of any of several clients (a function that takes `IllumioClient |
 * TinesClient`) yields that listing's pages, as `merge()` takes such listings. Inferred from the union
 * of the clients' listings, its item type was the first vendor's alone, and the call did not compile
 * without naming `TributaryEvent` by hand. `npx tsc --noEmit -p .` checks the types here; the test watches.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { scaledClock, watch, type Page } from 'tributary';
import { illumio, type IllumioClient, type IllumioTributaryEvent } from 'tributary/illumio';
import { tines, type TinesClient, type TinesTributaryEvent } from 'tributary/tines';
import { createEmulator, DEFAULT_ILLUMIO_CREDENTIAL, DEFAULT_TINES_CREDENTIAL } from 'tributary/testing';

const common = { retry: false, rateLimit: false, baseUrl: 'http://127.0.0.1:8080' } as const;

/** The first page a client's watch yields, whichever vendor the client is of. */
async function firstPage(client: IllumioClient | TinesClient): Promise<Page<IllumioTributaryEvent> | Page<TinesTributaryEvent> | undefined> {
  const pages = watch(client.events.list(), { clock: scaledClock(0.001) });
  expectTypeOf(pages).toEqualTypeOf<AsyncGenerator<Page<IllumioTributaryEvent> | Page<TinesTributaryEvent>, void, undefined>>();
  for await (const page of pages) return page;
  return undefined;
}

describe('watch', () => {
  it('of a listing of any of several clients yields its pages, typed by its vendors', async () => {
    const pce = illumio({ ...common, fetch: createEmulator('illumio', { events: 3 }).fetch, orgId: 1, ...DEFAULT_ILLUMIO_CREDENTIAL });
    const tin = tines({ ...common, fetch: createEmulator('tines', { events: 2 }).fetch, token: DEFAULT_TINES_CREDENTIAL.key });
    const providers: string[] = [];
    const hrefs: string[] = [];
    for (const client of [pce, tin]) {
      for (const event of (await firstPage(client))?.items ?? []) {
        providers.push(event.provider);
        if (event.provider === 'illumio') hrefs.push(event.raw.href);
      }
    }
    expect(providers).toEqual(['illumio', 'illumio', 'illumio', 'tines', 'tines']);
    expect(hrefs).toHaveLength(3);
  });

  it('of one vendor keeps its type, given or inferred', () => {
    const pce = illumio({ ...common, fetch: createEmulator('illumio', { events: 0 }).fetch, orgId: 1, ...DEFAULT_ILLUMIO_CREDENTIAL });
    expectTypeOf(watch(pce.events.list())).toEqualTypeOf<AsyncGenerator<Page<IllumioTributaryEvent>, void, undefined>>();
    expectTypeOf(watch<IllumioTributaryEvent>(pce.events.list())).toEqualTypeOf<AsyncGenerator<Page<IllumioTributaryEvent>, void, undefined>>();
  });
});
