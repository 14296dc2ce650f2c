/**
 * Scenario 4: memory while streaming. A listing of a million events is drained in a fresh process by
 * the SDK (`for await` over events) and by the hand-written `fetch` loop; heap and RSS are sampled
 * every page after a warm-up, against the garbage-collected values at the end of the warm-up.
 */
import { fileURLToPath } from 'node:url';
import { lastJsonLine, runNode } from '../child.js';
import type { BenchProvider } from '../providers.js';
import type { ServerHandle } from '../server/client.js';
import type { MemoryReport } from './memory-child.js';

const CHILD = fileURLToPath(new URL('./memory-child.ts', import.meta.url));
const MIB = 1024 * 1024;

export interface MemorySettings {
  provider: BenchProvider;
  events: number;
  pageSize: number;
  warmupEvents: number;
  seed: number;
  now: number;
}

export interface MemoryResult {
  provider: string;
  contestant: string;
  events: number;
  seconds: number;
  /** Live heap (right after each collection) at its highest after the warm-up, minus the heap at the end of it, in MiB. */
  heapGrowthMiB: number;
  /** Peak heap used including garbage not yet collected, minus the same reference, in MiB. */
  peakHeapGrowthMiB: number;
  /** What stayed: the heap at the end (collected) minus the heap after the warm-up (collected), in MiB. */
  retainedMiB: number;
  /** Peak RSS after the warm-up minus RSS at the end of it, in MiB. */
  rssGrowthMiB: number;
  peakRssMiB: number;
}

export async function memory(server: ServerHandle, settings: MemorySettings, log: (line: string) => void): Promise<MemoryResult[]> {
  const { provider } = settings;
  // Pages are served as the emulator computes them: kept pages would only grow the server.
  const { url, setupMs } = await server.start({ ...provider.server(settings.events), seed: settings.seed, now: settings.now, scale: 1, cache: false });
  log(`  ${provider.name} emulator with ${settings.events} events ready in ${(setupMs / 1000).toFixed(1)} s`);
  const results: MemoryResult[] = [];
  for (const contestant of ['sdk', 'fetch']) {
    const run = await runNode(process.execPath, [
      '--import',
      'tsx',
      CHILD,
      contestant,
      provider.name,
      url,
      String(settings.pageSize),
      String(settings.warmupEvents),
    ]);
    const report = lastJsonLine<MemoryReport>(run, `the memory run of ${contestant}`);
    const result: MemoryResult = {
      provider: provider.name,
      contestant,
      events: report.events,
      seconds: report.ms / 1000,
      heapGrowthMiB: (report.peakLiveHeap - report.baseHeap) / MIB,
      peakHeapGrowthMiB: (report.peakHeap - report.baseHeap) / MIB,
      retainedMiB: (report.finalHeap - report.baseHeap) / MIB,
      rssGrowthMiB: (report.peakRss - report.baseRss) / MIB,
      peakRssMiB: report.peakRss / MIB,
    };
    results.push(result);
    log(
      `  ${contestant.padEnd(5)} ${result.events} events in ${result.seconds.toFixed(1)} s: live heap growth ${result.heapGrowthMiB.toFixed(1)} MiB ` +
        `(with garbage ${result.peakHeapGrowthMiB.toFixed(1)}, retained at the end ${result.retainedMiB.toFixed(1)}), RSS growth ${result.rssGrowthMiB.toFixed(1)} MiB (peak ${result.peakRssMiB.toFixed(0)} MiB)`,
    );
  }
  return results;
}
