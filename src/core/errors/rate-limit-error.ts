import { hasBrand, keepName } from './brand.js';
import { HttpError, type HttpErrorOptions } from './http-error.js';

export interface RateLimitErrorOptions extends HttpErrorOptions {
  /**
   * How long the server asked to wait, from `Retry-After`, when it said.
   * @default undefined (the server did not say)
   * @example { retryAfterMs: 30_000 }
   */
  retryAfterMs?: number | undefined;
}

/**
 * 429: the vendor's rate limit was hit and retries (if any) did not get through. Also a request not
 * sent because a server's `Retry-After` holds its limiter beyond `maxRetryAfter`: its `status` is that
 * of the answer that asked for the pause (a 503's, when the server was unavailable).
 */
export class RateLimitError extends HttpError {
  static override readonly brand: string = 'RateLimitError';
  static {
    keepName(this);
  }
  declare readonly '~classes'?: { readonly TributaryError: true; readonly HttpError: true; readonly RateLimitError: true };
  readonly retryAfterMs: number | undefined;
  constructor(message: string, options: RateLimitErrorOptions) {
    super(message, options);
    this.retryAfterMs = options.retryAfterMs;
  }
}

export const isRateLimitError = (value: unknown): value is RateLimitError => hasBrand(value, 'RateLimitError');
