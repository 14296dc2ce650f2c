/**
 * The three adapters answer the same request the same way, and a mistake in an emulator or a fault
 * fails one request, never the test process.
 */
import { inspect } from 'node:util';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/core/errors.js';
import { defineEmulator, type Emulator } from '../../src/testing/index.js';
import { openWire, type Wire } from '../support/http1-client.js';
import { manualClock, openTransport, TRANSPORTS, type Transport } from './support.js';

/** A body whose second half comes 50 ms after its first. */
function slowBody(): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode('[1, 2]');
  let timer: ReturnType<typeof setTimeout> | undefined;
  return new ReadableStream({
    start(controller) {
      controller.enqueue(bytes.slice(0, 3));
      timer = setTimeout(() => {
        controller.enqueue(bytes.slice(3));
        controller.close();
      }, 50);
    },
    cancel: () => clearTimeout(timer),
  });
}

/** Echoes what it received; `/nothing` forgets to return a response, `/slow` sends its body slowly. */
const echo = defineEmulator<undefined>({
  provider: 'socotra',
  baseUrl: 'https://api.test.example',
  createStore: () => undefined,
  handle: async (request) => {
    const url = new URL(request.url);
    const path = url.pathname;
    if (path === '/nothing') return undefined as unknown as Response;
    if (path === '/url') return Response.json({ url: request.url.slice(url.origin.length) });
    if (path === '/status') return new Response('{}', { status: Number(url.searchParams.get('status')), statusText: url.searchParams.get('reason') ?? '' });
    if (path === '/gzip') return new Response(gzipSync('{"packed":true}'), { headers: { 'content-encoding': url.searchParams.get('as') ?? 'gzip' } });
    if (path === '/layered') return new Response(brotliCompressSync(gzipSync('{"layers":2}')), { headers: { 'content-encoding': 'gzip, br' } });
    if (path === '/mislabelled') return new Response('{"packed":false}', { headers: { 'content-encoding': url.searchParams.get('as') ?? 'gzip' } });
    if (path === '/empty') return new Response(null, { status: 204 });
    if (path === '/blank') return new Response(null, { status: 200 });
    if (path === '/dated') return new Response('{}', { headers: { date: 'Mon, 23 Nov 2026 09:59:00 GMT' } });
    if (path === '/gappy') {
      const parts = ['ab', '', 'cd'].map((part) => new TextEncoder().encode(part));
      return new Response(new ReadableStream({ start: (controller) => (parts.forEach((part) => controller.enqueue(part)), controller.close()) }));
    }
    if (path === '/cookies') return new Response('{}', { headers: [['set-cookie', 'a=1; Path=/'], ['set-cookie', 'b=2; Path=/']] });
    if (path === '/slow') return new Response(slowBody());
    const redirect = ({ '/moved': 302, '/see-other': 303, '/temporary': 307 } as Record<string, number>)[path];
    if (redirect !== undefined) return new Response(null, { status: redirect, headers: { location: '/x' } });
    if (path === '/to') return new Response(null, { status: 302, headers: { location: url.searchParams.get('location') ?? '/x' } });
    const hops = /^\/hops\/(\d+)$/.exec(path)?.[1];
    if (hops !== undefined) return Number(hops) === 0 ? Response.json({ arrived: true }) : new Response(null, { status: 302, headers: { location: `/hops/${Number(hops) - 1}` } });
    if (path === '/headers') return Response.json(Object.fromEntries(['authorization', 'cookie', 'x-kept', 'content-type'].map((name) => [name, request.headers.get(name)])));
    const body = request.body === null ? null : await request.text();
    return Response.json({ method: request.method, path, body }, { headers: { 'x-echo': 'yes' } });
  },
});

let open: Transport | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

/** Serves `emulator` on a real port and runs `use` over one raw connection to it, closing both after. */
async function overWire(emulator: Emulator<unknown>, use: (wire: Wire, url: string) => Promise<void>): Promise<void> {
  const server = await emulator.listen();
  const wire = await openWire(server.port);
  try {
    await use(wire, server.url);
  } finally {
    await wire.destroy();
    await server.close();
  }
}

describe.each(TRANSPORTS)('the %s adapter', (kind) => {
  const connect = async (clock = manualClock().clock): Promise<[Emulator<undefined>, Transport]> => {
    const emulator = echo.create({ seed: 1, clock });
    open = await openTransport(kind, emulator);
    return [emulator, open];
  };

  it('reads a path that starts with // as a path', async () => {
    const [, transport] = await connect();
    const response = await transport.fetch('//echo/x');
    expect(response.status).toBe(200);
    expect(((await response.json()) as { path: string }).path).toBe('//echo/x');
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const [, transport] = await connect();
    const response = await transport.fetch('/x', { method: 'HEAD' });
    expect([response.status, response.headers.get('x-echo')]).toEqual([200, 'yes']);
    expect(await response.text()).toBe('');
  });

  it('passes every Set-Cookie of an answer on, each as its own header', async () => {
    const [, transport] = await connect();
    const response = await transport.fetch('/cookies');
    expect(response.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
  });

  it('hands a DELETE without a body to the emulator with no body', async () => {
    const [, transport] = await connect();
    const response = await transport.fetch('/x', { method: 'DELETE' });
    expect(await response.json()).toEqual({ method: 'DELETE', path: '/x', body: null });
  });

  it('fails one request when the emulator returns no Response, and serves the next', async () => {
    const [, transport] = await connect();
    const failed = await transport.fetch('/nothing').then(
      (response) => response.status,
      (error: unknown) => (error instanceof Error ? 'rejected' : 'thrown'),
    );
    expect([500, 'rejected']).toContain(failed);
    expect((await transport.fetch('/x')).status).toBe(200);
  });

  it('sends the headers of a body cut at 0 bytes, then drops the connection', async () => {
    const [emulator, transport] = await connect();
    emulator.faults.add({ kind: 'truncate', fraction: 0 });
    const response = await transport.fetch('/x');
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
  });

  it('follows redirects as fetch does, unless told not to', async () => {
    const [, transport] = await connect();
    const echoed = async (path: string, init?: RequestInit) => (await (await transport.fetch(path, init)).json()) as Record<string, unknown>;
    expect(await echoed('/moved')).toEqual({ method: 'GET', path: '/x', body: null });
    expect(await echoed('/see-other', { method: 'POST', body: 'abc' })).toEqual({ method: 'GET', path: '/x', body: null });
    // A 307 sends the body again; msw's interceptor refuses to (a network error), undici does not.
    if (kind !== 'msw') expect(await echoed('/temporary', { method: 'POST', body: 'abc' })).toEqual({ method: 'POST', path: '/x', body: 'abc' });
    // Once a redirect has made it a GET, a later 307 keeps it one, without the body it left behind
    // (msw's interceptor fails the 307 here as above).
    if (kind !== 'msw') {
      expect(await echoed(`/to?location=${encodeURIComponent('/temporary')}`, { method: 'POST', body: 'abc' })).toEqual({ method: 'GET', path: '/x', body: null });
    }
    expect((await transport.fetch('/moved', { redirect: 'manual' })).status).toBe(302);
    await expect(transport.fetch('/moved', { redirect: 'error' })).rejects.toThrow(TypeError);
  });

  // msw's interceptor counts redirects its own way and follows a 21st: not the adapter's to change.
  if (kind !== 'msw') {
    it('follows 20 redirects for one request and fails at the 21st, as fetch does', async () => {
      const [, transport] = await connect();
      expect(await (await transport.fetch('/hops/20')).json()).toEqual({ arrived: true });
      await expect(transport.fetch('/hops/21')).rejects.toThrow(TypeError);
    });
  }

  it('reports the URL that answered, without fragment, and whether a redirect led there, also on a clone', async () => {
    const [, transport] = await connect();
    const seen = async (path: string, init?: RequestInit) => {
      const response = await transport.fetch(path, init);
      // msw's clone says `redirected` for any response; its URL is right.
      const { url } = response.clone();
      await response.arrayBuffer();
      // msw's interceptor gives the response its request's URL, fragment and all, on Node 24 (not on 20):
      // not the adapter's to change, as fetch gives it no say in the URL.
      const answered = kind === 'msw' ? response.url.replace(/#.*$/, '') : response.url;
      return [answered.slice(new URL(answered).origin.length), response.redirected, url === response.url];
    };
    expect(await seen('/x?a=1#part')).toEqual(['/x?a=1', false, true]);
    expect(await seen('/moved')).toEqual(['/x', true, true]);
    expect(await seen('/moved', { redirect: 'manual' })).toEqual(['/moved', false, true]);
  });

  // msw hands the whole body over at once and never fails it: its adapter promises no more.
  if (kind !== 'msw') {
    it('fails the reading of the body when the request is aborted after the headers', async () => {
      const [, transport] = await connect();
      const controller = new AbortController();
      const response = await transport.fetch('/slow', { signal: controller.signal });
      controller.abort();
      await expect(response.text()).rejects.toMatchObject({ name: 'AbortError' });
    });
  }

  it("dates every answer by the emulator's clock, never by the machine's", async () => {
    const { clock } = manualClock(Date.parse('2026-11-23T10:00:00.000Z'));
    const [, transport] = await connect(clock);
    for (const path of ['/x', '/empty', '/moved?manual']) {
      const response = await transport.fetch(path, { redirect: 'manual' });
      expect(response.headers.get('date')).toBe('Mon, 23 Nov 2026 10:00:00 GMT');
      await response.arrayBuffer();
    }
    // A Date the emulator wrote itself (a server whose clock is off) is the one sent.
    expect((await transport.fetch('/dated')).headers.get('date')).toBe('Mon, 23 Nov 2026 09:59:00 GMT');
  });

  it("gives the status line's reason phrase as the status text, none for a status without one", async () => {
    const [, transport] = await connect();
    const seen = [];
    for (const status of [200, 404, 418, 503, 299]) seen.push((await transport.fetch(`/status?status=${status}`)).statusText);
    expect(seen).toEqual(['OK', 'Not Found', "I'm a Teapot", 'Service Unavailable', '']);
    // A reason phrase of the emulator's own, as a vendor's server may write one, is the one read.
    expect((await transport.fetch('/status?status=429&reason=Slow%20Down')).statusText).toBe('Slow Down');
  });

  it('hands the emulator the URL a server receives, without the fragment', async () => {
    const [emulator, transport] = await connect();
    const echoed = async (path: string) => ((await (await transport.fetch(path)).json()) as { url: string }).url;
    expect([await echoed('/url#part'), await echoed('/url?a=1#part'), await echoed('/url#')]).toEqual(['/url', '/url?a=1', '/url']);
    expect(emulator.requests.map((request) => request.url.slice(new URL(request.url).origin.length))).toEqual(['/url', '/url?a=1', '/url']);
  });

  it('decodes a body by its Content-Encoding as fetch does, and fails the read of one that does not decode', async () => {
    const [, transport] = await connect();
    const packed = await transport.fetch('/gzip');
    expect([packed.headers.get('content-encoding'), await packed.json()]).toEqual(['gzip', { packed: true }]);
    // Its other names, in any case.
    for (const as of ['x-gzip', 'GZIP', ' Gzip ']) expect(await (await transport.fetch(`/gzip?as=${encodeURIComponent(as)}`)).json()).toEqual({ packed: true });
    // Codings applied one after the other are undone last first.
    expect(await (await transport.fetch('/layered')).json()).toEqual({ layers: 2 });
    // A coding fetch does not know leaves the body as it is.
    expect(await (await transport.fetch('/mislabelled?as=identity')).json()).toEqual({ packed: false });
    const failed = await (await transport.fetch('/mislabelled')).text().catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(Error);
    // msw's interceptor decodes a mocked body itself, with an error of its own.
    if (kind !== 'msw') expect(failed).toMatchObject({ name: 'TypeError', message: 'terminated', cause: { code: 'Z_DATA_ERROR' } });
  });

  it('passes a 204 through a truncate fault, which has nothing to cut', async () => {
    const [emulator, transport] = await connect();
    emulator.faults.add({ kind: 'truncate' });
    expect((await transport.fetch('/empty')).status).toBe(204);
  });
});

describe('the fetch adapter', () => {
  it('drops the credentials of a request redirected to another origin, and the type of a body it leaves behind, as fetch does', async () => {
    const emulator = echo.create({ seed: 1, clock: manualClock().clock });
    const headers = { authorization: 'Bearer t', cookie: 'a=1', 'x-kept': 'yes' };
    const seen = async (location: string) => (await emulator.fetch(`https://api.test.example/to?location=${encodeURIComponent(location)}`, { headers })).json();
    expect(await seen('/headers')).toEqual({ ...headers, 'content-type': null });
    expect(await seen('https://elsewhere.example/headers')).toEqual({ authorization: null, cookie: null, 'x-kept': 'yes', 'content-type': null });
    // A POST redirected as a GET leaves its body behind, and the body's type with it.
    const posted = await emulator.fetch('https://api.test.example/to?location=/headers', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json', 'x-kept': 'yes' } });
    expect(await posted.json()).toEqual({ authorization: null, cookie: null, 'x-kept': 'yes', 'content-type': null });
  });

  it('rejects with the reason of an abort that comes while the emulator answers, as fetch does', async () => {
    const controller = new AbortController();
    const reason = new Error('gave up');
    // The latency fault's wait is where the abort comes: the emulator still answers after it.
    const clock = { ...manualClock().clock, sleep: async () => controller.abort(reason) };
    const emulator = echo.create({ clock });
    emulator.faults.add({ kind: 'latency', ms: 1_000 });
    await expect(emulator.fetch('https://api.test.example/x', { signal: controller.signal })).rejects.toBe(reason);
  });

  it("fails the reading of a body with the abort's own reason", async () => {
    const controller = new AbortController();
    const response = await echo.create().fetch('https://api.test.example/slow', { signal: controller.signal });
    const reason = new Error('gave up');
    controller.abort(reason);
    await expect(response.text()).rejects.toBe(reason);
  });
});

describe('faults and records', () => {
  it('refuses a fault of an unknown kind, or with a status that cannot carry its body', () => {
    const { faults } = echo.create();
    expect(() => faults.add({ kind: 'bogus' } as never)).toThrow(/kind/);
    for (const status of [204, 205, 304]) expect(() => faults.add({ kind: 'status', status })).toThrow(/status/);
    expect(() => faults.add({ kind: 'html', status: 304 })).toThrow(/status/);
  });

  it('matches every request against a path pattern with the g flag', async () => {
    const emulator = echo.create();
    emulator.faults.add({ kind: 'status', status: 503, match: { path: /\/x/g } });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await emulator.fetch('https://api.test.example/x')).status);
    expect(statuses).toEqual([503, 503, 503, 503]);
  });

  it('prints a recorded body without its credential fields, and keeps the body as sent', async () => {
    const emulator = echo.create();
    const login = { auth: { identity: { password: { user: { name: 'reader', password: 'hunter2-secret' } } } } };
    await emulator.fetch('https://api.test.example/v3/auth/tokens', { method: 'POST', body: JSON.stringify(login) });
    await emulator.fetch('https://api.test.example/form', { method: 'POST', body: 'user=reader&password=hunter2-secret' });
    const printed = JSON.stringify(emulator.requests) + inspect(emulator.requests, { depth: 5 });
    expect(printed).not.toContain('hunter2-secret');
    expect(printed).toContain('reader');
    expect(emulator.requests[0]?.body).toContain('hunter2-secret');
  });
});

describe('schedules and servers', () => {
  it('refuses a schedule that names no rule, rather than firing once', () => {
    const { faults } = echo.create();
    expect(() => faults.add({ kind: 'reset', schedule: {} as never })).toThrow(/schedule/);
    expect(() => faults.add({ kind: 'reset', schedule: { once: false } as never })).toThrow(/schedule/);
    expect(() => faults.add({ kind: 'reset', schedule: { once: true } })).not.toThrow();
    // A mixed schedule from JavaScript (the types refuse it) would fire by `every` alone.
    expect(() => faults.add({ kind: 'reset', schedule: { every: 3, probability: 0.1 } as never })).toThrow(/not two of them/);
    expect(() => faults.add({ kind: 'reset', schedule: { once: true, every: 2 } as never })).toThrow(ConfigurationError);
  });

  it('hands the emulator the origin the client addressed, so the links it builds lead back through the same name', async () => {
    const emulator = echo.create();
    const server = await emulator.listen();
    try {
      await (await fetch(`http://localhost:${server.port}/x?a=1`)).arrayBuffer();
      expect(emulator.requests[0]?.url).toBe(`http://localhost:${server.port}/x?a=1`);
    } finally {
      await server.close();
    }
  });

  it('answers a request head over 16 KiB 431, as node does', async () => {
    await overWire(echo.create(), async (wire) => {
      await wire.write(`GET /x HTTP/1.1\r\nHost: x\r\nX-Filler: ${'a'.repeat(20 * 1024)}\r\n\r\n`);
      expect((await wire.answer())?.status).toBe(431);
    });
  });

  it('answers bytes that no request starts with (a TLS handshake to its http: address) 400 at once, as node does, not by waiting for a head', async () => {
    await overWire(echo.create(), async (wire) => {
      // The start of a TLS ClientHello: a handshake record (22) of TLS 1.0 framing. Its client waits for
      // the server's hello, so a server that waits for a request's head holds both until one times out.
      await wire.write(Buffer.from([0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1, 0x03, 0x03]));
      expect((await wire.answer())?.status).toBe(400);
    });
  });

  it('hands the emulator the whole body of a request of a method node does not know, however it arrives', async () => {
    await overWire(echo.create(), async (wire) => {
      await wire.write('FROB /x HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n{"a"');
      await new Promise((resolve) => setImmediate(resolve));
      await wire.write(':"bcd"}');
      const answer = await wire.answer();
      expect(JSON.parse(answer?.body.toString() ?? '')).toEqual({ method: 'FROB', path: '/x', body: '{"a":"bcd"}' });
    });
  });

  it("hands the emulator the whole name of a method node does not know that came in pieces, the first a known method's start", async () => {
    await overWire(echo.create(), async (wire) => {
      // node's parser takes `PA` as the start of PATCH with the request before it, and fails only on the
      // next piece, which alone it hands over: read from it, the method was `TCHX`.
      await wire.write('GET /x HTTP/1.1\r\nHost: x\r\n\r\nPA');
      expect((await wire.answer())?.status).toBe(200);
      await wire.write('TCHX /y HTTP/1.1\r\nHost: x\r\n\r\n');
      expect(JSON.parse((await wire.answer())?.body.toString() ?? '')).toMatchObject({ method: 'PATCHX', path: '/y' });
    });
  });

  // Framed by the close, an empty answer could not be told from one cut short.
  it('frames an answer without a body to a method node does not know by a length of 0, not by the close', async () => {
    await overWire(echo.create(), async (wire) => {
      await wire.write('FROB /blank HTTP/1.1\r\nHost: x\r\n\r\n');
      const answer = await wire.answer();
      expect([answer?.status, answer?.headers['content-length'], answer?.headers['transfer-encoding']]).toEqual([200, '0', undefined]);
    });
  });

  it('answers a request of a method node does not know as the others: HTTP/1.0 too, every cookie, a body with an empty chunk whole', async () => {
    const server = await echo.create().listen();
    const ask = async (head: string) => {
      const wire = await openWire(server.port);
      try {
        await wire.write(`${head}\r\nHost: x\r\n\r\n`);
        return await wire.answer();
      } finally {
        await wire.destroy();
      }
    };
    try {
      expect(JSON.parse((await ask('FROB /x HTTP/1.0'))?.body.toString() ?? '')).toEqual({ method: 'FROB', path: '/x', body: null });
      expect((await ask('FROB /cookies HTTP/1.1'))?.headers['set-cookie']).toBe('a=1; Path=/\nb=2; Path=/');
      expect((await ask('FROB /gappy HTTP/1.1'))?.body.toString()).toBe('abcd');
      // A head longer than node reads is refused, as node refuses it for a method it knows.
      const long = await ask(`FROB /x HTTP/1.1\r\nX-Filler: ${'a'.repeat(20 * 1024)}`);
      expect([400, 431]).toContain(long?.status);
    } finally {
      await server.close();
    }
  });

  it('answers a request of a method node does not know, undisturbed by bytes that come on its connection meanwhile', async () => {
    let entered: () => void = () => {};
    let release: () => void = () => {};
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    const held = defineEmulator<undefined>({
      provider: 'generic',
      baseUrl: 'https://api.test.example',
      createStore: () => undefined,
      handle: async (request) => {
        if (new URL(request.url).pathname === '/held') {
          entered();
          await gate;
        }
        return Response.json({ method: request.method });
      },
    }).create();
    await overWire(held, async (wire, url) => {
      await wire.write('FROB /held HTTP/1.1\r\nHost: x\r\n\r\n');
      await inside;
      // node's spent parser fails again on these bytes, while the answer is still to be written.
      await wire.write('FROB /next HTTP/1.1\r\nHost: x\r\n\r\n');
      // A request on another connection answered: the server has read what came before it.
      expect((await fetch(`${url}/other`)).status).toBe(200);
      release();
      const answer = await wire.answer();
      expect([answer?.status, JSON.parse(answer?.body.toString() ?? '')]).toEqual([200, { method: 'FROB' }]);
    });
  });

  it('closes a real server twice without an error', async () => {
    const server = await echo.create().listen();
    await Promise.all([server.close(), server.close()]);
    await expect(server.close()).resolves.toBeUndefined();
  });
});
