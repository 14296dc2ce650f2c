import { hasBrand, keepName } from './brand.js';
import { TributaryError, type TributaryErrorOptions } from './tributary-error.js';

/** One attempt took longer than the `timeout` option. */
export class TimeoutError extends TributaryError {
  static override readonly brand: string = 'TimeoutError';
  static {
    keepName(this);
  }
  declare readonly '~classes'?: { readonly TributaryError: true; readonly TimeoutError: true };
  readonly timeoutMs: number;
  constructor(message: string, options: TributaryErrorOptions & { timeoutMs: number }) {
    super(message, options);
    this.timeoutMs = options.timeoutMs;
  }
}

export const isTimeoutError = (value: unknown): value is TimeoutError => hasBrand(value, 'TimeoutError');
