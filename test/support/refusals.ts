/** The requests an emulator's own rate limit refuses, counted, for properties that promise none. */
import { expect } from 'vitest';
import type { WindowLimiter } from '../../src/testing/window-limiter.js';

/** Counts the requests `limiter` refuses from now on; the returned function tells how many so far. */
export function countRefusals(limiter: WindowLimiter | undefined): () => number {
  expect(limiter).toBeDefined();
  let refused = 0;
  const check = limiter!.check;
  limiter!.check = (key) => {
    const verdict = check(key);
    if (!verdict.ok) refused += 1;
    return verdict;
  };
  return () => refused;
}
