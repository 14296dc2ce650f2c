/**
 * A length of text at which a pattern that backtracks in the square of it (`/\/+$/` on many slashes and
 * a letter) takes tens of seconds, while a scan takes a millisecond or so: a bound of `LINEAR_BOUND_MS`
 * tells the two apart on any machine, however loaded.
 */
export const LONG_RUN = 200_000;

/** Far above a linear scan of `LONG_RUN` characters, far below a quadratic one. */
export const LINEAR_BOUND_MS = 1_000;

/** How long `run` takes, in milliseconds. */
export function millisecondsOf(run: () => unknown): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}
