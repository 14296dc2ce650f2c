/**
 * The options of `tines(...)` and how they become request headers. Tines accepts an API key as
 * `Authorization: Bearer <key>` (current) or as `X-User-Token: <key>` with an optional `X-User-Email`
 * (older tenants); VENDORS.md "Tines", https://www.tines.com/api/authentication.
 */
import { HEADER_VALUE_RULE, invalidOption, isHeaderValue, optionalOneOf, optionalString, requireCredential, requireObject } from '../../core/config.js';
import { credentialKey } from '../../core/credential-key.js';
import type { CommonOptions } from '../../core/options.js';
import { heldBy, registerSecret, registerWhileBuilding } from '../../core/redact.js';
import type { Auth } from '../../core/request.js';

/**
 * The options of `tines(...)`: the common ones, the tenant and its key, and how the key is sent; an
 * `email` goes only with `authScheme: 'x-user-token'` (the type says so, as the factory does at run time).
 */
export type TinesOptions = TinesTenantOptions & (TinesBearerAuth | TinesUserTokenAuth);

interface TinesTenantOptions extends CommonOptions {
  /**
   * The tenant's own domain: `*.tines.com`, `*.tines.io`, or a self-hosted one.
   * @example 'https://tenant-1234.tines.com'
   */
  baseUrl: string | URL;
  /**
   * The API key (a personal or tenant key). Never logged, never in an error.
   * @example process.env.TINES_API_KEY ?? ''
   */
  token: string;
  /**
   * The name of actions in the API's paths: `'actions'` (current) or `'agents'` (tenants on the old API).
   * @default 'actions'
   * @example apiPath: 'agents'
   */
  apiPath?: 'actions' | 'agents' | undefined;
}

interface TinesBearerAuth {
  /**
   * How the key is sent: `'bearer'` as `Authorization: Bearer`, `'x-user-token'` as `X-User-Token`
   * (older tenants).
   * @default 'bearer'
   * @example authScheme: 'x-user-token'
   */
  authScheme?: 'bearer' | undefined;
  email?: undefined;
}

interface TinesUserTokenAuth {
  /**
   * The key sent as `X-User-Token` (older tenants), with `email` as `X-User-Email` when given.
   * @example tines({ baseUrl, token, authScheme: 'x-user-token', email: 'analyst@example.com' })
   */
  authScheme: 'x-user-token';
  /**
   * Sent as `X-User-Email`, for tenants that ask for the key's owner.
   * @default undefined (not sent)
   * @example 'analyst@example.com'
   */
  email?: string | undefined;
}

/** The Tines-specific options, checked. */
export interface ResolvedTinesOptions {
  apiPath: 'actions' | 'agents';
  auth: Auth;
}

export function resolveTinesOptions(options: TinesOptions): ResolvedTinesOptions {
  requireObject(options, 'options');
  // Before anything can fail: `authScheme` and `apiPath` echo a bad value, which may be the key.
  registerWhileBuilding(options.token);
  const token = requireCredential(options.token, 'token', 'token');
  const scheme = optionalOneOf(options.authScheme, 'authScheme', ['bearer', 'x-user-token'] as const, 'bearer');
  const email = optionalString(options.email, 'email');
  if (email !== undefined && scheme !== 'x-user-token') {
    // Sending it would do nothing; saying so beats a silently ignored option.
    invalidOption('email', "only sent with authScheme 'x-user-token'");
  }
  if (email !== undefined && !/^[^\s@]+@[^\s@]+$/.test(email)) {
    invalidOption('email', 'expected an email address');
  }
  // Sent as the X-User-Email header.
  if (email !== undefined && !isHeaderValue(email)) invalidOption('email', HEADER_VALUE_RULE);
  const apiPath = optionalOneOf(options.apiPath, 'apiPath', ['actions', 'agents'] as const, 'actions');
  const headers: Record<string, string> =
    scheme === 'bearer'
      ? { Authorization: `Bearer ${token}` }
      : { 'X-User-Token': token, ...(email === undefined ? {} : { 'X-User-Email': email }) };
  // Registered as long as the client can send it: each of its requests holds `headers`.
  heldBy(headers).push(registerSecret(token));
  return {
    apiPath,
    // The limiter key identifies the key without revealing it.
    auth: { headers: () => headers, key: `tines:${credentialKey(token)}` },
  };
}
