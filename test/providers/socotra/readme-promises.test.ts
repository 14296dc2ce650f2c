/**
 * What README "Socotra" promises and no other test held: repeats dropped while their locator is among
 * the last 100 delivered (and no further back), a window whose ends are one instant, `data: null` as
 * `{}`, the failed-job listings' paths and `count`, a resumed listing keeping its page size, resume
 * retried after a 408 and after nothing its server may have applied, the 404 of a retried delete told
 * apart by what the attempt before it met, reads retried after every status the README names, 4
 * requests in flight for the clients of one base URL and token, the token shown nowhere (`inspect`
 * included), and a delete without `write` permission refused.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cursorJson } from '../../../src/core/cursor.js';
import { isHttpError, isNotFoundError, isPermissionError, isTimeoutError } from '../../../src/core/errors.js';
import { SOCOTRA_EMULATOR_READ_ONLY_TOKEN, SOCOTRA_EMULATOR_TENANT, SOCOTRA_EMULATOR_TOKEN, socotraEmulator } from '../../../src/providers/socotra/emulator.js';
import { socotra, type SocotraOptions } from '../../../src/providers/socotra/index.js';
import { fastClock, HOST, TENANT } from './connect.js';
import { heldInFlight } from '../../support/in-flight.js';

function setUp(events: number, failedJobs = 0) {
  const clock = fastClock();
  const emulator = socotraEmulator.create({ seed: 5, events, failedJobs, clock });
  const client = (options: Partial<SocotraOptions> = {}) =>
    socotra({ baseUrl: HOST, tenantLocator: TENANT, token: SOCOTRA_EMULATOR_TOKEN, fetch: emulator.fetch, clock, retry: { retries: 2, minDelay: 1, maxDelay: 1 }, ...options });
  return { emulator, client };
}

const pathsOf = (emulator: Emulator) => emulator.requests.map((request) => request.path);

describe('socotra repeats', () => {
  it.each([
    [100, 'dropped'],
    [101, 'delivered again'],
  ])('an event delivered again with %i events delivered since it, itself included, is %s, through the tail cursor too', async (back, outcome) => {
    const { emulator, client } = setUp(0);
    const first = Array.from({ length: back }, () => emulator.store.addEvent().locator);
    let cursor = '';
    for await (const page of client().events.list({ pageSize: 1000 }).byPage()) cursor = page.cursor;
    emulator.store.redeliver(first[0]!);
    const tail: string[] = [];
    for await (const page of client().events.list().byPage({ cursor })) tail.push(...page.items.map((event) => event.id));
    expect(tail).toEqual(outcome === 'dropped' ? [] : [first[0]]);

    // Within one listing too: a page of one event, so every event before the repeat was delivered before its page.
    const again = setUp(0);
    const ids = Array.from({ length: back }, () => again.emulator.store.addEvent().locator);
    again.emulator.store.redeliver(ids[0]!);
    const listed = (await again.client().events.list({ pageSize: 1 }).toArray()).map((event) => event.id);
    expect(listed).toEqual(outcome === 'dropped' ? ids : [...ids, ids[0]]);
  });
});

describe('socotra events.list query', () => {
  it('takes an until at the same instant as since, and sends both bounds', async () => {
    const { emulator, client } = setUp(3);
    const at = '2026-11-23T10:00:00.000Z';
    await client().events.list({ since: at, until: new Date(at) }).toArray();
    const query = emulator.requests[0]!.query;
    expect([query.get('startTimestamp'), query.get('endTimestamp')]).toEqual([at, at]);
  });

  it('keeps the page size the listing started with when resumed with another', async () => {
    const { emulator, client } = setUp(20);
    const first = (await client().events.list({ pageSize: 5 }).byPage()[Symbol.asyncIterator]().next()).value!;
    emulator.reset();
    const sizes: number[] = [];
    for await (const page of client().events.list().byPage({ cursor: first.cursor, pageSize: 50 })) sizes.push(page.items.length);
    expect(sizes).toEqual([5, 5, 5, 0]);
    for (const request of emulator.requests) expect([...request.query.keys()]).toEqual(['pagingToken']);
  });

  it('gives {} for data sent as null', async () => {
    const { client } = setUp(0);
    const event = { locator: '01JD3W5X8V0000000000000000', type: 'policy.issue', timestamp: '2026-11-23T10:00:00Z', data: null };
    expect((await client({ fetch: async () => Response.json(event) }).events.get(event.locator)).data).toEqual({});
  });
});

describe('socotra failed-job listings', () => {
  it('reads each of the four paths README names, with count 100 unless pageSize says otherwise (up to 1000)', async () => {
    const { emulator, client } = setUp(0, 3);
    const failed = client().schedules.failed;
    const base = `/event/${SOCOTRA_EMULATOR_TENANT}/events/schedules`;
    const cases = [
      [{}, `${base}/failed/list`],
      [{ policyLocator: 'p-1' }, `${base}/policy/p-1/failed/list`],
      [{ tenant: true }, `${base}/tenant/failed/list`],
      [{ state: 'queued' }, `${base}/failed/queued/list`],
      [{ state: 'quit' }, `${base}/failed/quit/list`],
    ] as const;
    for (const [query, path] of cases) {
      emulator.reset();
      await failed.list(query).toArray();
      expect(pathsOf(emulator)[0]).toBe(path);
      expect(emulator.requests[0]!.query.get('count')).toBe('100');
      expect(emulator.requests[0]!.query.get('offset')).toBe('0');
    }
    emulator.reset();
    await failed.list({ pageSize: 1000 }).toArray();
    expect(emulator.requests[0]!.query.get('count')).toBe('1000');
    expect(() => failed.list({ pageSize: 1001 })).toThrow(expect.objectContaining({ option: 'pageSize' }));
  });
});

/** A fetch that answers what `answer` gives for a request of `method`, the emulator otherwise. */
function intercepting(emulator: Emulator, method: string, answer: (attempt: number, request: Request) => Promise<Response> | undefined) {
  let attempt = 0;
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    if (request.method === method) {
      const faked = answer(attempt++, request);
      if (faked !== undefined) return faked;
    }
    return emulator.fetch(request);
  };
  return fetch;
}

type Emulator = ReturnType<typeof setUp>['emulator'];

/** Never answers: the attempt ends by the client's `timeout`. */
const hang = (request: Request) =>
  new Promise<Response>((_resolve, reject) => request.signal.addEventListener('abort', () => reject(request.signal.reason)));

/** Sends `request` to the emulator, which applies it, and loses its answer. */
async function applied(emulator: Emulator, request: Request): Promise<void> {
  // Without the attempt's signal: its timeout ends the wait for the answer, not the vendor's work.
  await emulator.fetch(new Request(request.url, { method: request.method, headers: request.headers, body: await request.clone().text() }));
}

describe('socotra schedules.failed.resume', () => {
  it('is sent again after a 408, and resumes the job once', async () => {
    const { emulator, client } = setUp(0, 2);
    const [job] = emulator.store.failedJobs(() => true, 0, 1);
    emulator.faults.add({ kind: 'status', status: 408, match: { method: 'POST' }, schedule: { once: true } });
    await client().schedules.failed.resume({ triggerName: job!.triggerName, triggerGroup: job!.triggerGroup });
    expect(emulator.requests.filter((request) => request.method === 'POST')).toHaveLength(2);
    expect(emulator.store.failedJobs(() => true, 0, 10)).toHaveLength(1);
  });

  it.each([500, 504])('is not sent again after a %i, which may come after the job was resumed', async (status) => {
    const { emulator, client } = setUp(0, 2);
    const [job] = emulator.store.failedJobs(() => true, 0, 1);
    emulator.faults.add({ kind: 'status', status, match: { method: 'POST' }, schedule: { once: true } });
    const error = await client().schedules.failed.resume({ triggerName: job!.triggerName, triggerGroup: job!.triggerGroup }).catch((e: unknown) => e);
    expect(isHttpError(error) && error.status).toBe(status);
    expect(emulator.requests.filter((request) => request.method === 'POST')).toHaveLength(1);
  });

  it('is not sent again after a timeout', async () => {
    const { emulator, client } = setUp(0, 2);
    const [job] = emulator.store.failedJobs(() => true, 0, 1);
    let posts = 0;
    const fetch = intercepting(emulator, 'POST', (_attempt, request) => (posts++, hang(request)));
    const error = await client({ fetch, timeout: 30 }).schedules.failed.resume({ triggerName: job!.triggerName, triggerGroup: job!.triggerGroup }).catch((e: unknown) => e);
    expect(isTimeoutError(error)).toBe(true);
    expect(posts).toBe(1);
  });
});

describe('socotra schedules.failed.delete answered 404 on a retry', () => {
  it.each([500, 504])('resolves after a %i: the attempt may have deleted the job', async (status) => {
    const { emulator, client } = setUp(0, 2);
    const [job] = emulator.store.failedJobs(() => true, 0, 1);
    const fetch = intercepting(emulator, 'DELETE', (attempt, request) =>
      attempt === 0 ? applied(emulator, request).then(() => new Response('', { status })) : undefined,
    );
    await client({ fetch }).schedules.failed.delete({ triggerName: job!.triggerName, triggerGroup: job!.triggerGroup });
    expect(emulator.store.failedJobs(() => true, 0, 10)).toHaveLength(1);
    expect(emulator.requests.filter((request) => request.method === 'DELETE')).toHaveLength(2);
  });

  it('resolves after a timeout whose attempt deleted the job', async () => {
    const { emulator, client } = setUp(0, 2);
    const [job] = emulator.store.failedJobs(() => true, 0, 1);
    const fetch = intercepting(emulator, 'DELETE', (attempt, request) =>
      attempt === 0 ? applied(emulator, request).then(() => hang(request)) : undefined,
    );
    await client({ fetch, timeout: 30 }).schedules.failed.delete({ triggerName: job!.triggerName, triggerGroup: job!.triggerGroup });
    expect(emulator.store.failedJobs(() => true, 0, 10)).toHaveLength(1);
  });

  it('is a NotFoundError after a 429, which refused the attempt before it unread', async () => {
    const { emulator, client } = setUp(0, 2);
    emulator.faults.add({ kind: 'rate-limit', retryAfter: 0, match: { method: 'DELETE' }, schedule: { once: true } });
    const error = await client().schedules.failed.delete({ triggerName: 'no-such-trigger', triggerGroup: 'no-such-group' }).catch((e: unknown) => e);
    expect(isNotFoundError(error)).toBe(true);
    expect(emulator.requests.filter((request) => request.method === 'DELETE')).toHaveLength(2);
  });
});

describe('socotra reads', () => {
  it.each([408, 429, 500, 502, 503, 504])('are sent again after a %i', async (status) => {
    const { emulator, client } = setUp(3);
    emulator.faults.add(status === 429 ? { kind: 'rate-limit', retryAfter: 0, schedule: { once: true } } : { kind: 'status', status, schedule: { once: true } });
    expect(await client().events.list().toArray()).toHaveLength(3);
    expect(emulator.requests).toHaveLength(3);
  });

  it('are sent again after a reset connection and after a timeout', async () => {
    const { emulator, client } = setUp(3);
    emulator.faults.add({ kind: 'reset', schedule: { once: true } });
    expect(await client().events.list().toArray()).toHaveLength(3);
    let gets = 0;
    const fetch = intercepting(emulator, 'GET', (attempt, request) => (gets++, attempt === 0 ? hang(request) : undefined));
    expect(await client({ fetch, timeout: 30 }).events.list().toArray()).toHaveLength(3);
    expect(gets).toBe(3);
  });
});

describe('socotra concurrency', () => {
  it('is 4 requests in flight for the clients of one base URL and token, and apart for another token', async () => {
    const { emulator } = setUp(1);
    const [event] = emulator.store.page(0, {}, 1).events;
    const make = (token: string, fetch: typeof globalThis.fetch) => socotra({ baseUrl: HOST, tenantLocator: TENANT, token, fetch, clock: fastClock() });
    const { inFlight, most } = await heldInFlight(emulator.fetch, (fetch) =>
      [make('socotra-concurrency-one', fetch), make('socotra-concurrency-one', fetch)].flatMap((client) =>
        Array.from({ length: 5 }, () => client.events.get(event!.locator).catch(() => undefined)),
      ),
    );
    expect(inFlight).toBe(4);
    expect(most).toBe(4);
    // Two other tokens: a limiter each.
    const apart = await heldInFlight(emulator.fetch, (fetch) =>
      [make('socotra-concurrency-two', fetch), make('socotra-concurrency-three', fetch)].flatMap((client) =>
        Array.from({ length: 5 }, () => client.events.get(event!.locator).catch(() => undefined)),
      ),
    );
    expect(apart.inFlight).toBe(8);
  });
});

describe('socotra token', () => {
  it('is shown nowhere: not by inspect of the client, an error, a hook or a cursor', async () => {
    const { emulator, client } = setUp(5, 2);
    const seen: unknown[] = [];
    const record = (info: unknown) => void seen.push(info);
    const socotraClient = client({ hooks: { onRequest: record, onResponse: record, onRetry: record } });
    emulator.faults.add({ kind: 'status', status: 503, schedule: { once: true } });
    const cursors: string[] = [];
    for await (const page of socotraClient.events.list({ pageSize: 2 }).byPage()) cursors.push(page.cursor);
    for await (const page of socotraClient.schedules.failed.list({ pageSize: 1 }).byPage()) cursors.push(page.cursor);
    const error = await socotraClient.events.get('01JD3W5X8V0000000000000000').catch((e: unknown) => e);
    const shown = [
      inspect(socotraClient, { depth: 8, showHidden: true }),
      inspect(error, { depth: 8, showHidden: true }),
      JSON.stringify(error),
      inspect(seen, { depth: 8, showHidden: true }),
      ...cursors.map((cursor) => cursorJson(cursor)),
    ];
    for (const text of shown) expect(text).not.toContain(SOCOTRA_EMULATOR_TOKEN);
  });

  it('without write permission, fails a delete with a PermissionError, as it does a resume', async () => {
    const { emulator, client } = setUp(0, 2);
    const [job] = emulator.store.failedJobs(() => true, 0, 1);
    const error = await client({ token: SOCOTRA_EMULATOR_READ_ONLY_TOKEN })
      .schedules.failed.delete({ triggerName: job!.triggerName, triggerGroup: job!.triggerGroup })
      .catch((e: unknown) => e);
    expect(isPermissionError(error)).toBe(true);
    expect(emulator.store.failedJobs(() => true, 0, 10)).toHaveLength(2);
  });
});
