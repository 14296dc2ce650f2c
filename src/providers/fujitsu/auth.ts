/**
 * FUJITSU K5 authentication (VENDORS.md "FUJITSU"): OpenStack Keystone v3. A password login at
 * `POST {identity}/v3/auth/tokens` answers with the token in the `X-Subject-Token` header; every API
 * request sends it as `X-Auth-Token`.
 *
 * - One login at a time: concurrent requests that need a token wait for the same login.
 * - Tokens expire: the client logs in again shortly before the token's lifetime (`issued_at` to
 *   `expires_at`) has passed on its own clock, and once more when a request is answered `401` (the
 *   pipeline then sends that request once more).
 * - Five failed logins in fifteen minutes lock the account for fifteen minutes, so a login that Keystone
 *   refused is never sent again by this client: every later request fails at once with the same
 *   `AuthenticationError`. The other clients of the identity and password in the process are told too
 *   (`login-registry.ts`). A login that failed for another reason (network, 5xx) may be tried again.
 * - A login answered `408`, `429` or `503` (refused unread), or whose connection was never made (refused,
 *   its host not found), is retried by the login itself, with the
 *   client's `retry` options, for every request waiting for it: retried by each of them, eight listings
 *   sent eleven logins where one's retries take four. Its failure is final for the requests.
 * - A login sent is read to its answer though every request waiting for it has given up, the client's
 *   own `signal` included, so that its refusal is known; one not sent yet (queued, backing off, waiting
 *   for another client's) is dropped with them.
 */
import type { ClientContext } from '../../core/client.js';
import { credentialKey } from '../../core/credential-key.js';
import { AuthenticationError, isAuthenticationError, ResponseValidationError } from '../../core/errors.js';
import { path } from '../../core/path.js';
import { heldBy, registerSecret } from '../../core/redact.js';
import { annotate } from '../../core/retry.js';
import { parseHttpDate } from '../../core/retry-after.js';
import type { Auth } from '../../core/request.js';
import { untilAborted } from '../../core/signal.js';
import { toRfc3339Millis } from '../../core/time.js';
import { identityLogins } from './login-registry.js';
import { keystoneTokenSchema } from './schemas.js';

/** Keystone password credentials. */
export interface FujitsuIdentity {
  /**
   * The Keystone endpoint of the region; a trailing `/v3` is accepted.
   * @example 'https://identity.uk-1.cloud.global.fujitsu.com'
   */
  url: string;
  /**
   * The K5 user name.
   * @example 'collector'
   */
  userName: string;
  /**
   * The K5 password. Never logged, never in an error.
   * @example process.env.K5_PASSWORD ?? ''
   */
  password: string;
  /**
   * The user's domain: the K5 contract number.
   * @example 'contract-kx1234'
   */
  domainName: string;
  /**
   * The project the token is scoped to.
   * @default the client's `tenantId`
   * @example '5f1b9c3e7a2d4e6f8091a2b3c4d5e6f7'
   */
  projectId?: string | undefined;
}

/** Log in again this long before Keystone's `expires_at`, so a request does not leave with a dying token. */
const EXPIRY_MARGIN_MS = 60_000;

const HEADER = 'X-Auth-Token';

/**
 * When (this clock) to log in again after a login answered at `answeredAt`. Keystone's two times are
 * read as a lifetime and applied to this clock: compared with this clock directly, `expires_at` of a
 * Keystone whose clock runs behind, or of a token that lives less than the margin, looked past at once,
 * and every request logged in again. A token that lives less than four margins is renewed after three
 * quarters of its life. Without `issued_at`, the lifetime runs from the answer's `Date` (Keystone's
 * clock too, in whole seconds): from this clock's `answeredAt`, a client an hour ahead of Keystone read
 * an hour's token as expired when it came, and logged in for every request. Without either, a token
 * already expired on this clock when it came says the clocks differ, not that it is dead: it is
 * renewed when a request is refused.
 */
function renewalTime(
  times: { expires_at?: string | null | undefined; issued_at?: string | null | undefined },
  answeredAt: number,
  served: string | null,
): number {
  const expires = keystoneTime(times.expires_at);
  if (expires === undefined) return Number.POSITIVE_INFINITY;
  const issued = keystoneTime(times.issued_at) ?? httpDate(served);
  const lifetime = expires - (issued ?? answeredAt);
  if (issued === undefined && lifetime <= 0) return Number.POSITIVE_INFINITY;
  return answeredAt + lifetime - Math.min(EXPIRY_MARGIN_MS, Math.max(0, lifetime) / 4);
}

/**
 * An HTTP `Date` header in epoch milliseconds, or `undefined` when missing or unreadable. Its asctime
 * form names no zone: `Date.parse` read it in the host's, hours off outside UTC.
 */
function httpDate(value: string | null): number | undefined {
  return value === null ? undefined : parseHttpDate(value.trim());
}

/** A Keystone time in epoch milliseconds: one without a zone is UTC (VENDORS.md), not the host's local time. */
function keystoneTime(value: string | null | undefined): number | undefined {
  const canonical = value ? toRfc3339Millis(value) : undefined;
  return canonical === undefined ? undefined : Date.parse(canonical);
}

/** The refusal, with what to do about it: the client stops logging in to protect the account. */
function explainRefusal(error: AuthenticationError, identity: Required<FujitsuIdentity>): AuthenticationError {
  // Refused after a 429 or 503, the login's pipeline told how many attempts it made, as every error does.
  const { cause } = error;
  const retried = cause instanceof Error && error.message.startsWith(cause.message) ? error.message.slice(cause.message.length) : '';
  return new AuthenticationError(
    `Keystone refused the login of user ${identity.userName} in domain ${identity.domainName}` +
      `${error.vendorMessage ? ` (${error.vendorMessage})` : ''}. This client will not try again, nor another client ` +
      'of this process with the same password for 15 minutes, because five failed logins in 15 minutes lock the ' +
      `account for 15 minutes: fix the credentials and create a new client${retried ? `; refused${retried}` : ''}`,
    { ...error, provider: 'fujitsu', operation: 'auth.login', cause: error },
  );
}

/** A fixed token the caller obtained elsewhere: sent as is, never refreshed. */
export function staticTokenAuth(token: string): Auth {
  const auth: Auth = {
    headers: () => ({ [HEADER]: token }),
    key: `token:${credentialKey(token)}`,
    unauthorized: 'a token given as `token` is never renewed: give a new one, or an `identity` to log in with',
  };
  // Registered as long as the client can send it: its pipeline holds `auth`.
  heldBy(auth).push(registerSecret(token));
  return auth;
}

/** What the login's pipeline tells of its attempts. */
export interface LoginAttempts {
  /** An attempt reaches `fetch`: from then on Keystone may count it. */
  sent(): void;
  /** An attempt failed and the login backs off before the next: nothing is in flight meanwhile. */
  retrying(): void;
}

/**
 * Keystone password auth. `buildLogin` makes the pipeline the login is sent through (same hooks, timeout,
 * fetch and retries as the client, its own origin, no auth and no `signal` of its own), which tells
 * `attempts` of each attempt.
 */
export function keystoneAuth(identity: Required<FujitsuIdentity>, buildLogin: (attempts: LoginAttempts) => ClientContext): Auth {
  // Registered as long as a login can be sent or answered: every closure here holds `identity`.
  heldBy(identity).push(registerSecret(identity.password));
  // The last two tokens stay registered: a request sent with the one before may still be answered.
  const tokens = heldBy(identity);
  let token: string | undefined;
  let expiresAt = Number.POSITIVE_INFINITY;
  // Which token each request was sent with (the pipeline hands `headers` and `refresh` the same signal),
  // so that of several requests refused with one expired token only the first logs in again.
  const sentWith = new WeakMap<AbortSignal, string>();
  /**
   * The login in flight, how many requests wait for it, and whether it was sent: one not sent yet is
   * given up when the last of them leaves.
   */
  let inFlight: { promise: Promise<string>; stop: AbortController; waiting: number; sent: boolean } | undefined;
  let refused: unknown;
  const peers = identityLogins(identity);
  const login = buildLogin({
    sent() {
      if (inFlight !== undefined) inFlight.sent = true;
    },
    retrying() {
      if (inFlight === undefined) return;
      inFlight.sent = false;
      // Its waiters left while its attempt was read: its retry would be sent for no one.
      if (inFlight.waiting === 0) giveUp(inFlight);
    },
  });
  const now = () => login.clock.now();

  /** Stops a login not sent, for which no request waits any more. */
  function giveUp(pending: NonNullable<typeof inFlight>): void {
    pending.stop.abort(new DOMException('Every request waiting for the login has given up', 'AbortError'));
    // Given up, it only fails with their abort once it settles: a request that comes meanwhile logs in anew.
    if (inFlight === pending) inFlight = undefined;
  }

  async function authenticate(signal: AbortSignal): Promise<string> {
    // Not a request's signal: the login is shared, and one waiter giving up must not fail the others.
    // `signal` aborts when the last one has left while no attempt is in flight. Not the client's own
    // signal either: stopped with it while a refusal was read, the login lost it, and the next client
    // of the password sent it again.
    const response = await login.http.request({
      operation: 'auth.login',
      method: 'POST',
      path: path`/v3/auth/tokens`,
      json: {
        auth: {
          identity: {
            methods: ['password'],
            password: {
              user: { name: identity.userName, password: identity.password, domain: { name: identity.domainName } },
            },
          },
          scope: { project: { id: identity.projectId } },
        },
      },
      schema: keystoneTokenSchema,
      // Not idempotent: every attempt may count towards the lockout. Retried only when refused unread or never sent.
      idempotent: false,
      signal,
    });
    const subject = response.headers.get('x-subject-token');
    if (subject === null || subject === '') {
      throw new ResponseValidationError('auth.login: Keystone answered without an X-Subject-Token header', {
        provider: 'fujitsu',
        operation: 'auth.login',
        issues: ['headers.x-subject-token: missing'],
        raw: response.data,
      });
    }
    tokens.push(registerSecret(subject));
    if (tokens.length > 2) tokens.shift()?.();
    token = subject;
    expiresAt = renewalTime(response.data.token, now(), response.headers.get('date'));
    return subject;
  }

  /** The login in flight, or a new one; a refusal is remembered and rethrown from then on. */
  function shared(signal: AbortSignal | undefined): Promise<string> {
    refused ??= peers.refused();
    if (refused !== undefined) return Promise.reject(refused);
    // A request that gave up starts no login: it would be sent for no one, and may count towards the lockout.
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    if (inFlight === undefined) {
      const stop = new AbortController();
      const promise = peers
        .inTurn(() => {
          // Another client's login, just over, may have been refused.
          refused ??= peers.refused();
          return refused === undefined ? authenticate(stop.signal) : Promise.reject(refused);
        }, stop.signal)
        .catch((error: unknown) => {
          if (refused === undefined && isAuthenticationError(error)) refused = peers.refuse(explainRefusal(error, identity), login.clock);
          // The login made its own retries: the requests that needed it must not resend it on theirs,
          // each on its own schedule. Nor when it may have been applied (a timeout, a reset, a
          // gateway's 502 or 504): it may have counted towards the lockout.
          const failure = refused ?? error;
          if (typeof failure === 'object' && failure !== null) annotate(failure as Error, { final: true });
          throw failure;
        })
        .finally(() => {
          if (inFlight?.promise === promise) inFlight = undefined;
        });
      inFlight = { promise, stop, waiting: 0, sent: false };
    }
    const pending = inFlight;
    pending.waiting += 1;
    // The last request to leave takes a login not sent yet with it: it would be sent for no one, and
    // may count towards the lockout. One sent is answered all the same: Keystone may count it, and
    // only its answer tells a refusal, which is then remembered, from a token, which the next request
    // takes. Given up when sent, a refused login went unread, and every later request, each aborted
    // before Keystone's answer, sent the wrong password again: five locked the account.
    return untilAborted(pending.promise, signal, () => {
      pending.waiting -= 1;
      if (pending.waiting === 0 && !pending.sent) giveUp(pending);
    });
  }

  return {
    key: `keystone:${credentialKey(`${identity.url} ${identity.domainName} ${identity.userName} ${identity.projectId}`)}`,
    async headers(signal) {
      const current = token !== undefined && now() < expiresAt ? token : await shared(signal);
      if (signal !== undefined) sentWith.set(signal, current);
      return { [HEADER]: current };
    },
    async refresh(signal) {
      const used = signal === undefined ? undefined : sentWith.get(signal);
      if (inFlight === undefined && (used === undefined || used === token)) token = undefined;
      if (token === undefined || inFlight !== undefined) await shared(signal);
      return true;
    },
  };
}
