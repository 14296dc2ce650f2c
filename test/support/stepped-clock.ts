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

const START = Date.parse('2026-11-23T12:00:00.000Z');

export function steppedClock(scale: number, start = START): SteppedClock {
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

/**
 * A clock at scale 1 whose sleeps take no wall time at all (a turn of the event loop), `now()` moved by
 * them alone: requests sent one after another without a wait are at one instant for an emulator's
 * window on it however slowly a loaded machine sends them, and a Retry-After waited moves past it. For
 * a client that waits on nothing but its clock (no limit of its own).
 */
export function sleepsOnlyClock(start = START): SteppedClock {
  let now = start;
  const slept: number[] = [];
  return {
    now: () => now,
    scale: 1,
    slept,
    sleep: async (ms, signal) => {
      signal?.throwIfAborted();
      slept.push(ms);
      now += ms;
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}
