/**
 * tributary: one typed, resumable stream of events from Socotra, Tines, FUJITSU K5 DBaaS, Illumio PCE
 * and Informatica Cloud Integration Hub. Import a single vendor from its subpath
 * (`tributary/illumio`) to load only that vendor's code.
 */
export type { Actor, ProviderName, Severity, TributaryEvent } from './core/event.js';
export { tributaryEventSchema } from './core/event.js';
export { toCloudEvent, type CloudEventJson } from './core/cloudevent.js';
export type { ByPageOptions, Page, Paginated, ToArrayOptions } from './core/paginate/types.js';
export type { CallOptions } from './core/call-options.js';
export type { FetchFunction, FetchInit, FetchResponse } from './core/fetch.js';
export type {
  CommonOptions,
  Hooks,
  RateLimitInfo,
  RateLimitOptions,
  RequestInfo,
  ResponseInfo,
  RetryInfo,
  RetryOptions,
} from './core/options.js';
export { scaledClock, systemClock, type Clock } from './core/clock.js';
export { watch, type WatchOptions } from './core/watch.js';
export { fileCheckpoint, memoryCheckpoint, type AsyncCheckpoint, type Checkpoint } from './core/checkpoint.js';
export { merge } from './core/merge.js';
export { closeRateLimiters } from './core/rate-limit.js';
export type { ProviderDefaults } from './core/request.js';
export type { SharedRateLimit } from './core/rate-limit/shared.js';
export {
  AuthenticationError,
  ConfigurationError,
  CursorError,
  HttpError,
  NetworkError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  ResponseValidationError,
  TimeoutError,
  TributaryError,
  isAuthenticationError,
  isConfigurationError,
  isCursorError,
  isHttpError,
  isNetworkError,
  isNotFoundError,
  isPermissionError,
  isRateLimitError,
  isResponseValidationError,
  isTimeoutError,
  isTributaryError,
  type ConfigurationErrorReason,
  type ConfigurationProblem,
  type CursorErrorReason,
  type HttpErrorOptions,
  type RateLimitErrorOptions,
  type ResponseValidationErrorOptions,
  type TributaryErrorOptions,
} from './core/errors.js';
export * from './providers/socotra/index.js';
export * from './providers/tines/index.js';
export * from './providers/fujitsu/index.js';
export * from './providers/illumio/index.js';
export * from './providers/informatica/index.js';
