/**
 * Interleaved rounds: every round runs each contestant once, in an order that rotates from round to
 * round (so no contestant always runs first, on a cooler cache, or last), with garbage collected before
 * each run so one contestant's garbage is not collected on another's time. The first `warmup` rounds
 * are run and dropped: they fill the server's page cache and let the JIT settle.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface Contestant {
  readonly name: string;
  /** Runs once; resolves with the number of events (or items) it delivered. */
  run(): Promise<number>;
}

export interface RoundsOptions {
  rounds: number;
  /** @default 1 */
  warmup?: number;
  /** Called once the warm-up rounds are done, before the first measured round (to reset counters). */
  onWarm?: () => Promise<void>;
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
  const { rounds, warmup = 1 } = options;
  const series = new Map<string, Series>(contestants.map((contestant) => [contestant.name, { ms: [], events: [] }]));
  for (let round = 0; round < warmup + rounds; round++) {
    if (round === warmup) await options.onWarm?.();
    for (let i = 0; i < contestants.length; i++) {
      const contestant = contestants[(round + i) % contestants.length] as Contestant;
      forceGc();
      const started = performance.now();
      const events = await contestant.run();
      const ms = performance.now() - started;
      if (round < warmup) continue;
      const entry = series.get(contestant.name) as Series;
      entry.ms.push(ms);
      entry.events.push(events);
    }
  }
  return series;
}
