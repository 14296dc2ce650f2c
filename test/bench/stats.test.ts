import { describe, expect, it } from 'vitest';
import { pairedRatio, summarize } from '../../bench/stats.js';

describe('summarize', () => {
  it('gives the median of an odd and of an even number of values, with min, max and n', () => {
    expect(summarize([5, 1, 3])).toEqual({ median: 3, min: 1, max: 5, n: 3 });
    expect(summarize([4, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 4, n: 4 });
  });

  it('does not reorder the caller’s values', () => {
    const values = [3, 1, 2];
    summarize(values);
    expect(values).toEqual([3, 1, 2]);
  });

  it('refuses an empty series', () => {
    expect(() => summarize([])).toThrow(RangeError);
  });
});

describe('pairedRatio', () => {
  it('divides round by round, so a drift shared by both series cancels out', () => {
    // The machine slows down by half in the second round; the SDK stays 1.2 times the baseline.
    const ratio = pairedRatio([12, 18, 12], [10, 15, 10]);
    expect(ratio.median).toBeCloseTo(1.2, 10);
    expect(ratio.min).toBeCloseTo(1.2, 10);
    expect(ratio.max).toBeCloseTo(1.2, 10);
  });

  it('refuses series of different lengths', () => {
    expect(() => pairedRatio([1, 2], [1])).toThrow(RangeError);
  });
});
