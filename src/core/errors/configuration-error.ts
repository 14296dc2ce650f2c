import { redact } from '../redact.js';
import { hasBrand, keepName } from './brand.js';
import { TributaryError, type TributaryErrorOptions } from './tributary-error.js';

/**
 * Why an option was refused: `'unknown'`, a name the call does not take (often a misspelling such as
 * `timout`); `'invalid'`, a value it refuses, or a required option left out.
 */
export type ConfigurationErrorReason = 'unknown' | 'invalid';

/** One refused option of a `ConfigurationError`: its name and why, and the message that says so. */
export interface ConfigurationProblem {
  /** The option's name, dotted for nested options (`retry.limit`). */
  readonly option: string | undefined;
  /** Why the option was refused: `'unknown'`, a name not taken; `'invalid'`, a value refused or left out. */
  readonly reason: ConfigurationErrorReason;
  /** What a `ConfigurationError` of this problem alone would say (`Invalid option \`token\`: must not be empty`). */
  readonly message: string;
}

/** An option is missing or invalid; thrown before any request is made. */
export class ConfigurationError extends TributaryError {
  static override readonly brand: string = 'ConfigurationError';
  static {
    keepName(this);
  }
  declare readonly '~classes'?: { readonly TributaryError: true; readonly ConfigurationError: true };
  /** The option's name, dotted for nested options (`retry.limit`); the first of `problems`. */
  readonly option: string | undefined;
  /** Why the option was refused, so that a caller need not read the message; the first of `problems`. */
  readonly reason: ConfigurationErrorReason;
  /**
   * Every refused option of the options object checked, in the order of its checks (the message lists
   * them, one after another, separated by `; `), so that all are fixed in one run; one problem, this
   * error's own, when there was only one.
   */
  readonly problems: readonly ConfigurationProblem[];
  constructor(
    message: string,
    options: TributaryErrorOptions & {
      option?: string | undefined;
      reason?: ConfigurationErrorReason | undefined;
      /** Every problem, when there are several; `option` and `reason` default to the first's. */
      problems?: readonly ConfigurationProblem[] | undefined;
    } = {},
  ) {
    super(message, options);
    const first = options.problems?.[0];
    const option = options.option ?? first?.option;
    // The name is the caller's: an unknown one may be a credential given as a key, which the message hides.
    this.option = option === undefined ? undefined : redact(option);
    this.reason = options.reason ?? first?.reason ?? 'invalid';
    const problems = options.problems ?? [{ option: this.option, reason: this.reason, message: this.message }];
    this.problems = Object.freeze(
      problems.map((problem) =>
        Object.freeze({
          option: problem.option === undefined ? undefined : redact(problem.option),
          reason: problem.reason,
          message: redact(problem.message),
        }),
      ),
    );
  }
}

export const isConfigurationError = (value: unknown): value is ConfigurationError => hasBrand(value, 'ConfigurationError');
