import { inspect } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { scaledClock } from '../../src/core/clock.js';
import { ConfigurationError, HttpError, isResponseValidationError } from '../../src/core/errors.js';
import { redactedRaw } from '../../src/core/errors/redacted-raw.js';
import { registerSecret } from '../../src/core/redact.js';
import type { Auth } from '../../src/core/request.js';
import { client, json, rejection, startServer, type TestServer } from './helpers/server.js';

const servers: TestServer[] = [];
async function serve(...args: Parameters<typeof startServer>): Promise<TestServer> {
  const s = await startServer(...args);
  servers.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const get = { operation: 'events.list', method: 'GET' as const };

describe('https is required', () => {
  it.each(['http://pce.example.com:8443', 'http://10.0.0.5', 'http://127.example.com', 'http://[::2]:80', 'http://localhost.:8080'])(
    'refuses %s at construction',
    (baseUrl) => {
      const error = (() => {
        try {
          client(baseUrl);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as ConfigurationError).option).toBe('baseUrl');
      expect((error as Error).message).toMatch(/https: is required/);
    },
  );

  it.each(['http://localhost:8080', 'http://127.0.0.1:1', 'http://127.10.20.30', 'http://[::1]:9000', 'https://pce.example.com'])(
    'accepts %s',
    (baseUrl) => {
      expect(client(baseUrl).http.baseUrl.href.startsWith(baseUrl.replace(/\/$/, ''))).toBe(true);
    },
  );

  it('accepts plain http to another host only with allowInsecureHttp', () => {
    expect(client('http://pce.example.com', { allowInsecureHttp: true }).http.baseUrl.host).toBe('pce.example.com');
  });

  it('refuses credentials in the base URL without repeating them', () => {
    try {
      client('https://admin:hunter2-pass@pce.example.com');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigurationError);
      expect(JSON.stringify(error) + inspect(error)).not.toContain('hunter2-pass');
    }
  });

  // A password given as the base URL by mistake (swapped variables) parses as a URL of the scheme
  // before its first colon: naming that scheme showed the password up to the colon.
  it.each(['hunter2:Zq9', 'hunter2:', 'Hunter2.x+y:z'])('names no scheme of a value that is not a URL a user meant (%s)', (baseUrl) => {
    try {
      client(baseUrl);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigurationError);
      expect(JSON.stringify(error) + inspect(error)).not.toMatch(/hunter2/i);
    }
  });

  it.each(['ftp://pce.example.com', 'ws://pce.example.com', 'wss://pce.example.com', 'file:///etc/pce'])('names the scheme of %s, a URL of another protocol', (baseUrl) => {
    expect(() => client(baseUrl)).toThrow(`got "${new URL(baseUrl).protocol}"`);
  });
});

const CREDENTIAL_HEADERS = ['authorization', 'x-user-token', 'x-auth-token'];

describe('redirects', () => {
  const auths: Array<[string, Auth]> = [
    ['Authorization: Bearer', { key: 'r1', headers: () => ({ authorization: 'Bearer redirect-token-1' }) }],
    ['X-User-Token', { key: 'r2', headers: () => ({ 'x-user-token': 'redirect-token-2', 'x-user-email': 'a@b.c' }) }],
    ['X-Auth-Token', { key: 'r3', headers: () => ({ 'x-auth-token': 'redirect-token-3' }) }],
  ];

  it.each(auths)('a cross-origin redirect is refused and the other origin sees no %s', async (_name, auth) => {
    const other = await serve((req, res) => json(res, 200, { stolen: req.headers }));
    const origin = await serve((_req, res) => {
      res.writeHead(302, { location: `${other.url}/collect` });
      res.end();
    });
    const error = (await rejection(client(origin.url, {}, auth).http.request({ ...get, path: '/events' }))) as HttpError;
    expect(error).toBeInstanceOf(HttpError);
    expect(error.status).toBe(302);
    expect(error.message).toMatch(/redirected to another origin \(http:\/\/127\.0\.0\.1:\d+\); the redirect was refused/);
    for (const arrival of other.arrivals) {
      for (const header of CREDENTIAL_HEADERS) expect(arrival.headers[header]).toBeUndefined();
    }
    expect(other.arrivals).toHaveLength(0);
  });

  it('a same-origin redirect is followed, with credentials', async () => {
    const origin = await serve((req, res) => {
      if (req.url === '/old') {
        res.writeHead(301, { location: '/new' });
        res.end();
      } else json(res, 200, { at: req.url });
    });
    const response = await client(origin.url).http.request({ ...get, path: '/old' });
    expect(response.data).toEqual({ at: '/new' });
    expect(response.url).toBe(`${origin.url}/new`);
    expect(origin.arrivals[1]?.headers.authorization).toMatch(/^Bearer /);
  });

  it('303 after a POST becomes a GET without body; 307 keeps method and body', async () => {
    const origin = await serve((req, res) => {
      if (req.url === '/a') {
        res.writeHead(303, { location: '/b' });
        res.end();
      } else if (req.url === '/c') {
        res.writeHead(307, { location: '/d' });
        res.end();
      } else json(res, 200, {});
    });
    const c = client(origin.url);
    await c.http.request({ operation: 'op', method: 'POST', path: '/a', json: { x: 1 } });
    await c.http.request({ operation: 'op', method: 'POST', path: '/c', json: { y: 2 } });
    expect(origin.arrivals.map((a) => `${a.method} ${a.url} ${a.body}`)).toEqual([
      'POST /a {"x":1}',
      'GET /b ',
      'POST /c {"y":2}',
      'POST /d {"y":2}',
    ]);
  });

  it('an error after a 303 names the GET that met it, not the POST that was redirected', async () => {
    const origin = await serve((req, res) => {
      if (req.url === '/search') {
        res.writeHead(303, { location: '/maintenance' });
        res.end();
      } else if (req.url === '/listing') {
        res.writeHead(303, { location: '/page' });
        res.end();
      } else if (req.url === '/page') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"events":5}');
      } else json(res, 404, { message: 'No such page' });
    });
    const c = client(origin.url, { retry: false });
    const error = (await rejection(c.http.request({ operation: 'events.list', method: 'POST', path: '/search', json: {} }))) as HttpError;
    expect(error).toMatchObject({ status: 404, method: 'GET', url: `${origin.url}/maintenance` });
    expect(error.message).toContain(`GET ${origin.url}/maintenance returned 404`);
    const invalid = await rejection(c.http.request({ operation: 'events.list', method: 'POST', path: '/listing', json: {}, schema: z.object({ events: z.array(z.unknown()) }) }));
    expect(isResponseValidationError(invalid)).toBe(true);
    expect((invalid as Error).message).toContain(`the response to GET ${origin.url}/page`);
  });

  it.each([
    ['not a URL', 'http://[::1', /redirected to a Location that is not a URL/],
    ['with credentials in it', '/x', /redirected to a URL with credentials in it/],
  ])('a redirect to a Location %s is an HttpError, sent once and not retried', async (_name, location, message) => {
    // It was a NetworkError ("Invalid URL"), retried like a lost connection.
    const origin = await serve((req, res) => {
      const host = req.headers.host ?? '';
      res.writeHead(302, { location: location === '/x' ? `http://user:pass@${host}/x` : location });
      res.end();
    });
    const error = (await rejection(client(origin.url).http.request({ ...get, path: '/events' }))) as HttpError;
    expect(error).toBeInstanceOf(HttpError);
    expect(error.status).toBe(302);
    expect(error.message).toMatch(message);
    expect(error.message).not.toMatch(/pass/);
    expect(origin.arrivals).toHaveLength(1);
  });

  it('a redirect to a Location with a password alone in it is refused as one with a user', async () => {
    const origin = await serve((req, res) => {
      res.writeHead(302, { location: `http://:pass@${req.headers.host ?? ''}/x` });
      res.end();
    });
    const error = (await rejection(client(origin.url).http.request({ ...get, path: '/events' }))) as HttpError;
    expect(error).toBeInstanceOf(HttpError);
    expect(error.status).toBe(302);
    expect(error.message).toMatch(/redirected to a URL with credentials in it/);
    expect(error.message).not.toMatch(/pass/);
    expect(origin.arrivals).toHaveLength(1);
  });

  it('301 and 302 turn only a POST into a GET, a DELETE keeps its method; 308 keeps method and body', async () => {
    const origin = await serve((req, res) => {
      const to = { '/a': [301, '/b'], '/c': [302, '/d'], '/e': [308, '/f'] }[req.url ?? ''] as [number, string] | undefined;
      if (to) {
        res.writeHead(to[0], { location: to[1] });
        res.end();
      } else json(res, 200, {});
    });
    const c = client(origin.url);
    await c.http.request({ operation: 'op', method: 'DELETE', path: '/a' });
    await c.http.request({ operation: 'op', method: 'DELETE', path: '/c' });
    await c.http.request({ operation: 'op', method: 'POST', path: '/e', json: { z: 3 } });
    expect(origin.arrivals.map((a) => `${a.method} ${a.url} ${a.body}`)).toEqual([
      'DELETE /a ',
      'DELETE /b ',
      'DELETE /c ',
      'DELETE /d ',
      'POST /e {"z":3}',
      'POST /f {"z":3}',
    ]);
  });

  it('301 and 302 turn a POST into a GET without its body, as fetch does', async () => {
    const origin = await serve((req, res) => {
      const to = { '/a': [301, '/b'], '/c': [302, '/d'] }[req.url ?? ''] as [number, string] | undefined;
      if (to) {
        res.writeHead(to[0], { location: to[1] });
        res.end();
      } else json(res, 200, {});
    });
    const c = client(origin.url);
    await c.http.request({ operation: 'op', method: 'POST', path: '/a', json: { x: 1 } });
    await c.http.request({ operation: 'op', method: 'POST', path: '/c', json: { y: 2 } });
    expect(origin.arrivals.map((a) => `${a.method} ${a.url} ${a.body}`)).toEqual(['POST /a {"x":1}', 'GET /b ', 'POST /c {"y":2}', 'GET /d ']);
  });

  it('the body of a redirect is let go at once: the server sees its answer closed, not left half read', async () => {
    let redirectClosed = false;
    const origin = await serve((req, res) => {
      if (req.url === '/old') {
        res.writeHead(302, { location: '/new', 'content-type': 'text/plain' });
        // A body that never ends: only the client letting go of it closes the answer.
        const timer = setInterval(() => res.write('x'.repeat(16 * 1024)), 1);
        res.on('close', () => {
          clearInterval(timer);
          redirectClosed = true;
        });
      } else json(res, 200, { at: req.url });
    });
    expect((await client(origin.url).http.request({ ...get, path: '/old' })).data).toEqual({ at: '/new' });
    await vi.waitFor(() => expect(redirectClosed).toBe(true));
  });

  it('gives up after 5 redirects', async () => {
    const origin = await serve((req, res) => {
      res.writeHead(302, { location: `/hop${Number(req.url?.slice(4) || 0) + 1}` });
      res.end();
    });
    const error = (await rejection(client(origin.url).http.request({ ...get, path: '/hop0' }))) as HttpError;
    expect(error.message).toMatch(/more than 5 times/);
    expect(origin.arrivals).toHaveLength(6);
  });

  it('an absolute path of another origin is refused before any request; the same origin is used', async () => {
    const other = await serve((_req, res) => json(res, 200, {}));
    const origin = await serve((_req, res) => json(res, 200, { job: 'done' }));
    const c = client(origin.url);
    const error = await rejection(c.http.request({ ...get, path: `${other.url}/api/v2/orgs/1/jobs/7` }));
    expect(isResponseValidationError(error)).toBe(true);
    expect((error as Error).message).toMatch(/not the origin of the base URL/);
    expect(other.arrivals).toHaveLength(0);
    expect((await c.http.request({ ...get, path: `${origin.url}/api/v2/orgs/1/jobs/7` })).data).toEqual({ job: 'done' });
    expect(origin.arrivals[0]?.url).toBe('/api/v2/orgs/1/jobs/7');
  });
});

describe('no credential in any error or hook', () => {
  interface Case {
    name: string;
    auth: Auth;
    secrets: string[];
  }
  const password = 'Pa55-w0rd!secret';
  const basic = Buffer.from(`iics-user:${password}`).toString('base64');
  const apiSecret = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718';
  const illumioBasic = Buffer.from(`api_1a2b3c4d5e:${apiSecret}`).toString('base64');
  const cases: Case[] = [
    { name: 'bearer token', auth: { key: 's1', headers: () => ({ authorization: 'Bearer eyJhbGciOi.secret-jwt.Sig' }) }, secrets: ['eyJhbGciOi.secret-jwt.Sig'] },
    { name: 'Basic password', auth: { key: 's2', headers: () => ({ authorization: `Basic ${basic}` }) }, secrets: [password, basic] },
    { name: 'API secret', auth: { key: 's3', headers: () => ({ authorization: `Basic ${illumioBasic}` }) }, secrets: [apiSecret, illumioBasic] },
    { name: 'X-Auth-Token', auth: { key: 's4', headers: () => ({ 'x-auth-token': 'gAAAAABk-keystone-token-xyz' }) }, secrets: ['gAAAAABk-keystone-token-xyz'] },
    { name: 'X-User-Token', auth: { key: 's5', headers: () => ({ 'x-user-token': 'tines-user-token-42', 'x-user-email': 'ops@example.com' }) }, secrets: ['tines-user-token-42'] },
  ];

  function scan(values: unknown[], secrets: string[]): void {
    for (const value of values) {
      const views =
        value instanceof Error
          ? [value.message, value.stack ?? '', inspect(value), inspect(value, { depth: 5, showHidden: true }), JSON.stringify(value)]
          : [inspect(value, { depth: 5 }), JSON.stringify(value)];
      for (const view of views) {
        for (const secret of secrets) {
          expect(view).not.toContain(secret);
          expect(view).not.toContain(encodeURIComponent(secret));
        }
      }
    }
  }

  it.each(cases)('$name: status errors, echoed bodies, URLs, timeouts, validation and hooks', async ({ auth, secrets }) => {
    const echo = await serve((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const status = Number(url.pathname.slice(1));
      // Echo every request header back, as some vendors' error pages do.
      if (status === 200) json(res, 200, { events: [{ id: req.headers }] });
      else if (status === 999) setTimeout(() => json(res, 200, {}), 300);
      else if (status) json(res, status, { message: `rejected ${JSON.stringify(req.headers)}`, url: req.url }, { 'retry-after': '0' });
      else {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`Request dump:\n${Object.entries(req.headers).map(([k, v]) => `${k}: ${String(v)}`).join('\n')}`);
      }
    });
    const hookArgs: unknown[] = [];
    const record = (info: unknown) => hookArgs.push(info);
    const c = client(echo.url, {
      clock: scaledClock(0.0001),
      timeout: 100,
      retry: { retries: 1 },
      hooks: { onRequest: record, onResponse: record, onRetry: record, onRateLimit: record },
    }, auth);
    const query = { access_token: secrets[0], q: secrets[0] };
    const errors: unknown[] = [];
    for (const status of [400, 401, 403, 404, 429, 500, 503, 0]) {
      errors.push(await rejection(c.http.request({ ...get, path: `/${status}`, query })));
    }
    errors.push(await rejection(c.http.request({ ...get, path: '/999', query })));
    errors.push(await rejection(c.http.request({ ...get, path: '/200', query, schema: z.object({ events: z.array(z.object({ id: z.string() })) }) })));
    const closed = await serve(() => undefined);
    await closed.close();
    errors.push(await rejection(client(closed.url, { retry: false }, auth).http.request({ ...get, path: '/x', query })));
    expect(errors).toHaveLength(11);
    scan(errors, secrets);
    scan(hookArgs, secrets);
    expect(hookArgs.length).toBeGreaterThan(10);
  });

  it('redacts before cutting the body excerpt, so no part of a credential survives the cut', async () => {
    const token = 'cut-token-0123456789abcdef';
    const s = await serve((_req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`${'x'.repeat(490)}${token} and more`);
    });
    const error = (await rejection(
      client(s.url, { retry: false }, { key: 'cut', headers: () => ({ authorization: `Bearer ${token}` }) }).http.request({ ...get, path: '/x' }),
    )) as HttpError;
    expect(error.bodyExcerpt).toHaveLength(500);
    expect(error.bodyExcerpt).not.toContain(token.slice(0, 6));
  });

  it('redacts the vendor message before cutting it, so no part of a credential survives either cut', async () => {
    const token = 'cut-token-0123456789abcdef';
    // The token straddles the error message's cut (300) in one answer and the vendor message's (500) in the other.
    for (const before of [290, 490]) {
      const s = await serve((_req, res) => json(res, 500, { message: `${'x'.repeat(before)}${token} and more` }));
      const error = (await rejection(
        client(s.url, { retry: false }, { key: `cut-${before}`, headers: () => ({ authorization: `Bearer ${token}` }) }).http.request({ ...get, path: '/x' }),
      )) as HttpError;
      expect(error.vendorMessage?.length).toBeLessThanOrEqual(501);
      for (const view of [error.message, error.vendorMessage ?? '', inspect(error), JSON.stringify(error)]) {
        expect(view).not.toContain(token.slice(0, 10));
      }
    }
  });

  it('redacts a credential echoed inside JSON text, escaped as JSON encoders write it', async () => {
    const user = 'iics-user';
    // A quote and a backslash, and a Basic token with a "/" in it.
    let password = '';
    for (let i = 0; !Buffer.from(`${user}:${password}`).toString('base64').slice(4, -4).includes('/'); i += 1) password = `Tr0ub4dor"&\\3-horse?${i}`;
    const basic = Buffer.from(`${user}:${password}`).toString('base64');
    const phpJson = (value: unknown): string => JSON.stringify(value).replaceAll('/', '\\/');
    const s = await serve((req, res) => {
      const header = req.headers.authorization ?? '';
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(phpJson({ error: 'login refused', header, login: Buffer.from(header.slice(6), 'base64').toString() }));
    });
    const auth: Auth = { key: 'json-echo', headers: () => ({ authorization: `Basic ${basic}` }) };
    const error = (await rejection(client(s.url, { retry: false }, auth).http.request({ ...get, path: '/x' }))) as HttpError;
    for (const view of [error.message, error.bodyExcerpt ?? '', inspect(error), JSON.stringify(error)]) {
      expect(view).not.toContain('Tr0ub4dor');
      expect(view).not.toContain('3-horse');
      expect(view).not.toContain(basic.slice(basic.indexOf('/') + 1));
    }
  });

  it("keeps fetch's own error as a redacted cause, with its prototype and code", async () => {
    const token = 'cause-token-0123456789abcdef';
    const fetchThatQuotes: typeof fetch = () => {
      const socket = Object.assign(new Error(`write failed for header Bearer ${token}`), { code: 'ECONNRESET' });
      return Promise.reject(new TypeError(`Headers.append: "Bearer ${token}" is an invalid header value`, { cause: socket }));
    };
    const auth: Auth = { key: 'cause', headers: () => ({ authorization: `Bearer ${token}` }) };
    const error = (await rejection(client('http://127.0.0.1:1', { retry: false, fetch: fetchThatQuotes }, auth).http.request({ ...get, path: '/x' }))) as Error;
    const cause = error.cause as TypeError & { cause: Error & { code: string } };
    expect(cause).toBeInstanceOf(TypeError);
    expect(cause.cause.code).toBe('ECONNRESET');
    for (const view of [cause.message, cause.stack ?? '', cause.cause.message, inspect(error, { depth: 6, showHidden: true }), inspect(cause, { depth: 6 })]) {
      expect(view).not.toContain(token);
    }
  });

  it('redacts a cause that is not an Error: a string, or an object holding the request headers', async () => {
    const token = 'plain-cause-token-0123456789';
    const auth: Auth = { key: 'plain-cause', headers: () => ({ authorization: `Bearer ${token}` }) };
    const thrown = [
      (init?: RequestInit) => `failed with headers ${JSON.stringify(init?.headers)}`,
      (init?: RequestInit) => ({ message: 'request failed', request: { headers: init?.headers } }),
    ];
    for (const reason of thrown) {
      const rejecting: typeof fetch = (_input, init) => Promise.reject(reason(init));
      const error = (await rejection(client('http://127.0.0.1:1', { retry: false, fetch: rejecting }, auth).http.request({ ...get, path: '/x' }))) as Error;
      expect(error.cause).toBeDefined();
      for (const view of [JSON.stringify(error.cause), inspect(error, { depth: 6, showHidden: true }), JSON.stringify(error)]) {
        expect(view).not.toContain(token);
      }
    }
  });

  it("redacts a validation issue that quotes the body (V8 quotes a short body that is not JSON)", async () => {
    const token = 'tok-issue-0123456789';
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(token);
    });
    const auth: Auth = { key: 'issue-echo', headers: () => ({ authorization: `Bearer ${token}` }) };
    const error = await rejection(client(s.url, { retry: false }, auth).http.request({ ...get, path: '/x', schema: z.object({}) }));
    expect(isResponseValidationError(error)).toBe(true);
    scan([error], [token]);
  });

  it.each([
    ['Go JSON (\\u0026, \\u003c)', (secret: string) => JSON.stringify({ message: `refused ${secret}` }).replace(/[&<>]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`)],
    ['Python JSON (\\u00e4)', (secret: string) => JSON.stringify({ message: `refused ${secret}` }).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)],
    ['HTML entities', (secret: string) => `<html><body>refused ${secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&#62;')}</body></html>`],
    ['lower-case percent-encoding', (secret: string) => `refused ${encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (c) => c.toLowerCase())}`],
  ])('redacts a credential echoed in %s', async (_name, echo) => {
    const password = 'S3cret&Pa<ss>wörd';
    const s = await serve((_req, res) => {
      res.writeHead(401, { 'content-type': 'text/plain' });
      res.end(echo(password));
    });
    const auth: Auth = { key: `escaped-${_name}`, headers: () => ({ authorization: `Basic ${Buffer.from(`alice:${password}`).toString('base64')}` }) };
    const error = (await rejection(client(s.url, { retry: false }, auth).http.request({ ...get, path: '/x' }))) as HttpError;
    expect(error.bodyExcerpt).toContain('[REDACTED]');
    for (const view of [error.message, error.bodyExcerpt ?? '', error.vendorMessage ?? '', inspect(error), JSON.stringify(error)]) {
      expect(view).not.toMatch(/refused (?!\[REDACTED\])/);
      expect(view).not.toMatch(/S3cret|w(ö|\\u00f6|%c3%b6|&#)rd/i);
    }
  });

  it.each([
    // JSON may write any character as \u: a backslash as \u005c, not only as \\.
    ['JSON with a backslash as \\u005c', (secret: string) => JSON.stringify({ message: `refused ${secret}` }).replaceAll('\\\\', '\\u005c')],
    ['HTML entities with leading zeros', (secret: string) => `<p>refused ${secret.replace(/[^A-Za-z0-9]/g, (c) => `&#00${c.charCodeAt(0)};`)}</p>`],
    ['hex HTML entities with leading zeros', (secret: string) => `<p>refused ${secret.replace(/[^A-Za-z0-9]/g, (c) => `&#x00${c.charCodeAt(0).toString(16)};`)}</p>`],
  ])('redacts a credential with a backslash echoed in %s', async (name, echo) => {
    const token = 'Kx9\\q-7Lm.w3';
    const s = await serve((_req, res) => {
      res.writeHead(401, { 'content-type': 'text/plain' });
      res.end(echo(token));
    });
    const auth: Auth = { key: `zeros-${name}`, headers: () => ({ 'x-auth-token': token }) };
    const error = (await rejection(client(s.url, { retry: false }, auth).http.request({ ...get, path: '/x' }))) as HttpError;
    expect(error.bodyExcerpt).toMatch(/refused \[REDACTED\]/);
    for (const view of [error.message, error.bodyExcerpt ?? '', error.vendorMessage ?? '', inspect(error), JSON.stringify(error)]) {
      expect(view).not.toMatch(/Kx9|7Lm|w3/);
    }
  });

  it('redacts the secret of a credential sent under the Token scheme where an answer echoes it alone', async () => {
    const token = 'scheme-token-5e7a-c19d';
    const auth: Auth = { key: `token-scheme-${Math.random()}`, headers: () => ({ authorization: `Token ${token}` }) };
    const origin = await serve((_req, res) => json(res, 401, { message: `unknown key ${token}` }));
    const error = (await rejection(client(origin.url, { retry: false }, auth).http.request({ ...get, path: '/x' }))) as HttpError;
    expect(error.vendorMessage).toBe('unknown key [REDACTED]');
    expect(JSON.stringify(error)).not.toContain(token);
    expect(inspect(error)).not.toContain(token);
  });

  it('redacts a refresh_token field the SDK never saw, as it does an access_token', async () => {
    const s = await serve((_req, res) => json(res, 400, { error: 'invalid_grant', detail: 'refresh_token=rt-never-registered-42 expired' }));
    const error = await rejection(client(s.url, { retry: false }).http.request({ ...get, path: '/x' }));
    expect((error as HttpError).bodyExcerpt).toContain('refresh_token=[REDACTED]');
    scan([error], ['rt-never-registered-42']);
  });

  it('redacts a credential of any length, inside a longer one first', async () => {
    const s = await serve((req, res) => json(res, 401, { message: `wrong password Zq9 in ${req.headers.authorization ?? ''}` }));
    registerSecret('Zq9');
    const auth: Auth = { key: 'short', headers: () => ({ 'x-auth-token': 'aaZq9bbbb-long-token' }) };
    const error = (await rejection(client(s.url, { retry: false }, auth).http.request({ ...get, path: '/x' }))) as HttpError;
    expect(error.message).toContain('wrong password [REDACTED]');
    scan([error], ['Zq9', 'aaZq9bbbb-long-token', 'bbbb-long']);
  });

  it('keeps no part of an echoed credential from a body that is not JSON (V8 quotes a few characters)', async () => {
    const token = 'tok&<>ABCDEFGHIJ-0123456789';
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`Pa${token}`);
    });
    const auth: Auth = { key: 'v8-quote', headers: () => ({ authorization: `Bearer ${token}` }) };
    const error = await rejection(client(s.url, { retry: false }, auth).http.request({ ...get, path: '/x', schema: z.object({}) }));
    expect(isResponseValidationError(error)).toBe(true);
    scan([error], [token.slice(0, 8), 'ABCDEF']);
  });

  it("redacts a credential echoed in a body the error keeps as raw, and keeps a body without one as it is", async () => {
    // A page of the wrong shape or not JSON: `raw` held the request's header as the vendor echoed it.
    const token = 'raw-echo-token-0123456789';
    const s = await serve((req, res) => {
      const header = req.headers.authorization ?? '';
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(req.url === '/text' ? `<html>${header}</html>` : JSON.stringify({ events: { echoed: [header, { [header]: 1 }] }, n: 5 }));
    });
    const auth: Auth = { key: 'raw-echo', headers: () => ({ authorization: `Bearer ${token}` }) };
    const c = client(s.url, { retry: false }, auth);
    const schema = z.object({ events: z.array(z.unknown()) });
    for (const path of ['/json', '/text']) {
      const error = await rejection(c.http.request({ ...get, path, schema }));
      expect(isResponseValidationError(error)).toBe(true);
      const raw = (error as { raw: unknown }).raw;
      expect(JSON.stringify(raw)).toContain('[REDACTED]');
      for (const view of [JSON.stringify(raw), inspect(raw, { depth: Infinity }), inspect(error, { depth: Infinity, showHidden: true })]) {
        expect(view).not.toContain(token);
      }
    }
    expect(redactedRaw({ events: { echoed: [`sent ${token} here`] }, n: 5 })).toEqual({ events: { echoed: ['sent [REDACTED] here'] }, n: 5 });
    const clean = { events: 'x', list: [{ a: null }] };
    expect(redactedRaw(clean)).toBe(clean);
  });

  it('copies a raw value holding a credential key by key, however deep, __proto__ an own key still', () => {
    const token = 'raw-deep-token-0123456789';
    registerSecret(token);
    let deep: unknown = token;
    for (let level = 0; level < 20_000; level++) deep = [deep];
    let copy = redactedRaw(deep);
    for (let level = 0; level < 20_000; level++) copy = (copy as unknown[])[0];
    expect(copy).toBe('[REDACTED]');
    const withProto = JSON.parse(`{"__proto__": {"x": "${token}"}}`) as Record<string, unknown>;
    const redacted = redactedRaw(withProto) as Record<string, unknown>;
    expect(Object.getPrototypeOf(redacted)).toBe(Object.prototype);
    expect(Object.hasOwn(redacted, '__proto__')).toBe(true);
    expect(JSON.stringify(redacted)).toBe('{"__proto__":{"x":"[REDACTED]"}}');
  });

  it('redacts a request id a gateway copied a credential into', async () => {
    const token = 'tines-secret-token-123';
    const s = await serve((req, res) => json(res, 500, {}, { 'x-request-id': `req-1 ${req.headers['x-user-token'] as string}` }));
    const auth: Auth = { key: 'request-id', headers: () => ({ 'x-user-token': token }) };
    const error = (await rejection(client(s.url, { retry: false }, auth).http.request({ ...get, path: '/x' }))) as HttpError;
    expect(error.requestId).toBe('req-1 [REDACTED]');
    scan([error], [token]);
  });

  it('redacts credential-looking query values the SDK never saw', async () => {
    const s = await serve((_req, res) => json(res, 404, {}));
    const error = await rejection(
      client(s.url).http.request({ ...get, path: '/x', query: { password: 'never-registered-pw', api_key: 'never-registered-key' } }),
    );
    scan([error], ['never-registered-pw', 'never-registered-key']);
  });
});

describe('hooks', () => {
  it('a hook that throws or rejects does not break the request', async () => {
    const s = await serve((_req, res, _a, i) => (i === 0 ? json(res, 503, {}, { 'retry-after': '0' }) : json(res, 200, { ok: true })));
    const boom = () => {
      throw new Error('hook bug');
    };
    const response = await client(s.url, {
      clock: scaledClock(0.0001),
      hooks: { onRequest: boom, onResponse: async () => Promise.reject(new Error('async hook bug')), onRetry: boom, onRateLimit: boom },
    }).http.request({ ...get, path: '/x' });
    expect(response.data).toEqual({ ok: true });
  });

  it('onRequest and onResponse see each attempt', async () => {
    const s = await serve((_req, res, _a, i) => (i === 0 ? json(res, 502, {}) : json(res, 201, {})));
    const seen: string[] = [];
    await client(s.url, {
      clock: scaledClock(0.0001),
      hooks: {
        onRequest: (i) => seen.push(`req ${i.method} ${i.url} #${i.attempt}`),
        onResponse: (i) => seen.push(`res ${i.status} #${i.attempt} ${i.durationMs >= 0}`),
      },
    }).http.request({ ...get, path: '/x' });
    expect(seen).toEqual([`req GET ${s.url}/x #1`, 'res 502 #1 true', `req GET ${s.url}/x #2`, 'res 201 #2 true']);
  });
});
