import { afterEach, describe, expect, it } from 'vitest';
import {
  isAuthenticationError,
  isHttpError,
  isNotFoundError,
  isPermissionError,
  isRateLimitError,
  isResponseValidationError,
} from '../../../src/core/errors.js';
import { DEFAULT_TINES_CREDENTIAL, READ_ONLY_TINES_CREDENTIAL, type TinesEmulatorOptions } from '../../../src/providers/tines/emulator.js';
import { connect, listIds, TRANSPORTS, type Connected } from './connect.js';

let open: Connected | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

async function start(transport: (typeof TRANSPORTS)[number], options: TinesEmulatorOptions & { events?: number } = {}) {
  open = await connect(transport, options);
  return open;
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

const TENANTS: ReadonlyArray<[string, TinesEmulatorOptions]> = [
  ['current, newest first', {}],
  ['current, oldest first', { order: 'oldest-first' }],
  ['current, meta fields disagree', { meta: 'disagree' }],
  ['legacy bare array, newest first', { api: 'legacy' }],
  ['legacy bare array, oldest first', { api: 'legacy', order: 'oldest-first' }],
];

describe.each(TRANSPORTS)('tines client through %s', (transport) => {
  it.each(TENANTS)('lists every event once, each page ascending: %s', async (_name, options) => {
    const { emulator, client } = await start(transport, options);
    const expected = emulator.store.events.map((event) => String(event.id));
    const pages: string[][] = [];
    for await (const page of client().events.list({ pageSize: 7 }).byPage()) pages.push(page.items.map((event) => event.id));
    const ids = pages.flat();
    expect([...ids].sort()).toEqual(expected);
    expect(new Set(ids).size).toBe(ids.length);
    for (const page of pages) expect(page).toEqual([...page].sort());
  });

  it("keeps one action's listing to untilId, since and until, which that path does not document", async () => {
    const { emulator, client } = await start(transport, { events: 60 });
    const actionId = emulator.store.events[0]?.actionId as number;
    const ofAction = emulator.store.events.filter((event) => event.actionId === actionId).sort((a, b) => a.id - b.id);
    expect(ofAction.length).toBeGreaterThan(4);
    const since = ofAction[0] as (typeof ofAction)[number];
    const last = ofAction[ofAction.length - 2] as (typeof ofAction)[number];
    const query = { actionId, since: new Date(since.createdAt), until: new Date(ofAction[ofAction.length - 1]?.createdAt as number), untilId: last.id };
    const expected = ofAction
      .filter((event) => event.createdAt > since.createdAt && event.createdAt <= (query.until.getTime()) && event.id <= last.id)
      .map((event) => String(event.id));
    expect((await listIds(client(), { ...query, pageSize: 2 })).sort()).toEqual(expected);
    // The emulator ignores them on this path, as a tenant that does not know them would.
    expect(emulator.requests.some((request) => request.url.includes('until_id='))).toBe(true);
  });

  it('keeps an event of one action created at until, which is inclusive there too', async () => {
    const { emulator, client } = await start(transport, { events: 60 });
    // Odd ids are written with their milliseconds: the event is exactly at until.
    const event = emulator.store.events.find((e) => e.id % 2 === 1 && e.createdAt % 1000 !== 0) as (typeof emulator.store.events)[number];
    const until = new Date(event.createdAt);
    expect(await listIds(client(), { until })).toContain(String(event.id));
    expect(await listIds(client(), { actionId: event.actionId, until })).toContain(String(event.id));
  });

  it("keeps an event of one action that the tenant places after since, though its created_at is in whole seconds", async () => {
    const { emulator, client } = await start(transport, { events: 60 });
    // Even ids are written in whole seconds: created 1 ms after `since`, such an event reads as before it.
    const event = emulator.store.events.find((e) => e.id % 2 === 0 && e.createdAt % 1000 !== 0) as (typeof emulator.store.events)[number];
    const since = new Date(event.createdAt - 1);
    expect(await listIds(client(), { since })).toContain(String(event.id));
    expect(await listIds(client(), { actionId: event.actionId as number, since })).toContain(String(event.id));
  });

  it('refuses storyId and teamId with actionId, before any request', async () => {
    const { emulator, client } = await start(transport);
    for (const option of ['storyId', 'teamId'] as const) {
      const error = await failure(listIds(client(), { actionId: 21, [option]: 3 }));
      expect((error as { option?: string }).option).toBe(option);
    }
    expect(emulator.requests).toHaveLength(0);
  });

  it('lists one action on both paths, with X-User-Token and email', async () => {
    const { emulator, client } = await start(transport);
    const actionId = emulator.store.events[0]?.actionId as number;
    const expected = emulator.store.events.filter((event) => event.actionId === actionId).map((event) => String(event.id));
    const viaActions = await listIds(client(), { actionId, pageSize: 2 });
    const viaAgents = await listIds(
      client({ apiPath: 'agents', authScheme: 'x-user-token', email: DEFAULT_TINES_CREDENTIAL.email }),
      { actionId: String(actionId) },
    );
    expect(viaActions.sort()).toEqual(expected);
    expect(viaAgents.sort()).toEqual(expected);
    const paths = emulator.requests.map((request) => request.path);
    expect(paths).toContain(`/api/v1/actions/${actionId}/events`);
    expect(paths).toContain(`/api/v1/agents/${actionId}/events`);
    const legacy = emulator.requests.find((request) => request.path.includes('/agents/'));
    expect(legacy?.headers.get('x-user-email')).toBe(DEFAULT_TINES_CREDENTIAL.email);
    expect(legacy?.headers.has('authorization')).toBe(false);
    const current = emulator.requests.find((request) => request.path.includes('/actions/'));
    expect(current?.headers.get('authorization')).toBe(`Bearer ${DEFAULT_TINES_CREDENTIAL.key}`);
    expect(current?.headers.has('x-user-token')).toBe(false);
  });

  it('passes the filters through and keeps since_id exclusive', async () => {
    const { emulator, client } = await start(transport);
    const all = emulator.store.events;
    const since = all[9] as (typeof all)[number];
    const until = all[40] as (typeof all)[number];
    const ids = await listIds(client(), { sinceId: since.id, untilId: String(until.id), teamId: 1, pageSize: 5 });
    const expected = all.filter((event) => event.id > since.id && event.id <= until.id && event.teamId === 1).map((e) => String(e.id));
    expect(ids.sort()).toEqual(expected);
    const times = await listIds(client(), { since: new Date(since.createdAt), until: new Date(until.createdAt).toISOString() });
    expect(times.sort()).toEqual(all.filter((e) => e.createdAt > since.createdAt && e.createdAt <= until.createdAt).map((e) => String(e.id)));
  });

  it('gets one event, normalized', async () => {
    const { emulator, client, baseUrl } = await start(transport);
    const stored = emulator.store.events[4] as (typeof emulator.store.events)[number];
    const event = await client().events.get(stored.id);
    expect(event).toMatchObject({
      provider: 'tines',
      id: String(stored.id),
      type: 'tines.event',
      // The tenant's host names the source: ids are numbered per tenant.
      source: `tines://${new URL(baseUrl).host}/actions/${stored.actionId}`,
      subject: stored.storyRunGuid,
      time: new Date(stored.createdAt).toISOString().replace(stored.id % 2 === 0 ? /\.\d{3}Z$/ : /$^/, '.000Z'),
      data: stored.payload,
    });
  });

  it('re-emits once: a failed attempt is sent again only when it was refused unread', async () => {
    const { emulator, client } = await start(transport);
    const target = emulator.store.events[2] as (typeof emulator.store.events)[number];
    const before = emulator.store.events.length;
    await client().events.reemit(target.id);
    expect(emulator.store.events).toHaveLength(before + 1);
    // A 500 may come after the event was emitted: sending it again could emit it twice.
    emulator.faults.add({ kind: 'status', status: 500, match: { method: 'POST' }, schedule: { once: true } });
    const error = await failure(client().events.reemit(target.id));
    expect(isHttpError(error) && error.status).toBe(500);
    expect(emulator.requests.filter((request) => request.method === 'POST')).toHaveLength(2);
    // A 429 or a 503 refused it: it is sent again and emits once.
    emulator.faults.add({ kind: 'rate-limit', retryAfter: 0, match: { method: 'POST' }, schedule: { once: true } });
    emulator.faults.add({ kind: 'status', status: 503, match: { method: 'POST' }, schedule: { once: true, after: 1 } });
    await client().events.reemit(target.id);
    expect(emulator.requests.filter((request) => request.method === 'POST')).toHaveLength(5);
    expect(emulator.store.events).toHaveLength(before + 2);
  });

  it('tails: the last cursor yields only events that arrive later', async () => {
    const { emulator, client } = await start(transport);
    let cursor = '';
    for await (const page of client().events.list({ pageSize: 25 }).byPage()) cursor = page.cursor;
    const fresh = [emulator.store.emit(), emulator.store.emit({ userId: null })].map((event) => String(event.id));
    const pages = [];
    for await (const page of client().events.list({ pageSize: 25 }).byPage({ cursor })) pages.push(page);
    expect(pages.flatMap((page) => page.items.map((event) => event.id))).toEqual(fresh);
    expect(pages.at(-1)?.hasMore).toBe(false);
  });

  it('maps 401, 403, 404 and 400 to typed errors with the vendor message and no credential', async () => {
    const { emulator, client } = await start(transport);
    const unauthorized = await failure(client({ token: 'tines-wrong-key-123456' }).events.list().toArray());
    expect(isAuthenticationError(unauthorized)).toBe(true);
    expect((unauthorized as { vendorMessage?: string }).vendorMessage).toBe('HTTP Token: Access denied.');
    expect(JSON.stringify(unauthorized) + String(unauthorized)).not.toContain('tines-wrong-key-123456');

    const forbidden = await failure(client({ token: READ_ONLY_TINES_CREDENTIAL.key }).events.list({ teamId: 2 }).toArray());
    expect(isPermissionError(forbidden)).toBe(true);
    expect((forbidden as { vendorMessage?: string }).vendorMessage).toContain('team 2');
    expect(JSON.stringify(forbidden)).not.toContain(READ_ONLY_TINES_CREDENTIAL.key);

    const missing = await failure(client().events.get(123));
    expect(isNotFoundError(missing)).toBe(true);
    expect((missing as { vendorMessage?: string }).vendorMessage).toBe('Event 123 not found');

    emulator.faults.add({ kind: 'status', status: 400, schedule: { once: true } });
    const bad = await failure(client().events.list().toArray());
    expect(isHttpError(bad) && bad.status).toBe(400);
  });

  it('retries 429 and 503 on reads, honouring Retry-After', async () => {
    const { emulator, client } = await start(transport);
    emulator.faults.add({ kind: 'rate-limit', retryAfter: 2, schedule: { once: true } });
    emulator.faults.add({ kind: 'status', status: 503, schedule: { once: true, after: 1 } });
    const ids = await listIds(client(), { pageSize: 50 });
    expect(ids).toHaveLength(60);
    emulator.faults.add({ kind: 'rate-limit', retryAfter: 1 });
    const limited = await failure(client({ retry: false }).events.list().toArray());
    expect(isRateLimitError(limited) && limited.retryAfterMs).toBe(1000);
  });

  it('a tenant that ignores page: complete when oldest first; newest first read on by until_id, or a typed error where there is none', async () => {
    const { emulator, client } = await start(transport, { ignorePage: true, order: 'oldest-first' });
    const all = emulator.store.events.map((e) => String(e.id));
    expect((await listIds(client(), { pageSize: 9 })).sort()).toEqual(all);
    // One-event pages do not show the order: a probe of two events does, then since_id moves on alone.
    expect(await listIds(client(), { pageSize: 1 })).toEqual(all);
    await open?.close();

    const newest = await start(transport, { ignorePage: true });
    const pages = [];
    for await (const page of newest.client().events.list({ pageSize: 9 }).byPage()) pages.push(page);
    const ids = pages.flatMap((page) => page.items.map((e) => e.id));
    expect([...ids].sort()).toEqual(newest.emulator.store.events.map((e) => String(e.id)).sort());
    expect(new Set(ids).size).toBe(ids.length);
    // Below the newest page, each request asks until_id one below the smallest id delivered.
    const untilIds = newest.emulator.requests.map((r) => new URL(r.url).searchParams.get('until_id')).filter((v) => v !== null);
    expect(untilIds.length).toBeGreaterThan(3);
    const arrived = [newest.emulator.store.emit(), newest.emulator.store.emit()].map((e) => String(e.id));
    const later = [];
    for await (const page of newest.client().events.list({ pageSize: 9 }).byPage({ cursor: pages.at(-1)?.cursor as string })) later.push(...page.items.map((e) => e.id));
    expect(later).toEqual(arrived);

    // One action's events take no until_id: rather than end with its older events left behind, it fails.
    const actionId = newest.emulator.store.events[0]?.actionId as number;
    const many = newest.emulator.store.events.filter((event) => event.actionId === actionId).length;
    expect(many).toBeGreaterThan(3);
    const refused = await failure(newest.client().events.list({ actionId, pageSize: 2 }).toArray());
    expect(isResponseValidationError(refused) && refused.message).toMatch(/whatever `page` asks/);
  });
});
