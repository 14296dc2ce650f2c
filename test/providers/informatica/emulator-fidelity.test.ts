/**
 * The Cloud Integration Hub emulator against seed 004: the rate limit is the organization's ("the
 * allowed limit for your organization"), a search is sent as `Content-Type: application/json`,
 * `descendantState` is "the cumulative status of all the child events", an event past the retention
 * is gone for its id as it is for a search, and the bare-object form answers a search with one match,
 * not any page of one row.
 */
import { describe, expect, it } from 'vitest';
import { scaledClock } from '../../../src/core/clock.js';
import { informaticaEmulator } from '../../../src/providers/informatica/emulator.js';
import { InformaticaStore, RETENTION_MS } from '../../../src/providers/informatica/emulator-store.js';
import { POD } from './connect.js';

const NOW = Date.parse('2026-11-23T10:00:00.000Z');
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const USERS = [
  { user: 'ops@example.com', password: 'one' },
  { user: 'audit@example.com', password: 'two' },
];

describe('informatica emulator fidelity', () => {
  it("counts every user's requests against the organization's 5 a minute", async () => {
    const emulator = informaticaEmulator.create({ seed: 1, events: 3, users: USERS, clock: scaledClock(1) });
    const get = (user: { user: string; password: string }) =>
      emulator.fetch(`${POD}/dih-console/api/v1/event/32010`, { headers: { authorization: basic(user.user, user.password) } });
    for (let i = 0; i < 3; i++) expect((await get(USERS[0]!)).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await get(USERS[1]!)).status).toBe(200);
    const sixth = await get(USERS[1]!);
    expect(sixth.status).toBe(429);
    expect(sixth.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(((await sixth.json()) as { error: { message: string } }).error.message).toMatch(/organization/);
  });

  it('refuses a search whose body is not declared application/json (415), and reads one that is', async () => {
    const emulator = informaticaEmulator.create({ seed: 1, events: 3, users: USERS, rateLimit: false });
    const search = (headers: Record<string, string>) =>
      emulator.fetch(`${POD}/dih-console/api/v1/events`, {
        method: 'POST',
        headers: { authorization: basic(USERS[0]!.user, USERS[0]!.password), ...headers },
        body: '{"timeframe":{"range":"LAST_24_HOURS"}}',
      });
    expect((await search({ 'content-type': 'text/plain' })).status).toBe(415);
    expect((await search({ 'content-type': 'application/json; charset=utf-8' })).status).toBe(200);
    const bare = await emulator.fetch(`${POD}/dih-console/api/v1/events`, {
      method: 'POST',
      headers: { authorization: basic(USERS[0]!.user, USERS[0]!.password) },
    });
    expect(bare.status).toBe(415);
    const refused = (await bare.json()) as { error: { code: string; message: string } };
    expect(refused.error).toEqual({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: expect.stringMatching(/application\/json/),
      requestId: expect.stringMatching(/^[0-9A-Za-z]{22}$/),
      details: null,
    });
  });

  it('answers 406 to a request whose Accept refuses application/json, the one form it answers in', async () => {
    const emulator = informaticaEmulator.create({ seed: 1, events: 3, users: USERS, rateLimit: false });
    const search = (accept: string | undefined) =>
      emulator.fetch(`${POD}/dih-console/api/v1/events`, {
        method: 'POST',
        headers: {
          authorization: basic(USERS[0]!.user, USERS[0]!.password),
          'content-type': 'application/json',
          ...(accept === undefined ? {} : { accept }),
        },
        body: '{}',
      });
    for (const accept of ['text/plain', 'application/xml', 'application/json;q=0, text/html']) {
      const refused = await search(accept);
      expect(refused.status).toBe(406);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('NOT_ACCEPTABLE');
    }
    for (const accept of [undefined, 'application/json', '*/*', 'application/*', 'text/html, application/json;q=0.5', 'Application/JSON']) {
      expect((await search(accept)).status).toBe(200);
    }
    const one = await emulator.fetch(`${POD}/dih-console/api/v1/event/1`, {
      headers: { authorization: basic(USERS[0]!.user, USERS[0]!.password), accept: 'text/plain' },
    });
    expect(one.status).toBe(406);
  });

  it('answers a bare object only when exactly one event matched the search, whatever the page holds', async () => {
    const emulator = informaticaEmulator.create({ seed: 1, events: 0, users: USERS, rateLimit: false });
    const now = Date.now();
    for (let i = 0; i < 60; i++) emulator.store.events.add({ createTime: now - (i + 1) * 1_000, pubSubName: `Pub_${i}` }, now);
    const search = async (body: Record<string, unknown>) => {
      const response = await emulator.fetch(`${POD}/dih-console/api/v1/events`, {
        method: 'POST',
        headers: { authorization: basic(USERS[0]!.user, USERS[0]!.password), 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return (await response.json()) as unknown;
    };
    const last = await search({ firstResult: 59, maxResults: 2 });
    expect(Array.isArray(last) && last.map((event: { pubSubName: string }) => event.pubSubName)).toEqual(['Pub_59']);
    expect(await search({ maxResults: 1 })).toEqual([expect.objectContaining({ pubSubName: 'Pub_0' })]);
    expect(await search({ pubSubName: 'Pub_7', useExactMatch: true })).toMatchObject({ pubSubName: 'Pub_7' });
  });

  it('answers 404 for the id of an event past the retention, which no search finds either', async () => {
    const emulator = informaticaEmulator.create({ seed: 1, events: 0, users: USERS, rateLimit: false });
    const now = Date.now();
    const old = emulator.store.events.add({ createTime: now - RETENTION_MS - 60_000 }, now);
    const recent = emulator.store.events.add({ createTime: now - 60_000 }, now);
    const get = (id: number) =>
      emulator.fetch(`${POD}/dih-console/api/v1/event/${id}`, { headers: { authorization: basic(USERS[0]!.user, USERS[0]!.password) } });
    expect((await get(old.eventId)).status).toBe(404);
    expect((await get(recent.eventId)).status).toBe(200);
  });

  it("keeps a parent's descendantState as the cumulative status of its children", () => {
    const store = new InformaticaStore();
    const parent = store.add({ createTime: NOW - 60_000 }, NOW);
    expect(parent.descendantState).toBe('NONE');
    const first = store.add({ parentEventId: parent.eventId, eventStatus: 'Processing' }, NOW);
    expect(parent.descendantState).toBe('PROCESSING');
    store.setStatus(first.eventId, 'Complete', NOW);
    expect(parent.descendantState).toBe('COMPLETE');
    const second = store.add({ parentEventId: parent.eventId, eventStatus: 'Delayed' }, NOW);
    expect(parent.descendantState).toBe('DELAYED');
    store.setStatus(second.eventId, 'Error', NOW);
    expect(parent.descendantState).toBe('ERROR');
    store.add({ parentEventId: parent.eventId, eventStatus: 'Pending' }, NOW);
    expect(parent.descendantState).toBe('ERROR');

    const discarded = store.add({ createTime: NOW - 30_000 }, NOW);
    store.add({ parentEventId: discarded.eventId, eventStatus: 'Discarded' }, NOW);
    store.add({ parentEventId: discarded.eventId, eventStatus: 'Discarded' }, NOW);
    expect(discarded.descendantState).toBe('DISCARDED');
    store.add({ parentEventId: discarded.eventId, eventStatus: 'Reprocessed' }, NOW);
    expect(discarded.descendantState).toBe('COMPLETE');
  });

  it('carries a grandchild’s state up to every ancestor', () => {
    const store = new InformaticaStore();
    const root = store.add({ createTime: NOW - 60_000 }, NOW);
    const child = store.add({ parentEventId: root.eventId }, NOW);
    expect(root.descendantState).toBe('COMPLETE');
    const grandchild = store.add({ parentEventId: child.eventId, eventStatus: 'Processing' }, NOW);
    expect([child.descendantState, root.descendantState]).toEqual(['PROCESSING', 'PROCESSING']);
    store.setStatus(grandchild.eventId, 'Error', NOW);
    expect([child.descendantState, root.descendantState]).toEqual(['ERROR', 'ERROR']);
  });

  it('generates parents whose descendantState agrees with their children', () => {
    const events = informaticaEmulator.create({ seed: 7, events: 60, rateLimit: false }).store.events;
    const parents = events.all().filter((event) => event.children.length > 0);
    expect(parents.length).toBeGreaterThan(10);
    for (const parent of parents) {
      const statuses = parent.children.map((id) => events.get(id)!.eventStatus);
      if (statuses.includes('Error')) expect(parent.descendantState).toBe('ERROR');
      else if (statuses.some((status) => status === 'Processing' || status === 'Pending')) expect(parent.descendantState).toBe('PROCESSING');
      else expect(parent.descendantState).not.toBe('NONE');
    }
  });
});
