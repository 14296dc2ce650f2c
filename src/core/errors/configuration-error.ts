import { redact } from '../redact.js';
import { hasBrand, keepName } from './brand.js';
import { TributaryError, type TributaryErrorOptions } from './tributary-error.js';

/**
 * Why an option was refused: `'unknown'`, a name the call does not take (often a misspelling such as
 * `timout`); `'invalid'`, a value it refuses, or a required option left out.
 */
export type ConfigurationErrorReason = 'unknown' | 'invalid';

/** An option is missing or invalid; thrown before any request is made. */
export class ConfigurationError extends TributaryError {
  static override readonly brand: string = 'ConfigurationError';
  static {
    keepName(this);
  }
  declare readonly '~classes'?: { readonly TributaryError: true; readonly ConfigurationError: true };
  /** The option's name, dotted for nested options (`retry.limit`). */
  readonly option: string | undefined;
  /** Why the option was refused, so that a caller need not read the message. */
  readonly reason: ConfigurationErrorReason;
  constructor(
    message: string,
    options: TributaryErrorOptions & { option?: string | undefined; reason?: ConfigurationErrorReason | undefined } = {},
  ) {
    super(message, options);
    // The name is the caller's: an unknown one may be a credential given as a key, which the message hides.
    this.option = options.option === undefined ? undefined : redact(options.option);
    this.reason = options.reason ?? 'invalid';
  }
}

export const isConfigurationError = (value: unknown): value is ConfigurationError => hasBrand(value, 'ConfigurationError');
