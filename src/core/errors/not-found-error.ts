import { hasBrand, keepName } from './brand.js';
import { HttpError } from './http-error.js';

/** 404: the resource does not exist (or is not visible to this credential). */
export class NotFoundError extends HttpError {
  static override readonly brand: string = 'NotFoundError';
  static {
    keepName(this);
  }
  declare readonly '~classes'?: { readonly TributaryError: true; readonly HttpError: true; readonly NotFoundError: true };
}

export const isNotFoundError = (value: unknown): value is NotFoundError => hasBrand(value, 'NotFoundError');
