/**
 * The Illumio client end to end, through msw and through the emulator's real HTTP server: listing with
 * window splits, filters, end conditions, the tail cursor, and `events.get`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { IllumioEvent } from '../../../src/providers/illumio/schemas.js';
import { connect, listIds, storeIds, TRANSPORTS, type Connected } from './connect.js';

describe.each(TRANSPORTS)('illumio client via %s', (transport) => {
  let connected: Connected | undefined;
  const open = async (...args: Parameters<typeof connect> extends [unknown, ...infer R] ? R : never) => {
    connected = await connect(transport, ...args);
    return connected;
  };
  afterEach(async () => {
    await connected?.close();
    connected = undefined;
  });

  it('lists every event once, newest first, splitting the window whenever the PCE cut a page', async () => {
    const { emulator, client } = await open({ events: 230 });
    const pages: string[][] = [];
    for await (const page of client().events.list({ pageSize: 40 }).byPage()) pages.push(page.items.map((e) => e.id));
    const ids = pages.flat();
    expect(ids).toHaveLength(230);
    expect(new Set(ids).size).toBe(230);
    expect(ids).toEqual(storeIds(emulator));
    const lists = emulator.requests.filter((r) => r.path === '/api/v2/orgs/1/events');
    // One request per window: each but the first bounded above by the oldest time of the page before.
    expect(lists.length).toBe(pages.length);
    expect(lists[0]?.query.get('timestamp[lte]')).toBeNull();
    expect(lists[0]?.query.get('max_results')).toBe('40');
    for (let i = 1; i < lists.length; i++) expect(lists[i]?.query.get('timestamp[lte]')).toMatch(/Z$/);
  });

  it('normalizes as documented', async () => {
    const { emulator, client } = await open({ events: 5 });
    const [first] = await client().events.list().toArray({ maxItems: 1 });
    const raw = emulator.store.events[0] as IllumioEvent;
    expect(first).toMatchObject({
      provider: 'illumio',
      id: raw.href,
      type: raw.event_type,
      time: raw.timestamp,
      source: 'illumio:/orgs/1',
      data: { pce_fqdn: 'pce.example.com' },
    });
    expect(first?.raw).toEqual(raw);
  });

  it('sends the filters in the PCE terms and honours the inclusive window', async () => {
    const { emulator, client } = await open({ events: 200 });
    const events = emulator.store.events;
    const until = (events[20] as IllumioEvent).timestamp;
    const since = (events[150] as IllumioEvent).timestamp;
    const listed = await client().events.list({ since, until, severity: 'error', status: 'failure', pageSize: 7 }).toArray();
    const expected = events.filter(
      (e) => e.timestamp >= since && e.timestamp <= until && e.severity === 'err' && e.status === 'failure',
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(listed.map((e) => e.id)).toEqual(expected.map((e) => e.href));
    const first = emulator.requests.find((r) => r.path.endsWith('/events'));
    expect(first?.query.get('severity')).toBe('err');
    expect(first?.query.get('status')).toBe('failure');
    expect(first?.query.get('timestamp[gte]')).toBe(since);
    expect(first?.query.get('timestamp[lte]')).toBe(until);

    const typed = await client().events.list({ type: 'agent.tampering' }).toArray();
    expect(typed.length).toBeGreaterThan(0);
    expect(typed.every((e) => e.type === 'agent.tampering' && e.severity === 'critical')).toBe(true);
  });

  it('sends createdBy as created_by, plain and through the export, and the PCE lists only that creator', async () => {
    const { emulator, client } = await open({ events: 200 });
    const creatorOf = (event: IllumioEvent) => (event.created_by as { user?: { href?: string } } | null)?.user?.href;
    const href = creatorOf(emulator.store.events[0] as IllumioEvent) ?? creatorOf(emulator.store.events.find((e) => creatorOf(e as IllumioEvent)) as IllumioEvent);
    const expected = emulator.store.events.filter((e) => creatorOf(e as IllumioEvent) === href).map((e) => e.href);
    expect(expected.length).toBeGreaterThan(0);
    for (const mode of ['sync', 'async'] as const) {
      const listed = await client().events.list({ createdBy: href!, mode, pageSize: 7 }).toArray();
      expect(listed.map((e) => e.id)).toEqual(expected);
    }
    expect(emulator.requests.filter((r) => r.path.endsWith('/events')).every((r) => r.query.get('created_by') === href)).toBe(true);
    const system = await client().events.list({ createdBy: 'system' }).toArray();
    expect(system.length).toBeGreaterThan(0);
    expect(system.every((e) => e.type.startsWith('system_task.'))).toBe(true);
    // A kind with details names no one: `user` is not every user.
    expect(await client().events.list({ createdBy: 'user' }).toArray()).toEqual([]);
  });

  it('ends on an empty organization after one request, with a tail cursor', async () => {
    const { emulator, client } = await open({ events: 0 });
    const pages = [];
    for await (const page of client().events.list().byPage()) pages.push(page);
    expect(pages).toHaveLength(1);
    expect(pages[0]?.items).toEqual([]);
    expect(pages[0]?.hasMore).toBe(false);
    expect(emulator.requests).toHaveLength(1);
    emulator.store.record(3);
    const later = [];
    for await (const page of client().events.list().byPage({ cursor: pages[0]?.cursor as string })) later.push(...page.items);
    expect(later).toHaveLength(3);
  });

  it('ends when a page holds exactly the total, without asking again', async () => {
    const { emulator, client } = await open({ events: 25 });
    expect(await listIds(client(), { pageSize: 25 })).toHaveLength(25);
    expect(emulator.requests).toHaveLength(1);
  });

  it('gets past more events in one millisecond than a page holds, by asking once with the cap', async () => {
    const { emulator, client } = await open({ events: 30 });
    const at = Date.parse((emulator.store.events[10] as IllumioEvent).timestamp);
    emulator.store.record(12, at);
    const ids = await listIds(client(), { pageSize: 5 });
    expect(new Set(ids).size).toBe(42);
    expect([...ids].sort()).toEqual(storeIds(emulator).sort());
    expect(emulator.requests.some((r) => r.query.get('max_results') === '10000')).toBe(true);
  });

  it('resumes from a tail cursor with only the events that arrived since, ties at the tail included', async () => {
    const { emulator, client } = await open({ events: 60 });
    let tail = '';
    const first: string[] = [];
    for await (const page of client().events.list({ pageSize: 16 }).byPage()) {
      first.push(...page.items.map((e) => e.id));
      tail = page.cursor;
    }
    const newest = Date.parse((emulator.store.events[0] as IllumioEvent).timestamp);
    const tied = emulator.store.record(2, newest).map((e) => e.href);
    const newer = emulator.store.record(9).map((e) => e.href);
    const later: string[] = [];
    for await (const page of client().events.list({ pageSize: 4 }).byPage({ cursor: tail })) later.push(...page.items.map((e) => e.id));
    expect([...later].sort()).toEqual([...tied, ...newer].sort());
    expect(later.filter((id) => first.includes(id))).toEqual([]);
  });

  it('gets one event by UUID, by href, and a system event by its href', async () => {
    const { emulator, client } = await open({ events: 10 });
    const raw = emulator.store.events[4] as IllumioEvent;
    const uuid = raw.href.split('/').pop() as string;
    const pce = client();
    expect((await pce.events.get(uuid)).id).toBe(raw.href);
    expect((await pce.events.get(raw.href)).raw).toEqual(raw);
    const system = { ...raw, href: '/system_events/3f2c1d', created_by: { system: {} } };
    emulator.store.add([system]);
    const got = await pce.events.get(system.href);
    expect(got.source).toBe('illumio:/system_events');
    expect(got.actor).toEqual({ kind: 'system' });
    expect(emulator.requests.map((r) => r.path)).toEqual([
      `/api/v2/orgs/1/events/${uuid}`,
      `/api/v2/orgs/1/events/${uuid}`,
      '/api/v2/system_events/3f2c1d',
    ]);
  });

  it('gets an event by its href from the organization the href names, reading its escapes once', async () => {
    const { emulator, client } = await open({ events: 1 });
    await client().events.get('/orgs/2/events/e%201').catch(() => undefined);
    await client().events.get('/system_events/e%201').catch(() => undefined);
    expect(emulator.requests.map((r) => r.path)).toEqual(['/api/v2/orgs/2/events/e%201', '/api/v2/system_events/e%201']);
  });

  it('encodes ids so that none can leave its path segment', async () => {
    const { emulator, client } = await open({ events: 1 });
    await expect(client().events.get('abc/../../jobs/1')).rejects.toMatchObject({ name: 'NotFoundError', status: 404 });
    await expect(client().events.get('x?max_results=1')).rejects.toMatchObject({ status: 404 });
    expect(emulator.requests.map((r) => r.path)).toEqual([
      '/api/v2/orgs/1/events/abc%2F..%2F..%2Fjobs%2F1',
      '/api/v2/orgs/1/events/x%3Fmax_results%3D1',
    ]);
  });
});
