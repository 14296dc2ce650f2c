/**
 * What the clients of one Keystone identity share in a process (README "Authenticate"): a refused
 * password, so that five clients of it cannot lock the account between them, and a login in flight
 * with its retries, so that the listings waiting for a token cost the logins of one.
 */
import { describe, expect, it, vi } from 'vitest';
import { isAuthenticationError, isHttpError } from '../../../src/core/errors.js';
import { clientOf, createEmulator, identity, movableClock, USER } from './helpers.js';

const LOGIN = '/v3/auth/tokens';

function urlOf(input: Parameters<typeof fetch>[0]): string {
  return typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
}

/** A user of its own per test: a refusal is remembered by the process, across the tests of a file. */
function emulatorWith(userName: string) {
  const user = { ...USER, userName };
  return { emulator: createEmulator({ events: 3, users: [user] }), user };
}

/** The emulator's fetch, with the first logins answered by `script` (a status, no Retry-After) and counted. */
function scriptedLogins(emulator: ReturnType<typeof createEmulator>, script: number[]) {
  const seen = { logins: 0 };
  const fetch: typeof globalThis.fetch = async (input, init) => {
    if (!urlOf(input).endsWith(LOGIN)) return emulator.fetch(input as string, init);
    const status = script[seen.logins++];
    if (status === undefined) return emulator.fetch(input as string, init);
    return new Response(JSON.stringify({ error: { code: status, title: 'Unavailable', message: 'Keystone is busy.' } }), {
      status,
      headers: { 'content-type': 'application/json' },
    });
  };
  return { fetch, seen };
}

describe('the clients of one Keystone identity in a process', () => {
  it('share a refused password: of five clients listing one after the other, only the first sends it', async () => {
    const { emulator, user } = emulatorWith('refused-in-turn');
    const wrong = identity({ userName: user.userName, password: 'wrong-password-in-turn' });
    const failures: unknown[] = [];
    for (let client = 0; client < 5; client++) {
      failures.push(await clientOf(emulator, { identity: wrong }).events.list().toArray().catch((error: unknown) => error));
    }
    expect(emulator.store.keystone.loginAttempts).toBe(1);
    expect(emulator.store.keystone.isLocked(user.domainName, user.userName)).toBe(false);
    for (const failure of failures) {
      expect(isAuthenticationError(failure)).toBe(true);
      expect(failure).toMatchObject({ operation: 'auth.login', message: expect.stringMatching(/will not try again/) });
      expect(String(failure)).not.toContain('wrong-password-in-turn');
    }
  });

  it('share a refused password: five clients listing at once send it once', async () => {
    const { emulator, user } = emulatorWith('refused-at-once');
    const wrong = identity({ userName: user.userName, password: 'wrong-password-at-once' });
    const clients = Array.from({ length: 5 }, () => clientOf(emulator, { identity: wrong }));
    const failures = await Promise.all(clients.map((client) => client.events.list().toArray().catch((error: unknown) => error)));
    expect(emulator.store.keystone.loginAttempts).toBe(1);
    expect(emulator.store.keystone.isLocked(user.domainName, user.userName)).toBe(false);
    for (const failure of failures) expect(isAuthenticationError(failure)).toBe(true);
  });

  it('do not share it with another password, another project or another user; a new client tries again after 15 minutes', async () => {
    const { emulator, user } = emulatorWith('refused-for-a-while');
    const { clock, at } = movableClock();
    const wrong = identity({ userName: user.userName, password: 'wrong-password-for-a-while' });
    await expect(clientOf(emulator, { identity: wrong, clock }).events.list().toArray()).rejects.toThrow(/will not try again/);
    // The right password is another key: it logs in.
    expect(await clientOf(emulator, { identity: identity({ userName: user.userName }), clock }).events.list().toArray()).toHaveLength(3);
    // Another project is another identity: its refusal is its own.
    await expect(clientOf(emulator, { identity: { ...wrong, projectId: 'another-project' }, clock }).events.list().toArray()).rejects.toThrow(
      /will not try again/,
    );
    expect(emulator.store.keystone.loginAttempts).toBe(3);
    at.now += 14 * 60_000;
    await expect(clientOf(emulator, { identity: wrong, clock }).events.list().toArray()).rejects.toThrow(/will not try again/);
    expect(emulator.store.keystone.loginAttempts).toBe(3);
    at.now += 2 * 60_000;
    await expect(clientOf(emulator, { identity: wrong, clock }).events.list().toArray()).rejects.toThrow(/will not try again/);
    expect(emulator.store.keystone.loginAttempts).toBe(4);
  });

  it('keep a refusal whose body was being read when the client that sent it was stopped', async () => {
    const { emulator, user } = emulatorWith('refused-while-read');
    let release = (): void => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    let logins = 0;
    const fetch: typeof globalThis.fetch = async (input, init) => {
      if (!urlOf(input).endsWith(LOGIN)) return emulator.fetch(input as string, init);
      logins += 1;
      const encoder = new TextEncoder();
      const body = new ReadableStream<Uint8Array>({
        async start(controller) {
          controller.enqueue(encoder.encode('{"error":{"code":401,"title":"Unauthorized",'));
          await released;
          controller.enqueue(encoder.encode('"message":"The request you have made requires authentication."}}'));
          controller.close();
        },
      });
      return new Response(body, { status: 401, headers: { 'content-type': 'application/json' } });
    };
    const wrong = identity({ userName: user.userName, password: 'wrong-password-while-read' });
    // Its body stalls longer than the excerpt is waited for on this fast clock: the clock stands still.
    const slow = { now: () => Date.now(), scale: 1, sleep: async () => undefined };
    const stop = new AbortController();
    const stopped = clientOf(emulator, { identity: wrong, fetch, signal: stop.signal, clock: slow });
    const call = new AbortController();
    const left = clientOf(emulator, { identity: wrong, fetch, clock: slow });
    const first = [
      stopped.events.list().toArray().catch((error: unknown) => error),
      left.events.list().toArray({ signal: call.signal }).catch((error: unknown) => error),
    ];
    await vi.waitFor(() => expect(logins).toBe(1));
    await new Promise((resolve) => setTimeout(resolve, 10));
    call.abort(new Error('the call left'));
    stop.abort(new Error('the client stopped'));
    expect(await Promise.all(first)).toMatchObject([{ message: 'the client stopped' }, { message: 'the call left' }]);
    release();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const later = await clientOf(emulator, { identity: wrong, fetch }).events.list().toArray().catch((error: unknown) => error);
    expect(isAuthenticationError(later)).toBe(true);
    expect(logins).toBe(1);
  });
});

describe('listings waiting for a login answered 503 or 429 without Retry-After', () => {
  it('share one login and its retries: eight listings cost the logins of one', async () => {
    const { emulator, user } = emulatorWith('busy-then-ok');
    const logins = scriptedLogins(emulator, [503, 429, 503]);
    const client = clientOf(emulator, { identity: identity({ userName: user.userName }), fetch: logins.fetch, retry: { retries: 3 } });
    const listings = await Promise.all(Array.from({ length: 8 }, () => client.events.list().toArray()));
    for (const events of listings) expect(events).toHaveLength(3);
    expect(logins.seen.logins).toBe(4);
  });

  it("are retried with each client's own retry options, though the user's login limiter is the first client's", async () => {
    const { emulator, user } = emulatorWith('busy-for-two');
    const logins = scriptedLogins(emulator, Array.from({ length: 40 }, () => 503));
    const options = { identity: identity({ userName: user.userName }), fetch: logins.fetch };
    await expect(clientOf(emulator, { ...options, retry: false, rateLimit: { maxConcurrent: 1 } }).events.list().toArray()).rejects.toThrow(/503/);
    expect(logins.seen.logins).toBe(1);
    await expect(clientOf(emulator, { ...options, retry: { retries: 2 } }).events.list().toArray()).rejects.toThrow(/after 3 attempts/);
    expect(logins.seen.logins).toBe(4);
  });

  it('fail together with the one error of the login that ran out of retries', async () => {
    const { emulator, user } = emulatorWith('busy-throughout');
    const logins = scriptedLogins(emulator, Array.from({ length: 40 }, () => 503));
    const client = clientOf(emulator, { identity: identity({ userName: user.userName }), fetch: logins.fetch, retry: { retries: 3 } });
    const failures = await Promise.all(Array.from({ length: 8 }, () => client.events.list().toArray().catch((error: unknown) => error)));
    expect(logins.seen.logins).toBe(4);
    for (const failure of failures) {
      expect(isHttpError(failure) && failure.status === 503).toBe(true);
      expect(failure).toMatchObject({ operation: 'auth.login', message: expect.stringMatching(/after 4 attempts/) });
    }
  });
});
