/**
 * Credentials in text beyond ASCII. A Basic user name and password travel base64-encoded as UTF-8, so
 * `é` and emoji reach the vendor as typed. A lone surrogate (half an emoji, a `\ud800` escape read from
 * JSON) has no UTF-8 form: in Basic it went out as U+FFFD, a password other than the one given, and in
 * a Keystone login as a `\ud83d` escape no stored password matches, refused by the vendor after the
 * request (a Keystone login refused counts towards its lockout). It is refused when the client is
 * built, naming the option and not the value.
 */
import { describe, expect, it, vi } from 'vitest';
import { isConfigurationError } from '../../src/core/errors.js';
import { fujitsu } from '../../src/providers/fujitsu/index.js';
import { informatica } from '../../src/providers/informatica/index.js';
import { informaticaEmulator } from '../../src/providers/informatica/emulator.js';
import { thrownBy } from '../support/thrown-by.js';

const HALF = 'kq7\ud83dzx9';

describe('a credential with a lone surrogate', () => {
  const fetch = vi.fn<typeof globalThis.fetch>();
  const base = { baseUrl: 'https://pod.example.com/dih-console', fetch, rateLimit: false } as const;

  it.each([
    ['username', () => informatica({ ...base, username: `user${HALF}`, password: 'secret-1' })],
    ['password', () => informatica({ ...base, username: 'user', password: HALF })],
    [
      'identity.userName',
      () => fujitsu({ ...base, tenantId: 't1', identity: { url: 'https://identity.example.com', userName: HALF, password: 'secret-1', domainName: 'd1' } }),
    ],
    [
      'identity.password',
      () => fujitsu({ ...base, tenantId: 't1', identity: { url: 'https://identity.example.com', userName: 'u1', password: HALF, domainName: 'd1' } }),
    ],
  ])('is refused as %s before any request, its value not shown', (option, build) => {
    const error = thrownBy(build);
    expect(isConfigurationError(error)).toBe(true);
    expect(error).toMatchObject({ option });
    expect((error as Error).message).toMatch(/lone surrogate/);
    expect((error as Error).message).not.toContain('zx9');
    expect(fetch).not.toHaveBeenCalled();
  });
});

describe('a Basic credential beyond ASCII', () => {
  it('reaches the vendor as typed, `é` and emoji', async () => {
    const user = { user: 'josé@exämple.com', password: 'pässwört🔑' };
    const emulator = informaticaEmulator.create({ events: 3, seed: 1, users: [user] });
    const client = informatica({ baseUrl: 'https://pod.example.com', username: user.user, password: user.password, fetch: emulator.fetch, rateLimit: false });
    expect(await client.events.list({ range: 'LAST_30_DAYS' }).toArray()).not.toHaveLength(0);
  });
});
