/**
 * The measured side of the memory scenario, in a process of its own so that nothing else lives in its
 * heap: streams a listing to its end, sampling heap and RSS every page, and prints one JSON line.
 *
 *   node --import tsx bench/scenarios/memory-child.ts <sdk|fetch> <provider> <baseUrl> <pageSize> <warmupEvents>
 */
import type { ProviderName } from '../../src/core/errors.js';
import { benchProvider } from '../providers.js';
import { fetchTransport, rawPages } from '../raw.js';
import { forceGc } from '../rounds.js';

export interface MemoryReport {
  contestant: string;
  events: number;
  ms: number;
  /** After the warm-up events, garbage collected: the reference point. */
  baseHeap: number;
  baseRss: number;
  /**
   * Largest heap used right after a full garbage collection forced every `LIVE_EVERY` pages: the live
   * data's high-water mark. (Read from a GC observer instead, it also counted the garbage made before
   * the observer's callback ran: once 30 MiB of it.)
   */
  peakLiveHeap: number;
  /** Largest values sampled after the warm-up (the heap one includes garbage not yet collected). */
  peakHeap: number;
  peakRss: number;
  /** At the end, garbage collected: what the stream kept. */
  finalHeap: number;
}

/** Pages between two forced full collections that read the live heap. */
const LIVE_EVERY = 100;

async function main(): Promise<void> {
  const [contestant = 'sdk', provider = 'socotra', baseUrl = '', pageSizeText = '1000', warmupText = '100000'] = process.argv.slice(2);
  const bench = benchProvider(provider as ProviderName);
  const pageSize = Number(pageSizeText);
  const warmup = Number(warmupText);
  let events = 0;
  let base: NodeJS.MemoryUsage | undefined;
  let peakHeap = 0;
  let peakRss = 0;
  let peakLiveHeap = 0;
  let pages = 0;
  const sample = (): void => {
    if (base === undefined) {
      if (events < warmup) return;
      forceGc();
      base = process.memoryUsage();
      return;
    }
    const { heapUsed, rss } = process.memoryUsage();
    peakHeap = Math.max(peakHeap, heapUsed);
    peakRss = Math.max(peakRss, rss);
    pages += 1;
    if (pages % LIVE_EVERY === 0) {
      forceGc();
      peakLiveHeap = Math.max(peakLiveHeap, process.memoryUsage().heapUsed);
    }
  };
  const started = performance.now();
  if (contestant === 'sdk') {
    let id = 0;
    for await (const event of bench.list(baseUrl, pageSize, { rateLimit: { requests: Infinity } })) {
      id += event.id.length;
      events += 1;
      if (events % pageSize === 0) sample();
    }
    if (id === 0 && events > 0) throw new Error('events without ids');
  } else {
    for await (const page of rawPages(fetchTransport, baseUrl, bench.raw(), pageSize)) {
      events += page.length;
      sample();
    }
  }
  const ms = performance.now() - started;
  forceGc();
  const final = process.memoryUsage();
  if (base === undefined) throw new Error(`the stream ended (${events} events) before the warm-up of ${warmup} events`);
  const report: MemoryReport = {
    contestant,
    events,
    ms,
    baseHeap: base.heapUsed,
    baseRss: base.rss,
    peakLiveHeap: Math.max(peakLiveHeap, final.heapUsed),
    peakHeap: Math.max(peakHeap, final.heapUsed),
    peakRss: Math.max(peakRss, final.rss),
    finalHeap: final.heapUsed,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

await main();
