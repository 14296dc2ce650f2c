/**
 * The FUJITSU client against the emulator as a real HTTP server on 127.0.0.1: listing, Keystone login,
 * errors, resuming from every page's cursor (property), and a rate limit kept with zero 429s.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { isNotFoundError } from '../../../src/core/errors.js';
import { scaledClock } from '../../../src/core/clock.js';
import type { RateLimitInfo, ResponseInfo } from '../../../src/core/options.js';
import { fujitsu, type FujitsuOptions } from '../../../src/providers/fujitsu/index.js';
import type { EmulatorServer } from '../../../src/testing/types.js';
import { clock, createEmulator, identity, TENANT, TOKEN, type FujitsuEmulator } from './helpers.js';

let emulator: FujitsuEmulator;
let server: EmulatorServer;

beforeAll(async () => {
  emulator = createEmulator({ events: 0, tokens: [TOKEN, 'gAAAAA-rate-limited-token-91b2'] });
  server = await emulator.listen();
});
afterAll(() => server.close());

const client = (overrides: Partial<FujitsuOptions> = {}) =>
  fujitsu({
    baseUrl: server.url,
    tenantId: TENANT,
    clock,
    ...(overrides.identity ? {} : { token: TOKEN }),
    ...overrides,
  } as FujitsuOptions);

function reset(): void {
  emulator.reset();
}

describe('fujitsu client against a real local server', () => {
  it('logs in at the identity URL and lists everything, newest first', async () => {
    reset();
    const now = Date.now();
    for (let i = 0; i < 130; i++) emulator.store.events.add(TENANT, { at: now - (i + 1) * 7_000 });
    const events = await client({ identity: identity({ url: `${server.url}/v3/` }) }).events.list({ pageSize: 50 }).toArray();
    expect(events).toHaveLength(130);
    expect(events.map((event) => event.time)).toEqual(events.map((event) => event.time).sort().reverse());
    expect(emulator.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'POST /v3/auth/tokens',
      ...Array(3).fill(`GET /v1.0/${TENANT}/events`),
    ]);
  });

  it('maps a 404 from the server to NotFoundError', async () => {
    reset();
    const error = await client({ tenantId: 'ffffffffffffffffffffffffffffffff' }).events.list().toArray().catch((e: unknown) => e);
    expect(isNotFoundError(error)).toBe(true);
    expect((error as { url: string }).url).toContain('127.0.0.1');
  });

  it('keeps the server rate limit with zero 429s in steady state', async () => {
    // A second lasts 100 ms on both sides. The server counts arrivals in a sliding window; the client's
    // window counts each request until its answer is back, so no spacing is needed on top of it.
    const slower = scaledClock(0.1);
    const limited = createEmulator({ events: 0, clock: slower, rateLimit: { requests: 4, interval: 1_000 }, tokens: ['gAAAAA-rate-limited-token-91b2'] });
    const limitedServer = await limited.listen();
    try {
      const now = Date.now();
      for (let i = 0; i < 40; i++) limited.store.events.add(TENANT, { at: now - (i + 1) * 1000 });
      const responses: ResponseInfo[] = [];
      const queued: RateLimitInfo[] = [];
      const k5 = fujitsu({
        baseUrl: limitedServer.url,
        tenantId: TENANT,
        token: 'gAAAAA-rate-limited-token-91b2',
        clock: slower,
        rateLimit: { requests: 4, interval: 1_000 },
        hooks: { onResponse: (info) => responses.push(info), onRateLimit: (info) => queued.push(info) },
      });
      // 40 events at 20 a page, five times: 15 requests, about four windows' worth.
      for (let round = 0; round < 5; round++) expect(await k5.events.list({ pageSize: 20 }).toArray()).toHaveLength(40);
      expect(responses.length).toBeGreaterThanOrEqual(15);
      expect(responses.filter((info) => info.status === 429)).toEqual([]);
      // The client held requests back: the limit was reached, not merely unchallenged.
      expect(queued.some((info) => info.cause === 'queued')).toBe(true);
    } finally {
      await limitedServer.close();
    }
  });
});

describe.each(['inclusive', 'exclusive'] as const)('fujitsu resume against a real server with an %s marker', (marker) => {
  let target: FujitsuEmulator;
  let targetServer: EmulatorServer;
  let url: string;
  beforeAll(async () => {
    target = createEmulator({ events: 0, marker });
    targetServer = await target.listen();
    url = targetServer.url;
  });
  afterAll(() => targetServer.close());

  it('resumes from every page cursor without losing or repeating an event (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 3_000 }), fc.integer({ min: 1, max: 19 })), { maxLength: 12 }),
        async (bursts) => {
          target.reset();
          const now = Date.now();
          const perSecond = new Map<number, number>();
          for (const [ago, count] of bursts) {
            const at = Math.floor((now - ago * 1000) / 1000) * 1000;
            const n = Math.min(count, 19 - (perSecond.get(at) ?? 0));
            if (n <= 0) continue;
            perSecond.set(at, (perSecond.get(at) ?? 0) + n);
            target.store.events.addBurst(TENANT, at, n);
          }
          const listing = fujitsu({ baseUrl: url, tenantId: TENANT, token: TOKEN, clock }).events.list({ since: new Date(now - 3_600_000), until: new Date(now), pageSize: 20 });
          const pages: Array<{ ids: string[]; cursor: string }> = [];
          for await (const page of listing.byPage()) pages.push({ ids: page.items.map((e) => e.id), cursor: page.cursor });
          const all = pages.flatMap((page) => page.ids);
          expect(all).toHaveLength(target.store.events.all(TENANT).length);
          expect(new Set(all).size).toBe(all.length);
          for (let i = 0; i < pages.length; i++) {
            const resumed: string[] = [];
            for await (const page of listing.byPage({ cursor: pages[i]!.cursor })) resumed.push(...page.items.map((e) => e.id));
            expect(resumed).toEqual(pages.slice(i + 1).flatMap((page) => page.ids));
          }
        },
      ),
      { numRuns: 8 },
    );
  });

});
