import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  AuthenticationError,
  HttpError,
  NetworkError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  ResponseValidationError,
  TimeoutError,
  isHttpError,
  isNetworkError,
  isResponseValidationError,
} from '../../src/core/errors.js';
import { scaledClock } from '../../src/core/clock.js';
import { VERSION } from '../../src/core/version.js';
import { TOKEN, client, json, rejection, startServer, type TestServer } from './helpers/server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const get = { operation: 'events.list', method: 'GET' as const };

describe('statuses map to typed errors', () => {
  it.each([
    [401, AuthenticationError],
    [403, PermissionError],
    [404, NotFoundError],
    [429, RateLimitError],
    [400, HttpError],
    [409, HttpError],
    [500, HttpError],
  ])('%i → %o', async (status, Class) => {
    server = await startServer((_req, res) =>
      json(res, status, { errors: [{ message: `vendor says ${status}` }] }, { 'x-request-id': 'req-42', 'retry-after': '7' }),
    );
    const error = await rejection(client(server.url, { retry: false }).http.request({ ...get, path: '/x' }));
    expect(error).toBeInstanceOf(Class);
    expect(error?.constructor).toBe(Class);
    const http = error as HttpError;
    expect(http).toMatchObject({
      status,
      method: 'GET',
      url: `${server.url}/x`,
      provider: 'tines',
      operation: 'events.list',
      vendorMessage: `vendor says ${status}`,
      requestId: 'req-42',
    });
    expect(http.bodyExcerpt).toContain(`vendor says ${status}`);
    expect(http.message).toContain(`returned ${status}`);
    if (http instanceof RateLimitError) expect(http.retryAfterMs).toBe(7000);
  });

  it('uses the provider errorMessage and requestIdHeader first', async () => {
    server = await startServer((_req, res) => json(res, 422, { fault: { text: 'bad window' } }, { 'x-vendor-id': 'v-1', 'x-request-id': 'r-1' }));
    const error = (await rejection(
      client(server.url, { retry: false }, undefined, {
        errorMessage: (body) => (body as { fault?: { text?: string } }).fault?.text,
        requestIdHeader: 'X-Vendor-Id',
      }).http.request({ ...get, path: '/x' }),
    )) as HttpError;
    expect(error.vendorMessage).toBe('bad window');
    expect(error.requestId).toBe('v-1');
  });

  it('keeps a short excerpt of an HTML error page, and no vendor message', async () => {
    const page = `<html><body>${'Bad Gateway '.repeat(200)}</body></html>`;
    server = await startServer((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end(page);
    });
    const error = (await rejection(client(server.url, { retry: false }).http.request({ ...get, path: '/x' }))) as HttpError;
    expect(error.status).toBe(502);
    expect(error.vendorMessage).toBeUndefined();
    expect(error.bodyExcerpt).toBe(page.slice(0, 500));
  });

  it('uses a short plain-text body as the vendor message', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end('since_id must be an integer');
    });
    const error = (await rejection(client(server.url).http.request({ ...get, path: '/x' }))) as HttpError;
    expect(error.vendorMessage).toBe('since_id must be an integer');
    expect(error.message).toContain(': since_id must be an integer');
  });
});

describe('bodies', () => {
  const schema = z.object({ events: z.array(z.object({ id: z.string() })) });

  it('parses JSON and validates it with the schema', async () => {
    server = await startServer((_req, res) => json(res, 200, { events: [{ id: 'a', extra: 1 }] }));
    const response = await client(server.url).http.request({ ...get, path: '/x', schema });
    expect(response.data).toEqual({ events: [{ id: 'a' }] });
    expect(response.status).toBe(200);
  });

  it('lists each schema mismatch as path: message and keeps the raw value', async () => {
    const raw = { events: [{ id: 'a' }, { id: 7 }, {}] };
    server = await startServer((_req, res) => json(res, 200, raw));
    const error = (await rejection(client(server.url).http.request({ ...get, path: '/x', schema }))) as ResponseValidationError;
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error.issues).toHaveLength(2);
    expect(error.issues[0]).toMatch(/^events\[1\]\.id: .*expected string/);
    expect(error.issues[1]).toMatch(/^events\[2\]\.id: /);
    expect(error.raw).toEqual(raw);
    // Every mismatch is named in the message too (up to five), not only the first.
    expect(error.message).toContain('events[1].id');
    expect(error.message).toContain('events[2].id');
  });

  it('a body nested deeper than the validators can recurse is a ResponseValidationError keeping it', async () => {
    interface Node {
      id: number;
      children: Node[];
    }
    const tree: z.ZodType<Node> = z.object({ id: z.number(), children: z.array(z.lazy(() => tree)) });
    let text = '[]';
    for (let i = 0; i < 5000; i++) text = `[{"id":${i},"children":${text}}]`;
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"events":${text}}`);
    });
    const error = await rejection(client(server.url).http.request({ ...get, path: '/x', schema: z.object({ events: z.array(tree) }) }));
    expect(isResponseValidationError(error)).toBe(true);
    expect((error as ResponseValidationError).issues[0]).toMatch(/^\(body\): nested too deep/);
    expect(((error as ResponseValidationError).raw as { events: Node[] }).events[0]?.id).toBe(4999);
  });

  it.each([
    ['an HTML page', '<html>maintenance</html>', 'unexpected text'],
    ['malformed JSON', '{"events": [}', 'unexpected text'],
    ['a truncated JSON body of the length it declares', '{"events": [{"id": "a"', 'the text ends early'],
    ['a JSON body of the length it declares, cut inside a string', '{"events": [{"id": "a', 'the text ends early'],
  ])('a 2xx with %s is a ResponseValidationError keeping the text', async (_name, text, reason) => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    });
    const error = await rejection(client(server.url).http.request({ ...get, path: '/x', schema }));
    expect(isResponseValidationError(error)).toBe(true);
    expect((error as ResponseValidationError).raw).toBe(text);
    expect((error as ResponseValidationError).issues[0]).toBe(`(body): not valid JSON: ${reason}`);
  });

  describe('a 2xx framed by chunks whose JSON ends early', () => {
    const causes = (error: unknown): unknown[] => (error instanceof Error && error.cause !== undefined ? [error.cause, ...causes(error.cause)] : []);
    // What Node 20's fetch hands on of a chunked body that a close cut short, as if it were whole.
    const cut = '{"events": [{"id": "a"';
    const cutThenWhole = (): Promise<TestServer> =>
      startServer((_req, res, _arrival, index) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(index === 0 ? cut : JSON.stringify({ events: [{ id: 'a' }] }));
      });

    it('is a network failure, retried', async () => {
      server = await cutThenWhole();
      const retried: string[] = [];
      const c = client(server.url, { clock: scaledClock(0.001), hooks: { onRetry: (info) => retried.push(info.reason) } });
      const answer = await c.http.request({ ...get, path: '/x', schema });
      expect(answer.data).toEqual({ events: [{ id: 'a' }] });
      expect(server.arrivals).toHaveLength(2);
      expect(retried).toEqual(['network']);
    });

    it('once retries are spent, names the cut and keeps the text in its cause', async () => {
      server = await startServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(cut);
      });
      const error = await rejection(client(server.url, { retry: { retries: 1, minDelay: 1, maxDelay: 1 } }).http.request({ ...get, path: '/x', schema }));
      expect(isNetworkError(error)).toBe(true);
      expect((error as NetworkError).message).toMatch(/ended before its JSON did: the connection was closed early/);
      expect(server.arrivals).toHaveLength(2);
      // The last attempt's failure is the cause of the one that tells how retrying ended.
      const invalid = causes(error).find(isResponseValidationError);
      expect(invalid?.raw).toBe(cut);
    });

    it('is not sent again when it may have been applied (a POST)', async () => {
      server = await cutThenWhole();
      const error = await rejection(client(server.url, { retry: { retries: 2, minDelay: 1, maxDelay: 1 } }).http.request({ ...get, method: 'POST', path: '/x', json: {}, schema }));
      expect(isNetworkError(error)).toBe(true);
      expect(server.arrivals).toHaveLength(1);
    });
  });

  it('an empty body or a 204 without a schema is undefined', async () => {
    server = await startServer((req, res) => {
      res.writeHead(req.url === '/empty' ? 200 : 204);
      res.end();
    });
    const c = client(server.url);
    expect((await c.http.request({ ...get, method: 'DELETE', path: '/gone' })).data).toBeUndefined();
    expect((await c.http.request({ ...get, path: '/empty' })).data).toBeUndefined();
  });

  it('an accepted non-2xx status (Illumio 202 async) is an answer', async () => {
    server = await startServer((_req, res) => json(res, 202, undefined, { location: '/api/v2/orgs/1/jobs/9' }));
    const response = await client(server.url).http.request({ ...get, path: '/x', acceptStatus: [202] });
    expect(response.status).toBe(202);
    expect(response.headers.get('location')).toBe('/api/v2/orgs/1/jobs/9');
  });

  it('a status accepted on retry is an answer after an attempt that may have been applied, an error otherwise', async () => {
    // The first DELETE is applied, but its answer is lost (a proxy's 502); the retry finds nothing to delete.
    server = await startServer((_req, res, _arrival, index) => json(res, index === 0 ? 502 : 404, {}));
    const del = { operation: 'delete', method: 'DELETE' as const, path: '/job', acceptOnRetry: [404] };
    const response = await client(server.url, { retry: { retries: 2, minDelay: 1 } }).http.request(del);
    expect(response.status).toBe(404);
    expect(server.arrivals).toHaveLength(2);
    // A first attempt that timed out may have been applied as well. It is never answered, and the timeout
    // leaves the retry room on a busy machine: at 100 ms a retry answered late timed out too (3 arrivals).
    const slow = await startServer((_req, res, _arrival, index) => {
      if (index !== 0) json(res, 404, {});
    });
    try {
      const timedOut = await client(slow.url, { timeout: 400, retry: { retries: 2, minDelay: 1 } }).http.request(del);
      expect(timedOut.status).toBe(404);
      expect(slow.arrivals).toHaveLength(2);
    } finally {
      await slow.close();
    }
    const first = await startServer((_req, res) => json(res, 404, {}));
    // A 429 refused the first attempt before any work: the retry's 404 means there never was a job.
    const refused = await startServer((_req, res, _arrival, index) => json(res, index === 0 ? 429 : 404, {}, { 'retry-after': '0' }));
    try {
      expect(await rejection(client(first.url).http.request(del))).toBeInstanceOf(NotFoundError);
      expect(await rejection(client(refused.url, { retry: { retries: 2, minDelay: 1 } }).http.request(del))).toBeInstanceOf(NotFoundError);
      expect(refused.arrivals).toHaveLength(2);
    } finally {
      await Promise.all([first.close(), refused.close()]);
    }
  });

  it('sends JSON bodies, query parameters and the base URL path prefix', async () => {
    server = await startServer((_req, res) => json(res, 200, {}));
    await client(`${server.url}/v1.0/tenant`).http.request({
      operation: 'events.search',
      method: 'POST',
      path: '/events',
      query: { a: 1, b: ['x', 'y'], c: undefined, d: null, e: false },
      json: { firstResult: 0 },
    });
    const [arrival] = server.arrivals;
    expect(arrival?.url).toBe('/v1.0/tenant/events?a=1&b=x&b=y&e=false');
    expect(arrival?.headers['content-type']).toMatch(/application\/json/);
    expect(JSON.parse(arrival?.body ?? '')).toEqual({ firstResult: 0 });
    // A known length, not a streamed (chunked) body.
    expect(arrival?.headers['content-length']).toBe(String('{"firstResult":0}'.length));
    expect(arrival?.headers['transfer-encoding']).toBeUndefined();
  });

  it('hands fetch the body as a string with the merged headers and the attempt’s signal, not a streamed Request', async () => {
    const calls: Array<[unknown, RequestInit | undefined]> = [];
    const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
      calls.push([input, init]);
      return Response.json({ ok: true });
    };
    const body = { timeframe: { range: 'CUSTOM' }, firstResult: 100 };
    await client('https://vendor.example/api', { fetch }).http.request({ operation: 'events.search', method: 'POST', path: '/events', json: body, headers: { 'x-extra': '1' } });
    const [input, init] = calls[0] ?? [];
    expect(input).toBe('https://vendor.example/api/events');
    expect(init?.method).toBe('POST');
    expect(init?.body).toBe(JSON.stringify(body));
    expect(init?.redirect).toBe('manual');
    expect(init?.signal).toBeInstanceOf(AbortSignal);
    const headers = new Headers(init?.headers);
    expect(headers.get('content-type')).toBe('application/json');
    expect(headers.get('x-extra')).toBe('1');
    expect(headers.get('authorization')).toMatch(/^Bearer /);
    expect(headers.get('user-agent')).toMatch(/tributary\//);
  });
});

describe('request headers', () => {
  it('reach fetch as one plain object of lower-case names, a later source replacing an earlier spelling', async () => {
    const calls: Array<RequestInit | undefined> = [];
    const fetch = async (_input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
      calls.push(init);
      return Response.json({ ok: true });
    };
    await client('https://vendor.example/api', { fetch }).http.request({
      ...get,
      path: '/events',
      headers: { Accept: 'application/hal+json', Prefer: 'respond-async', 'User-Agent': 'spoofed' },
    });
    const headers = calls[0]?.headers as Record<string, string>;
    expect(Object.getPrototypeOf(headers)).toBe(Object.prototype);
    expect(headers).toMatchObject({ accept: 'application/hal+json', prefer: 'respond-async', 'user-agent': `tributary/${VERSION}` });
    expect(Object.keys(headers).every((name) => name === name.toLowerCase())).toBe(true);
    // One value per name on the wire, not `application/json, application/hal+json`.
    expect(new Headers(headers).get('accept')).toBe('application/hal+json');
    expect(new Headers(headers).get('authorization')).toMatch(/^Bearer /);
  });

  it('carry the credential over a header of the same name that the request names', async () => {
    const calls: Array<RequestInit | undefined> = [];
    const fetch = async (_input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
      calls.push(init);
      return Response.json({ ok: true });
    };
    await client('https://vendor.example/api', { fetch }).http.request({ ...get, path: '/events', headers: { Authorization: 'Bearer from-the-request' } });
    expect(new Headers(calls[0]?.headers as Record<string, string>).get('authorization')).toBe(`Bearer ${TOKEN}`);
  });
});

describe('User-Agent', () => {
  it('is tributary/<version>, after the caller’s own product token', async () => {
    server = await startServer((_req, res) => json(res, 200, {}));
    await client(server.url).http.request({ ...get, path: '/a' });
    await client(server.url, { userAgent: 'acme-collector/2.1' }).http.request({ ...get, path: '/b' });
    expect(server.arrivals.map((a) => a.headers['user-agent'])).toEqual([
      `tributary/${VERSION}`,
      `acme-collector/2.1 tributary/${VERSION}`,
    ]);
  });
});

describe('response-size cap', () => {
  const big = JSON.stringify({ data: 'x'.repeat(10_000) });

  it('refuses a body whose Content-Length exceeds the cap, before reading it', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(big)) });
      res.end(big);
    });
    const error = await rejection(client(server.url, { maxResponseSize: 1000 }).http.request({ ...get, path: '/x' }));
    expect(isNetworkError(error)).toBe(true);
    expect((error as Error).message).toMatch(/declares 10011 bytes, more than maxResponseSize \(1000 bytes\)/);
  });

  it('stops a chunked body without Content-Length as soon as it passes the cap, and does not retry', async () => {
    let sent = 0;
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      // An endless body: the client must stop reading, or this test times out.
      const timer = setInterval(() => {
        sent += 1024;
        if (!res.write('x'.repeat(1024))) res.once('drain', () => undefined);
      }, 1);
      res.on('close', () => clearInterval(timer));
    });
    const error = await rejection(client(server.url, { maxResponseSize: 8 * 1024 }).http.request({ ...get, path: '/x' }));
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as Error).message).toMatch(/exceeds maxResponseSize \(8192 bytes\)/);
    expect(server.arrivals).toHaveLength(1);
    expect(sent).toBeLessThan(1024 * 1024);
  });

  it('lets go of a body it stopped at the cap: the server sees its answer closed, not its connection held', async () => {
    let closed = false;
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      // A body that never ends: only the client letting go of it closes the answer.
      const timer = setInterval(() => res.write('x'.repeat(1024)), 1);
      res.on('close', () => {
        clearInterval(timer);
        closed = true;
      });
    });
    const error = await rejection(client(server.url, { maxResponseSize: 8 * 1024 }).http.request({ ...get, path: '/x' }));
    expect((error as Error).message).toMatch(/exceeds maxResponseSize/);
    await vi.waitFor(() => expect(closed).toBe(true));
  });

  it('counts a compressed body as it inflates, whatever its Content-Length says', async () => {
    const packed = gzipSync(JSON.stringify({ data: 'x'.repeat(200_000) }));
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(packed.byteLength) });
      res.end(packed);
    });
    expect(packed.byteLength).toBeLessThan(8 * 1024);
    const error = await rejection(client(server.url, { maxResponseSize: 8 * 1024 }).http.request({ ...get, path: '/x' }));
    expect((error as Error).message).toMatch(/exceeds maxResponseSize \(8192 bytes\)/);
  });

  it('reads a body with a Content-Length within the cap', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(big)) });
      res.end(big);
    });
    const response = await client(server.url, { maxResponseSize: Buffer.byteLength(big) }).http.request({ ...get, path: '/x' });
    expect(response.data).toEqual(JSON.parse(big));
  });

  it('accepts a body exactly at the cap', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(big);
    });
    const response = await client(server.url, { maxResponseSize: Buffer.byteLength(big) }).http.request({ ...get, path: '/x' });
    expect(response.data).toEqual(JSON.parse(big));
  });
});

describe('the cap on an error body', () => {
  it('holds a maxResponseSize below the error read limit: the excerpt stops there', async () => {
    const text = 'e'.repeat(300);
    server = await startServer((_req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(text);
    });
    const error = (await rejection(client(server.url, { retry: false, maxResponseSize: 100 }).http.request({ ...get, path: '/x' }))) as HttpError;
    expect(error.status).toBe(500);
    expect(error.bodyExcerpt).toBe('e'.repeat(100));
  });

  it('reads the start of an error body whose Content-Length is past the read limit, for its excerpt', async () => {
    const text = 'f'.repeat(70 * 1024);
    server = await startServer((_req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain', 'content-length': String(text.length) });
      res.end(text);
    });
    const error = (await rejection(client(server.url, { retry: false }).http.request({ ...get, path: '/x' }))) as HttpError;
    expect(error.status).toBe(500);
    expect(error.bodyExcerpt).toBe('f'.repeat(500));
  });
});

describe('answers beyond 2xx', () => {
  it('a HEAD whose Content-Length is past the cap is an answer: it has no body to read', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-length': String(10 * 1024 * 1024) });
      res.end();
    });
    const response = await client(server.url, { maxResponseSize: 1000 }).http.request({ ...get, method: 'HEAD', path: '/x' });
    expect(response.status).toBe(200);
    expect(response.data).toBeUndefined();
  });

  it('a redirect status without a Location is the HttpError of its status, not followed', async () => {
    server = await startServer((_req, res) => json(res, 302, { message: 'moved, but not said where' }));
    const error = (await rejection(client(server.url, { retry: false }).http.request({ ...get, path: '/x' }))) as HttpError;
    expect(error).toBeInstanceOf(HttpError);
    expect(error.status).toBe(302);
    expect(error.vendorMessage).toBe('moved, but not said where');
    expect(server.arrivals.map((arrival) => arrival.url)).toEqual(['/x']);
  });

  it('300 Multiple Choices is an HttpError, not a success', async () => {
    server = await startServer((_req, res) => json(res, 300, { choices: [] }));
    const error = (await rejection(client(server.url, { retry: false }).http.request({ ...get, path: '/x' }))) as HttpError;
    expect(error.status).toBe(300);
  });
});

describe('an error body that stalls', () => {
  it('is given up after 5 s of the client\'s clock without an attempt timeout: the status is the answer, with what came of the body', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.write('partial');
    });
    // Without the wait's own bound, nothing would end this request: the body never ends, no timeout runs.
    const error = (await rejection(client(server.url, { retry: false, clock: scaledClock(0.001), timeout: false }).http.request({ ...get, path: '/x' }))) as HttpError;
    expect(error).toBeInstanceOf(HttpError);
    expect(error.status).toBe(500);
    expect(error.bodyExcerpt).toBe('partial');
  });

  it('is given up on the client\'s clock, not after 5 s of real time: on a clock 10,000 times faster, 100 ms of timers end it', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(503, { 'content-type': 'text/plain' });
      res.write('partial');
    });
    // Only timers are faked: the exchange with the server runs as it does, and the wait for the body is
    // the one timer moved once the status has come.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      let answered = (): void => {};
      const atStatus = new Promise<void>((resolve) => (answered = resolve));
      const c = client(server.url, { retry: false, rateLimit: false, timeout: false, clock: scaledClock(0.0001), hooks: { onResponse: () => answered() } });
      let settled = false;
      const outcome = c.http.request({ ...get, path: '/x' }).catch((error: unknown) => error).finally(() => (settled = true));
      await atStatus;
      for (let ms = 0; ms < 100 && !settled; ms += 1) {
        vi.advanceTimersByTime(1);
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(settled).toBe(true);
      expect(await outcome).toMatchObject({ status: 503 });
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('the auth\'s word on a 401', () => {
  it('is added to a 401 only, not to another refusal', async () => {
    server = await startServer((req, res) => json(res, req.url === '/401' ? 401 : 403, { message: 'no' }));
    const auth = { key: `hint-${Math.random()}`, headers: () => ({ authorization: 'Bearer x' }), unauthorized: 'check the token' };
    const c = client(server.url, { retry: false }, auth);
    expect(((await rejection(c.http.request({ ...get, path: '/401' }))) as Error).message).toMatch(/; check the token$/);
    expect(((await rejection(c.http.request({ ...get, path: '/403' }))) as Error).message).not.toMatch(/check the token/);
  });
});

describe('bodies without a schema', () => {
  it('hand over text that is not JSON as it came', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('job 42 queued');
    });
    expect((await client(server.url).http.request({ ...get, path: '/x' })).data).toBe('job 42 queued');
  });

  it('count a body of white space only as empty', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(' \r\n');
    });
    expect((await client(server.url).http.request({ ...get, path: '/x' })).data).toBeUndefined();
  });
});

describe('a schema check that throws', () => {
  it('for a reason other than depth fails as itself, not as a body of the wrong shape', async () => {
    server = await startServer((_req, res) => json(res, 200, { n: 1 }));
    const broken = z.object({ n: z.number() }).refine(() => {
      throw new TypeError('a bug in a check');
    });
    const error = await rejection(client(server.url).http.request({ ...get, path: '/x', schema: broken }));
    expect(error).toBeInstanceOf(TypeError);
    expect(isResponseValidationError(error)).toBe(false);
  });
});

describe('memory', () => {
  it('a response object does not keep the body text alive', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    // A megabyte of text that parses to almost nothing: only a kept text would show in the heap.
    const padded = `{"ok":true}${' '.repeat(1024 * 1024)}`;
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(padded.length) });
      res.end(padded);
    });
    const http = client(server.url).http;
    const kept: unknown[] = [await http.request({ ...get, path: '/x' })];
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 30; i++) kept.push(await http.request({ ...get, path: '/x' }));
    gc();
    const grown = process.memoryUsage().heapUsed - before;
    expect(kept).toHaveLength(31);
    expect(grown).toBeLessThan(10 * 1024 * 1024);
  });
});

describe('network failures', () => {
  it('a refused connection is a NetworkError naming the cause', async () => {
    const closed = await startServer(() => undefined);
    await closed.close();
    const error = await rejection(client(closed.url, { retry: false }).http.request({ ...get, path: '/x' }));
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
  });

  it('a 407, which fetch turns into an error without a reason, says so', async () => {
    // It read "fetch failed:  after 1 attempt", the empty reason joined in.
    server = await startServer((_req, res) => {
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="corp"' });
      res.end();
    });
    const error = await rejection(client(server.url, { retry: false }).http.request({ ...get, path: '/x' }));
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as Error).message).toMatch(/failed: fetch failed: no reason given \(fetch answers a 407 Proxy Authentication Required this way\)/);
  });

  it.each([
    ['without a timeout', false],
    ['with a timeout of a minute', 60_000],
  ] as const)('an error whose body stalls %s is reported once its excerpt has been waited for', async (_name, timeout) => {
    // The status is the answer; the excerpt held the attempt for its whole timeout, and without one for good.
    server = await startServer((_req, res) => {
      res.writeHead(503, { 'content-type': 'application/json', 'content-length': '10000' });
      res.write(JSON.stringify({ message: 'back at 12:00 UTC' }));
    });
    // 5 s of the client's time at a hundredth of real time; before, the test's own time limit ended it.
    const error = await rejection(client(server.url, { retry: false, timeout, clock: scaledClock(0.01) }).http.request({ ...get, path: '/x' }));
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(503);
    // What came before the stall is kept.
    expect((error as HttpError).bodyExcerpt).toBe('{"message":"back at 12:00 UTC"}');
  });

  it('a body cut short (Content-Length not reached) is a NetworkError', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"events": [');
      setTimeout(() => res.destroy(), 5);
    });
    const error = await rejection(client(server.url, { retry: false }).http.request({ ...get, path: '/x' }));
    expect(error).toBeInstanceOf(NetworkError);
  });

  it('an error status whose body breaks off is still the HttpError of its status', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(500, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"message":');
      setTimeout(() => res.destroy(), 5);
    });
    const error = await rejection(client(server.url, { retry: false }).http.request({ ...get, path: '/x' }));
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(500);
  });

  it('a slow attempt is a TimeoutError carrying the timeout', async () => {
    server = await startServer((_req, res) => {
      setTimeout(() => json(res, 200, {}), 500);
    });
    const error = await rejection(client(server.url, { retry: false, timeout: 50 }).http.request({ ...get, path: '/x' }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).timeoutMs).toBe(50);
    expect(isHttpError(error)).toBe(false);
  });

  it('the timeout covers a body that stalls after the headers', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"a":');
    });
    const error = await rejection(client(server.url, { retry: false, timeout: 50 }).http.request({ ...get, path: '/x' }));
    expect(error).toBeInstanceOf(TimeoutError);
  });
});
