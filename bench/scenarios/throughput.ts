/**
 * Scenario 1: draining a listing through `for await`, validation and normalization on, per vendor and
 * page size, against the hand-written `fetch` loop and the `node:http` + `JSON.parse` lower bound over
 * the same pages of the same server.
 */
import { drainRaw, drainSdk } from '../drain.js';
import type { BenchProvider, ClientOptions } from '../providers.js';
import { fetchTransport, httpTransport } from '../raw.js';
import { runRounds, schedule, type Contestant, type Series } from '../rounds.js';
import type { ServerHandle } from '../server/client.js';
import { pairedRatio, summarize, type Summary } from '../stats.js';

export interface ThroughputSettings {
  events: number;
  rounds: number;
  seed: number;
  now: number;
  providers: readonly BenchProvider[];
  /** Page sizes; `'large'` is 1000 or the vendor's maximum below it. */
  pageSizes: ReadonlyArray<number | 'large'>;
}

export interface ContestantResult {
  ms: Summary;
  eventsPerSecond: number;
}

export interface ThroughputResult {
  provider: string;
  pageSize: number;
  events: number;
  pages: number;
  setupMs: number;
  sdk: ContestantResult;
  fetch: ContestantResult;
  http: ContestantResult;
  /** SDK time over the fetch loop's time, per round. */
  sdkOverFetch: Summary;
  sdkOverHttp: Summary;
  fetchOverHttp: Summary;
}

/** Every SDK client of the scenario: the pipeline as shipped, with the vendor's request limit lifted. */
export const THROUGHPUT_CLIENT: ClientOptions = { rateLimit: { requests: Infinity } };

function result(series: Series): ContestantResult {
  const ms = summarize(series.ms);
  return { ms, eventsPerSecond: ((series.events[0] ?? 0) / ms.median) * 1000 };
}

export async function throughput(
  server: ServerHandle,
  settings: ThroughputSettings,
  log: (line: string) => void,
): Promise<ThroughputResult[]> {
  const results: ThroughputResult[] = [];
  for (const provider of settings.providers) {
    const { url, setupMs } = await server.start({ ...provider.server(settings.events), seed: settings.seed, now: settings.now, scale: 1, cache: true });
    const sizes = [...new Set(settings.pageSizes.map((size) => (size === 'large' ? provider.largePage : size)))];
    for (const pageSize of sizes) {
      const http = httpTransport();
      const contestants: Contestant[] = [
        { name: 'sdk', run: () => drainSdk(provider.list(url, pageSize, THROUGHPUT_CLIENT)) },
        { name: 'fetch', run: () => drainRaw(fetchTransport, url, provider.raw(), pageSize) },
        { name: 'http', run: () => drainRaw(http, url, provider.raw(), pageSize) },
      ];
      const series = await runRounds(contestants, {
        rounds: settings.rounds,
        onWarm: async () => {
          await server.stats(true);
        },
      });
      // Pages computed after the warm-up would put the emulator's own work into the figures.
      const stats = await server.stats(true);
      const sdk = series.get('sdk') as Series;
      const fetch = series.get('fetch') as Series;
      const lower = series.get('http') as Series;
      checkSameEvents(provider.name, pageSize, [sdk, fetch, lower]);
      const runs = schedule(contestants.length, { rounds: settings.rounds }).filter(({ phase }) => phase !== 'warmup').length;
      const pages = Math.round(stats.requests / runs);
      const entry: ThroughputResult = {
        provider: provider.name,
        pageSize,
        events: sdk.events[0] ?? 0,
        pages,
        setupMs,
        sdk: result(sdk),
        fetch: result(fetch),
        http: result(lower),
        sdkOverFetch: pairedRatio(sdk.ms, fetch.ms),
        sdkOverHttp: pairedRatio(sdk.ms, lower.ms),
        fetchOverHttp: pairedRatio(fetch.ms, lower.ms),
      };
      if (stats.computed > 0) log(`  note: ${stats.computed} pages were computed during measured rounds`);
      results.push(entry);
      log(
        `  ${provider.name.padEnd(11)} ${String(pageSize).padStart(4)}/page  sdk ${fmtRate(entry.sdk.eventsPerSecond)}  fetch ${fmtRate(entry.fetch.eventsPerSecond)}  ` +
          `http ${fmtRate(entry.http.eventsPerSecond)}  sdk/fetch ${entry.sdkOverFetch.median.toFixed(3)} [${entry.sdkOverFetch.min.toFixed(2)}-${entry.sdkOverFetch.max.toFixed(2)}]`,
      );
    }
  }
  return results;
}

function fmtRate(perSecond: number): string {
  return `${(perSecond / 1000).toFixed(1).padStart(6)}k ev/s`;
}

/** A baseline that delivered a different number of events would make every ratio meaningless. */
function checkSameEvents(provider: string, pageSize: number, series: Series[]): void {
  const counts = new Set(series.flatMap((entry) => entry.events));
  if (counts.size !== 1) {
    throw new Error(`${provider} at ${pageSize}/page: the SDK and the baselines delivered different numbers of events (${[...counts].join(', ')})`);
  }
}
