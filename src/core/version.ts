/**
 * The package version, sent in `User-Agent`. A constant rather than a read of package.json at run time:
 * the bundled output has no stable path to the manifest. `test/core/version.test.ts` keeps the two equal.
 */
export const VERSION = '0.1.0';
