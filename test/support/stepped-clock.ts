/**
 * A clock whose `now()` moves only by its own sleeps. A sleep still lasts its scaled time on the wall
 * (the limiter's own gate keeps `performance.now()`), but what a loaded machine adds to it, or to the
 * work between two sleeps, does not count: a pause's end or a window's places read from it stay where
 * the test put them however slowly it runs.
 */
import { scaledClock, type Clock } from '../../src/core/clock.js';

export interface SteppedClock extends Clock {
  /** The unscaled milliseconds of every sleep asked for, in order. */
  readonly slept: number[];
}

export function steppedClock(scale: number, start = Date.parse('2026-11-23T12:00:00.000Z')): SteppedClock {
  const wall = scaledClock(scale);
  let now = start;
  const slept: number[] = [];
  return {
    now: () => now,
    scale,
    slept,
    sleep: async (ms, signal) => {
      slept.push(ms);
      await wall.sleep(ms, signal);
      now += ms * scale;
    },
  };
}
