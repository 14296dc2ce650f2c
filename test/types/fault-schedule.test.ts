/**
 * A fault's schedule is one of `{ every }`, `{ probability, seed? }` and `{ once: true, after? }`. A
 * schedule that mixes them compiled, and the emulator read only the first it knew (`{ every: 3,
 * probability: 0.1 }` fired every third request): mixing them no longer compiles.
 * `npx tsc --noEmit -p .` checks the `@ts-expect-error` lines; the test runs the accepted schedules.
 */
import { describe, expect, it } from 'vitest';
import { createEmulator, type FaultSchedule } from 'tributary/testing';

describe('fault schedules', () => {
  it('that mix two kinds do not compile', () => {
    const refused: unknown[] = [
      // @ts-expect-error every n-th, or at a probability
      { every: 3, probability: 0.1 } satisfies FaultSchedule,
      // @ts-expect-error every n-th, or once
      { every: 3, once: true } satisfies FaultSchedule,
      // @ts-expect-error after belongs to once
      { every: 3, after: 2 } satisfies FaultSchedule,
      // @ts-expect-error seed belongs to probability
      { once: true, seed: 7 } satisfies FaultSchedule,
    ];
    expect(refused).toHaveLength(4);
  });

  it('of one kind compile and fire as they say', async () => {
    const schedules: FaultSchedule[] = [{ every: 2 }, { probability: 1, seed: 7 }, { once: true, after: 1 }, { probability: 0, seed: undefined }];
    const fired: number[][] = [];
    for (const schedule of schedules) {
      const emulator = createEmulator('generic', { events: 1 });
      emulator.faults.add({ kind: 'status', status: 503, schedule });
      const statuses: number[] = [];
      for (let index = 0; index < 4; index++) statuses.push((await emulator.fetch('http://127.0.0.1/events')).status);
      fired.push(statuses.map((status) => (status === 503 ? 1 : 0)));
    }
    expect(fired).toEqual([
      [0, 1, 0, 1],
      [1, 1, 1, 1],
      [0, 1, 0, 0],
      [0, 0, 0, 0],
    ]);
  });
});
