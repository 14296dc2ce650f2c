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
export type { EmulatorOptionsOf, EmulatorStoreOf } from './registry.js';
// Each vendor's emulator, with the credentials it accepts out of the box.
export {
  socotraEmulator,
  demoEnv as socotraDemoEnv,
  SocotraStore,
  SOCOTRA_EMULATOR_TENANT,
  SOCOTRA_EMULATOR_TOKEN,
  SOCOTRA_EMULATOR_READ_ONLY_TOKEN,
  type SocotraEmulatorOptions,
  type NewEvent as SocotraEventInput,
  type EmulatedEvent as SocotraEmulatedEvent,
  type EmulatedFailedJob as SocotraEmulatedFailedJob,
  type EmulatedScheduledEvent as SocotraEmulatedScheduledEvent,
} from '../providers/socotra/emulator.js';
export {
  tinesEmulator,
  demoEnv as tinesDemoEnv,
  DEFAULT_TINES_CREDENTIAL,
  READ_ONLY_TINES_CREDENTIAL,
  type TinesEmulatorOptions,
  type TinesEmulatorStore,
  type TinesCredential,
  type TinesEventInput,
  type TinesStoredEvent,
  type TinesEmulatorAction,
} from '../providers/tines/emulator.js';
export type { MetaMode as TinesMetaMode } from '../providers/tines/emulator-wire.js';
export {
  fujitsuEmulator,
  demoEnv as fujitsuDemoEnv,
  DEFAULT_FUJITSU_TENANT,
  OTHER_FUJITSU_TENANT,
  DEFAULT_FUJITSU_USER,
  DEFAULT_FUJITSU_TOKEN,
  type FujitsuEmulatorOptions,
  type FujitsuEmulatorStore,
  type KeystoneUser,
  type NewEvent as FujitsuEventInput,
  type StoredEvent as FujitsuStoredEvent,
  type MarkerMode as FujitsuMarkerMode,
  type DateStyle as FujitsuDateStyle,
  type CategoriesStyle as FujitsuCategoriesStyle,
  type FujitsuEventStore,
} from '../providers/fujitsu/emulator.js';
export {
  illumioEmulator,
  demoEnv as illumioDemoEnv,
  DEFAULT_ILLUMIO_CREDENTIAL,
  READ_ONLY_ILLUMIO_CREDENTIAL,
  type IllumioEmulatorOptions,
  type IllumioEmulatorStore,
  type IllumioCredential,
  type IllumioAsyncOptions,
  type IllumioJobOutcome,
  type IllumioJobStart,
  type IllumioTimestampStyle,
} from '../providers/illumio/emulator.js';
export {
  informaticaEmulator,
  demoEnv as informaticaDemoEnv,
  DEFAULT_INFORMATICA_USER,
  InformaticaStore,
  type NewEvent as InformaticaEventInput,
  type StoredEvent as InformaticaStoredEvent,
  type InformaticaEmulatorOptions,
  type InformaticaUser,
  type InformaticaEmulatorState,
} from '../providers/informatica/emulator.js';
export type { ResponseForms as InformaticaResponseForms } from '../providers/informatica/emulator-wire.js';
// The `timeZones` option of the Tines and Informatica emulators.
export type { TimeZoneStyle as EmulatorTimeZoneStyle } from './zoned-time.js';
export { defineEmulator, type EmulatorSpec } from './define.js';
export type { OptionRule, OptionRules } from './option-rules.js';
export {
  createGenericEmulator,
  genericEmulator,
  type GenericEmulatorOptions,
  type GenericEvent,
  type GenericStore,
} from './generic.js';
export { toFetch } from './fetch-adapter.js';
export { toMswHandlers } from './msw-adapter.js';
export type { MswHandler } from './msw-handler.js';
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
  EmulatorRateLimit,
  EmulatorServer,
  EmulatorTarget,
  ListenOptions,
  ResolvedEmulatorOptions,
} from './types.js';
