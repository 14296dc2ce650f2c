/**
 * The issue's targets, read from the measurements. They are goals for the code, reported with the
 * margin by which they are met or missed; nothing here fails the run.
 */
import type { BreakdownResult } from './scenarios/breakdown.js';
import type { ColdImportResult } from './scenarios/cold-import.js';
import type { BundleSizeResult } from './scenarios/bundle-size.js';
import type { InProcessResult } from './scenarios/in-process.js';
import type { LatencyResult } from './scenarios/latency.js';
import type { MemoryResult } from './scenarios/memory.js';
import type { OffsetResult } from './scenarios/offset.js';
import type { RequestCostResult } from './scenarios/request-cost.js';
import type { ThroughputResult } from './scenarios/throughput.js';

export interface TargetCheck {
  target: string;
  measured: string;
  goal: string;
  met: boolean;
  /** How far from the goal, as the goal's unit says it. */
  margin: string;
}

export interface Results {
  throughput?: ThroughputResult[];
  breakdown?: BreakdownResult[];
  requestCost?: RequestCostResult[];
  inProcess?: InProcessResult[];
  latency?: LatencyResult[];
  offset?: OffsetResult[];
  memory?: MemoryResult[];
  coldImport?: ColdImportResult[];
  bundleSize?: BundleSizeResult[];
}

const pct = (value: number): string => `${value >= 0 ? '+' : ''}${(value * 100).toFixed(0)}%`;

/** A time ratio (lower is better) against its ceiling. */
function ratioCheck(target: string, ratio: number, ceiling: number): TargetCheck {
  return {
    target,
    measured: `time ratio ${ratio.toFixed(3)} (throughput ${(1 / ratio).toFixed(2)} of the fetch loop)`,
    goal: `<= ${ceiling.toFixed(3)}`,
    met: ratio <= ceiling,
    margin: pct(ratio / ceiling - 1),
  };
}

export function checkTargets(results: Results): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const entry of results.throughput ?? []) {
    const large = entry.pageSize >= 500;
    const ceiling = large ? 1 / 0.85 : 1 / 0.75;
    checks.push(ratioCheck(`throughput ${entry.provider} ${entry.pageSize}/page vs fetch loop`, entry.sdkOverFetch.median, ceiling));
  }
  for (const entry of results.latency ?? []) {
    const ratio = entry.sdkOverBound.median;
    checks.push({
      target: `latency hiding ${entry.provider}, ${entry.work} work`,
      measured: `${entry.sdkPerPage.median.toFixed(1)} ms/page = ${ratio.toFixed(2)} x max(latency+transfer, work)`,
      goal: '<= 1.10 x',
      met: ratio <= 1.1,
      margin: pct(ratio / 1.1 - 1),
    });
  }
  for (const entry of results.offset ?? []) {
    const best = entry.contestants.slice(1).reduce((a, b) => (b.speedup.median > a.speedup.median ? b : a));
    checks.push({
      target: `parallel offset paging: ${entry.target}`,
      measured: `${best.name} ${best.speedup.median.toFixed(2)}x sequential, ${entry.rateLimited} x 429`,
      goal: '>= 3x, no 429',
      met: best.speedup.median >= 3 && entry.rateLimited === 0,
      margin: pct(best.speedup.median / 3 - 1),
    });
  }
  for (const entry of (results.memory ?? []).filter((m) => m.contestant === 'sdk')) {
    checks.push({
      target: `memory, ${entry.events} events (${entry.provider}): heap growth`,
      measured: `${entry.heapGrowthMiB.toFixed(1)} MiB live (${entry.peakHeapGrowthMiB.toFixed(1)} MiB with garbage)`,
      goal: '< 32 MiB',
      met: entry.heapGrowthMiB < 32,
      margin: pct(entry.heapGrowthMiB / 32 - 1),
    });
    checks.push({
      target: `memory, ${entry.events} events (${entry.provider}): RSS growth after warm-up`,
      measured: `${entry.rssGrowthMiB.toFixed(1)} MiB`,
      goal: '< 64 MiB',
      met: entry.rssGrowthMiB < 64,
      margin: pct(entry.rssGrowthMiB / 64 - 1),
    });
  }
  const imports = (results.coldImport ?? []).filter((entry) => entry.subpath === 'tributary/illumio');
  const node24 = imports.filter((entry) => entry.nodeVersion.startsWith('v24.'));
  for (const entry of node24.length > 0 ? node24 : imports) {
    checks.push({
      target: `cold import('tributary/illumio') on ${entry.nodeVersion}${node24.length > 0 ? '' : ' (no Node 24 given: --node)'}`,
      measured: `${entry.ms.median.toFixed(1)} ms`,
      goal: '< 60 ms',
      met: entry.ms.median < 60,
      margin: pct(entry.ms.median / 60 - 1),
    });
  }
  for (const entry of (results.bundleSize ?? []).filter((b) => b.subpath !== 'tributary/testing')) {
    const kib = entry.ownGzipBytes / 1024;
    checks.push({
      target: `app bundle ${entry.subpath}: tributary's own code`,
      measured: `${kib.toFixed(1)} KiB gz${entry.foreign.length > 0 ? `, ${entry.foreign.length} foreign files` : ', no other provider or testing code'}`,
      goal: '<= 12 KiB gz, nothing foreign',
      met: kib <= 12 && entry.foreign.length === 0,
      margin: pct(kib / 12 - 1),
    });
  }
  return checks;
}
