import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import {
  isAuthenticationError,
  isHttpError,
  isNotFoundError,
  isPermissionError,
  isRateLimitError,
  type HttpError,
  type RateLimitError,
} from '../../../src/core/errors.js';
import type { InformaticaEventData } from '../../../src/providers/informatica/index.js';
import { connect, failure, TRANSPORTS, type Connected } from './connect.js';

let open: Connected | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

async function start(transport: (typeof TRANSPORTS)[number], options: Parameters<typeof connect>[1] = {}) {
  open = await connect(transport, options);
  return open;
}

function bodies(connected: Connected): Array<Record<string, unknown>> {
  return connected.emulator.requests
    .filter((request) => request.method === 'POST')
    .map((request) => JSON.parse(request.body) as Record<string, unknown>);
}

describe.each(TRANSPORTS)('informatica client through %s', (transport) => {
  it('lists every event once, children flattened right after their parent', async () => {
    const connected = await start(transport);
    const { emulator, client } = connected;
    const expected = emulator.store.events.all().map((event) => String(event.eventId));
    const pages: string[][] = [];
    for await (const page of client().events.list({ pageSize: 7 }).byPage()) pages.push(page.items.map((event) => event.id));
    // 40 top-level rows in pages of 7: 6 pages, the last one short; every page over the same window,
    // re-reading up to 10 rows before its offset. Up to four searches are in flight at once, so they
    // may arrive in any order, and up to three guesses past the short last page may have left before it
    // came back.
    const sent = bodies(connected);
    const ranges = sent.map((body) => [body['firstResult'], body['maxResults']] as [number, number]).sort(([a], [b]) => a - b);
    expect(ranges.slice(0, 6)).toEqual([[0, 7], [0, 14], [4, 17], [11, 17], [18, 17], [25, 17]]);
    expect(ranges.slice(6).every(([offset]) => offset > 25)).toBe(true);
    expect(ranges.length).toBeLessThanOrEqual(9);
    expect(new Set(sent.map((body) => JSON.stringify(body['timeframe']))).size).toBe(1);
    const ids = pages.flat();
    expect([...ids].sort()).toEqual([...expected].sort());
    expect(new Set(ids).size).toBe(ids.length);
    const events = await client().events.list({ pageSize: 7 }).toArray();
    events.forEach((event, index) => {
      const parent = (event.data as InformaticaEventData).parentEventId;
      if (parent !== undefined) expect(events.slice(0, index).some((earlier) => earlier.id === parent)).toBe(true);
    });
  });

  it('keeps children inside their parent with children: nested', async () => {
    const { emulator, client } = await start(transport);
    const roots = emulator.store.events.all().filter((event) => event.parentEventId === null);
    const events = await client().events.list({ children: 'nested' }).toArray();
    expect(events.map((event) => event.id).sort()).toEqual(roots.map((event) => String(event.eventId)).sort());
    const withChildren = events.find((event) => ((event.data as InformaticaEventData).childEvents?.length ?? 0) > 0);
    const child = (withChildren?.data as InformaticaEventData).childEvents?.[0];
    expect((child?.data as InformaticaEventData).parentEventId).toBe(withChildren?.id);
  });

  it('builds the body from typed options and pins a relative range to a CUSTOM window', async () => {
    const connected = await start(transport);
    const events = await connected
      .client()
      .events.list({ range: 'LAST_HOUR', eventType: 'PUBLICATION', eventStatus: 'ERROR', applicationName: 'App', useExactMatch: false, children: 'nested' })
      .toArray();
    const [body] = bodies(connected);
    const timeframe = body?.['timeframe'] as Record<string, string>;
    expect(timeframe['range']).toBe('CUSTOM');
    expect(timeframe['fromDate']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(Date.parse(timeframe['toDate'] as string) - Date.parse(timeframe['fromDate'] as string)).toBe(3_600_000);
    expect(body).toMatchObject({ eventType: 'PUBLICATION', eventStatus: 'ERROR', applicationName: 'App', useExactMatch: false, firstResult: 0, maxResults: 2000 });
    for (const event of events) {
      expect(event.status).toBe('Error');
      expect(event.type).toBe('informatica.publication');
    }
  });

  it('reads a single match sent as a bare object, and the list-only forms', async () => {
    const { emulator, client } = await start(transport);
    const target = emulator.store.events.all().find((event) => event.parentEventId === null);
    emulator.store.events.add({ createTime: target!.createTime, pubSubName: 'Unique_Pub' }, Date.now());
    const single = await client().events.list({ pubSubName: 'Unique_Pub', useExactMatch: true }).toArray();
    expect(single.map((event) => event.subject)).toEqual(['Unique_Pub']);
    await open?.close();
    const listOnly = await start(transport, { responseForms: 'list' });
    const all = await listOnly.client().events.list().toArray();
    expect(all).toHaveLength(listOnly.emulator.store.events.size);
  });

  it('gets one event with its children, and maps 404 and a bad id', async () => {
    const { emulator, client } = await start(transport);
    const parent = emulator.store.events.all().find((event) => event.children.length > 0);
    const event = await client().events.get(parent!.eventId);
    expect(event.id).toBe(String(parent!.eventId));
    expect((event.data as InformaticaEventData).childEvents?.map((child) => child.id)).toEqual(parent!.children.map(String));
    const flat = await client().events.get(String(parent!.eventId), { children: 'flatten' });
    expect((flat.data as InformaticaEventData).childEventIds).toEqual(parent!.children.map(String));
    const missing = await failure(client().events.get(999_999_999));
    expect(isNotFoundError(missing)).toBe(true);
    expect((missing as HttpError).vendorMessage).toBe('NOT_FOUND: Event 999999999 not found');
    // Ids are `Long`s: the largest is not found, one past it is no id at all.
    expect(isNotFoundError(await failure(client().events.get('9223372036854775807')))).toBe(true);
    const requests = emulator.requests.length;
    for (const bad of ['1/../2', '', '-1', -1, 1.5, '12?x', '9223372036854775808', '9999999999999999999']) {
      await expect(client().events.get(bad as string)).rejects.toMatchObject({ name: 'ConfigurationError', option: 'eventId' });
    }
    expect(emulator.requests.length).toBe(requests);
  });

  it('answers a wrong password with an AuthenticationError that holds no credential', async () => {
    const { client } = await start(transport);
    const error = await failure(client({ password: 'Wrong-Secret-123' }).events.list().toArray());
    expect(isAuthenticationError(error)).toBe(true);
    expect((error as HttpError).status).toBe(401);
    expect((error as HttpError).vendorMessage).toBe('UNAUTHORIZED: Invalid credentials');
    const shown = `${String(error)} ${JSON.stringify(error)} ${inspect(error)}`;
    expect(shown).not.toContain('Wrong-Secret-123');
    expect(shown).not.toContain(Buffer.from('Administrator@MyCompany.com:Wrong-Secret-123').toString('base64'));
  });

  it('answers a user without the privilege with a PermissionError', async () => {
    const { client } = await start(transport);
    const error = await failure(client({ username: 'viewer@MyCompany.com', password: 'ViewerPass' }).events.get(1));
    expect(isPermissionError(error)).toBe(true);
    expect((error as HttpError).vendorMessage).toMatch(/FORBIDDEN: .*privilege/);
  });

  it('maps a 400 with the vendor message and does not retry it', async () => {
    const { emulator, client } = await start(transport);
    emulator.faults.add({ kind: 'status', status: 400 });
    const error = await failure(client().events.list().toArray());
    expect(isHttpError(error) && (error as HttpError).status).toBe(400);
    expect((error as HttpError).vendorMessage).toMatch(/^BAD_REQUEST/);
    expect(emulator.requests).toHaveLength(1);
  });

  it('retries the search POST after a 503 and after a 429, honouring Retry-After', async () => {
    const { emulator, client } = await start(transport);
    emulator.faults.add({ kind: 'status', status: 503, schedule: { once: true } });
    emulator.faults.add({ kind: 'rate-limit', retryAfter: 2, schedule: { once: true, after: 1 } });
    const events = await client().events.list({ children: 'nested' }).toArray();
    expect(events).toHaveLength(40);
    expect(emulator.requests).toHaveLength(3);
  });

  it('gives up on a rate limit that never ends with a RateLimitError', async () => {
    const { emulator, client } = await start(transport);
    emulator.faults.add({ kind: 'rate-limit', retryAfter: 3 });
    const error = await failure(client({ retry: { retries: 1, minDelay: 1, maxDelay: 2 } }).events.get(1));
    expect(isRateLimitError(error)).toBe(true);
    expect((error as RateLimitError).retryAfterMs).toBe(3000);
  });
});
