import { redact } from '../redact.js';
import { hasBrand, keepName } from './brand.js';
import { redactedRaw } from './redacted-raw.js';
import { TributaryError, type TributaryErrorOptions } from './tributary-error.js';

export interface ResponseValidationErrorOptions extends TributaryErrorOptions {
  /**
   * Each mismatch as `path: message`.
   * @example { issues: ['events[3].timestamp: expected a string'] }
   */
  issues: readonly string[];
  /**
   * The value as received, so nothing is lost; a credential echoed in it is removed before it is stored.
   * @example { raw: body }
   */
  raw: unknown;
}

/** The response did not have the shape the SDK needs; `raw` keeps the value as received, without credentials. */
export class ResponseValidationError extends TributaryError {
  static override readonly brand: string = 'ResponseValidationError';
  static {
    keepName(this);
  }
  declare readonly '~classes'?: { readonly TributaryError: true; readonly ResponseValidationError: true };
  readonly issues: readonly string[];
  /** Not enumerable, so logging the error does not dump a whole page. */
  declare readonly raw: unknown;
  constructor(message: string, options: ResponseValidationErrorOptions) {
    super(message, options);
    // An issue may quote the body (V8's "... is not valid JSON" does), and a body may echo a credential.
    this.issues = options.issues.map(redact);
    // A page of the wrong shape or an error page may quote the request's credential header.
    Object.defineProperty(this, 'raw', { value: redactedRaw(options.raw), enumerable: false });
  }
}

export const isResponseValidationError = (value: unknown): value is ResponseValidationError => hasBrand(value, 'ResponseValidationError');
