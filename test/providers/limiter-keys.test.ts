/**
 * The key each factory gives its limiter: one per (vendor, base URL, credential), the credential
 * hashed, since a shared limit's key is readable by anyone who can read its Redis.
 */
import { hash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { closeRateLimiters, unlimited } from '../../src/core/rate-limit.js';
import { BUILD_SHARED_LIMITER, type SharedRateLimit } from '../../src/core/rate-limit/shared.js';
import { fujitsu } from '../../src/providers/fujitsu/index.js';
import { illumio } from '../../src/providers/illumio/index.js';
import { informatica } from '../../src/providers/informatica/index.js';
import { socotra } from '../../src/providers/socotra/index.js';
import { tines } from '../../src/providers/tines/index.js';

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
    expect(keys[0]).toMatch(/^informatica https:\/\/c\.example\.com informatica:[0-9a-f]{32}$/);
  });

  /** The key of each static credential's limiter: built on its client's first request. */
  const credentialClients: Record<string, (credential: string, shared: SharedRateLimit) => { events: { list(): { toArray(): Promise<unknown> } } }> = {
    tines: (token, shared) => tines({ baseUrl: 'https://t.example.com', token, fetch: notFound, retry: false, rateLimit: { shared } }),
    socotra: (token, shared) =>
      socotra({ baseUrl: 'https://s.example.com', tenantLocator: '6a3e0b52-8f1d-4c3b-9e7a-2d5f4c1b8a90', token, fetch: notFound, retry: false, rateLimit: { shared } }),
    illumio: (apiKey, shared) => illumio({ baseUrl: 'https://p.example.com', orgId: 1, apiKey, apiSecret: 'abcdef012345', fetch: notFound, retry: false, rateLimit: { shared } }),
    fujitsu: (token, shared) => fujitsu({ baseUrl: 'https://d.example.com', tenantId: 't1', token, fetch: notFound, retry: false, rateLimit: { shared } }),
  };

  it.each(Object.keys(credentialClients))(
    '%s names its credential by a 128-bit cryptographic digest of its own, the same for the same credential',
    async (vendor) => {
      const keyOf = async (credential: string) => {
        const { shared, keys } = spy();
        await credentialClients[vendor]!(credential, shared).events.list().toArray().catch(() => undefined);
        // A limiter is built once per key in a process: the same credential's is asked for again after a close.
        await closeRateLimiters();
        expect(keys).toHaveLength(1);
        return keys[0]!;
      };
      const credential = 'tok_0123456789abcdef0123';
      const [one, again, other] = [await keyOf(credential), await keyOf(credential), await keyOf('tok_0123456789abcdef0124')];
      expect(one).toBe(again);
      expect(one).not.toBe(other);
      expect(one).not.toContain(credential);
      const digest = /:([0-9a-f]+)$/.exec(one)?.[1];
      expect(digest).toHaveLength(32);
      // Domain-separated: not a digest of the bare credential, which another store might also keep.
      expect(hash('sha256', credential, 'hex')).not.toContain(digest);
    },
  );

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
