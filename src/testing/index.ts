/**
 * `tributary/testing`: stateful emulators of the five vendors' APIs, and the kit they are built with.
 *
 * - `createEmulator(provider, options)` gives an `Emulator`: `handle` (a plain
 *   `(Request) => Promise<Response>`), `fetch` (in process), `msw()` (handlers for `setupServer`;
 *   msw is an optional peer dependency, loaded on first call) and `listen()` (a real server on
 *   127.0.0.1), with `store`, `requests`, `faults` and `reset()`.
 * - `createGenericEmulator` serves vendor-neutral events in every paging style the SDK supports.
 * - `defineEmulator` and the building blocks (responses, auth, router, query, rate limit, seeded
 *   generator) are what the vendor emulators are made of, for emulating an API of your own.
 *
 * Importing this module starts nothing: no server, timer or msw.
 */
export { createEmulator } from './create.js';
export { defineEmulator, type EmulatorSpec } from './define.js';
export {
  createGenericEmulator,
  genericEmulator,
  type GenericEmulatorOptions,
  type GenericEvent,
  type GenericStore,
} from './generic.js';
export { toFetch } from './fetch-adapter.js';
export { toMswHandlers } from './msw-adapter.js';
export { listen } from './server.js';
export type {
  ActiveFault,
  FaultController,
  FaultKind,
  FaultMatch,
  FaultSchedule,
  FaultSpec,
  HtmlFault,
  LatencyFault,
  MalformedJsonFault,
  RateLimitFault,
  ResetFault,
  StatusFault,
  TruncateFault,
} from './faults.js';
export type { ErrorResponder } from './inject.js';
export { connectionResetError, isConnectionReset, truncatedBodyError } from './network-error.js';
export type { RecordedRequest } from './recorder.js';
export {
  defaultErrorResponse,
  EmulatorHttpError,
  empty,
  html,
  htmlErrorPage,
  json,
  reasonPhrase,
  text,
  type ResponseOptions,
} from './responses.js';
export { requireBasic, requireBearer, requireHeader, type BasicAccept, type TokenAccept } from './auth.js';
export { createRouter, type RouteHandler, type RouteRequest, type Router } from './router.js';
export { queryBool, queryInt, queryList, queryString, queryTime, type IntParamOptions } from './query.js';
export {
  createWindowLimiter,
  type LimitCheck,
  type WindowLimiter,
  type WindowLimiterOptions,
} from './window-limiter.js';
export { createRng, type Rng } from './rng.js';
export type {
  Emulator,
  EmulatorContext,
  EmulatorDefinition,
  EmulatorHandler,
  EmulatorOptions,
  EmulatorServer,
  EmulatorTarget,
  ListenOptions,
  ResolvedEmulatorOptions,
} from './types.js';
