/**
 * The error hierarchy. Every error tributary throws is a `TributaryError`; the subclasses say what went
 * wrong in terms a caller can act on. Guards (`isHttpError`, ...) check a brand symbol registered with
 * `Symbol.for`, so they work across realms and across duplicated copies of the package (the ES module
 * and CommonJS builds loaded in one process are two copies); `instanceof` checks the same brand.
 *
 * No error ever holds a credential: messages are built from redacted URLs and excerpts, and `toJSON`
 * and `util.inspect` show only the public fields.
 */
export { keepName } from './errors/brand.js';
export {
  isTributaryError,
  nameContext,
  TributaryError,
  type ProviderName,
  type TributaryErrorOptions,
} from './errors/tributary-error.js';
export { HttpError, isHttpError, type HttpErrorOptions } from './errors/http-error.js';
export { AuthenticationError, isAuthenticationError } from './errors/authentication-error.js';
export { PermissionError, isPermissionError } from './errors/permission-error.js';
export { NotFoundError, isNotFoundError } from './errors/not-found-error.js';
export { RateLimitError, isRateLimitError, type RateLimitErrorOptions } from './errors/rate-limit-error.js';
export { NetworkError, isNetworkError } from './errors/network-error.js';
export { TimeoutError, isTimeoutError } from './errors/timeout-error.js';
export {
  ResponseValidationError,
  isResponseValidationError,
  type ResponseValidationErrorOptions,
} from './errors/response-validation-error.js';
export {
  ConfigurationError,
  isConfigurationError,
  type ConfigurationErrorReason,
  type ConfigurationProblem,
} from './errors/configuration-error.js';
export { CursorError, isCursorError, type CursorErrorReason } from './errors/cursor-error.js';
