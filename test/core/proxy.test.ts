/**
 * Collecting through an HTTP proxy (README "Options every factory takes", `fetch`): undici's `fetch`
 * with a `ProxyAgent` as the `fetch` option, type-checked as the option's example writes it (no cast);
 * undici's `setGlobalDispatcher`, which Node's own fetch follows; and, on Node 24, the command line's
 * `fetch` following `HTTP_PROXY` under `NODE_USE_ENV_PROXY=1`. The proxy is a real one on 127.0.0.1
 * that tunnels `CONNECT`; what it reads in clear must hold no credential.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetch as undiciFetch, getGlobalDispatcher, ProxyAgent, setGlobalDispatcher } from 'undici';
import type { FetchFunction } from 'tributary';
import { fujitsu } from 'tributary/fujitsu';
import { illumio } from 'tributary/illumio';
import { informatica } from 'tributary/informatica';
import { socotra } from 'tributary/socotra';
import { tines } from 'tributary/tines';
import {
  createEmulator,
  DEFAULT_FUJITSU_TENANT,
  DEFAULT_FUJITSU_USER,
  DEFAULT_ILLUMIO_CREDENTIAL,
  DEFAULT_INFORMATICA_USER,
  DEFAULT_TINES_CREDENTIAL,
  illumioDemoEnv,
  SOCOTRA_EMULATOR_TENANT,
  SOCOTRA_EMULATOR_TOKEN,
  type EmulatorServer,
} from 'tributary/testing';
import { cliWorkspace } from '../support/cli-process.js';

/** A forward proxy that only tunnels, as a corporate one does for `https:`; it keeps what it was sent. */
interface TunnelProxy {
  readonly url: string;
  /** Every request line and header the proxy read: all of it in clear. */
  readonly seen: string[];
  close(): Promise<void>;
}

async function tunnelProxy(): Promise<TunnelProxy> {
  const seen: string[] = [];
  const server: Server = createServer((request, response) => {
    seen.push(`${request.method} ${request.url} ${JSON.stringify(request.headers)}`);
    response.writeHead(405).end();
  });
  server.on('connect', (request, client, head) => {
    seen.push(`CONNECT ${request.url} ${JSON.stringify(request.headers)}`);
    const [host = '', port = ''] = (request.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

const VENDORS = ['socotra', 'tines', 'fujitsu', 'illumio', 'informatica'] as const;
type Vendor = (typeof VENDORS)[number];

/** Every credential the clients below send: none may reach the proxy in clear. */
const SECRETS = [
  SOCOTRA_EMULATOR_TOKEN,
  DEFAULT_TINES_CREDENTIAL.key,
  DEFAULT_FUJITSU_USER.password,
  DEFAULT_ILLUMIO_CREDENTIAL.apiSecret,
  DEFAULT_INFORMATICA_USER.password,
];

/** Each vendor's listing through `fetch` (left out: the process's own), FUJITSU's with a Keystone login. */
function listAll(vendor: Vendor, baseUrl: string, fetch?: FetchFunction): Promise<unknown[]> {
  const common = { baseUrl, ...(fetch === undefined ? {} : { fetch }) };
  switch (vendor) {
    case 'socotra':
      return socotra({ ...common, tenantLocator: SOCOTRA_EMULATOR_TENANT, token: SOCOTRA_EMULATOR_TOKEN }).events.list().toArray();
    case 'tines':
      return tines({ ...common, token: DEFAULT_TINES_CREDENTIAL.key }).events.list().toArray();
    case 'fujitsu':
      return fujitsu({ ...common, tenantId: DEFAULT_FUJITSU_TENANT, identity: { ...DEFAULT_FUJITSU_USER, url: baseUrl } })
        .events.list({ since: '2020-01-01T00:00:00Z' })
        .toArray();
    case 'illumio':
      return illumio({ ...common, orgId: 1, ...DEFAULT_ILLUMIO_CREDENTIAL }).events.list().toArray();
    case 'informatica':
      return informatica({ ...common, username: DEFAULT_INFORMATICA_USER.user, password: DEFAULT_INFORMATICA_USER.password }).events.list().toArray();
  }
}

describe('through an HTTP proxy', () => {
  let proxy: TunnelProxy;
  beforeAll(async () => {
    proxy = await tunnelProxy();
  });
  afterAll(() => proxy.close());

  describe.each(VENDORS)('%s', (vendor) => {
    let server: EmulatorServer;
    let direct: number;
    beforeAll(async () => {
      const emulator = createEmulator(vendor, { seed: 7, events: 230 });
      server = await emulator.listen();
      direct = (await listAll(vendor, server.url)).length;
    });
    afterAll(() => server.close());

    it("collects everything with undici's fetch and a ProxyAgent as the `fetch` option", async () => {
      proxy.seen.length = 0;
      const agent = new ProxyAgent(proxy.url);
      try {
        // The option's own example, as a user writes it: it must type-check without a cast.
        const events = await listAll(vendor, server.url, (url, init) => undiciFetch(url, { ...init, dispatcher: agent }));
        expect(events).toHaveLength(direct);
      } finally {
        await agent.close();
      }
      const host = new URL(server.url).host;
      expect(proxy.seen.length).toBeGreaterThan(0);
      for (const line of proxy.seen) {
        expect(line.startsWith(`CONNECT ${host} `)).toBe(true);
        for (const secret of SECRETS) expect(line).not.toContain(secret);
      }
    });
  });

  it("collects with undici's global dispatcher, which Node's own fetch follows, without the option", async () => {
    const emulator = createEmulator('illumio', { seed: 7, events: 120 });
    const server = await emulator.listen();
    const before = getGlobalDispatcher();
    const agent = new ProxyAgent(proxy.url);
    proxy.seen.length = 0;
    setGlobalDispatcher(agent);
    try {
      expect(await listAll('illumio', server.url)).toHaveLength(120);
    } finally {
      setGlobalDispatcher(before);
      await agent.close();
      await server.close();
    }
    expect(proxy.seen.some((line) => line.startsWith(`CONNECT ${new URL(server.url).host} `))).toBe(true);
  });

  describe('the command line', () => {
    const workspace = cliWorkspace('tributary-proxy-');
    const nodeMajor = Number(process.versions.node.split('.')[0]);

    it.runIf(nodeMajor >= 24)('follows HTTP_PROXY on Node 24 under NODE_USE_ENV_PROXY=1', async () => {
      const emulator = createEmulator('illumio', { seed: 7, events: 40 });
      const server = await emulator.listen();
      proxy.seen.length = 0;
      try {
        const child = spawn(process.execPath, [workspace.main, 'pull', 'illumio'], {
          env: { ...process.env, ...illumioDemoEnv(server.url), NODE_USE_ENV_PROXY: '1', HTTP_PROXY: proxy.url, NO_PROXY: '' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        let err = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
        const [code] = (await once(child, 'exit')) as [number | null];
        expect({ code, err }).toEqual({ code: 0, err: expect.stringContaining('tributary: 40 illumio events;') });
        expect(out.trim().split('\n')).toHaveLength(40);
      } finally {
        await server.close();
      }
      expect(proxy.seen.some((line) => line.startsWith(`CONNECT ${new URL(server.url).host} `))).toBe(true);
      for (const line of proxy.seen) for (const secret of SECRETS) expect(line).not.toContain(secret);
    });
  });
});
