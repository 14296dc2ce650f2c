import { afterEach, describe, expect, it } from 'vitest';
import { getResponse } from 'msw';
import { createGenericEmulator, listen, toFetch, toMswHandlers } from '../../src/testing/index.js';
import { LINEAR_BOUND_MS, LONG_RUN, millisecondsOf } from '../support/linear-time.js';
import { openTransport, TRANSPORTS, type Transport } from './support.js';

const PATHS = [
  '/token?pageSize=7',
  '/since-id?since_id=1000010&per_page=5',
  '/marker?limit=4',
  '/offset?offset=3&count=6',
  '/window?from=2026-11-01T00:00:00Z&to=2026-11-01T00:20:00Z&max=3',
  '/events/1000001',
  '/events/1',
  '/nowhere',
];

async function snapshot(response: Response) {
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    total: response.headers.get('x-total-count'),
    body: await response.text(),
  };
}

let open: Transport | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

describe('adapters', () => {
  const reference = createGenericEmulator({ seed: 5, events: 30 });
  const expected = Promise.all(PATHS.map(async (path) => snapshot(await reference.handle(new Request(`https://x.test${path}`)))));

  it.each(TRANSPORTS)('%s serves the same responses as the handler', async (kind) => {
    const emulator = createGenericEmulator({ seed: 5, events: 30 });
    open = await openTransport(kind, emulator);
    const seen = [];
    for (const path of PATHS) seen.push(await snapshot(await open.fetch(path)));
    expect(seen).toEqual(await expected);
    expect(seen.map((s) => s.status)).toEqual([200, 200, 200, 200, 200, 200, 404, 404]);
  });

  it.each(TRANSPORTS)('%s passes method, headers and body through', async (kind) => {
    const emulator = createGenericEmulator({ token: 'tok-123' });
    open = await openTransport(kind, emulator);
    const response = await open.fetch('/offset?offset=0&count=1', {
      method: 'POST',
      headers: { authorization: 'Bearer tok-123', 'x-trace': 'abc' },
      body: '{"probe":true}',
    });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
    const recorded = emulator.requests.at(-1);
    expect(recorded?.method).toBe('POST');
    expect(recorded?.body).toBe('{"probe":true}');
    expect(recorded?.headers.get('x-trace')).toBe('abc');
    expect(recorded?.headers.get('authorization')).toBe('Bearer tok-123');
  });

  it('msw intercepts only under the base URL, path prefix included', async () => {
    const emulator = createGenericEmulator({ events: 3 });
    const { setupServer } = await import('msw/node');
    const server = setupServer(...(await emulator.msw('https://api.test.example/v1/')));
    server.listen({ onUnhandledRequest: () => {} });
    try {
      // Under the prefix, the emulator sees the full path, so this route does not exist there.
      expect((await fetch('https://api.test.example/v1/offset')).status).toBe(404);
      await expect(fetch('https://api.test.example/v10/offset')).rejects.toThrow();
      await expect(fetch('https://other.test.example/v1/offset')).rejects.toThrow();
      expect(emulator.requests.map((r) => r.path)).toEqual(['/v1/offset']);
    } finally {
      server.close();
    }
  });

  it('msw handlers use the emulator baseUrl by default', async () => {
    const emulator = createGenericEmulator({ events: 2, baseUrl: 'https://generic.test.example' });
    const { setupServer } = await import('msw/node');
    const server = setupServer(...(await emulator.msw()));
    server.listen({ onUnhandledRequest: 'error' });
    try {
      const body = (await (await fetch('https://generic.test.example/offset')).json()) as { items: unknown[] };
      expect(body.items).toHaveLength(2);
    } finally {
      server.close();
    }
  });

  it('toFetch rejects with the signal reason when aborted', async () => {
    const emulator = createGenericEmulator();
    const reason = new Error('stop');
    await expect(toFetch(emulator.handle)('https://x.test/offset', { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
  });
});

describe('a base URL with a long run of slashes inside its path', () => {
  // Each slash of the run was tried again to its end as the path's last: 200,000 took most of a minute
  // when the emulator was built, and again at every request the msw handler looked at.
  const baseUrl = `https://generic.test.example/a${'/'.repeat(LONG_RUN)}b/`;

  it('builds an emulator in time linear in its length', () => {
    expect(millisecondsOf(() => createGenericEmulator({ events: 0, baseUrl }))).toBeLessThan(LINEAR_BOUND_MS);
  });

  it('has its msw handler tell a request under it in time linear in its length', async () => {
    const handlers = await toMswHandlers(createGenericEmulator({ events: 0 }).handle, baseUrl);
    const start = performance.now();
    expect(await getResponse(handlers, new Request('https://generic.test.example/elsewhere'))).toBeUndefined();
    expect(performance.now() - start).toBeLessThan(LINEAR_BOUND_MS);
  });
});

describe('listen', () => {
  const servers = () => process.getActiveResourcesInfo().filter((name) => name === 'TCPServerWrap').length;

  it('binds 127.0.0.1 on a free port, serves HEAD without a body, and closes without leaking the server', async () => {
    const before = servers();
    const emulator = createGenericEmulator({ events: 4 });
    const server = await emulator.listen();
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(servers()).toBe(before + 1);
    // A keep-alive connection stays open after this answer; close() must end it.
    expect((await fetch(`${server.url}/offset`)).headers.get('x-total-count')).toBe('4');
    const head = await fetch(`${server.url}/offset`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    await server.close();
    // libuv releases the listening handle in its close phase, a few event-loop turns after 'close'.
    for (let turn = 0; turn < 50 && servers() > before; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(servers()).toBe(before);
    await expect(fetch(`${server.url}/offset`)).rejects.toThrow();
  });

  it('aborts the emulator work of a request whose client went away', async () => {
    const signals: AbortSignal[] = [];
    const clock = {
      now: () => Date.now(),
      scale: 1,
      // Never resolves by itself: only the abort of the request ends it.
      sleep: (_ms: number, signal?: AbortSignal) =>
        new Promise<void>((_, reject) => {
          if (signal) signals.push(signal);
          signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
        }),
    };
    const emulator = createGenericEmulator({ clock });
    emulator.faults.add({ kind: 'latency', ms: 3_600_000 });
    const server = await emulator.listen();
    try {
      const controller = new AbortController();
      const pending = fetch(`${server.url}/offset`, { signal: controller.signal }).catch((error: unknown) => error);
      while (signals.length === 0) await new Promise((resolve) => setImmediate(resolve));
      controller.abort();
      await pending;
      while (!signals[0]?.aborted) await new Promise((resolve) => setImmediate(resolve));
      expect(signals[0]?.aborted).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('streams a large body', async () => {
    const emulator = createGenericEmulator({ events: 5_000, maxPageSize: 5_000 });
    const server = await listen(emulator.handle);
    try {
      const body = (await (await fetch(`${server.url}/offset?count=5000`)).json()) as { items: unknown[] };
      expect(body.items).toHaveLength(5_000);
    } finally {
      await server.close();
    }
  });

  it('rejects a bad port before binding', async () => {
    await expect(listen(createGenericEmulator().handle, { port: 70_000 })).rejects.toMatchObject({
      name: 'ConfigurationError',
      option: 'port',
    });
  });
});
