/**
 * The options of `illumio(...)` and the credential they become. The PCE authenticates API calls with
 * HTTP Basic: the API key's `auth_username` (`api_...`) as user, its secret as password (VENDORS.md
 * "Illumio"; https://docs.illumio.com "REST API Users").
 */
import { cut, describe, invalidOption, optionalInteger, requireCredential } from '../../core/config.js';
import { credentialKey } from '../../core/credential-key.js';
import type { OptionProblems } from '../../core/option-problems.js';
import type { CommonOptions } from '../../core/options.js';
import { heldBy, registerBasicSecret, registerWhileBuilding } from '../../core/redact.js';
import type { Auth } from '../../core/request.js';

export interface IllumioOptions extends CommonOptions {
  /**
   * The PCE, with its port; the SDK adds `/api/v2`.
   * @example 'https://pce.example.com:8443'
   */
  baseUrl: string | URL;
  /**
   * The organization id: the number in `/orgs/{orgId}` (1 on an on-premises PCE).
   * @example 1
   */
  orgId: number | string;
  /**
   * The API key's `auth_username`.
   * @example 'api_1a2b3c4d5e6f7a8b9'
   */
  apiKey: string;
  /**
   * The API key's secret. Never logged, never in an error.
   * @example process.env.PCE_API_SECRET ?? ''
   */
  apiSecret: string;
  /**
   * Milliseconds between two polls of an asynchronous export job when the PCE sends no `Retry-After`.
   * @default 1_000
   * @example jobPollInterval: 5_000
   */
  jobPollInterval?: number | undefined;
  /**
   * Longest time, in milliseconds, to wait for an asynchronous export job (its polls included) before
   * failing with a `TimeoutError` (the job keeps running on the PCE).
   * @default 900_000 (15 minutes)
   * @example jobTimeout: 3_600_000
   */
  jobTimeout?: number | undefined;
}

/** The Illumio-specific options, checked. */
export interface ResolvedIllumioOptions {
  orgId: string;
  auth: Auth;
  jobPollInterval: number;
  jobTimeout: number;
}

/** The PCE's published limit: 500 requests a minute per API key (VENDORS.md). */
export const ILLUMIO_RATE_LIMIT = { requests: 500, interval: 60_000 } as const;

export const DEFAULT_JOB_POLL_INTERVAL = 1_000;
export const DEFAULT_JOB_TIMEOUT = 900_000;

function orgIdOption(value: unknown): string {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return String(value);
  if (typeof value === 'string' && /^[1-9]\d{0,15}$/.test(value.trim())) return value.trim();
  // describe(), not String(): an object without a prototype (or a symbol) has no string form, and would throw a TypeError.
  const shown = typeof value === 'string' ? JSON.stringify(cut(value, 20)) : describe(value);
  return invalidOption('orgId', `expected a positive integer (the number in /orgs/{orgId}), got ${shown}`);
}

/**
 * Checks the Illumio-specific options, each refused one kept in `problems`; `undefined` once one was
 * refused.
 */
export function resolveIllumioOptions(options: IllumioOptions, problems: OptionProblems): ResolvedIllumioOptions | undefined {
  // Before anything can fail, so no later message can show it; the registration of `headers` below
  // lasts as long as the client.
  registerWhileBuilding(options.apiSecret);
  const orgId = problems.check(() => orgIdOption(options.orgId));
  const apiKey = problems.check(() => {
    const key = requireCredential(options.apiKey, 'apiKey', 'token');
    // Basic authentication splits user from password at the first colon.
    return key.includes(':') ? invalidOption('apiKey', 'must not contain ":"') : key;
  });
  const apiSecret = problems.check(() => requireCredential(options.apiSecret, 'apiSecret', 'token'));
  const jobPollInterval = problems.check(() => optionalInteger(options.jobPollInterval, 'jobPollInterval', 1) ?? DEFAULT_JOB_POLL_INTERVAL);
  const jobTimeout = problems.check(() => optionalInteger(options.jobTimeout, 'jobTimeout', 1) ?? DEFAULT_JOB_TIMEOUT);
  if (orgId === undefined || apiKey === undefined || apiSecret === undefined || jobPollInterval === undefined || jobTimeout === undefined) {
    return undefined;
  }
  const [token, release] = registerBasicSecret(apiKey, apiSecret);
  const headers = { Authorization: `Basic ${token}` };
  // Registered as long as the client can send it: each of its requests holds `headers`.
  heldBy(headers).push(release);
  return {
    orgId,
    jobPollInterval,
    jobTimeout,
    // Rate limits are per API key (VENDORS.md): the limiter key names the key without revealing it.
    auth: { headers: () => headers, key: `illumio:${credentialKey(apiKey)}` },
  };
}
