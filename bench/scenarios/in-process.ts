/**
 * Scenario 1d: the loops of 1c without the socket. Every answer of the emulator server is recorded on
 * its first request and served again from memory by a `fetch` that builds a `Response` from the kept
 * text, so no server, socket or undici connection is in the loop: what is left is each client's own
 * work per page. Four contestants drain the same pages: the hand-written `fetch` loop, the same loop
 * through ky called as the SDK calls it, the SDK through `for await` over events, and the SDK through
 * `byPage()` (what `for await` over events costs on top of pages).
 */
import { drainRaw, drainSdk, drainSdkPages } from '../drain.js';
import type { BenchProvider } from '../providers.js';
import { fetchTransport, kyTransport } from '../raw.js';
import { runRounds } from '../rounds.js';
import type { RequestCostSettings } from './request-cost.js';
import type { ServerHandle } from '../server/client.js';
import { pairedRatio, summarize } from '../stats.js';
import { THROUGHPUT_CLIENT } from './throughput.js';

/** The same listings as scenario 1c's: `pages` pages of `pageSize` per drain. */
export type InProcessSettings = RequestCostSettings;

export interface InProcessResult {
  provider: string;
  pageSize: number;
  /** Microseconds per page, medians over the rounds. */
  fetchUs: number;
  kyUs: number;
  sdkUs: number;
  sdkPagesUs: number;
  /** Paired per round, medians. */
  kyOverFetch: number;
  sdkOverKy: number;
}

interface Recorded {
  status: number;
  statusText: string;
  headers: Array<[string, string]>;
  body: string;
}

/**
 * A `fetch` that sends each distinct request (method, URL, body) once through `original` and answers
 * it from memory afterwards, as a new `Response` every time (a body can be read once).
 */
export function replayingFetch(original: typeof fetch): typeof fetch {
  const recorded = new Map<string, Recorded>();
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    const key = `${method} ${url} ${typeof init?.body === 'string' ? init.body : ''}`;
    let answer = recorded.get(key);
    if (answer === undefined) {
      const response = await original(input, init);
      const headers: Array<[string, string]> = [];
      response.headers.forEach((value, name) => headers.push([name, value]));
      answer = { status: response.status, statusText: response.statusText, headers, body: await response.text() };
      recorded.set(key, answer);
    }
    return new Response(answer.body, { status: answer.status, statusText: answer.statusText, headers: answer.headers });
  };
}

export async function inProcess(server: ServerHandle, settings: InProcessSettings, log: (line: string) => void): Promise<InProcessResult[]> {
  const results: InProcessResult[] = [];
  const original = globalThis.fetch;
  try {
    for (const provider of settings.providers) {
      const { pageSize } = settings;
      const { url } = await server.start({ ...provider.server(pageSize * settings.pages), seed: settings.seed, now: settings.now, scale: 1, cache: true });
      // A recorder per listing: the raw loops and the SDK look `fetch` up per request.
      globalThis.fetch = replayingFetch(original);
      const viaKy = kyTransport();
      const series = await runRounds(
        [
          { name: 'fetch', run: () => drainRaw(fetchTransport, url, provider.raw(), pageSize) },
          { name: 'ky', run: () => drainRaw(viaKy, url, provider.raw(), pageSize) },
          { name: 'sdk', run: () => drainSdk(provider.list(url, pageSize, THROUGHPUT_CLIENT)) },
          { name: 'pages', run: () => drainSdkPages(provider.list(url, pageSize, THROUGHPUT_CLIENT)) },
        ],
        // The warm-up round records every answer: nothing measured reaches the server.
        { rounds: settings.rounds },
      );
      const ms = (name: string): number[] => series.get(name)?.ms ?? [];
      const perPage = (name: string): number => (summarize(ms(name)).median * 1000) / settings.pages;
      const result: InProcessResult = {
        provider: provider.name,
        pageSize,
        fetchUs: perPage('fetch'),
        kyUs: perPage('ky'),
        sdkUs: perPage('sdk'),
        sdkPagesUs: perPage('pages'),
        kyOverFetch: pairedRatio(ms('ky'), ms('fetch')).median,
        sdkOverKy: pairedRatio(ms('sdk'), ms('ky')).median,
      };
      results.push(result);
      const us = (value: number) => value.toFixed(0).padStart(4);
      log(
        `  ${provider.name.padEnd(11)} ${String(pageSize).padStart(4)}/page  fetch ${us(result.fetchUs)}  ky ${us(result.kyUs)}  ` +
          `sdk ${us(result.sdkUs)} (byPage ${us(result.sdkPagesUs)})  ky/fetch ${result.kyOverFetch.toFixed(2)}  sdk/ky ${result.sdkOverKy.toFixed(2)}`,
      );
    }
  } finally {
    globalThis.fetch = original;
  }
  return results;
}
