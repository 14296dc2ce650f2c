import { hasBrand, keepName } from './brand.js';
import { HttpError } from './http-error.js';

/** 401: the credential was refused (wrong, expired or revoked). */
export class AuthenticationError extends HttpError {
  static override readonly brand: string = 'AuthenticationError';
  static {
    keepName(this);
  }
  declare readonly '~classes'?: { readonly TributaryError: true; readonly HttpError: true; readonly AuthenticationError: true };
}

export const isAuthenticationError = (value: unknown): value is AuthenticationError => hasBrand(value, 'AuthenticationError');
