/**
 * A Keystone login is shared by the requests that wait for it. A request that has given up starts none,
 * and the last one to leave takes the login in flight with it: left running, it was sent for no one
 * (a login counts towards the lockout), kept a socket and a timer alive, and its failure went
 * unhandled, which crashes a process by Node's default.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clientOf, createEmulator, identity } from './helpers.js';

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

  it('in flight, is given up when the last listing waiting for it is closed', async () => {
    const emulator = createEmulator({ events: 3 });
    const logins = heldLogins(emulator);
    const client = clientOf(emulator, { identity: identity({ password: 'wrong-password-9876' }), fetch: logins.fetch });
    const pages = [client.events.list().byPage()[Symbol.asyncIterator](), client.events.list().byPage()[Symbol.asyncIterator]()];
    const firsts = pages.map((page) => page.next().catch((error: unknown) => error));
    await vi.waitFor(() => expect(logins.signals).toHaveLength(1));
    await pages[0]!.return!();
    // Another listing still waits for it.
    expect(logins.signals[0]!.aborted).toBe(false);
    await pages[1]!.return!();
    expect(logins.signals[0]!.aborted).toBe(true);
    logins.answer();
    await Promise.all(firsts);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(unhandled).toEqual([]);
    // Given up, not refused: a later request logs in, and sees Keystone's refusal of the password.
    const later = await client.events.list().toArray().catch((error: unknown) => error);
    expect((later as Error).name).toBe('AuthenticationError');
  });

  it('given up and not settled yet, is not joined by a later request, which logs in anew and lists', async () => {
    const emulator = createEmulator({ events: 3 });
    const logins = heldLogins(emulator);
    const client = clientOf(emulator, { identity: identity(), fetch: logins.fetch });
    const closed = client.events.list().byPage()[Symbol.asyncIterator]();
    const first = closed.next().catch((error: unknown) => error);
    await vi.waitFor(() => expect(logins.signals).toHaveLength(1));
    // A watch stopped while its request waits for the login, and the next listing started at once.
    await closed.return!();
    expect(logins.signals[0]!.aborted).toBe(true);
    const later = client.events.list().toArray();
    await vi.waitFor(() => expect(logins.signals).toHaveLength(2));
    logins.answer();
    expect(await later).toHaveLength(3);
    await first;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(unhandled).toEqual([]);
  });
});
