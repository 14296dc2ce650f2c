/**
 * The type of an msw handler, for programs that may not have msw. msw is an optional peer dependency,
 * and a test that uses only the `fetch` emulator or `listen()` must type-check without it, with
 * `skipLibCheck` off too. The build marks the published declarations' import of msw with `@ts-ignore`
 * (scripts/optional-peer-types.mjs), as a bundler drops such a comment from the sources: without msw the
 * import is then `any`, which this type turns into `unknown` rather than let it spread (the usual test for
 * `any`, `0 extends 1 & T`, does not see the `any` of an unresolved import).
 */
import type { HttpHandler } from 'msw';

/** msw's `HttpHandler` where msw is installed; `unknown` where it is not. */
export type MswHandler = unknown extends HttpHandler ? unknown : HttpHandler;
