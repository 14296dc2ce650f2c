import { describe, expect, it } from 'vitest';
import { checkTargets } from '../../bench/targets.js';
import type { ThroughputResult } from '../../bench/scenarios/throughput.js';
import type { Summary } from '../../bench/stats.js';

const summary = (median: number): Summary => ({ median, min: median, max: median, n: 15 });

function throughput(pageSize: number, ratio: number): ThroughputResult {
  const result = { ms: summary(1), eventsPerSecond: 1 };
  return {
    provider: 'illumio',
    pageSize,
    events: 1000,
    pages: 1,
    setupMs: 0,
    sdk: result,
    fetch: result,
    http: result,
    sdkOverFetch: summary(ratio),
    sdkOverHttp: summary(ratio),
    fetchOverHttp: summary(1),
  };
}

describe('the targets', () => {
  it('hold throughput to 0.85 of the fetch loop at large pages and 0.75 at 100 a page', () => {
    const checks = checkTargets({ throughput: [throughput(1000, 1.17), throughput(1000, 1.19), throughput(100, 1.3), throughput(100, 1.4)] });
    expect(checks.map((check) => check.met)).toEqual([true, false, true, false]);
    expect(checks[1]?.margin).toBe('+1%');
  });

  it('read the cold import on Node 24 when it was measured, and say so when it was not', () => {
    const entry = (nodeVersion: string, median: number) => ({ node: 'node', nodeVersion, subpath: 'tributary/illumio', ms: summary(median) });
    const both = checkTargets({ coldImport: [entry('v20.20.2', 70), entry('v24.1.0', 55)] });
    expect(both).toHaveLength(1);
    expect(both[0]).toMatchObject({ met: true });
    const only20 = checkTargets({ coldImport: [entry('v20.20.2', 70)] });
    expect(only20[0]?.target).toContain('no Node 24');
    expect(only20[0]?.met).toBe(false);
  });

  it('fail a bundle that carries another provider even when it is small', () => {
    const base = { subpath: 'tributary/illumio', minifiedBytes: 1, gzipBytes: 1, ownMinifiedBytes: 1, dependencies: {}, ownFiles: {} };
    const [clean, foreign] = checkTargets({
      bundleSize: [
        { ...base, ownGzipBytes: 10 * 1024, foreign: [] },
        { ...base, ownGzipBytes: 10 * 1024, foreign: ['src/providers/tines/index.ts'] },
      ],
    });
    expect(clean?.met).toBe(true);
    expect(foreign?.met).toBe(false);
  });

  it('need both no 429 and three times the sequential loop for parallel offset paging', () => {
    const contestant = (name: string, speedup: number) => ({ name, ms: summary(1), speedup: summary(speedup) });
    const offset = (rateLimited: number, speedup: number) => ({
      target: 't',
      pages: 24,
      events: 2400,
      rateLimited,
      maxInFlight: 4,
      contestants: [contestant('sequential', 1), contestant('engine x1', 1), contestant('engine x4', speedup)],
    });
    expect(checkTargets({ offset: [offset(0, 3.1), offset(1, 3.1), offset(0, 2.9)] }).map((check) => check.met)).toEqual([true, false, false]);
  });
});
