/**
 * Summaries of repeated measurements. Ratios are paired: each round's SDK time is divided by the
 * baseline's time of the same round (they ran back to back), and the median of those ratios is
 * reported, which cancels most of the drift of a shared machine (about 15% here) that the ratio of two
 * medians would keep.
 */

export interface Summary {
  median: number;
  min: number;
  max: number;
  n: number;
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new RangeError('no values to summarize');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  return { median, min: sorted[0] as number, max: sorted[sorted.length - 1] as number, n: sorted.length };
}

/** `numerator[i] / denominator[i]` for each round, summarized. */
export function pairedRatio(numerator: readonly number[], denominator: readonly number[]): Summary {
  if (numerator.length !== denominator.length) throw new RangeError('paired series must have the same length');
  return summarize(numerator.map((value, index) => value / (denominator[index] as number)));
}
