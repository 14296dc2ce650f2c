/**
 * The benchmark's ratios mean something only if the hand-written loops read what the SDK reads: for
 * every vendor, over the same emulator, both raw loops and the SDK deliver the same events.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { scaledClock } from '../../src/core/clock.js';
import type { TributaryEvent } from '../../src/core/event.js';
import { drainRaw } from '../../bench/drain.js';
import { BENCH_NOW, PROVIDERS, type BenchProvider } from '../../bench/providers.js';
import { fetchTransport, httpTransport, kyTransport, rawPages } from '../../bench/raw.js';
import { createBenchEmulator } from '../../bench/server/emulator.js';
import { startPageServer, type PageServer } from '../../bench/server/page-server.js';

let server: PageServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(provider: BenchProvider, events: number): Promise<string> {
  const emulator = createBenchEmulator({ ...provider.server(events), seed: 3, now: BENCH_NOW, scale: 1 });
  server = await startPageServer(emulator.handle, scaledClock(1), false);
  return server.url;
}

/** The vendor's own id of a raw event, as the normalized `id` carries it (FUJITSU has none: content). */
const RAW_IDS: Record<string, ((event: Record<string, unknown>) => string) | undefined> = {
  socotra: (event) => String(event['locator']),
  tines: (event) => String(event['id']),
  illumio: (event) => String(event['href']),
  informatica: (event) => String(event['eventId']),
  fujitsu: undefined,
};

describe.each(PROVIDERS.map((provider) => [provider.name, provider] as const))('%s baselines', (name, provider) => {
  it('the fetch loop, the node:http loop, the ky loop and the SDK deliver the same events over several pages', async () => {
    const url = await serve(provider, 1000);
    const pageSize = 100;
    const sdk: TributaryEvent[] = [];
    for await (const event of provider.list(url, pageSize, { rateLimit: false })) sdk.push(event);
    const raw: unknown[] = [];
    let pages = 0;
    for await (const page of rawPages(fetchTransport, url, provider.raw(), pageSize)) {
      raw.push(...page);
      pages += 1;
    }
    expect(pages).toBeGreaterThanOrEqual(4);
    expect(raw.length).toBe(sdk.length);
    expect(await drainRaw(httpTransport(), url, provider.raw(), pageSize)).toBe(sdk.length);
    expect(await drainRaw(kyTransport(), url, provider.raw(), pageSize)).toBe(sdk.length);
    const rawId = RAW_IDS[name];
    if (rawId) {
      const sdkIds = sdk.map((event) => event.id).sort();
      const rawIds = raw.map((event) => rawId(event as Record<string, unknown>)).sort();
      expect(rawIds).toEqual(sdkIds);
      expect(new Set(sdkIds).size).toBe(sdkIds.length);
    } else {
      expect(new Set(raw.map((event) => JSON.stringify(event))).size).toBe(raw.length);
    }
  });
});
