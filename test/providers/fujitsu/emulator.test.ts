import { describe, expect, it } from 'vitest';

import { scaledClock } from '../../../src/core/clock.js';
import { isConfigurationError } from '../../../src/core/errors.js';
import {
  DEFAULT_FUJITSU_TENANT as TENANT,
  DEFAULT_FUJITSU_TOKEN as TOKEN,
  DEFAULT_FUJITSU_USER as USER,
  OTHER_FUJITSU_TENANT,
  demoEnv,
  fujitsuEmulator,
  type FujitsuEmulatorOptions,
} from '../../../src/providers/fujitsu/emulator.js';
import type { EmulatorOptions } from '../../../src/testing/types.js';

const BASE = 'https://database.uk-1.cloud.global.fujitsu.com';
const IDENTITY = 'https://identity.uk-1.cloud.global.fujitsu.com';
const NOW = Date.UTC(2026, 10, 23, 10, 0, 0);

function create(options: EmulatorOptions & FujitsuEmulatorOptions = {}, now = () => NOW) {
  return fujitsuEmulator.create({ events: 0, clock: scaledClock(0.001, now), ...options });
}

function loginBody(password = USER.password, userName = USER.userName) {
  return {
    auth: {
      identity: { methods: ['password'], password: { user: { name: userName, password, domain: { name: USER.domainName } } } },
      scope: { project: { id: USER.projectId } },
    },
  };
}

async function login(emulator: ReturnType<typeof create>, password?: string) {
  return emulator.fetch(`${IDENTITY}/v3/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(loginBody(password)),
  });
}

async function list(emulator: ReturnType<typeof create>, query = '', token = TOKEN, tenant = TENANT) {
  const response = await emulator.fetch(`${BASE}/v1.0/${tenant}/events${query}`, { headers: { 'X-Auth-Token': token } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, headers: response.headers };
}

describe('fujitsu emulator: Keystone', () => {
  it('logs in with a password and returns the token in X-Subject-Token', async () => {
    const emulator = create({ tokenTtl: 60_000 });
    const response = await login(emulator);
    expect(response.status).toBe(201);
    const token = response.headers.get('x-subject-token') as string;
    expect(token).toMatch(/^gAAAAA[0-9a-f]{40}$/);
    const body = (await response.json()) as { token: { expires_at: string } };
    expect(Date.parse(body.token.expires_at)).toBe(NOW + 60_000);
    expect((await list(emulator, '', token)).status).toBe(200);
  });

  it('expires tokens by the emulator clock', async () => {
    let now = NOW;
    const emulator = create({ tokenTtl: 60_000 }, () => now);
    const token = (await login(emulator)).headers.get('x-subject-token') as string;
    now += 60_000;
    const expired = await list(emulator, '', token);
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual({ unauthorized: { message: expect.any(String), code: 401 } });
  });

  it('locks the account after five bad passwords in fifteen minutes, for fifteen minutes', async () => {
    let now = NOW;
    const emulator = create({}, () => now);
    for (let i = 0; i < 4; i++) expect((await login(emulator, 'wrong')).status).toBe(401);
    expect(emulator.store.keystone.isLocked(USER.domainName, USER.userName)).toBe(false);
    const fifth = await login(emulator, 'wrong');
    expect(fifth.status).toBe(401);
    expect(await fifth.json()).toEqual({ error: { code: 401, title: 'Unauthorized', message: expect.any(String) } });
    // Keystone's refusals carry a request id too, for the typed error's `requestId`.
    expect(fifth.headers.get('x-openstack-request-id')).toMatch(/^req-/);
    expect(emulator.store.keystone.isLocked(USER.domainName, USER.userName)).toBe(true);
    const locked = await login(emulator);
    expect(locked.status).toBe(401);
    expect(((await locked.json()) as { error: { message: string } }).error.message).toMatch(/locked/);
    now += 15 * 60_000 + 1;
    expect((await login(emulator)).status).toBe(201);
  });

  it('counts the bad passwords of one account together, its domain named by name or by id', async () => {
    const domainId = '8f4b1c2d3e4f5a6b7c8d9e0f1a2b3c4d';
    const emulator = create({ users: [{ ...USER, domainId }] });
    const byId = (password: string) => {
      const body = loginBody(password);
      body.auth.identity.password.user.domain = { id: domainId } as never;
      return body;
    };
    const post = (body: unknown) =>
      emulator.fetch(`${IDENTITY}/v3/auth/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    for (let i = 0; i < 3; i++) expect((await post(loginBody('wrong'))).status).toBe(401);
    for (let i = 0; i < 2; i++) expect((await post(byId('wrong'))).status).toBe(401);
    expect(emulator.store.keystone.isLocked(USER.domainName, USER.userName)).toBe(true);
    expect((await post(byId(USER.password))).status).toBe(401);
    expect((await post(loginBody())).status).toBe(401);
  });

  it('forgets failures older than fifteen minutes', async () => {
    let now = NOW;
    const emulator = create({}, () => now);
    for (let i = 0; i < 4; i++) expect((await login(emulator, 'wrong')).status).toBe(401);
    now += 16 * 60_000;
    expect((await login(emulator, 'wrong')).status).toBe(401);
    expect((await login(emulator)).status).toBe(201);
  });

  it('serves a login on the identity host and a listing on the database host, not the other way round', async () => {
    const emulator = create();
    const misplaced = await emulator.fetch(`${BASE}/v3/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(loginBody()),
    });
    expect(misplaced.status).toBe(404);
    const onIdentity = await emulator.fetch(`${IDENTITY}/v1.0/${TENANT}/events`, { headers: { 'X-Auth-Token': TOKEN } });
    expect(onIdentity.status).toBe(404);
    // The same paths on one host of the tester's own (the real server on 127.0.0.1) are both served.
    const local = await emulator.fetch(`http://127.0.0.1:5000/v3/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(loginBody()),
    });
    expect(local.status).toBe(201);
  });

  it('answers every error of Keystone in its own shape, injected faults and unknown methods included', async () => {
    const keystone = { error: { code: 503, title: 'Service Unavailable', message: expect.any(String) } };
    const emulator = create();
    emulator.faults.add({ kind: 'status', status: 503, schedule: { every: 1 } });
    for (const origin of [IDENTITY, 'http://127.0.0.1:5000']) {
      const refused = await emulator.fetch(`${origin}/v3/auth/tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(loginBody()),
      });
      expect(refused.status).toBe(503);
      expect(await refused.json()).toEqual(keystone);
      expect(refused.headers.get('x-openstack-request-id')).toMatch(/^req-/);
    }
    // The database beside it keeps the DBaaS fault shape.
    expect((await list(emulator)).body).toEqual({ serviceUnavailable: { message: expect.any(String), code: 503 } });
    const get = await create().fetch(`${IDENTITY}/v3/auth/tokens`);
    expect(get.status).toBe(405);
    expect(await get.json()).toEqual({ error: { code: 405, title: 'Method Not Allowed', message: expect.any(String) } });
  });

  it('takes a domain id only for a user whose domain has that id, never the domain name as an id', async () => {
    const byId = (id: string) => {
      const body = loginBody();
      body.auth.identity.password.user.domain = { id } as never;
      return body;
    };
    const post = (emulator: ReturnType<typeof create>, body: unknown) =>
      emulator.fetch(`${IDENTITY}/v3/auth/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post(create(), byId(USER.domainName))).status).toBe(401);
    const withId = create({ users: [{ ...USER, domainId: '8f4b1c2d3e4f5a6b7c8d9e0f1a2b3c4d' }] });
    expect((await post(withId, byId('8f4b1c2d3e4f5a6b7c8d9e0f1a2b3c4d'))).status).toBe(201);
    expect((await post(withId, byId(USER.domainName))).status).toBe(401);
    expect((await post(withId, loginBody())).status).toBe(201);
  });

  it("answers a login with the user's own domain, its id when it has one", async () => {
    const other = { ...USER, userName: 'auditor', domainName: 'contract-zz9876', domainId: '8f4b1c2d3e4f5a6b7c8d9e0f1a2b3c4d' };
    const emulator = create({ users: [USER, other] });
    const body = loginBody(other.password, other.userName);
    body.auth.identity.password.user.domain = { name: other.domainName };
    const response = await emulator.fetch(`${IDENTITY}/v3/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(201);
    expect(((await response.json()) as { token: { user: unknown } }).token.user).toEqual({
      name: 'auditor',
      domain: { name: 'contract-zz9876', id: '8f4b1c2d3e4f5a6b7c8d9e0f1a2b3c4d' },
    });
    const own = (await (await login(emulator)).json()) as { token: { user: unknown } };
    expect(own.token.user).toEqual({ name: USER.userName, domain: { name: USER.domainName } });
  });

  it('answers 400 to a login body it cannot read', async () => {
    const emulator = create();
    const response = await emulator.fetch(`${IDENTITY}/v3/auth/tokens`, { method: 'POST', body: '{"auth":' });
    expect(response.status).toBe(400);
    const wrongMethod = await emulator.fetch(`${IDENTITY}/v3/auth/tokens`, {
      method: 'POST',
      body: JSON.stringify({ auth: { identity: { methods: ['token'] } } }),
    });
    expect(wrongMethod.status).toBe(400);
  });
});

describe('fujitsu emulator: request ids', () => {
  it('draws X-Openstack-Request-Id from the seed: two emulators of one seed answer with the same ids, faults included', async () => {
    const ids = async () => {
      const emulator = create({ seed: 9, events: 3 });
      emulator.faults.add({ kind: 'status', status: 503, schedule: { once: true, after: 2 } });
      const seen: Array<string | null> = [];
      for (const [url, init] of [
        [`${IDENTITY}/v3/auth/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(loginBody()) }],
        [`${BASE}/v1.0/${TENANT}/events`, { headers: { 'X-Auth-Token': TOKEN } }],
        [`${BASE}/v1.0/${TENANT}/events`, { headers: { 'X-Auth-Token': TOKEN } }],
        [`${BASE}/v1.0/${TENANT}/events`, { headers: { 'X-Auth-Token': 'unknown' } }],
      ] as const) {
        seen.push((await emulator.fetch(url, init)).headers.get('x-openstack-request-id'));
      }
      return seen;
    };
    const first = await ids();
    expect(first.every((id) => /^req-[0-9a-f-]{36}$/.test(id ?? ''))).toBe(true);
    expect(new Set(first).size).toBe(4);
    expect(await ids()).toEqual(first);
  });
});

describe('fujitsu emulator: events', () => {
  it('refuses a time that is not one, as the emulator options refuse a bad value, naming it', () => {
    const emulator = create();
    const refused = (option: string) => expect.objectContaining({ name: 'ConfigurationError', option });
    expect(() => emulator.store.events.add(TENANT, { at: 'yesterday' })).toThrow(refused('at'));
    expect(() => emulator.store.events.add(TENANT, { at: NOW, visibleAt: Number.NaN })).toThrow(refused('visibleAt'));
    expect(() => emulator.store.events.add(TENANT, { at: 'yesterday' })).toThrow(/^at must be an ISO 8601 date-time, epoch milliseconds or a Date, got "yesterday"$/);
  });

  it('serves the seed shape, newest first, with a request id', async () => {
    const emulator = create({ events: 30 }, Date.now);
    const { status, body, headers } = await list(emulator, '?limit=100');
    expect(status).toBe(200);
    const events = body['events'] as Array<Record<string, unknown>>;
    expect(events).toHaveLength(30);
    expect(events[0]).toEqual({
      date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/),
      eventCategories: [expect.any(String)],
      message: expect.any(String),
      sourceIdentifier: expect.stringMatching(/^(dbinst|snap)_[0-9a-f]{10}$/),
      sourceType: expect.stringMatching(/^db-(instance|snapshot)$/),
    });
    const dates = events.map((event) => event['date'] as string);
    expect([...dates].sort().reverse()).toEqual(dates);
    expect(headers.get('x-openstack-request-id')).toMatch(/^req-/);
  });

  it('searches only the last `duration` minutes without a window', async () => {
    const emulator = create();
    emulator.store.events.add(TENANT, { at: NOW - 30 * 60_000 });
    emulator.store.events.add(TENANT, { at: NOW - 90 * 60_000 });
    expect(((await list(emulator)).body['events'] as unknown[]).length).toBe(1);
    expect(((await list(emulator, '?duration=120')).body['events'] as unknown[]).length).toBe(2);
    const window = `?startTime=${new Date(NOW - 100 * 60_000).toISOString()}&endTime=${new Date(NOW - 80 * 60_000).toISOString()}`;
    expect(((await list(emulator, window)).body['events'] as unknown[]).length).toBe(1);
  });

  it.each([
    ['inclusive', 3],
    ['exclusive', 1],
  ] as const)('treats the marker as %s', async (marker, expected) => {
    const emulator = create({ marker });
    emulator.store.events.addBurst(TENANT, NOW - 5_000, 2);
    emulator.store.events.add(TENANT, { at: NOW - 6_000 });
    emulator.store.events.add(TENANT, { at: NOW - 4_000 });
    const at = new Date(NOW - 5_000).toISOString().slice(0, 19);
    const { body } = await list(emulator, `?marker=${at}`);
    expect((body['events'] as unknown[]).length).toBe(expected);
  });

  it('filters by categories, source type and source id, and caps at limit', async () => {
    const emulator = create({ categories: 'string', dates: 'utc' });
    emulator.store.events.add(TENANT, { at: NOW - 1000, categories: ['backup'], sourceType: 'db-snapshot', sourceIdentifier: 'snap_1' });
    emulator.store.events.add(TENANT, { at: NOW - 2000, categories: ['failover', 'notification'], sourceType: 'db-instance', sourceIdentifier: 'db_1' });
    emulator.store.events.addBurst(TENANT, NOW - 3000, 30);
    const byCategory = (await list(emulator, '?eventCategories=failover')).body['events'] as Array<Record<string, unknown>>;
    expect(byCategory).toEqual([expect.objectContaining({ eventCategories: 'failover,notification', date: expect.stringMatching(/Z$/) })]);
    expect(((await list(emulator, '?sourceType=db-snapshot&sourceId=snap_1')).body['events'] as unknown[]).length).toBe(1);
    expect(((await list(emulator, '?limit=20')).body['events'] as unknown[]).length).toBe(20);
    expect(((await list(emulator)).body['events'] as unknown[]).length).toBe(20);
  });

  it.each([
    ['?limit=19', /limit/],
    ['?limit=101', /limit/],
    ['?limit=abc', /limit/],
    ['?duration=0', /duration/],
    ['?startTime=yesterday', /startTime/],
    ['?marker=soon', /marker/],
    ['?sourceType=db-cluster', /sourceType/],
    ['?startTime=2026-11-23T10:00:00Z&endTime=2026-11-23T09:00:00Z', /startTime/],
  ])('answers 400 to %s', async (query, message) => {
    const { status, body } = await list(create(), query);
    expect(status).toBe(400);
    expect((body['badRequest'] as { message: string }).message).toMatch(message);
  });

  it('answers 401, 403 and 404 with OpenStack fault bodies', async () => {
    const emulator = create();
    const missing = await emulator.fetch(`${BASE}/v1.0/${TENANT}/events`);
    expect(missing.status).toBe(401);
    expect((await list(emulator, '', 'not-a-token')).status).toBe(401);
    const forbidden = await list(emulator, '', TOKEN, OTHER_FUJITSU_TENANT);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toEqual({ forbidden: { message: expect.any(String), code: 403 } });
    const unknown = await list(emulator, '', TOKEN, 'ffffffffffffffffffffffffffffffff');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ itemNotFound: { message: expect.stringContaining('could not be found'), code: 404 } });
    const wrongPath = await emulator.fetch(`${BASE}/v1.0/${TENANT}/instances`, { headers: { 'X-Auth-Token': TOKEN } });
    expect(wrongPath.status).toBe(404);
    const wrongMethod = await emulator.fetch(`${BASE}/v1.0/${TENANT}/events`, { method: 'DELETE', headers: { 'X-Auth-Token': TOKEN } });
    expect(wrongMethod.status).toBe(405);
    expect(await wrongMethod.json()).toEqual({ badMethod: { message: expect.any(String), code: 405 } });
  });

  it('enforces an optional rate limit with Retry-After', async () => {
    const emulator = create({ rateLimit: { requests: 2, interval: 60_000 } });
    expect((await list(emulator)).status).toBe(200);
    expect((await list(emulator)).status).toBe(200);
    const limited = await list(emulator);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.body).toEqual({ overLimit: { message: expect.any(String), code: 429 } });
  });

  it.each([
    [{ marker: 'sometimes' }, 'marker'],
    [{ dates: 'local' }, 'dates'],
    [{ categories: 'set' }, 'categories'],
    [{ tokenTtl: 0 }, 'tokenTtl'],
    [{ users: [{ userName: 'u', password: '', domainName: 'd', projectId: 'p' }] }, 'users'],
    [{ rateLimit: { requests: 0, interval: 1 } }, 'rateLimit'],
  ])('refuses the bad option %j', (options, option) => {
    let caught: unknown;
    try {
      create(options as FujitsuEmulatorOptions);
    } catch (error) {
      caught = error;
    }
    expect(isConfigurationError(caught)).toBe(true);
    expect((caught as { option: string }).option).toBe(option);
  });

  it('gives the example its environment', () => {
    expect(demoEnv('http://127.0.0.1:1234')).toMatchObject({
      TRIBUTARY_FUJITSU_BASE_URL: 'http://127.0.0.1:1234',
      TRIBUTARY_FUJITSU_TENANT_ID: TENANT,
      TRIBUTARY_FUJITSU_IDENTITY__PASSWORD: USER.password,
    });
  });
});

describe('fujitsu emulator in the registry', () => {
  it('is created by name, seeded with the default number of events', async () => {
    const { createEmulator } = await import('../../../src/testing/create.js');
    const emulator = createEmulator('fujitsu', { seed: 3, clock: scaledClock(0.001) });
    const response = await emulator.fetch(`${BASE}/v1.0/${TENANT}/events?limit=100`, { headers: { 'X-Auth-Token': TOKEN } });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { events: unknown[] }).events).toHaveLength(50);
  });
});
