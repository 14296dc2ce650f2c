/**
 * The time a property test's case may take: each runs dozens of scenarios on real sockets or timers,
 * 2 to 8 s alone, and up to 20 s (vitest's limit here) beside two other suites on a 2-core machine.
 */
export const PROPERTY_TIMEOUT = { timeout: 60_000 } as const;

/**
 * The time a whole property may take before fast-check stops it and fails it, and the test's own timeout
 * above that. A property takes 2 to 15 s alone; a machine busy beyond its cores (other suites, a build
 * beside them) has made one take over 25 s, which is no failure of the code.
 */
export const PROPERTY_BUDGET = { interruptAfter: 100_000, test: 120_000 } as const;
