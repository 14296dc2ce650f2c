/**
 * A vendor, or a cache or proxy in front of it, that does not page on: FUJITSU's `marker` dropped from
 * the query, Illumio's narrowed window answered with the page before it again. VENDORS.md: never loop
 * for ever on the same position. The listing fails after a few requests, each event delivered once,
 * with a `ResponseValidationError` that says what the vendor did: it said that more events shared one
 * second (one instant) than a page holds, and to resume with a larger `pageSize`, which cannot help.
 * The last page's cursor resumes against a vendor that pages on, delivering the rest.
 */
import { describe, expect, it } from 'vitest';
import { isResponseValidationError } from '../../src/core/errors.js';
import { scaledClock } from '../../src/core/clock.js';
import type { Paginated } from '../../src/core/paginate/types.js';
import { fujitsuEmulator } from '../../src/providers/fujitsu/emulator.js';
import { illumioEmulator } from '../../src/providers/illumio/emulator.js';
import { inProcessClients } from '../support/in-process-clients.js';
import { pagesUntilFailure } from '../support/pages-until-failure.js';

type Fetch = typeof globalThis.fetch;
const clock = scaledClock(0.001);
const urlOf = (input: Parameters<Fetch>[0]): URL => new URL(input instanceof Request ? input.url : String(input));

/** `fetch` with its event requests answered by `lie`, which may send one to `url` as it was sent; at most `cap`. */
function lying(fetch: Fetch, lie: (url: URL, send: (url: URL) => Promise<Response>) => Promise<Response>, cap = 40) {
  const sent = { events: 0 };
  const wrapped: Fetch = async (input, init) => {
    const url = urlOf(input);
    if (!url.pathname.endsWith('/events')) return fetch(input, init);
    if (++sent.events > cap) throw new Error(`more than ${cap} event requests`);
    return lie(url, (to) => fetch(to.href, init));
  };
  return { sent, fetch: wrapped };
}

const resumed = async (listing: Paginated<{ id: string }>, cursor: string): Promise<string[]> => {
  const ids: string[] = [];
  for await (const page of listing.byPage({ cursor })) ids.push(...page.items.map((event) => event.id));
  return ids;
};

describe('a vendor that does not page on', () => {
  it('FUJITSU, its marker dropped: fails saying the answer held only events after the marker; the cursor resumes', async () => {
    const emulator = fujitsuEmulator.create({ events: 300, clock });
    const since = new Date(Date.now() - 30 * 86_400_000);
    const { sent, fetch } = lying(emulator.fetch, (url, send) => {
      url.searchParams.delete('marker');
      return send(url);
    });
    const liar = inProcessClients.fujitsu(fetch, clock);
    const { ids, cursor, failure } = await pagesUntilFailure(liar.events.list({ since, pageSize: 20 }));
    expect(isResponseValidationError(failure)).toBe(true);
    expect((failure as Error).message).toMatch(/answered the marker \S+ with 1\d of 20 events after it and none new/);
    expect((failure as Error).message).not.toMatch(/share|larger pageSize/);
    expect(sent.events).toBeLessThanOrEqual(3);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(20);
    const honest = inProcessClients.fujitsu(emulator.fetch, clock);
    const rest = await resumed(honest.events.list({ since, pageSize: 20 }), cursor as string);
    const all = await honest.events.list({ since, pageSize: 100 }).toArray();
    expect([...ids, ...rest].sort()).toEqual(all.map((event) => event.id).sort());
  });

  it('Illumio, the page before answered again: fails saying the answer held only events after the window; the cursor resumes', async () => {
    const emulator = illumioEmulator.create({ seed: 1, events: 300, rateLimit: false });
    let first: { body: string; headers: Headers } | undefined;
    const { sent, fetch } = lying(emulator.fetch, async (url, send) => {
      if (first === undefined) {
        const answer = await send(url);
        first = { body: await answer.text(), headers: answer.headers };
      }
      return new Response(first.body, { status: 200, headers: first.headers });
    });
    const liar = inProcessClients.illumio(fetch, clock);
    const { ids, cursor, failure } = await pagesUntilFailure(liar.events.list({ pageSize: 20 }));
    expect(isResponseValidationError(failure)).toBe(true);
    expect((failure as Error).message).toMatch(/answered the window up to \S+ with 1\d of 20 events after it and none new/);
    expect((failure as Error).message).not.toMatch(/share|vendor's cap|larger pageSize/);
    expect(sent.events).toBeLessThanOrEqual(4);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(20);
    const honest = inProcessClients.illumio(emulator.fetch, clock);
    const rest = await resumed(honest.events.list({ pageSize: 20 }), cursor as string);
    expect([...ids, ...rest].sort()).toEqual(emulator.store.events.map((event) => event.href).sort());
  });
});
