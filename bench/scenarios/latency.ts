/**
 * Scenario 2: latency hiding. Every answer is held back by the server (20 ms, a round trip to a vendor's
 * region) and the consumer spends 10 ms on each page. A sequential loop pays latency + transfer + work
 * per page; with the SDK's prefetch (page k+1 is requested when page k is handed over) a page should
 * cost max(latency + transfer, work). The raw `fetch` loop without work measures latency + transfer.
 *
 * A page's time is a run's time over its requests. Two parts of a run cannot overlap with anything: the
 * first request (there is no page to work on yet) and the work on the last page (there is nothing left
 * to fetch). Over 8 pages they weighed an eighth each on the per-page figure; over 24 (the default) they
 * weigh a twenty-fourth, closer to what a page costs in a long listing.
 */
import { drainRaw, drainSdkPages, type Work } from '../drain.js';
import type { BenchProvider } from '../providers.js';
import { fetchTransport } from '../raw.js';
import { runRounds, type Contestant, type Series } from '../rounds.js';
import type { ServerHandle } from '../server/client.js';
import { pairedRatio, summarize, type Summary } from '../stats.js';
import { THROUGHPUT_CLIENT } from './throughput.js';

export interface LatencySettings {
  providers: readonly BenchProvider[];
  rounds: number;
  seed: number;
  now: number;
  latencyMs: number;
  work: Work;
  pages: number;
  pageSize: number;
}

export interface LatencyResult {
  provider: string;
  work: Work['kind'];
  pages: number;
  pageSize: number;
  /** Milliseconds per page. */
  sdkPerPage: Summary;
  sequentialPerPage: Summary;
  networkPerPage: Summary;
  /** SDK per-page time over max(latency + transfer, work), paired per round. */
  sdkOverBound: Summary;
  /** The sequential loop's time over the SDK's. */
  speedup: Summary;
}

export async function latency(server: ServerHandle, settings: LatencySettings, log: (line: string) => void): Promise<LatencyResult[]> {
  const results: LatencyResult[] = [];
  const { pages, pageSize, work } = settings;
  for (const provider of settings.providers) {
    const { url } = await server.start({ ...provider.server(pages * pageSize), seed: settings.seed, now: settings.now, scale: 1, cache: true });
    await server.configure(settings.latencyMs);
    const contestants: Contestant[] = [
      { name: 'sdk', run: () => drainSdkPages(provider.list(url, pageSize, THROUGHPUT_CLIENT), { work }) },
      { name: 'sequential', run: () => drainRaw(fetchTransport, url, provider.raw(), pageSize, { work }) },
      { name: 'network', run: () => drainRaw(fetchTransport, url, provider.raw(), pageSize) },
    ];
    // The warm-up run of each contestant fills the page cache and counts its requests: the pages of a run.
    const requests = new Map<string, number>();
    for (const contestant of contestants) {
      await server.stats(true);
      await contestant.run(false);
      requests.set(contestant.name, (await server.stats(true)).requests);
    }
    const series = await runRounds(contestants, { rounds: settings.rounds, warmup: 0 });
    await server.configure(0);
    const perPage = (name: string) => (series.get(name) as Series).ms.map((ms) => ms / (requests.get(name) as number));
    const sdk = perPage('sdk');
    const sequential = perPage('sequential');
    const network = perPage('network');
    const bound = network.map((ms) => Math.max(ms, work.ms));
    const result: LatencyResult = {
      provider: provider.name,
      work: work.kind,
      pages: requests.get('sdk') as number,
      pageSize,
      sdkPerPage: summarize(sdk),
      sequentialPerPage: summarize(sequential),
      networkPerPage: summarize(network),
      sdkOverBound: pairedRatio(sdk, bound),
      speedup: pairedRatio(sequential, sdk),
    };
    results.push(result);
    log(
      `  ${provider.name.padEnd(11)} ${work.kind.padEnd(3)} work, per page: sdk ${result.sdkPerPage.median.toFixed(1)} ms, sequential ${result.sequentialPerPage.median.toFixed(1)} ms, ` +
        `latency+transfer ${result.networkPerPage.median.toFixed(1)} ms; sdk/max(l+t, work) ${result.sdkOverBound.median.toFixed(3)}, speed-up ${result.speedup.median.toFixed(2)}x`,
    );
  }
  return results;
}
