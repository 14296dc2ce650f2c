/**
 * What the FUJITSU clients of one Keystone identity and password share in a process: Keystone's refusal
 * of that password, and a turn to log in. Five failed logins in 15 minutes lock the account (VENDORS.md),
 * counted by Keystone across every client and process: five clients that each sent the same wrong
 * password once locked it between them, though each of them never sent it twice.
 *
 * - A refusal is remembered for `REMEMBERED_MS` (15 minutes, measured on the clock of the client that
 *   was refused): a new client of the same identity and password fails at once with the same
 *   `AuthenticationError`. Not for good, because a `401` is also what Keystone answers the right
 *   password while the account is locked, which ends after 15 minutes; and one login a password every
 *   15 minutes cannot lock the account. A client that was told of a refusal keeps it for its own life,
 *   as the one that was refused does.
 * - One login of an identity and password at a time: a client's login waits for another client's in
 *   flight (its retries included) before it is sent, so that a refusal on its way is known first.
 *
 * The password is never a key: an entry is found by an HMAC of the identity and password under a key
 * drawn when the registry is made, which a memory dump does not turn back into the password.
 */
import { createHmac, randomBytes } from 'node:crypto';

import type { Clock } from '../../core/clock.js';
import { untilAborted } from '../../core/signal.js';
import type { FujitsuIdentity } from './auth.js';

/** How long a refusal is remembered: Keystone's lockout window and duration. */
export const REMEMBERED_MS = 15 * 60_000;

interface Entry {
  refusal: { error: Error; at: number; clock: Clock } | undefined;
  /** Settles (never rejects) when the login of a client of this identity in flight is over. */
  busy: Promise<void> | undefined;
}

interface Registry {
  secret: Buffer;
  entries: Map<string, Entry>;
}

/**
 * On `globalThis`, under a registered symbol, as the rate limiters are: the ESM and CommonJS builds
 * loaded into one process count towards the same lockout.
 */
export const REGISTRY = Symbol.for('tributary.keystoneLogins.v1');

function registry(): Registry {
  const holder = globalThis as { [REGISTRY]?: Registry };
  return (holder[REGISTRY] ??= { secret: randomBytes(32), entries: new Map() });
}

function fresh(refusal: Entry['refusal']): boolean {
  return refusal !== undefined && refusal.clock.now() - refusal.at < REMEMBERED_MS;
}

/** Forgets what no longer holds anything: a refusal past its time, with no login in flight. */
function sweep(entries: Map<string, Entry>): void {
  for (const [key, entry] of entries) {
    if (entry.busy === undefined && !fresh(entry.refusal)) entries.delete(key);
  }
}

export interface IdentityLogins {
  /** The refusal of this identity and password that a client of the process was told, while remembered. */
  refused(): Error | undefined;
  /** Remembers `error`, Keystone's refusal, measured on `clock`; returns it. */
  refuse(error: Error, clock: Clock): Error;
  /**
   * Runs `login` once no other login of this identity and password is in flight; `signal` gives up the
   * wait (not `login`, which it is handed to).
   */
  inTurn<T>(login: () => Promise<T>, signal: AbortSignal): Promise<T>;
}

export function identityLogins(identity: Required<FujitsuIdentity>): IdentityLogins {
  const { secret, entries } = registry();
  const key = createHmac('sha256', secret)
    .update(JSON.stringify([identity.url, identity.domainName, identity.userName, identity.projectId, identity.password]))
    .digest('base64');
  const entry = (): Entry => {
    let found = entries.get(key);
    if (found === undefined) entries.set(key, (found = { refusal: undefined, busy: undefined }));
    return found;
  };
  const release = (): void => {
    const found = entries.get(key);
    if (found !== undefined && found.busy === undefined && !fresh(found.refusal)) entries.delete(key);
  };
  return {
    refused() {
      const refusal = entries.get(key)?.refusal;
      return fresh(refusal) ? refusal?.error : undefined;
    },
    refuse(error, clock) {
      sweep(entries);
      entry().refusal = { error, at: clock.now(), clock };
      return error;
    },
    async inTurn(login, signal) {
      for (let busy = entries.get(key)?.busy; busy !== undefined; busy = entries.get(key)?.busy) {
        await untilAborted(busy, signal);
      }
      const running = login();
      const mine = running.then(
        () => undefined,
        () => undefined,
      );
      entry().busy = mine;
      try {
        return await running;
      } finally {
        const found = entries.get(key);
        if (found?.busy === mine) found.busy = undefined;
        release();
      }
    },
  };
}
