/**
 * The options of `tines(...)` and how they become request headers. Tines accepts an API key as
 * `Authorization: Bearer <key>` (current) or as `X-User-Token: <key>` with an optional `X-User-Email`
 * (older tenants); VENDORS.md "Tines", https://www.tines.com/api/authentication.
 */
import { invalidOption, optionalOneOf, optionalString, requireCredential } from '../../core/config.js';
import { credentialKey } from '../../core/credential-key.js';
import type { OptionProblems } from '../../core/option-problems.js';
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
   * Sent as `X-User-Email`, for tenants that ask for the key's owner. ASCII, as Tines reads the header:
   * an internationalized domain in its `xn--` form (`node:url`'s `domainToASCII` writes it).
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

/**
 * Checks the Tines-specific options, each refused one kept in `problems`; `undefined` once one was
 * refused.
 */
export function resolveTinesOptions(options: TinesOptions, problems: OptionProblems): ResolvedTinesOptions | undefined {
  // Before anything can fail: `authScheme` and `apiPath` echo a bad value, which may be the key.
  registerWhileBuilding(options.token);
  const token = problems.check(() => requireCredential(options.token, 'token', 'token'));
  const scheme = problems.check(() => optionalOneOf(options.authScheme, 'authScheme', ['bearer', 'x-user-token'] as const, 'bearer'));
  const email = problems.check(() => emailOption(options.email, scheme));
  const apiPath = problems.check(() => optionalOneOf(options.apiPath, 'apiPath', ['actions', 'agents'] as const, 'actions'));
  if (token === undefined || scheme === undefined || apiPath === undefined || problems.refused('email')) return undefined;
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

/** Why an email that is not printable ASCII is refused, and what to give instead. */
const NOT_ASCII = 'must be ASCII without control characters, as Tines reads the X-User-Email header; an internationalized domain in its xn-- form (IDNA)';

/**
 * `undefined`, or an email address sent as the X-User-Email header, which only `'x-user-token'` sends:
 * with another `scheme` it would do nothing, and saying so beats a silently ignored option. Not said
 * of a scheme that was itself refused (`undefined`): which one was meant is not known.
 */
function emailOption(value: unknown, scheme: 'bearer' | 'x-user-token' | undefined): string | undefined {
  const email = optionalString(value, 'email');
  if (email === undefined) return undefined;
  if (scheme !== undefined && scheme !== 'x-user-token') invalidOption('email', "only sent with authScheme 'x-user-token'");
  // fetch would send another letter as its Latin-1 byte, or refuse it at each request; Tines reads the
  // header's bytes as ASCII, which match no address written otherwise. A line break would end the header.
  if (/[^\x20-\x7e]/.test(email)) invalidOption('email', NOT_ASCII);
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) invalidOption('email', 'expected an email address');
  return email;
}
