/**
 * The public types a user passes values of, by the file that exports them: what the documentation
 * tests walk (public-docs.test.ts, option-examples.test.ts).
 */

/**
 * What a user passes, from the public entry points: the factories' options and queries, `byPage`,
 * `toArray`, `watch`, `redisRateLimit`, the error constructors, the emulators' options and faults, and
 * the testing kit's building blocks, with every object they hold (`retry`, `identity`, an emulator's
 * `credentials`, ...).
 */
export const ENTRIES: Record<string, readonly string[]> = {
  'src/index.ts': [
    'CommonOptions',
    'ByPageOptions',
    'ToArrayOptions',
    'WatchOptions',
    'SocotraOptions',
    'SocotraListQuery',
    'SocotraFailedJobsQuery',
    'TinesOptions',
    'TinesListQuery',
    'FujitsuOptions',
    'FujitsuEventsQuery',
    'IllumioOptions',
    'IllumioListQuery',
    'InformaticaOptions',
    'InformaticaListQuery',
    'InformaticaGetOptions',
    'TributaryErrorOptions',
    'HttpErrorOptions',
    'RateLimitErrorOptions',
    'ResponseValidationErrorOptions',
    'IllumioJobErrorOptions',
  ],
  'src/redis/index.ts': ['RedisRateLimitOptions'],
  'src/testing/index.ts': [
    'EmulatorOptions',
    'ListenOptions',
    'SocotraEmulatorOptions',
    'TinesEmulatorOptions',
    'FujitsuEmulatorOptions',
    'IllumioEmulatorOptions',
    'InformaticaEmulatorOptions',
    'GenericEmulatorOptions',
    'FaultSpec',
    'TinesEventInput',
    'SocotraEventInput',
    'FujitsuEventInput',
    'InformaticaEventInput',
    'EmulatorRateLimit',
    'FaultMatch',
    'EmulatorSpec',
    'WindowLimiterOptions',
    'IntParamOptions',
    'ResponseOptions',
  ],
};

/** Objects a user passes whole, not built member by member: their members are not options. */
export const OPAQUE = new Set(['Date', 'URL', 'AbortSignal', 'Clock', 'SharedRateLimit', 'Checkpoint', 'Promise']);
