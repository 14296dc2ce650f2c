/**
 * `X-Total-Count` that contradicts the page it comes with (a proxy's, or a count taken apart from the
 * listing) must not end a window early: a total below a full page was read as "the page is all", and an
 * empty page under a positive total as "nothing more", and the rest of the window was lost unseen.
 */
import { describe, expect, it } from 'vitest';
import { isResponseValidationError } from '../../../src/core/errors.js';
import { totalOf } from '../../../src/providers/illumio/pagination.js';
import { DEFAULT_ILLUMIO_CREDENTIAL, illumioEmulator } from '../../../src/providers/illumio/emulator.js';
import { illumio } from '../../../src/providers/illumio/index.js';
import { fastClock, inProcessClient, storeIds, type IllumioTestEmulator } from './connect.js';

/** The emulator's fetch, with the `x-total-count` of the `nth` list answer (1-based) replaced. */
function lyingTotal(emulator: IllumioTestEmulator, nth: number, total: (sent: number) => string, emptyBody = false): typeof fetch {
  let answers = 0;
  return async (input, init) => {
    const response = await emulator.fetch(input as string, init);
    if ((answers += 1) !== nth) return response;
    const headers = new Headers(response.headers);
    const events = (await response.json()) as unknown[];
    headers.set('x-total-count', total(events.length));
    return new Response(JSON.stringify(emptyBody ? [] : events), { status: response.status, headers });
  };
}

function client(fetch: typeof globalThis.fetch) {
  return illumio({
    baseUrl: 'https://pce.example.com:8443',
    orgId: 1,
    apiKey: DEFAULT_ILLUMIO_CREDENTIAL.apiKey,
    apiSecret: DEFAULT_ILLUMIO_CREDENTIAL.apiSecret,
    clock: fastClock(),
    rateLimit: false,
    retry: false,
    fetch,
  });
}

describe('X-Total-Count read against its page', () => {
  it('is taken when it counts at least the page; below it, or unreadable, a full page may have been cut', () => {
    const total = (value: string | null, received: number, limit = 10): number =>
      totalOf(new Headers(value === null ? {} : { 'x-total-count': value }), received, limit);
    expect(total('35', 10)).toBe(35);
    expect(total('10', 10)).toBe(10);
    expect(total('5', 10)).toBe(11);
    expect(total('0', 10)).toBe(11);
    expect(total('5', 7)).toBe(7);
    expect(total(null, 10)).toBe(11);
    expect(total('-1', 4)).toBe(4);
  });

  it.each([
    ['below the page', () => '5'],
    ['zero', () => '0'],
  ])('a total %s on a full page does not end the window: every event is delivered once', async (_name, total) => {
    const emulator = illumioEmulator.create({ seed: 3, events: 45, clock: fastClock() });
    const expected = storeIds(emulator);
    const events = await client(lyingTotal(emulator, 2, total)).events.list({ pageSize: 10 }).toArray();
    expect(events.map((event) => event.id).sort()).toEqual([...expected].sort());
  });

  it('an empty page under a positive total fails the listing, resumable from the last cursor, losing nothing', async () => {
    const emulator = illumioEmulator.create({ seed: 3, events: 45, clock: fastClock() });
    const ids: string[] = [];
    let cursor: string | undefined;
    let failure: unknown;
    try {
      for await (const page of client(lyingTotal(emulator, 3, () => '35', true)).events.list({ pageSize: 10 }).byPage()) {
        ids.push(...page.items.map((event) => event.id));
        cursor = page.cursor;
      }
    } catch (error) {
      failure = error;
    }
    expect(isResponseValidationError(failure)).toBe(true);
    expect((failure as Error).message).toMatch(/counted 35 events .* but sent none/);
    expect(ids.length).toBeGreaterThan(10);
    for await (const event of inProcessClient(emulator, fastClock()).events.list({ pageSize: 10 }).byPage({ cursor: cursor! })) {
      ids.push(...event.items.map((item) => item.id));
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...storeIds(emulator)].sort());
  });
});
