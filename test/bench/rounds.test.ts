import { describe, expect, it } from 'vitest';
import { runRounds, schedule, type Contestant, type PlannedRun } from '../../bench/rounds.js';

const measuredOf = (runs: PlannedRun[], contestant: number) =>
  runs.filter((run) => run.contestant === contestant && run.phase === 'measured');

describe('the schedule of interleaved rounds', () => {
  it.each([
    [2, 15, 3],
    [3, 15, 3],
    [3, 16, 3],
    [4, 7, 2],
    [3, 1, 3],
  ])('%i contestants, %i rounds in blocks of %i: each is measured exactly that many times', (contestants, rounds, block) => {
    const runs = schedule(contestants, { rounds, block });
    for (let c = 0; c < contestants; c++) expect(measuredOf(runs, c)).toHaveLength(rounds);
  });

  it('runs the warm-up rounds first, each contestant once per round, none of them measured', () => {
    const runs = schedule(3, { rounds: 6, warmup: 2 });
    const warmup = runs.slice(0, 6);
    expect(warmup.every((run) => run.phase === 'warmup')).toBe(true);
    expect(new Set(warmup.slice(0, 3).map((run) => run.contestant))).toEqual(new Set([0, 1, 2]));
    expect(new Set(warmup.slice(3).map((run) => run.contestant))).toEqual(new Set([0, 1, 2]));
    expect(runs.slice(6).some((run) => run.phase === 'warmup')).toBe(false);
  });

  it('puts every measured run right after a run of the same contestant (what ran before changes a run)', () => {
    const runs = schedule(3, { rounds: 15 });
    runs.forEach((run, index) => {
      if (run.phase === 'measured') expect(runs[index - 1]?.contestant).toBe(run.contestant);
    });
    // A settling run begins every block: the first run after a change of contestant is never measured.
    runs.forEach((run, index) => {
      if (index > 0 && runs[index - 1]?.contestant !== run.contestant) expect(run.phase).not.toBe('measured');
    });
  });

  it('keeps the contestants alternating, rotating which goes first, and pairs k-th runs from the same turn', () => {
    const contestants = 3;
    const runs = schedule(contestants, { rounds: 15, warmup: 0, block: 3 });
    const settles = runs.map((run, index) => ({ run, index })).filter(({ run }) => run.phase === 'settle');
    const turns = settles.length / contestants;
    expect(turns).toBe(5);
    const firsts = Array.from({ length: turns }, (_, turn) => settles[turn * contestants]?.run.contestant);
    expect(firsts).toEqual([0, 1, 2, 0, 1]);
    // The turn of a run: how many settling runs came before it, per contestant.
    const turnOf = (index: number) => Math.floor((settles.filter((settle) => settle.index <= index).length - 1) / contestants);
    const measuredIndexes = (c: number) =>
      runs.map((run, index) => ({ run, index })).filter(({ run }) => run.contestant === c && run.phase === 'measured');
    for (let k = 0; k < 15; k++) {
      const turnsOfK = new Set([0, 1, 2].map((c) => turnOf(measuredIndexes(c)[k]?.index as number)));
      expect(turnsOfK.size).toBe(1);
    }
  });
});

describe('runRounds', () => {
  it('times only the measured runs, tells each run whether it counts, and resets counters once after the warm-up', async () => {
    const log: string[] = [];
    const contestant = (name: string, events: number): Contestant => ({
      name,
      run: (measured) => {
        log.push(`${name}:${measured ? 'm' : '-'}`);
        return Promise.resolve(events);
      },
    });
    const series = await runRounds([contestant('a', 10), contestant('b', 20)], {
      rounds: 4,
      block: 2,
      onWarm: () => {
        log.push('warm');
        return Promise.resolve();
      },
    });
    expect(log).toEqual([
      'a:-', 'b:-', 'warm',
      'a:-', 'a:m', 'a:m', 'b:-', 'b:m', 'b:m',
      'b:-', 'b:m', 'b:m', 'a:-', 'a:m', 'a:m',
    ]);
    expect(series.get('a')?.events).toEqual([10, 10, 10, 10]);
    expect(series.get('b')?.ms).toHaveLength(4);
  });
});
