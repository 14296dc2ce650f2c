/**
 * Scenario 3: offset paging when every answer takes 20 ms and a rate limit is in force. A listing
 * whose total is known can fetch several pages at once (the engine's `lookahead` with an offset
 * strategy's `following`); the consumer still gets them in order. Measured:
 *
 * - the vendors' offset listings as shipped (Informatica events, Socotra failed scheduled jobs), against
 *   a sequential hand-written loop over the same server;
 * - the core engine with `offsetStrategy({ concurrency })` through the shared request pipeline and
 *   limiter, over the generic emulator's `/offset` (which sends `X-Total-Count`), with Informatica's
 *   published limit (5 requests a minute) on both sides, on a fast clock so that the limit is in force
 *   but the listing is latency-bound.
 *
 * The server counts every 429 it answers; the target is none.
 */
import { z } from 'zod';
import { scaledClock, type Clock } from '../../src/core/clock.js';
import { createClientContext } from '../../src/core/client.js';
import { offsetStrategy } from '../../src/core/paginate/offset.js';
import { OVERLAP_ITEMS } from '../../src/core/paginate/overlap.js';
import { paginate } from '../../src/core/paginate/paginate.js';
import type { Paginated } from '../../src/core/paginate/types.js';
import { informatica } from '../../src/providers/informatica/index.js';
import { DEFAULT_INFORMATICA_USER } from '../../src/providers/informatica/emulator.js';
import { socotra } from '../../src/providers/socotra/index.js';
import { SOCOTRA_EMULATOR_TENANT, SOCOTRA_EMULATOR_TOKEN } from '../../src/providers/socotra/emulator.js';
import { drainRaw, drainSdkPages } from '../drain.js';
import { benchProvider } from '../providers.js';
import { fetchTransport, type RawPlan, type RawRequest } from '../raw.js';
import { runRounds, type Contestant, type Series } from '../rounds.js';
import type { ServerHandle } from '../server/client.js';
import type { ServerRateLimit, StartCommand } from '../server/protocol.js';
import { pairedRatio, summarize, type Summary } from '../stats.js';

export interface OffsetSettings {
  rounds: number;
  seed: number;
  now: number;
  latencyMs: number;
  pageSize: number;
  pages: number;
  /** Real milliseconds per vendor millisecond for both rate limits (client and server). */
  scale: number;
  /** Pages in flight for the core engine. */
  concurrency: number;
}

export interface OffsetContestantResult {
  name: string;
  ms: Summary;
  /** The sequential loop's time over this contestant's, paired per round. */
  speedup: Summary;
}

export interface OffsetResult {
  target: string;
  pages: number;
  events: number;
  contestants: OffsetContestantResult[];
  /** 429 answers during the measured rounds. */
  rateLimited: number;
  maxInFlight: number;
}

interface Target {
  name: string;
  start: Omit<StartCommand, 'type' | 'seed' | 'now' | 'scale' | 'cache'>;
  rateLimit: ServerRateLimit | false;
  /** The hand-written sequential loop. */
  raw(): RawPlan;
  /** The tributary contestants, by name. */
  listings(url: string, clock: Clock): Record<string, () => Paginated<unknown>>;
}

/** Informatica's published limit (VENDORS.md), as the emulator enforces it. */
const INFORMATICA_LIMIT: ServerRateLimit = { requests: 5, interval: 60_000 };

function offsetPlan(path: string, headers: Record<string, string>, items: (body: unknown) => unknown[]): RawPlan {
  let offset = 0;
  const request = (count: number): RawRequest => ({ method: 'GET', path: `${path}${path.includes('?') ? '&' : '?'}offset=${offset}&count=${count}`, headers });
  return {
    first: (pageSize) => request(pageSize),
    step: ({ body }, _request, pageSize) => {
      const page = items(body);
      offset += page.length;
      return { events: page, next: page.length < pageSize ? undefined : request(pageSize) };
    },
  };
}

const genericPage = z.object({ items: z.array(z.looseObject({ id: z.number() })) });
type GenericItem = z.output<typeof genericPage>['items'][number];

/**
 * The core engine over the generic `/offset`: the pipeline, the limiter, `following` from `X-Total-Count`.
 * Each page also re-reads the `OVERLAP_ITEMS` before its offset (the list may change behind it), which
 * the server serves on top of `pageSize`, as the vendors do up to their own caps.
 */
function coreListing(url: string, clock: Clock, concurrency: number, pageSize: number): Paginated<unknown> {
  const ctx = createClientContext(
    'informatica',
    { baseUrl: url, clock, rateLimit: { requests: 5, interval: 66_000 } },
    { headers: () => ({}), key: `bench-core-${concurrency}` },
    {},
  );
  const strategy = offsetStrategy<GenericItem>({
    concurrency,
    key: (item) => String(item.id),
    maxLimit: pageSize + OVERLAP_ITEMS,
    async fetchPage({ offset, limit }, signal) {
      const response = await ctx.http.request({
        operation: 'events.list',
        method: 'GET',
        path: '/offset',
        query: { offset, count: limit },
        schema: genericPage,
        signal,
      });
      return { items: response.data.items, total: Number(response.headers.get('x-total-count')) };
    },
  });
  return paginate({ provider: 'informatica', operation: 'events.list', query: { concurrency }, strategy, normalize: (items) => items, pageSize });
}

function targets(settings: OffsetSettings): Target[] {
  const events = settings.pages * settings.pageSize;
  const informaticaProvider = benchProvider('informatica');
  return [
    {
      name: 'informatica events (as shipped)',
      start: { ...informaticaProvider.server(0), events: events },
      rateLimit: INFORMATICA_LIMIT,
      raw: () => informaticaProvider.raw(),
      listings: (url, clock) => ({
        sdk: () =>
          informaticaProvider.list(url, settings.pageSize, { clock }) as Paginated<unknown>,
      }),
    },
    {
      name: 'socotra failed jobs (as shipped)',
      start: { provider: 'socotra', events: 0, options: { failedJobs: events } },
      rateLimit: false,
      raw: () =>
        offsetPlan(`/event/${SOCOTRA_EMULATOR_TENANT}/events/schedules/failed/list`, { authorization: `Bearer ${SOCOTRA_EMULATOR_TOKEN}` }, (body) =>
          Array.isArray(body) ? body : [],
        ),
      listings: (url, clock) => ({
        sdk: () =>
          socotra({ baseUrl: url, tenantLocator: SOCOTRA_EMULATOR_TENANT, token: SOCOTRA_EMULATOR_TOKEN, clock }).schedules.failed.list({
            pageSize: settings.pageSize,
          }) as Paginated<unknown>,
      }),
    },
    {
      name: `core offset engine, generic /offset, 5 req/min`,
      start: { provider: 'generic', events, options: { maxPageSize: settings.pageSize + OVERLAP_ITEMS } },
      rateLimit: INFORMATICA_LIMIT,
      raw: () => offsetPlan('/offset', {}, (body) => (body as { items: unknown[] }).items),
      listings: (url, clock) => ({
        'engine x1': () => coreListing(url, clock, 1, settings.pageSize),
        [`engine x${settings.concurrency}`]: () => coreListing(url, clock, settings.concurrency, settings.pageSize),
      }),
    },
  ];
}

export async function offset(server: ServerHandle, settings: OffsetSettings, log: (line: string) => void): Promise<OffsetResult[]> {
  const results: OffsetResult[] = [];
  const clock = scaledClock(settings.scale);
  for (const target of targets(settings)) {
    const { url } = await server.start({ ...target.start, seed: settings.seed, now: settings.now, scale: settings.scale, cache: true });
    await server.configure(settings.latencyMs, target.rateLimit);
    const listings = target.listings(url, clock);
    const contestants: Contestant[] = [
      { name: 'sequential', run: () => drainRaw(fetchTransport, url, target.raw(), settings.pageSize) },
      ...Object.entries(listings).map(([name, listing]) => ({
        name,
        run: () => drainSdkPages(listing()),
      })),
    ];
    await server.stats(true);
    const series = await runRounds(contestants, {
      rounds: settings.rounds,
      onWarm: async () => {
        await server.stats(true);
      },
    });
    const stats = await server.stats(true);
    await server.configure(0, false);
    const sequential = series.get('sequential') as Series;
    const entries = Object.keys(listings).map((name) => {
      const entry = series.get(name) as Series;
      return { name, ms: summarize(entry.ms), speedup: pairedRatio(sequential.ms, entry.ms) };
    });
    const result: OffsetResult = {
      target: target.name,
      pages: Math.ceil((sequential.events[0] ?? 0) / settings.pageSize),
      events: sequential.events[0] ?? 0,
      contestants: [{ name: 'sequential', ms: summarize(sequential.ms), speedup: pairedRatio(sequential.ms, sequential.ms) }, ...entries],
      rateLimited: stats.rateLimited,
      maxInFlight: stats.maxInFlight,
    };
    results.push(result);
    log(
      `  ${target.name}: sequential ${result.contestants[0]?.ms.median.toFixed(0)} ms; ` +
        entries.map((entry) => `${entry.name} ${entry.ms.median.toFixed(0)} ms (${entry.speedup.median.toFixed(2)}x)`).join(', ') +
        `; 429s: ${stats.rateLimited}; most in flight: ${stats.maxInFlight}`,
    );
  }
  return results;
}
