/**
 * The options of `socotra(...)` and how they become the request's credentials. Socotra authenticates
 * with `Authorization: Bearer <token>`, a JWT or a personal access token (VENDORS.md "Socotra"); every
 * path is under `/event/{tenantLocator}`, where the tenant locator is a UUID (seed 000).
 */
import { requireCredential, uuid } from '../../core/config.js';
import { credentialKey } from '../../core/credential-key.js';
import type { OptionProblems } from '../../core/option-problems.js';
import type { CommonOptions } from '../../core/options.js';
import { heldBy, registerSecret, registerWhileBuilding } from '../../core/redact.js';
import type { Auth } from '../../core/request.js';

export interface SocotraOptions extends CommonOptions {
  /**
   * The environment's API host.
   * @example 'https://api-ec-sandbox.socotra.com'
   */
  baseUrl: string | URL;
  /**
   * The tenant whose events are read: a UUID.
   * @example '6a3e0b52-8f1d-4c3b-9e7a-2d5f4c1b8a90'
   */
  tenantLocator: string;
  /**
   * A JWT or a personal access token, sent as `Authorization: Bearer`. It needs the `events` security
   * group: `read` and `list` for the listings, `write` for resuming and deleting failed jobs. Never
   * logged, never in an error.
   * @example process.env.SOCOTRA_TOKEN ?? ''
   */
  token: string;
}

/** The Socotra-specific options, checked. */
export interface ResolvedSocotraOptions {
  tenantLocator: string;
  auth: Auth;
}

/**
 * Checks the Socotra-specific options, each refused one kept in `problems`; `undefined` once one was
 * refused.
 */
export function resolveSocotraOptions(options: SocotraOptions, problems: OptionProblems): ResolvedSocotraOptions | undefined {
  // Before anything can fail: `tenantLocator` echoes a bad value, which may be the token.
  registerWhileBuilding(options.token);
  const tenantLocator = problems.check(() => uuid(options.tenantLocator, 'tenantLocator'));
  const token = problems.check(() => requireCredential(options.token, 'token', 'token'));
  if (tenantLocator === undefined || token === undefined) return undefined;
  const headers = { Authorization: `Bearer ${token}` };
  // Registered as long as the client can send it: each of its requests holds `headers`.
  heldBy(headers).push(registerSecret(token));
  return {
    tenantLocator,
    // The limiter key identifies the token without revealing it.
    auth: { headers: () => headers, key: `socotra:${credentialKey(token)}` },
  };
}
