import { hasBrand, keepName } from './brand.js';
import { TributaryError } from './tributary-error.js';

/** The request never got an HTTP answer: DNS, connection refused or reset, a body cut short. */
export class NetworkError extends TributaryError {
  static override readonly brand: string = 'NetworkError';
  static {
    keepName(this);
  }
  declare readonly '~classes'?: { readonly TributaryError: true; readonly NetworkError: true };
}

export const isNetworkError = (value: unknown): value is NetworkError => hasBrand(value, 'NetworkError');
