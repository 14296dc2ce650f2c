/**
 * Scenario 1b: where an SDK page's time goes, per event, in process and without the network: one real
 * page of each vendor (from its emulator, at the large page size) through `JSON.parse`, the response
 * schema, the normalizer, and the pagination engine's `for await` over in-memory pages of the same
 * size. Compare each figure with `JSON.parse`, which the hand-written loop pays too.
 */
import { paginate } from '../../src/core/paginate/paginate.js';
import { responseCheck } from '../../src/core/response-schema.js';
import type { PagingStrategy } from '../../src/core/paginate/types.js';
import { PIPELINES } from '../pipeline.js';
import type { BenchProvider } from '../providers.js';
import type { ServerHandle } from '../server/client.js';
import { summarize } from '../stats.js';

export interface BreakdownSettings {
  providers: readonly BenchProvider[];
  rounds: number;
  seed: number;
  now: number;
  /** Milliseconds each stage is repeated for, per round. */
  stageMs: number;
}

export interface BreakdownResult {
  provider: string;
  pageSize: number;
  bytesPerEvent: number;
  /** Microseconds per delivered event, medians over the rounds. */
  jsonParseUs: number;
  schemaUs: number;
  normalizeUs: number;
  engineUs: number;
}

/** Milliseconds per call of `fn`, repeated for at least `ms` (and 5 calls). */
function timePerCall(fn: () => unknown, ms: number): number {
  let calls = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < ms || calls < 5) {
    fn();
    calls += 1;
    elapsed = performance.now() - started;
  }
  return elapsed / calls;
}

async function timePerCallAsync(fn: () => Promise<unknown>, ms: number): Promise<number> {
  let calls = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < ms || calls < 5) {
    await fn();
    calls += 1;
    elapsed = performance.now() - started;
  }
  return elapsed / calls;
}

/** `pages` in-memory pages of `items` through the engine, drained by `for await` over items. */
async function drainEngine(items: unknown[], pages: number): Promise<number> {
  const strategy: PagingStrategy<unknown, { p: number }> = {
    kind: 'token',
    initial: () => ({ p: 0 }),
    validate: (state) => state as { p: number },
    fetch: async (state) => ({ items, state: { p: state.p + 1 }, done: state.p + 1 >= pages }),
  };
  let count = 0;
  for await (const item of paginate({ provider: 'socotra', operation: 'bench', query: {}, strategy, normalize: (page) => page, pageSize: items.length })) {
    if (item !== undefined) count += 1;
  }
  return count;
}

export async function breakdown(server: ServerHandle, settings: BreakdownSettings, log: (line: string) => void): Promise<BreakdownResult[]> {
  const results: BreakdownResult[] = [];
  for (const provider of settings.providers) {
    const pageSize = provider.largePage;
    const { url } = await server.start({ ...provider.server(pageSize * 2), seed: settings.seed, now: settings.now, scale: 1, cache: false });
    const request = provider.raw().first(pageSize);
    const response = await fetch(url + request.path, {
      method: request.method,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
    });
    const text = await response.text();
    const { schema, normalize } = PIPELINES[provider.name];
    const parsed: unknown = JSON.parse(text);
    // The schema as the request pipeline runs it: compiled, and validated in place where it only checks.
    const check = responseCheck(schema);
    const checked = check.run(parsed);
    if (!checked.ok) throw new Error(`${provider.name}: the emulator's page does not match the response schema`);
    const validated: unknown = checked.data;
    const events = normalize(validated);
    const n = events.length;
    const stages = { parse: [] as number[], schema: [] as number[], normalize: [] as number[], engine: [] as number[] };
    for (let round = 0; round < settings.rounds; round++) {
      stages.parse.push(timePerCall(() => JSON.parse(text), settings.stageMs) / n);
      stages.schema.push(timePerCall(() => check.run(parsed), settings.stageMs) / n);
      stages.normalize.push(timePerCall(() => normalize(validated), settings.stageMs) / n);
      stages.engine.push((await timePerCallAsync(() => drainEngine(events, 10), settings.stageMs)) / (10 * n));
    }
    const us = (values: number[]) => summarize(values).median * 1000;
    const result: BreakdownResult = {
      provider: provider.name,
      pageSize,
      bytesPerEvent: Math.round(Buffer.byteLength(text) / n),
      jsonParseUs: us(stages.parse),
      schemaUs: us(stages.schema),
      normalizeUs: us(stages.normalize),
      engineUs: us(stages.engine),
    };
    results.push(result);
    log(
      `  ${provider.name.padEnd(11)} ${String(pageSize).padStart(4)}/page, ${result.bytesPerEvent} B/event: JSON.parse ${result.jsonParseUs.toFixed(2)} us, ` +
        `schema ${result.schemaUs.toFixed(2)} us, normalize ${result.normalizeUs.toFixed(2)} us, engine ${result.engineUs.toFixed(2)} us per event`,
    );
  }
  return results;
}
