/**
 * `npm run bench`: tributary against the hand-written loops over the same emulated APIs, scenario by
 * scenario (the README's "Performance" section says what each measures and how to read it). Results go
 * to the console and to `bench/results.json`.
 *
 *   npm run bench                      # every scenario, 15 interleaved rounds (28 to 46 minutes)
 *   npm run bench -- --quick           # 3 rounds, smaller listings (about 1 minute)
 *   npm run bench -- --rounds 30 --events 200000 --only throughput --providers illumio
 *   npm run bench -- --only import --node /path/to/node24
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, UsageError, type BenchArgs } from './args.js';
import { buildPackage, ROOT } from './build.js';
import { benchProvider, BENCH_NOW } from './providers.js';
import { formatTargets, machine } from './report.js';
import { breakdown } from './scenarios/breakdown.js';
import { bundleSize } from './scenarios/bundle-size.js';
import { coldImport } from './scenarios/cold-import.js';
import { latency } from './scenarios/latency.js';
import { memory } from './scenarios/memory.js';
import { offset } from './scenarios/offset.js';
import { inProcess } from './scenarios/in-process.js';
import { requestCost } from './scenarios/request-cost.js';
import { throughput } from './scenarios/throughput.js';
import { spawnServer } from './server/client.js';
import { checkTargets, type Results } from './targets.js';

const SEED = 7;
/** Prefetch is the engine's, the same for every paging style: token and time-window paging stand for all. */
const LATENCY_PROVIDERS = ['socotra', 'illumio'] as const;

const log = (line: string): void => console.log(line);

async function run(args: BenchArgs, argv: readonly string[]): Promise<void> {
  const started = performance.now();
  const info = machine(argv);
  log(`tributary benchmark: ${info.cpu}, ${info.cores} cores, ${info.memoryGiB} GiB, Node ${info.node}, ${info.date}`);
  log(`${info.command}: ${args.rounds} rounds, ${args.events} events per drain\n`);
  const results: Results = {};
  const providers = args.providers.map(benchProvider);
  const wants = (scenario: BenchArgs['scenarios'][number]): boolean => args.scenarios.includes(scenario);
  const server = spawnServer();
  try {
    if (wants('throughput')) {
      log('1. Throughput: for await over every event, validation and normalization on');
      results.throughput = await throughput(
        server,
        { events: args.events, rounds: args.rounds, seed: SEED, now: BENCH_NOW, providers, pageSizes: [100, 'large'] },
        log,
      );
      log('\n1b. Where the time goes: one page in process, microseconds per event');
      results.breakdown = await breakdown(server, { providers, rounds: args.quick ? 1 : 3, seed: SEED, now: BENCH_NOW, stageMs: args.quick ? 30 : 100 }, log);
      log('\n1c. A page\'s period at 100 a page, split at the answer\'s headers: period = waiting for the headers + client time, microseconds');
      results.requestCost = await requestCost(
        server,
        { providers, rounds: args.rounds, seed: SEED, now: BENCH_NOW, pages: args.quick ? 100 : 300, pageSize: 100 },
        log,
      );
    }
    if (wants('in-process')) {
      log('\n1d. The loops of 1c in process: every answer recorded once and served from memory, microseconds a page');
      results.inProcess = await inProcess(
        server,
        { providers, rounds: args.rounds, seed: SEED, now: BENCH_NOW, pages: args.quick ? 100 : 1000, pageSize: 100 },
        log,
      );
    }
    if (wants('latency')) {
      log('\n2. Latency hiding: 20 ms per answer, 10 ms of consumer work per page, 100 events a page');
      const chosen = providers.filter((provider) => (LATENCY_PROVIDERS as readonly string[]).includes(provider.name));
      results.latency = [];
      for (const kind of ['cpu', 'io'] as const) {
        results.latency.push(
          ...(await latency(
            server,
            {
              providers: chosen.length > 0 ? chosen : providers.slice(0, 1),
              rounds: args.rounds,
              seed: SEED,
              now: BENCH_NOW,
              latencyMs: 20,
              work: { kind, ms: 10 },
              pages: args.quick ? 8 : 24,
              pageSize: 100,
            },
            log,
          )),
        );
      }
    }
    if (wants('offset')) {
      log('\n3. Offset paging, 20 ms per answer, under the rate limit (clock 10,000 times faster)');
      results.offset = await offset(
        server,
        { rounds: args.rounds, seed: SEED, now: BENCH_NOW, latencyMs: 20, pageSize: 100, pages: args.quick ? 12 : 24, scale: 1e-4, concurrency: 4 },
        log,
      );
    }
    if (wants('memory')) {
      log(`\n4. Memory: ${args.memoryEvents} events streamed (socotra, 1000 a page)`);
      results.memory = await memory(
        server,
        { provider: benchProvider('socotra'), events: args.memoryEvents, pageSize: 1000, warmupEvents: Math.round(args.memoryEvents / 10), seed: SEED, now: BENCH_NOW },
        log,
      );
    }
  } finally {
    await server.stop();
  }
  if (wants('import') || wants('size')) await buildPackage(log);
  if (wants('import')) {
    log('\n5. Cold import of each subpath (fresh process, built package)');
    results.coldImport = await coldImport({ rounds: args.rounds, nodes: [process.execPath, ...args.nodes] }, log);
  }
  if (wants('size')) {
    log('\n6. App bundle per subpath (esbuild, minified, gzip -9)');
    results.bundleSize = await bundleSize(log);
  }
  const targets = checkTargets(results);
  log('\nTargets');
  for (const line of formatTargets(targets)) log(line);
  const seconds = (performance.now() - started) / 1000;
  writeFileSync(args.out, `${JSON.stringify({ machine: info, settings: args, seconds, results, targets }, null, 2)}\n`);
  log(`\n${targets.filter((check) => check.met).length} of ${targets.length} targets met; ${seconds.toFixed(0)} s; results in ${args.out}`);
}

const argv = process.argv.slice(2);
try {
  await run(parseArgs(argv, join(ROOT, 'bench', 'results.json')), argv);
} catch (error) {
  console.error(error instanceof UsageError ? `bench: ${error.message}` : error);
  process.exitCode = error instanceof UsageError ? 2 : 1;
}
