/**
 * Interleaved rounds, each measured run after a run of its own. A run leaves the process in a state
 * that speeds up or slows down the run after it, whoever that is: measured on Socotra at 1000 a page
 * (15 rounds, milliseconds, each run by what ran before it), the fetch loop took 360 after itself, 320
 * after the SDK and 410 after the `node:http` loop; the SDK 443 after itself, 470 after the `node:http`
 * loop and 490 after the fetch loop. With one run of each contestant per rotating round, the SDK ran
 * after the `node:http` loop two rounds in three and the fetch loop after the SDK two in three: its
 * ratio read 1.45 to 1.50 where the steady state of each (what a process that runs only that loop sees)
 * gives 1.14 to 1.18.
 *
 * So every contestant runs in blocks: one unmeasured run to settle, then `block` measured runs in a row
 * (one by default), each after a run of its own; the blocks rotate through the contestants (no
 * contestant always first), so that they still alternate and share the machine's drift, and the k-th
 * measured runs of every contestant, the ones paired into ratios, come from the same turn. Garbage is
 * collected before every run so that one run's garbage is not collected on another's time. The first
 * `warmup` rounds (one run of each) come before everything and are dropped: they fill the server's page
 * cache and let the JIT settle.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface Contestant {
  readonly name: string;
  /** Runs once; resolves with the number of events (or items) it delivered. `measured`: this run's time counts. */
  run(measured: boolean): Promise<number>;
}

export interface RoundsOptions {
  rounds: number;
  /** @default 1 */
  warmup?: number;
  /** Called once the warm-up rounds are done, before the first block (to reset counters). */
  onWarm?: () => Promise<void>;
  /**
   * Measured runs in a row per contestant, after its settling run. One keeps every measured run in a
   * turn of its own, so that `rounds` measured runs are `rounds` interleaved rounds.
   * @default 1
   */
  block?: number;
}

/** One run of the schedule: which contestant, and what the run is for (only `measured` runs count). */
export interface PlannedRun {
  contestant: number;
  phase: 'warmup' | 'settle' | 'measured';
}

/** The order of every run: the warm-up rounds, then the rotating blocks (see the top of this file). */
export function schedule(contestants: number, options: Pick<RoundsOptions, 'rounds' | 'warmup' | 'block'>): PlannedRun[] {
  const { rounds, warmup = 1, block = 1 } = options;
  const runs: PlannedRun[] = [];
  for (let round = 0; round < warmup; round++) {
    for (let i = 0; i < contestants; i++) runs.push({ contestant: (round + i) % contestants, phase: 'warmup' });
  }
  for (let turn = 0; turn * block < rounds; turn++) {
    const measured = Math.min(block, rounds - turn * block);
    for (let i = 0; i < contestants; i++) {
      const contestant = (turn + i) % contestants;
      runs.push({ contestant, phase: 'settle' });
      for (let j = 0; j < measured; j++) runs.push({ contestant, phase: 'measured' });
    }
  }
  return runs;
}

export interface Series {
  /** Wall milliseconds of each measured round. */
  ms: number[];
  /** Events delivered in each measured round. */
  events: number[];
}

let collect: (() => void) | undefined;

/** `gc()` without `--expose-gc` on the command line (`npm run bench` runs plain `node`). */
export function forceGc(): void {
  if (!collect) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
}

export async function runRounds(contestants: readonly Contestant[], options: RoundsOptions): Promise<Map<string, Series>> {
  const series = new Map<string, Series>(contestants.map((contestant) => [contestant.name, { ms: [], events: [] }]));
  let warm = false;
  for (const { contestant: index, phase } of schedule(contestants.length, options)) {
    if (phase !== 'warmup' && !warm) {
      warm = true;
      await options.onWarm?.();
    }
    const measured = phase === 'measured';
    const contestant = contestants[index] as Contestant;
    forceGc();
    const started = performance.now();
    const events = await contestant.run(measured);
    const ms = performance.now() - started;
    if (!measured) continue;
    const entry = series.get(contestant.name) as Series;
    entry.ms.push(ms);
    entry.events.push(events);
  }
  return series;
}
