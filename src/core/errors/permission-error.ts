import { hasBrand, keepName } from './brand.js';
import { HttpError } from './http-error.js';

/** 403: the credential is valid but lacks the permission. */
export class PermissionError extends HttpError {
  static override readonly brand: string = 'PermissionError';
  static {
    keepName(this);
  }
  declare readonly '~classes'?: { readonly TributaryError: true; readonly HttpError: true; readonly PermissionError: true };
}

export const isPermissionError = (value: unknown): value is PermissionError => hasBrand(value, 'PermissionError');
