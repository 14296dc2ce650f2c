import { describe, expect, it } from 'vitest';
import { scaledClock, systemClock } from '../../src/core/clock.js';

describe('clock.sleep', () => {
  // setTimeout takes a delay past 2^31 - 1 ms for 1 ms: a `watch` interval of a month ended at once.
  it.each([
    ['systemClock', systemClock, 2 ** 31 + 1_000],
    ['a scaled clock', scaledClock(1000), 2 ** 22],
  ] as const)('%s: a wait longer than setTimeout allows still waits', async (_name, clock, ms) => {
    const controller = new AbortController();
    const slept = clock.sleep(ms, controller.signal).then(
      () => 'woke',
      () => 'aborted',
    );
    const early = await Promise.race([slept, new Promise((resolve) => setTimeout(() => resolve('waiting'), 50))]);
    controller.abort(new Error('done'));
    expect(early).toBe('waiting');
    expect(await slept).toBe('aborted');
  });

  it('wakes after a short wait', async () => {
    await expect(systemClock.sleep(5)).resolves.toBeUndefined();
  });
});
