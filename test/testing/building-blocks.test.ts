import { describe, expect, it } from 'vitest';
import {
  createRouter,
  defineEmulator,
  empty,
  EmulatorHttpError,
  htmlErrorPage,
  json,
  queryBool,
  queryInt,
  queryList,
  queryString,
  queryTime,
  reasonPhrase,
  requireBasic,
  requireBearer,
  requireHeader,
  text,
  type OptionRule,
} from '../../src/testing/index.js';

const req = (path: string, init?: RequestInit) => new Request(`https://x.test${path}`, init);

async function statusOf(fn: () => unknown): Promise<{ status: number; message: string; headers: Record<string, string> }> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof EmulatorHttpError) return { status: error.status, message: error.message, headers: error.headers };
    throw error;
  }
  throw new Error('expected an EmulatorHttpError');
}

describe('router', () => {
  const router = createRouter<{ tag: string }>()
    .get('/api/v2/orgs/:orgId/events', ({ params, query, context }) => json({ org: params['orgId'], max: query.get('max'), tag: context.tag }))
    .get('/api/v2/orgs/:orgId/events/:uuid', ({ params }) => json(params))
    .post('/api/v2/orgs/:orgId/events', () => json({ created: true }, { status: 201 }))
    .get('/files/*', ({ params }) => text(params['*'] ?? ''));

  it('matches methods and decodes :params', async () => {
    const list = await router.handle(req('/api/v2/orgs/7/events?max=5'), { tag: 't' });
    expect(await list.json()).toEqual({ org: '7', max: '5', tag: 't' });
    const one = await router.handle(req('/api/v2/orgs/7/events/a%2Fb'), { tag: 't' });
    expect(await one.json()).toEqual({ orgId: '7', uuid: 'a/b' });
    expect((await router.handle(req('/api/v2/orgs/7/events', { method: 'POST' }), { tag: 't' })).status).toBe(201);
    expect(await (await router.handle(req('/files/a/b%20c'), { tag: 't' })).text()).toBe('a/b c');
  });

  it('serves HEAD from the GET route', async () => {
    expect((await router.handle(req('/api/v2/orgs/1/events', { method: 'HEAD' }), { tag: 't' })).status).toBe(200);
  });

  it('answers 404 for an unknown path and 405 with Allow for another method', async () => {
    expect(await statusOf(() => router.handle(req('/api/v2/orgs/7'), { tag: 't' }))).toMatchObject({ status: 404 });
    expect(await statusOf(() => router.handle(req('/api/v2/orgs/7/events', { method: 'DELETE' }), { tag: 't' }))).toMatchObject({
      status: 405,
      headers: { Allow: 'GET, POST' },
    });
    expect(await statusOf(() => router.handle(req('/api/v2/orgs/%E0%A4%A/events'), { tag: 't' }))).toMatchObject({ status: 400 });
  });
});

describe('router methods', () => {
  it('takes a route method in any case, as a request method is matched', async () => {
    const router = createRouter<undefined>().on('get', '/x', () => text('ok'));
    expect((await router.handle(req('/x'), undefined)).status).toBe(200);
  });
});

describe('auth checks', () => {
  const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });

  it('requireBasic returns the user, or 401 with a challenge that does not echo the secret', async () => {
    const accept = [{ user: 'api_1', password: 'pw:with:colons' }];
    expect(requireBasic(req('/', { headers: basic('api_1', 'pw:with:colons') }), accept)).toBe('api_1');
    expect(requireBasic(req('/', { headers: basic('u', 'p') }), (user, password) => user === 'u' && password === 'p')).toBe('u');
    const wrong = await statusOf(() => requireBasic(req('/', { headers: basic('api_1', 'nope') }), accept, 'PCE'));
    expect(wrong).toEqual({ status: 401, message: 'Invalid credentials', headers: { 'WWW-Authenticate': 'Basic realm="PCE"' } });
    expect(await statusOf(() => requireBasic(req('/'), accept))).toMatchObject({ status: 401, message: 'Authentication required' });
    expect(await statusOf(() => requireBasic(req('/', { headers: { authorization: 'Bearer x' } }), accept))).toMatchObject({ status: 401 });
    // The scheme's name is case-insensitive (RFC 9110 §11.1), as vendors' servers read it.
    const lower = { authorization: `basic ${Buffer.from('api_1:pw:with:colons').toString('base64')}` };
    expect(requireBasic(req('/', { headers: lower }), accept)).toBe('api_1');
  });

  it('requireBearer and requireHeader accept a value, a list or a predicate', async () => {
    const bearer = (token: string) => req('/', { headers: { authorization: `Bearer ${token}` } });
    expect(requireBearer(bearer('t1'), 't1')).toBe('t1');
    expect(requireBearer(bearer('t2'), ['t1', 't2'])).toBe('t2');
    expect(requireBearer(bearer('t3'), (token) => token.startsWith('t'))).toBe('t3');
    expect(await statusOf(() => requireBearer(bearer('zz'), 't1'))).toMatchObject({ status: 401, message: 'Invalid token' });
    // A token is accepted whole, never by a prefix or part of an accepted one.
    expect(await statusOf(() => requireBearer(bearer('t10'), ['t1', 't2']))).toMatchObject({ status: 401, message: 'Invalid token' });
    expect(await statusOf(() => requireBearer(bearer('t'), ['t1', 't2']))).toMatchObject({ status: 401, message: 'Invalid token' });
    expect(await statusOf(() => requireHeader(req('/', { headers: { 'X-Auth-Token': 'gAAAA-more' } }), 'X-Auth-Token', ['gAAAA']))).toMatchObject({ status: 401 });
    expect(await statusOf(() => requireBearer(req('/'), 't1'))).toMatchObject({ status: 401 });
    const keystone = req('/', { headers: { 'X-Auth-Token': 'gAAAA' } });
    expect(requireHeader(keystone, 'X-Auth-Token', 'gAAAA')).toBe('gAAAA');
    expect(await statusOf(() => requireHeader(keystone, 'X-Auth-Token', 'other'))).toMatchObject({ status: 401, message: 'Invalid X-Auth-Token' });
    expect(await statusOf(() => requireHeader(req('/'), 'X-User-Token', 'x'))).toMatchObject({ status: 401, message: 'Missing X-User-Token header' });
    // An empty header is no credential, even to a predicate that would take it; a token is one word.
    const blank = req('/', { headers: { 'X-User-Token': '' } });
    expect(await statusOf(() => requireHeader(blank, 'X-User-Token', () => true))).toMatchObject({ status: 401, message: 'Missing X-User-Token header' });
    expect(await statusOf(() => requireBearer(bearer('t1 t2'), () => true))).toMatchObject({ status: 401, message: 'Authentication required' });
  });
});

describe('query helpers', () => {
  const q = (search: string) => new URL(`https://x.test/?${search}`).searchParams;

  it('parses integers with defaults, bounds and clamping', async () => {
    expect(queryInt(q(''), 'limit', { default: 20 })).toBe(20);
    expect(queryInt(q('limit='), 'limit')).toBeUndefined();
    expect(queryInt(q('limit=50'), 'limit', { min: 20, max: 100 })).toBe(50);
    expect(queryInt(q('max_results=20000'), 'max_results', { max: 10_000, clamp: true })).toBe(10_000);
    expect(await statusOf(() => queryInt(q('limit=5'), 'limit', { min: 20, max: 100 }))).toMatchObject({
      status: 400,
      message: 'Invalid value for limit: must be within [20, 100]',
    });
    expect(await statusOf(() => queryInt(q('limit=1e3'), 'limit'))).toMatchObject({ status: 400 });
    // The bounds themselves are within.
    expect([queryInt(q('limit=20'), 'limit', { min: 20, max: 100 }), queryInt(q('limit=100'), 'limit', { min: 20, max: 100 })]).toEqual([20, 100]);
  });

  it('parses times (zone-less is UTC), lists, booleans and strings', async () => {
    expect(queryTime(q('t=2026-11-23T10:00:00Z'), 't')).toBe(Date.parse('2026-11-23T10:00:00Z'));
    expect(queryTime(q('t=2026-11-23T10:00:00'), 't')).toBe(Date.parse('2026-11-23T10:00:00Z'));
    expect(queryTime(q('t=2026-11-23T10:00:00.250%2B01:00'), 't')).toBe(Date.parse('2026-11-23T09:00:00.250Z'));
    expect(await statusOf(() => queryTime(q('t=soon'), 't'))).toMatchObject({ status: 400 });
    // The seed's own forms: minutes only with a zone (FUJITSU's `2009-07-08T18:00Z`), and a date alone.
    expect(queryTime(q('t=2009-07-08T18:00Z'), 't')).toBe(Date.parse('2009-07-08T18:00:00Z'));
    expect(queryTime(q('t=2026-11-23'), 't')).toBe(Date.parse('2026-11-23T00:00:00Z'));
  });

  it('reads only ISO 8601 times, and a zone-less one as UTC whatever the zone of the machine', async () => {
    // RFC 3339 lets a space stand for the T; Date.parse would read `2026-11-23 10:00:00` as local time.
    expect(queryTime(q('t=2026-11-23 10:00:00'), 't')).toBe(Date.parse('2026-11-23T10:00:00Z'));
    expect(queryTime(q('t=2026-11-23t10:00:00z'), 't')).toBe(Date.parse('2026-11-23T10:00:00Z'));
    // What Date.parse takes and the vendors' servers do not: an HTTP date, Date's own text, a number.
    for (const raw of ['Mon, 23 Nov 2026 09:00:00 GMT', new Date(0).toString(), '1', 'Nov 23 2026 09:00']) {
      expect(await statusOf(() => queryTime(new URLSearchParams({ t: raw }), 't'))).toMatchObject({ status: 400 });
    }
    expect(queryList(q('type=a,b&type=c&type='), 'type')).toEqual(['a', 'b', 'c']);
    expect(queryList(q('type=a,%20b&type=%20c%20'), 'type')).toEqual(['a', 'b', 'c']);
    expect([queryBool(q('x=1'), 'x'), queryBool(q('x=TRUE'), 'x'), queryBool(q('x=False'), 'x')]).toEqual([true, true, false]);
    expect([queryBool(q('x=true'), 'x'), queryBool(q('x=0'), 'x'), queryBool(q(''), 'x')]).toEqual([true, false, undefined]);
    expect(await statusOf(() => queryBool(q('x=yes'), 'x'))).toMatchObject({ status: 400 });
    expect([queryString(q('s=v'), 's'), queryString(q('s='), 's')]).toEqual(['v', undefined]);
  });
});

describe('responses', () => {
  it('set the content types vendors send', async () => {
    const body = json({ a: 1 }, { status: 201, headers: { 'X-Total-Count': '1' } });
    expect([body.status, body.headers.get('content-type'), body.headers.get('x-total-count')]).toEqual([
      201,
      'application/json; charset=utf-8',
      '1',
    ]);
    // A content type of the emulator's own is kept: a vendor's `application/problem+json`, `text/csv`.
    expect(json({}, { headers: { 'Content-Type': 'application/problem+json' } }).headers.get('content-type')).toBe('application/problem+json');
    expect(text('a,b', { headers: { 'content-type': 'text/csv' } }).headers.get('content-type')).toBe('text/csv');
    expect([empty().status, empty({ status: 202 }).status]).toEqual([204, 202]);
    const page = htmlErrorPage(502);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('<title>502 Bad Gateway</title>');
    // A status without a standard reason phrase still has a title, and a status fault a message.
    expect([reasonPhrase(429), reasonPhrase(599)]).toEqual(['Too Many Requests', 'Error']);
    expect(await htmlErrorPage(599).text()).toContain('<title>599 Error</title>');
  });
});

describe('defineEmulator', () => {
  const vendor = defineEmulator<{ hits: number }, { greeting?: string }>({
    provider: 'tines',
    baseUrl: 'https://tenant.tines.com',
    createStore: () => ({ hits: 0 }),
    errorResponse: (status, message, headers) => json({ errors: [{ message, details: `status ${status}` }] }, { status, headers }),
    handle(request, { store, options }) {
      store.hits += 1;
      const path = new URL(request.url).pathname;
      if (path === '/boom') throw new Error('handler bug');
      if (path === '/teapot') throw new EmulatorHttpError(418, 'short and stout', { 'X-Why': 'tea' });
      return text(`${options.greeting ?? 'hello'} ${store.hits}`);
    },
  });

  it('uses the vendor error body for EmulatorHttpError and faults', async () => {
    const emulator = vendor.create({ greeting: 'hi' });
    expect(emulator.provider).toBe('tines');
    const teapot = await emulator.fetch('https://tenant.tines.com/teapot');
    expect([teapot.status, teapot.headers.get('x-why')]).toEqual([418, 'tea']);
    expect(await teapot.json()).toEqual({ errors: [{ message: 'short and stout', details: 'status 418' }] });
    emulator.faults.add({ kind: 'rate-limit', retryAfter: 5, schedule: { once: true } });
    const limited = await emulator.fetch('https://tenant.tines.com/');
    expect(await limited.json()).toEqual({ errors: [{ message: 'Too Many Requests', details: 'status 429' }] });
    expect(await (await emulator.fetch('https://tenant.tines.com/')).text()).toBe('hi 2');
  });

  it('checks an emulator of your own against the options it names, true or the names of the members', () => {
    const own = defineEmulator<object, { greeting?: unknown; limit?: { requests: number } }>({
      provider: 'generic',
      baseUrl: 'https://own.example.com',
      options: { greeting: true, limit: ['requests'] },
      createStore: () => ({}),
      handle: () => text('ok'),
    });
    expect(() => own.create({ greeting: 5, limit: { requests: 'any' as never } })).not.toThrow();
    for (const [options, option] of [
      [{ greting: 'hi' }, 'greting'],
      [{ limit: { requests: 1, burst: 2 } }, 'limit.burst'],
      [{ limit: new Map() }, 'limit'],
    ] as const) {
      expect(() => own.create(options as never)).toThrow(expect.objectContaining({ option }));
    }
  });

  it('checks an option of an emulator of your own by the rule you give it, showing its value only where it says so', () => {
    const port: OptionRule = { test: (value) => Number.isInteger(value), expected: 'an integer', shows: true };
    const key: OptionRule = { test: (value) => typeof value === 'string', expected: 'a string', shows: false };
    const own = defineEmulator<object, { port?: number; key?: string }>({
      provider: 'generic',
      baseUrl: 'https://own.example.com',
      options: { port, key },
      createStore: () => ({}),
      handle: () => text('ok'),
    });
    expect(() => own.create({ port: 8080, key: 'k' })).not.toThrow();
    expect(() => own.create({ port: 1.5 })).toThrow(expect.objectContaining({ option: 'port', message: 'port must be an integer, got 1.5' }));
    const refused = (() => {
      try {
        own.create({ key: ['hunter2'] as never });
      } catch (error) {
        return error as Error;
      }
    })();
    expect(refused).toMatchObject({ option: 'key' });
    expect(refused?.message).not.toContain('hunter2');
  });

  it('lets handler bugs reject in process and answers 500 over a real server', async () => {
    const emulator = vendor.create();
    await expect(emulator.fetch('https://tenant.tines.com/boom')).rejects.toThrow('handler bug');
    const server = await emulator.listen();
    try {
      const response = await fetch(`${server.url}/boom`);
      expect(response.status).toBe(500);
      expect(await response.text()).toContain('handler bug');
    } finally {
      await server.close();
    }
  });

  it('reset rebuilds the store', async () => {
    const emulator = vendor.create();
    await emulator.fetch('https://tenant.tines.com/');
    expect(emulator.store.hits).toBe(1);
    emulator.reset();
    expect(emulator.store.hits).toBe(0);
  });
});
