/**
 * A Keystone login is shared by the requests that wait for it. A request that has given up starts none,
 * and the last one to leave takes a login not sent yet with it: it would be sent for no one (a login
 * counts towards the lockout), and its failure went unhandled, which crashes a process by Node's
 * default. A login sent is answered all the same: only its answer tells a refusal, which is kept.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clientOf, createEmulator, identity, USER } from './helpers.js';

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
process.on('unhandledRejection', onUnhandled);
afterEach(() => {
  unhandled.length = 0;
});

/** The emulator's fetch, with each login's signal kept and the login held until `answer()`. */
function heldLogins(emulator: ReturnType<typeof createEmulator>) {
  const signals: AbortSignal[] = [];
  let answer = (): void => {};
  const answered = new Promise<void>((resolve) => (answer = resolve));
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url.endsWith('/v3/auth/tokens')) {
      if (init?.signal) signals.push(init.signal);
      await answered;
    }
    return emulator.fetch(input as string, init);
  };
  return { fetch, signals, answer };
}

describe('a Keystone login and the requests that wait for it', () => {
  it('is not sent for a request aborted before its first attempt, and leaves nothing unhandled', async () => {
    const emulator = createEmulator({ events: 3 });
    const controller = new AbortController();
    const client = clientOf(emulator, { identity: identity(), signal: controller.signal });
    const listing = client.events.list().toArray();
    controller.abort(new Error('stop'));
    await expect(listing).rejects.toThrow('stop');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(emulator.requests).toHaveLength(0);
    expect(unhandled).toEqual([]);
  });

  it('sent, is answered when the last listing waiting for it is closed, and its refusal is kept: no second login', async () => {
    const emulator = createEmulator({ events: 3 });
    const logins = heldLogins(emulator);
    const client = clientOf(emulator, { identity: identity({ password: 'wrong-password-9876' }), fetch: logins.fetch });
    const pages = [client.events.list().byPage()[Symbol.asyncIterator](), client.events.list().byPage()[Symbol.asyncIterator]()];
    const firsts = pages.map((page) => page.next().catch((error: unknown) => error));
    await vi.waitFor(() => expect(logins.signals).toHaveLength(1));
    await pages[0]!.return!();
    await pages[1]!.return!();
    // Keystone may count it: only its answer tells whether the password was refused.
    expect(logins.signals[0]!.aborted).toBe(false);
    logins.answer();
    await Promise.all(firsts);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(unhandled).toEqual([]);
    const later = await client.events.list().toArray().catch((error: unknown) => error);
    expect((later as Error).name).toBe('AuthenticationError');
    expect((later as Error).message).toMatch(/will not try again/);
    expect(emulator.store.keystone.loginAttempts).toBe(1);
  });

  it('sent, is joined by a later request when the listing that needed it was closed, which lists with its token', async () => {
    const emulator = createEmulator({ events: 3 });
    const logins = heldLogins(emulator);
    const client = clientOf(emulator, { identity: identity(), fetch: logins.fetch });
    const closed = client.events.list().byPage()[Symbol.asyncIterator]();
    const first = closed.next().catch((error: unknown) => error);
    await vi.waitFor(() => expect(logins.signals).toHaveLength(1));
    // A watch stopped while its request waits for the login, and the next listing started at once.
    await closed.return!();
    expect(logins.signals[0]!.aborted).toBe(false);
    const later = client.events.list().toArray();
    logins.answer();
    expect(await later).toHaveLength(3);
    expect(logins.signals).toHaveLength(1);
    await first;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(unhandled).toEqual([]);
  });

  it('not sent yet, queued behind a login of the same user, is given up when the last listing waiting for it is closed', async () => {
    // A user of its own: the limiter of a user's logins is the process's, made with the first client's settings.
    const user = { ...USER, userName: 'queued-reader' };
    const emulator = createEmulator({ events: 3, users: [user] });
    const logins = heldLogins(emulator);
    // One login of this user at a time: the second client's waits for the first's.
    const options = { identity: identity({ userName: user.userName }), fetch: logins.fetch, rateLimit: { maxConcurrent: 1 } };
    const [holding, queued] = [clientOf(emulator, options), clientOf(emulator, options)];
    const held = holding.events.list().toArray();
    await vi.waitFor(() => expect(logins.signals).toHaveLength(1));
    const closed = queued.events.list().byPage()[Symbol.asyncIterator]();
    const first = closed.next().catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await closed.return!();
    logins.answer();
    expect(await held).toHaveLength(3);
    await first;
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Never sent: the limiter let it go when its last listing left.
    expect(logins.signals).toHaveLength(1);
    expect(emulator.store.keystone.loginAttempts).toBe(1);
    expect(unhandled).toEqual([]);
    // A later listing logs in anew.
    expect(await queued.events.list().toArray()).toHaveLength(3);
    expect(emulator.store.keystone.loginAttempts).toBe(2);
  });

  it('with a wrong password, listings each aborted before a slow Keystone answers send one login, not one each: five locked the account', async () => {
    const emulator = createEmulator({ events: 3 });
    const slow: typeof fetch = async (input, init) => {
      const answer = emulator.fetch(input as string, init);
      await new Promise((resolve) => setTimeout(resolve, 40));
      init?.signal?.throwIfAborted();
      return answer;
    };
    // A password of its own: the process remembers the refusal of the one above for 15 minutes.
    const client = clientOf(emulator, { identity: identity({ password: 'wrong-password-5432' }), fetch: slow });
    const failures: unknown[] = [];
    for (let listing = 0; listing < 10; listing++) {
      failures.push(await client.events.list().toArray({ signal: AbortSignal.timeout(10) }).catch((error: unknown) => error));
    }
    expect(emulator.store.keystone.isLocked(USER.domainName, USER.userName)).toBe(false);
    expect(emulator.store.keystone.loginAttempts).toBe(1);
    // Once Keystone's refusal is read, every listing fails with it at once.
    expect((failures.at(-1) as Error).message).toMatch(/will not try again/);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(unhandled).toEqual([]);
  });
});
