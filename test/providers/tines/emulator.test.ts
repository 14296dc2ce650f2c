import { describe, expect, it } from 'vitest';
import { scaledClock } from '../../../src/core/clock.js';
import { isConfigurationError } from '../../../src/core/errors.js';
import type { EmulatorOptions } from '../../../src/testing/types.js';
import {
  DEFAULT_TINES_CREDENTIAL,
  READ_ONLY_TINES_CREDENTIAL,
  tinesEmulator,
  type TinesEmulatorOptions,
} from '../../../src/providers/tines/emulator.js';

const BASE = 'https://tenant-1234.tines.com';
const bearer = { authorization: `Bearer ${DEFAULT_TINES_CREDENTIAL.key}` };

function create(options: TinesEmulatorOptions & EmulatorOptions = {}) {
  return tinesEmulator.create({ seed: 3, events: 45, ...options });
}

async function get(emulator: ReturnType<typeof create>, path: string, headers: Record<string, string> = bearer) {
  const response = await emulator.handle(new Request(`${BASE}${path}`, { headers }));
  const body = response.headers.get('content-type')?.includes('json') ? await response.json() : await response.text();
  // Bodies of every shape Tines sends; each test reads the one it asked for.
  return { status: response.status, body: body as any, headers: response.headers };
}

describe('tines emulator', () => {
  it('checks both credential styles and the email of X-User-Token', async () => {
    const emulator = create();
    expect((await get(emulator, '/api/v1/events')).status).toBe(200);
    expect((await get(emulator, '/api/v1/events', { 'x-user-token': DEFAULT_TINES_CREDENTIAL.key })).status).toBe(200);
    expect(
      (await get(emulator, '/api/v1/events', { 'x-user-token': DEFAULT_TINES_CREDENTIAL.key, 'x-user-email': 'ANALYST@example.com' })).status,
    ).toBe(200);
    const wrongEmail = await get(emulator, '/api/v1/events', { 'x-user-token': DEFAULT_TINES_CREDENTIAL.key, 'x-user-email': 'eve@example.com' });
    expect(wrongEmail.status).toBe(401);
    const wrongKey = await get(emulator, '/api/v1/events', { authorization: 'Bearer nope-nope' });
    expect(wrongKey).toMatchObject({ status: 401, body: 'HTTP Token: Access denied.\n' });
    expect((await get(emulator, '/api/v1/events', {})).status).toBe(401);
  });

  it('serves { events, meta } newest first, with since_id exclusive and until_id inclusive', async () => {
    const emulator = create();
    const all = emulator.store.events.map((event) => event.id);
    const since = all[10] as number;
    const until = all[30] as number;
    const { body } = await get(emulator, `/api/v1/events?since_id=${since}&until_id=${until}&per_page=500`);
    const ids = body.events.map((event: { id: number }) => event.id);
    expect(ids).toEqual(all.slice(11, 31).reverse());
    expect(body.meta).toMatchObject({ per_page: 500, pages: 1, count: 20, next_page: null, next_page_number: null });
  });

  it('pages with page/per_page and links the next page', async () => {
    const emulator = create({ order: 'oldest-first' });
    const { body } = await get(emulator, '/api/v1/events?per_page=20&page=2');
    expect(body.events.map((event: { id: number }) => event.id)).toEqual(emulator.store.events.slice(20, 40).map((e) => e.id));
    expect(body.meta).toMatchObject({ pages: 3, count: 45, next_page_number: 3, per_page: 20 });
    expect(body.meta.next_page).toContain('page=3');
    expect(body.meta.previous_page).toContain('page=1');
  });

  it('can send a meta whose fields disagree', async () => {
    const emulator = create({ meta: 'disagree' });
    const { body } = await get(emulator, '/api/v1/events?per_page=20&page=2');
    expect(body.meta).toMatchObject({ next_page: null, next_page_number: 3, pages: 2, count: 45 });
  });

  it('serves the legacy tenant: bare arrays, agents path only, agent_id', async () => {
    const emulator = create({ api: 'legacy' });
    const actionId = emulator.store.events[0]?.actionId as number;
    const agents = await get(emulator, `/api/v1/agents/${actionId}/events`);
    expect(Array.isArray(agents.body)).toBe(true);
    expect(agents.body[0]).toHaveProperty('agent_id', actionId);
    expect(agents.body[0]).not.toHaveProperty('action_id');
    expect((await get(emulator, `/api/v1/actions/${actionId}/events`)).status).toBe(404);
  });

  it("writes times with Z, without a zone and at +01:00 with timeZones: 'mixed', each the instant stored", async () => {
    const emulator = create({ timeZones: 'mixed' });
    const { body } = await get(emulator, '/api/v1/events?per_page=45');
    const times = (body.events as Array<{ id: number; created_at: string }>).map((event) => event.created_at);
    expect(times.some((t) => t.endsWith('Z'))).toBe(true);
    expect(times.some((t) => t.endsWith('+01:00'))).toBe(true);
    expect(times.some((t) => /T\d\d:\d\d:\d\d(\.\d{3})?$/.test(t))).toBe(true);
    for (const event of body.events as Array<{ id: number; created_at: string }>) {
      const stored = emulator.store.events.find((candidate) => candidate.id === event.id);
      const zoned = /(Z|[+-]\d\d:\d\d)$/.test(event.created_at) ? event.created_at : `${event.created_at}Z`;
      // Even ids are written to the whole second, as current tenants write some events.
      expect(Math.floor(Date.parse(zoned) / 1000)).toBe(Math.floor((stored?.createdAt ?? Number.NaN) / 1000));
    }
    expect(() => create({ timeZones: 'local' as never })).toThrow(/timeZones/);
  });

  it('neither lists nor serves an event past its expires_at (seed 001: it "will expire and be deleted")', async () => {
    const emulator = create();
    const [gone, kept] = [emulator.store.emit(), emulator.store.emit()];
    gone.expiresAt = Date.now() - 1_000;
    kept.expiresAt = Date.now() + 3_600_000;
    const { body } = await get(emulator, '/api/v1/events?per_page=500');
    const ids = body.events.map((event: { id: number }) => event.id);
    expect(ids).toContain(kept.id);
    expect(ids).not.toContain(gone.id);
    expect((await get(emulator, `/api/v1/events/${gone.id}`)).status).toBe(404);
    expect((await get(emulator, `/api/v1/events/${kept.id}`)).status).toBe(200);
  });

  it('lists and serves an event emitted with a visibleAt only from then, with the id it took when emitted', async () => {
    const time = { now: Date.parse('2030-01-01T12:00:00.000Z') };
    const emulator = create({ events: 0, clock: scaledClock(1, () => time.now) });
    const late = emulator.store.emit({ visibleAt: time.now + 10_000 });
    const later = emulator.store.emit();
    const listed = async () => (await get(emulator, '/api/v1/events?per_page=500')).body.events.map((event: { id: number }) => event.id);
    expect(await listed()).toEqual([later.id]);
    expect((await get(emulator, `/api/v1/events/${late.id}`)).status).toBe(404);
    time.now += 10_000;
    expect(await listed()).toEqual([later.id, late.id]);
    expect((await get(emulator, `/api/v1/events/${late.id}`)).status).toBe(200);
    expect(() => emulator.store.emit({ visibleAt: Number.NaN })).toThrow(expect.objectContaining({ name: 'ConfigurationError', option: 'visibleAt' }));
  });

  it('refuses an event time that is not epoch milliseconds, and keeps listing', async () => {
    const emulator = create();
    const count = emulator.store.events.length;
    for (const createdAt of [Number.NaN, Number.POSITIVE_INFINITY, '2026-11-01' as unknown as number]) {
      expect(() => emulator.store.emit({ createdAt })).toThrow(expect.objectContaining({ name: 'ConfigurationError', option: 'createdAt' }));
    }
    // An id that names none of the store's actions, as the emulator's options name a bad value.
    expect(() => emulator.store.emit({ actionId: 1 })).toThrow(expect.objectContaining({ name: 'ConfigurationError', option: 'actionId' }));
    expect(() => emulator.store.emit({ actionId: 1 })).toThrow(/^actionId must be the id of one of the store's actions, got 1$/);
    expect(emulator.store.events).toHaveLength(count);
    expect((await get(emulator, '/api/v1/events?per_page=500')).status).toBe(200);
  });

  it('filters by action on both paths of a current tenant', async () => {
    const emulator = create();
    const actionId = emulator.store.events[0]?.actionId as number;
    const expected = emulator.store.events.filter((event) => event.actionId === actionId).length;
    for (const path of ['actions', 'agents']) {
      const { body } = await get(emulator, `/api/v1/${path}/${actionId}/events?per_page=500`);
      expect(body.events).toHaveLength(expected);
      expect(body.events.every((event: { action_id: number }) => event.action_id === actionId)).toBe(true);
    }
    expect((await get(emulator, '/api/v1/actions/999999/events')).status).toBe(404);
  });

  it('answers 400, 403 and 404 in the shapes Tines uses', async () => {
    const emulator = create();
    const tooMany = await get(emulator, '/api/v1/events?per_page=501');
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors[0].message).toContain('per_page');
    expect((await get(emulator, '/api/v1/events?since_id=abc')).status).toBe(400);
    expect((await get(emulator, '/api/v1/events?since=yesterday')).status).toBe(400);
    const readOnly = { authorization: `Bearer ${READ_ONLY_TINES_CREDENTIAL.key}` };
    const forbidden = await get(emulator, '/api/v1/events?team_id=2', readOnly);
    expect(forbidden.status).toBe(403);
    expect(Array.isArray(forbidden.body)).toBe(true);
    expect((await get(emulator, '/api/v1/events/123')).status).toBe(404);
  });

  it('gets and re-emits an event', async () => {
    const emulator = create();
    const target = emulator.store.events[5]!;
    const { body } = await get(emulator, `/api/v1/events/${target.id}`);
    expect(body).toMatchObject({ id: target.id, action_id: target.actionId });
    const before = emulator.store.events.length;
    const response = await emulator.handle(new Request(`${BASE}/api/v1/events/${target.id}/reemit`, { method: 'POST', headers: bearer }));
    expect(response.status).toBe(204);
    expect(emulator.store.events).toHaveLength(before + 1);
    expect(emulator.store.events.at(-1)).toMatchObject({ reEmitted: true, payload: target.payload });
    const readOnly = await emulator.handle(
      new Request(`${BASE}/api/v1/events/${target.id}/reemit`, { method: 'POST', headers: { authorization: `Bearer ${READ_ONLY_TINES_CREDENTIAL.key}` } }),
    );
    expect(readOnly.status).toBe(403);
  });

  it('enforces a configured rate limit with Retry-After', async () => {
    // A clock that stands still: the three requests are in one window however slowly they are sent.
    const emulator = create({ rateLimit: { requests: 2, interval: 60_000 }, clock: scaledClock(0.001, () => Date.parse('2026-11-23T12:00:00Z')) });
    expect((await get(emulator, '/api/v1/events')).status).toBe(200);
    expect((await get(emulator, '/api/v1/events')).status).toBe(200);
    const limited = await get(emulator, '/api/v1/events');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('refuses bad options naming them', () => {
    for (const [option, value] of [
      ['api', 'v2'],
      ['order', 'random'],
      ['meta', 'lies'],
      ['shape', 'xml'],
      ['rateLimit', { requests: 0, interval: 1 }],
    ] as const) {
      let caught: unknown;
      try {
        create({ [option]: value } as TinesEmulatorOptions);
      } catch (error) {
        caught = error;
      }
      expect(isConfigurationError(caught)).toBe(true);
      expect((caught as { option: string }).option).toBe(option);
    }
  });
});
