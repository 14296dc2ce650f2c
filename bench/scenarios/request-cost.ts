/**
 * Scenario 1c: where a page's fixed cost goes, at 100 events a page, where it weighs most. Every call of
 * `fetch` is timed (when it is called, when its answer's headers are in), so each page's period (one
 * call of `fetch` to the next) splits in two: waiting for the answer's headers (the server, the network,
 * undici sending the request and parsing the status line) and the client's own time (reading and parsing
 * the body, handing the events over, building the next request). Three clients drain the same pages:
 * the hand-written `fetch` loop, the same loop through ky called as the SDK calls it (the HTTP
 * library DESIGN.md prescribes), and the SDK.
 */
import { drainRaw, drainSdk } from '../drain.js';
import type { BenchProvider } from '../providers.js';
import { fetchTransport, kyTransport } from '../raw.js';
import { runRounds, type Contestant } from '../rounds.js';
import type { ServerHandle } from '../server/client.js';
import { summarize } from '../stats.js';
import { THROUGHPUT_CLIENT } from './throughput.js';

export interface RequestCostSettings {
  providers: readonly BenchProvider[];
  rounds: number;
  seed: number;
  now: number;
  /** Pages a drain reads. */
  pages: number;
  pageSize: number;
}

/**
 * Microseconds per page, medians over the rounds. A client with more than one request in flight (the
 * SDK on offset paging) has no such split: its `headersUs` and `clientUs` are `null`.
 */
export interface PageCost {
  periodUs: number;
  headersUs: number | null;
  clientUs: number | null;
  /** Most requests in flight at once. */
  inFlight: number;
}

export interface RequestCostResult {
  provider: string;
  pageSize: number;
  fetch: PageCost;
  ky: PageCost;
  sdk: PageCost;
}

/** One call of `fetch`: when it was made, and when its answer's headers came back (if they did). */
interface ProbedCall {
  at: number;
  headersAt?: number;
}

/** The calls of `fetch` during one drain. */
export interface Probe {
  calls: ProbedCall[];
  inFlight: number;
  maxInFlight: number;
}

/** Replaces `globalThis.fetch` with a timed one (the SDK and ky look it up per request); returns the restore. */
function installProbe(probe: () => Probe | undefined): () => void {
  const original = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const current = probe();
    const call: ProbedCall = { at: performance.now() };
    if (current) {
      current.calls.push(call);
      current.inFlight += 1;
      current.maxInFlight = Math.max(current.maxInFlight, current.inFlight);
    }
    try {
      const response = await original(input, init);
      call.headersAt = performance.now();
      return response;
    } finally {
      if (current) current.inFlight -= 1;
    }
  };
  return () => {
    globalThis.fetch = original;
  };
}

export function pageCost(probe: Probe): PageCost {
  const { calls, maxInFlight } = probe;
  const pages = calls.length - 1;
  if (pages < 1) throw new Error('a drain of one request has no period');
  const periodUs = (((calls[pages] as ProbedCall).at - (calls[0] as ProbedCall).at) / pages) * 1000;
  if (maxInFlight > 1) return { periodUs, headersUs: null, clientUs: null, inFlight: maxInFlight };
  let waited = 0;
  for (let i = 0; i < pages; i++) {
    const call = calls[i] as ProbedCall;
    waited += (call.headersAt ?? call.at) - call.at;
  }
  const headersUs = (waited / pages) * 1000;
  return { periodUs, headersUs, clientUs: periodUs - headersUs, inFlight: 1 };
}

export async function requestCost(server: ServerHandle, settings: RequestCostSettings, log: (line: string) => void): Promise<RequestCostResult[]> {
  const results: RequestCostResult[] = [];
  let current: Probe | undefined;
  const restore = installProbe(() => current);
  try {
    for (const provider of settings.providers) {
      const { pageSize } = settings;
      const { url } = await server.start({ ...provider.server(pageSize * settings.pages), seed: settings.seed, now: settings.now, scale: 1, cache: true });
      const probes = new Map<string, Probe[]>();
      const probed = (name: string, run: () => Promise<number>): Contestant => ({
        name,
        run: async (measured) => {
          if (!measured) return run();
          current = { calls: [], inFlight: 0, maxInFlight: 0 };
          const list = probes.get(name) ?? [];
          list.push(current);
          probes.set(name, list);
          try {
            return await run();
          } finally {
            current = undefined;
          }
        },
      });
      const viaKy = kyTransport();
      await runRounds(
        [
          probed('fetch', () => drainRaw(fetchTransport, url, provider.raw(), pageSize)),
          probed('ky', () => drainRaw(viaKy, url, provider.raw(), pageSize)),
          probed('sdk', () => drainSdk(provider.list(url, pageSize, THROUGHPUT_CLIENT))),
        ],
        { rounds: settings.rounds },
      );
      const median = (name: string): PageCost => {
        const costs = (probes.get(name) ?? []).map(pageCost);
        const split = (pick: (cost: PageCost) => number | null): number | null => {
          const values = costs.map(pick);
          return values.every((value): value is number => value !== null) ? summarize(values).median : null;
        };
        return {
          periodUs: summarize(costs.map((cost) => cost.periodUs)).median,
          headersUs: split((cost) => cost.headersUs),
          clientUs: split((cost) => cost.clientUs),
          inFlight: Math.max(...costs.map((cost) => cost.inFlight)),
        };
      };
      const result: RequestCostResult = { provider: provider.name, pageSize, fetch: median('fetch'), ky: median('ky'), sdk: median('sdk') };
      results.push(result);
      const show = (cost: PageCost) =>
        cost.headersUs === null || cost.clientUs === null
          ? `${cost.periodUs.toFixed(0).padStart(4)} (up to ${cost.inFlight} requests in flight)`
          : `${cost.periodUs.toFixed(0).padStart(4)} = ${cost.headersUs.toFixed(0).padStart(3)} + ${cost.clientUs.toFixed(0).padStart(3)}`;
      log(`  ${provider.name.padEnd(11)} ${String(pageSize).padStart(4)}/page  fetch ${show(result.fetch)}  ky ${show(result.ky)}  sdk ${show(result.sdk)}`);
    }
  } finally {
    restore();
  }
  return results;
}
