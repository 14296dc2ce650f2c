/**
 * The time a property test's case may take: each runs dozens of scenarios on real sockets or timers,
 * 2 to 8 s alone, and up to 20 s (vitest's limit here) beside two other suites on a 2-core machine.
 */
export const PROPERTY_TIMEOUT = { timeout: 60_000 } as const;
