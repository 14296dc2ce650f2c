/**
 * Base URLs of a server on this machine, over real sockets: IPv6 loopback (`http://[::1]:port`), with a
 * trailing slash, with the API path a copied URL ends in, and IPv4 with a port and a trailing slash
 * reach the vendor's paths once, each page of a listing on the same address. A plain `http:` base
 * that is not loopback is refused at construction, before anything is sent, for the base URL and
 * for FUJITSU's Keystone `identity.url` alike.
 */
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/core/errors.js';
import type { FetchFunction } from '../../src/core/fetch.js';
import { fujitsu } from '../../src/providers/fujitsu/index.js';
import { DEFAULT_FUJITSU_TENANT, DEFAULT_FUJITSU_USER } from '../../src/providers/fujitsu/emulator.js';
import { tines } from '../../src/providers/tines/index.js';
import { DEFAULT_TINES_CREDENTIAL, tinesEmulator } from '../../src/providers/tines/emulator.js';
import { startKeepAliveWire, type KeepAliveWire } from '../support/keep-alive-wire.js';

let wire: KeepAliveWire | undefined;
afterEach(async () => {
  await wire?.close();
  wire = undefined;
});

/** Whether this machine has IPv6 loopback (a container may have none). */
const hasIpv6 = await new Promise<boolean>((resolve) => {
  const probe = createServer();
  probe.once('error', () => resolve(false));
  probe.listen(0, '::1', () => probe.close(() => resolve(true)));
});

const handle = tinesEmulator.create({ seed: 6, events: 7, rateLimit: false }).handle;

describe('a loopback base URL', () => {
  it.each([
    ['::1', ''],
    ['::1', '/'],
    ['::1', '/api/v1/'],
    ['127.0.0.1', '/'],
  ])('on %s, ending in "%s", reaches the listing', async (host, end) => {
    if (host === '::1' && !hasIpv6) return;
    wire = await startKeepAliveWire(handle, () => 'answer', host);
    const client = tines({ baseUrl: `${wire.url}${end}`, token: DEFAULT_TINES_CREDENTIAL.key, rateLimit: false, timeout: 2_000, retry: false });
    const events = await client.events.list({ pageSize: 3 }).toArray();
    expect(events).toHaveLength(7);
    expect(wire.received.map((request) => request.target)).toEqual([
      '/api/v1/events?per_page=3',
      '/api/v1/events?page=2&per_page=3',
      '/api/v1/events?page=3&per_page=3',
    ]);
  });
});

describe('a plain http: base URL that is not loopback', () => {
  const called: string[] = [];
  const fetch: FetchFunction = (url) => {
    called.push(url);
    return Promise.reject(new Error('no request may be sent'));
  };

  it.each(['http://192.168.1.20:8080/', 'http://localhost.:8080', 'http://[::ffff:127.0.0.1]:8080', 'http://0.0.0.0:8080'])(
    'is refused before any request: %s',
    (baseUrl) => {
      expect(() => tines({ baseUrl, token: DEFAULT_TINES_CREDENTIAL.key, fetch })).toThrow(ConfigurationError);
      expect(() =>
        fujitsu({ baseUrl: 'https://k5.example.com', tenantId: DEFAULT_FUJITSU_TENANT, identity: { ...DEFAULT_FUJITSU_USER, url: baseUrl }, fetch }),
      ).toThrow(/identity\.url.*https: is required/);
      expect(called).toEqual([]);
    },
  );
});
