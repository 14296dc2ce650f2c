/**
 * The key each factory gives its limiter: one per (vendor, base URL, credential), the credential
 * hashed, since a shared limit's key is readable by anyone who can read its Redis.
 */
import { describe, expect, it } from 'vitest';
import { unlimited } from '../../src/core/rate-limit.js';
import { BUILD_SHARED_LIMITER, type SharedRateLimit } from '../../src/core/rate-limit/shared.js';
import { fujitsu } from '../../src/providers/fujitsu/index.js';
import { informatica } from '../../src/providers/informatica/index.js';

/** A shared limit that records the keys it is asked for and limits nothing. */
function spy(): { shared: SharedRateLimit; keys: string[] } {
  const keys: string[] = [];
  const shared = { [BUILD_SHARED_LIMITER]: async (key: string) => (keys.push(key), unlimited) } as unknown as SharedRateLimit;
  return { shared, keys };
}

const notFound = async () => Response.json({}, { status: 404 });

describe('limiter keys', () => {
  it('Informatica names its user by a hash, not in clear', async () => {
    const { shared, keys } = spy();
    const username = 'Administrator@MyCompany.com';
    const client = informatica({ baseUrl: 'https://c.example.com', username, password: 'pw-123456789', fetch: notFound, retry: false, rateLimit: { shared } });
    await client.events.get(1).catch(() => undefined);
    expect(keys).toHaveLength(1);
    expect(keys[0]).not.toContain(username);
    expect(keys[0]).toMatch(/^informatica https:\/\/c\.example\.com informatica:[0-9a-f]{16}$/);
  });

  it('FUJITSU logs each user in through a limiter of its own', async () => {
    const keysOf = async (userName: string) => {
      const { shared, keys } = spy();
      const identity = { url: 'https://id.example.com', userName, password: 'pw-1234567', domainName: 'd' };
      await fujitsu({ baseUrl: 'https://d.example.com', tenantId: 't1', identity, fetch: notFound, retry: false, rateLimit: { shared } })
        .events.list()
        .toArray()
        .catch(() => undefined);
      return keys.filter((key) => key.includes('keystone-login'));
    };
    const [alice, bob] = [await keysOf('alice'), await keysOf('bob')];
    expect(alice).toHaveLength(1);
    expect(bob).toHaveLength(1);
    expect(alice[0]).not.toBe(bob[0]);
    expect(alice[0]).not.toContain('alice');
  });

  it('FUJITSU keeps a login limiter per user when the requests share a named key', async () => {
    const { shared, keys } = spy();
    // Users of their own: a limiter is built once per key in a process.
    for (const userName of ['carol', 'dave']) {
      const identity = { url: 'https://id.example.com', userName, password: 'pw-1234567', domainName: 'd' };
      await fujitsu({ baseUrl: 'https://d.example.com', tenantId: 't1', identity, fetch: notFound, retry: false, rateLimit: { key: 'k5', shared } })
        .events.list()
        .toArray()
        .catch(() => undefined);
    }
    const logins = keys.filter((key) => key.startsWith('fujitsu https://id.example.com '));
    expect(logins).toHaveLength(2);
    expect(logins.every((key) => key.includes('keystone-login:'))).toBe(true);
  });

  it('Informatica users of one organization share a limiter when they name one key, and stay apart without', async () => {
    const keysOf = async (rateLimit: { key?: string }) => {
      const { shared, keys } = spy();
      for (const username of ['alice', 'bob']) {
        await informatica({ baseUrl: 'https://c.example.com', username, password: 'pw-123456789', fetch: notFound, retry: false, rateLimit: { ...rateLimit, shared } })
          .events.get(1)
          .catch(() => undefined);
      }
      return keys;
    };
    // A limiter is built once per key, on the first request of its first client.
    expect(await keysOf({ key: 'acme-org' })).toEqual(['informatica https://c.example.com key acme-org']);
    expect(await keysOf({})).toHaveLength(2);
  });
});
