import { describe, expect, it } from 'vitest';
import { redact, secretCount } from '../../../src/core/redact.js';
import { clientOf, createEmulator, identity, movableClock, USER } from './helpers.js';

const registered = (value: string): boolean => redact(`x ${value} y`) === 'x [REDACTED] y';

describe('Keystone token renewal', () => {
  it('keeps the password and the last two tokens registered, however often the token is renewed', async () => {
    const before = secretCount();
    // A token of 30 s is renewed after three quarters of its life: 25 s between listings renews it each time.
    const { clock, at } = movableClock();
    const emulator = createEmulator({ events: 2, tokenTtl: 30_000, clock });
    const client = clientOf(emulator, { identity: identity(), clock });
    for (let listing = 0; listing < 25; listing++) {
      at.now += 25_000;
      await client.events.list().toArray();
      // The password, the token in use and the one before it, and the base64 of each.
      expect(secretCount() - before).toBeLessThanOrEqual(6);
    }
    const tokens = [...new Set(emulator.requests.filter((r) => r.method === 'GET').map((r) => r.headers.get('x-auth-token') as string))];
    expect(tokens).toHaveLength(25);
    expect(tokens.slice(0, -2).filter(registered)).toEqual([]);
    expect(tokens.slice(-2).every(registered)).toBe(true);
    expect(registered(USER.password)).toBe(true);
    expect(client).toBeDefined();
  });
});
