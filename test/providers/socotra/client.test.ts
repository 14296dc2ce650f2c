import { afterEach, describe, expect, it } from 'vitest';
import {
  isAuthenticationError,
  isHttpError,
  isNotFoundError,
  isPermissionError,
  isRateLimitError,
  isResponseValidationError,
} from '../../../src/core/errors.js';
import { SOCOTRA_EMULATOR_READ_ONLY_TOKEN } from '../../../src/providers/socotra/emulator.js';
import { encodeCursor, queryFingerprint } from '../../../src/core/cursor.js';
import { STREAM_START } from '../../../src/providers/socotra/query.js';
import { connect, listRequests, TENANT, TOKEN, TRANSPORTS, type Connected } from './connect.js';

let open: Connected | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    expect(JSON.stringify(error)).not.toContain(TOKEN);
    expect(String(error)).not.toContain(TOKEN);
    return error;
  }
  throw new Error('expected a rejection');
}

describe.each(TRANSPORTS)('socotra client through %s', (transport) => {
  it('lists the whole stream in completion order, each event once, normalized', async () => {
    open = await connect(transport, { events: 45 });
    const events = await open.client().events.list({ pageSize: 10 }).toArray();
    const served = open.emulator.store.page(0, {}, 1000).events;
    expect(events.map((e) => e.id)).toEqual(served.map((e) => e.locator));
    for (const event of events) {
      expect(event.provider).toBe('socotra');
      expect(event.source).toBe(`socotra:/tenants/${TENANT}`);
      expect(event.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(event.type).toBe(event.raw.type);
      if (event.raw.userLocator) expect(event.actor).toEqual({ kind: 'user', id: event.raw.userLocator });
      if (event.raw.requestId) expect(event.subject).toBe(event.raw.requestId);
    }
  });

  it('sends the filters on the first request only, and the epoch when the caller gives none', async () => {
    open = await connect(transport, { events: 12 });
    await open.client().events.list({ pageSize: 5 }).toArray();
    const requests = listRequests(open.emulator);
    expect(requests).toHaveLength(4);
    expect(Object.fromEntries(requests[0]!)).toEqual({ startTimestamp: STREAM_START, pageSize: '5' });
    for (const later of requests.slice(1)) expect([...later.keys()]).toEqual(['pagingToken']);

    await open.client().events.list({ type: 'policy.issue', until: '2030-01-01' }).toArray();
    expect(Object.fromEntries(listRequests(open.emulator)[4]!)).toEqual({
      endTimestamp: '2030-01-01T00:00:00.000Z',
      type: 'policy.issue',
      pageSize: '100',
    });
  });

  it('filters by type and time window on the server', async () => {
    open = await connect(transport, { events: 40 });
    const all = await open.client().events.list().toArray();
    const type = all[0]!.type;
    const typed = await open.client().events.list({ type }).toArray();
    expect(typed.map((e) => e.id)).toEqual(all.filter((e) => e.type === type).map((e) => e.id));
    const since = all[10]!.time;
    const windowed = await open.client().events.list({ since, pageSize: 7 }).toArray();
    expect(windowed.map((e) => e.id)).toEqual(all.filter((e) => e.time >= since).map((e) => e.id));
  });

  it('ends on an empty page; the tail cursor yields late events (older timestamps) and cut lists, only those', async () => {
    open = await connect(transport, { events: 9 });
    const client = open.client();
    const pages = [];
    for await (const page of client.events.list({ pageSize: 4 }).byPage()) pages.push(page);
    expect(pages.map((p) => [p.items.length, p.hasMore])).toEqual([[4, true], [4, true], [1, true], [0, false]]);
    const tail = pages.at(-1)!.cursor;
    const late = open.emulator.store.addEvent({ timestamp: '2020-01-01T00:00:00' });
    const cut = open.emulator.store.addEvent({ type: 'invoice.generate', data: { invoices: { listCompleted: false, items: ['a', 'b'] } } });
    const next = [];
    for await (const page of client.events.list({ pageSize: 4 }).byPage({ cursor: tail })) next.push(...page.items);
    expect(next.map((e) => e.id)).toEqual([late.locator, cut.locator]);
    expect(next[0]!.time).toBe('2020-01-01T00:00:00.000Z');
    expect(next[1]!.data).toEqual({ invoices: { listCompleted: false, items: ['a', 'b'] } });
    // A request with a token carries nothing else, also when resuming.
    expect([...listRequests(open.emulator).at(-1)!.keys()]).toEqual(['pagingToken']);
  });

  it('drops an event the stream delivers again across a page boundary', async () => {
    open = await connect(transport, { events: 6 });
    const store = open.emulator.store;
    const fifth = store.page(0, {}, 5).events[4]!;
    store.redeliver(fifth.locator);
    const ids = (await open.client().events.list({ pageSize: 5 }).toArray()).map((e) => e.id);
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
  });

  it('drops an event the stream delivers again after newer ones, through the tail cursor too', async () => {
    open = await connect(transport, { events: 3 });
    const client = open.client();
    const store = open.emulator.store;
    const pages = [];
    for await (const page of client.events.list({ pageSize: 50 }).byPage()) pages.push(page);
    const first = pages.flatMap((page) => page.items.map((e) => e.id));
    const added = Array.from({ length: 5 }, () => store.addEvent().locator);
    // Behind five newer events: further into the page than the cursor remembers ids (three).
    store.redeliver(first[1]!);
    const tail = [];
    for await (const page of client.events.list({ pageSize: 50 }).byPage({ cursor: pages.at(-1)!.cursor })) tail.push(...page.items);
    expect(tail.map((e) => e.id)).toEqual(added);
  });

  it('gets one event, the events of one request, and the scheduled events of a policy', async () => {
    open = await connect(transport, { events: 30 });
    const client = open.client();
    const [first] = open.emulator.store.page(0, {}, 1).events;
    const event = await client.events.get(first!.locator);
    expect(event.id).toBe(first!.locator);
    const byRequest = await client.events.forRequest(first!.requestId!);
    expect(byRequest.map((e) => e.subject)).toEqual(byRequest.map(() => first!.requestId));
    expect(byRequest.map((e) => e.id)).toContain(first!.locator);
    expect(await client.events.forRequest('01JD3W5X8V0000000000000000')).toEqual([]);
    const job = open.emulator.store.failedJobs((j) => j.policyLocator !== undefined, 0, 1)[0]!;
    const scheduled = await client.schedules.forPolicy(job.policyLocator!);
    expect(scheduled.length).toBeGreaterThan(0);
    expect(scheduled.every((s) => s.policyLocator === job.policyLocator && typeof s.triggerState === 'string')).toBe(true);
  });

  it('requests up to four failed-job pages at once, and delivers them in order', async () => {
    open = await connect(transport, { events: 0, failedJobs: 60 });
    let inFlight = 0;
    let most = 0;
    const fetch: typeof globalThis.fetch = async (input, init) => {
      most = Math.max(most, ++inFlight);
      try {
        return await globalThis.fetch(input, init);
      } finally {
        inFlight--;
      }
    };
    const jobs = await open.client({ fetch }).schedules.failed.list({ pageSize: 5 }).toArray();
    expect(jobs.map((j) => j.triggerName)).toEqual(open.emulator.store.failedJobs(() => true, 0, 100).map((j) => j.triggerName));
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(4);
  });

  it('pages the four failed-job listings by offset/count, and resumes and deletes a job', async () => {
    open = await connect(transport, { events: 0, failedJobs: 23 });
    const client = open.client();
    const store = open.emulator.store;
    const all = await client.schedules.failed.list({ pageSize: 5 }).toArray();
    expect(all.map((j) => j.triggerName)).toEqual(store.failedJobs(() => true, 0, 100).map((j) => j.triggerName));
    // Up to four pages at once on the guess that pages come back full: each page asked once, and at most
    // three guesses past the short last page (aborted, possibly answered).
    // Every page after the first re-reads up to 10 jobs before its offset: its new jobs start at
    // offset + count - pageSize.
    const asked = open.emulator.requests.map((r) => [Number(r.query.get('offset')), Number(r.query.get('count'))] as const);
    const pages = asked.filter(([offset, count]) => offset + count - 5 <= 20);
    expect(pages).toEqual([[0, 5], [0, 10], [0, 15], [5, 15], [10, 15]]);
    expect(asked.length - pages.length).toBeLessThanOrEqual(3);
    const quit = await client.schedules.failed.list({ state: 'quit' }).toArray();
    expect(quit.length).toBe(store.failedJobs((j) => j.failedJobState === 'quit', 0, 100).length);
    const tenantLevel = await client.schedules.failed.list({ tenant: true }).toArray();
    expect(tenantLevel.every((j) => j.triggerGroup === 'tenant')).toBe(true);
    const policy = store.failedJobs((j) => j.policyLocator !== undefined, 0, 1)[0]!.policyLocator!;
    const ofPolicy = await client.schedules.failed.list({ policyLocator: policy, pageSize: 1 }).toArray();
    expect(ofPolicy.length).toBe(store.failedJobs((j) => j.policyLocator === policy, 0, 100).length);

    const [a, b] = all;
    await client.schedules.failed.resume({ triggerName: a!.triggerName, triggerGroup: a!.triggerGroup });
    await client.schedules.failed.delete({ triggerName: b!.triggerName, triggerGroup: b!.triggerGroup });
    const remaining = (await client.schedules.failed.list().toArray()).map((j) => j.triggerName);
    expect(remaining).toHaveLength(21);
    expect(remaining).not.toContain(a!.triggerName);
    const bodies = open.emulator.requests.filter((r) => r.method !== 'GET').map((r) => [r.method, JSON.parse(r.body)]);
    expect(bodies).toEqual([
      ['POST', { triggerName: a!.triggerName, triggerGroup: a!.triggerGroup }],
      ['DELETE', { triggerName: b!.triggerName, triggerGroup: b!.triggerGroup }],
    ]);
  });

  it('lists failed jobs of one trigger name in two trigger groups as two jobs', async () => {
    open = await connect(transport, { events: 0, failedJobs: 0 });
    const at = '2026-11-23T10:00:00.000Z';
    const job = { triggerName: 'trigger-renewal', failedJobState: 'queued', failureCount: 1, createdAt: at, updatedAt: at } as const;
    open.emulator.store.addFailedJob({ ...job, triggerGroup: 'policy-01JD3W5X8V0000000000000002', policyLocator: '01JD3W5X8V0000000000000002' });
    open.emulator.store.addFailedJob({ ...job, triggerGroup: 'tenant' });
    // A job is its group and name together: by name alone the second would pass for a repeat of the first.
    for (const pageSize of [1, 100]) {
      const jobs = await open.client().schedules.failed.list({ pageSize }).toArray();
      expect(jobs.map((j) => j.triggerGroup)).toEqual(['policy-01JD3W5X8V0000000000000002', 'tenant']);
    }
  });

  it('maps 401, 403, 404 and 400 to typed errors with the vendor message and request id', async () => {
    open = await connect(transport, { events: 3 });
    const unauthorized = await rejection(open.client({ token: 'revoked-token' }).events.list().toArray());
    expect(isAuthenticationError(unauthorized)).toBe(true);
    const other = await rejection(open.client({ tenantLocator: '00000000-0000-4000-8000-000000000000' }).events.get('01A'));
    expect(isPermissionError(other) && other.vendorMessage).toMatch(/denied/);
    const readOnly = open.client({ token: SOCOTRA_EMULATOR_READ_ONLY_TOKEN });
    const forbidden = await rejection(readOnly.schedules.failed.resume({ triggerName: 'x', triggerGroup: 'y' }));
    expect(isPermissionError(forbidden) && forbidden.operation).toBe('schedules.failed.resume');
    const missing = await rejection(open.client().events.get('01JD3W5X8V0000000000000000'));
    expect(isNotFoundError(missing)).toBe(true);
    if (!isNotFoundError(missing)) return;
    expect(missing.vendorMessage).toBe('Event 01JD3W5X8V0000000000000000 not found');
    expect(missing.requestId).toMatch(/^[0-9A-Z]{26}$/);
    const gone = await rejection(open.client().schedules.failed.delete({ triggerName: 'x', triggerGroup: 'y' }));
    expect(isNotFoundError(gone)).toBe(true);
  });

  it('maps a 400 to an HttpError with the vendor message, without retrying it', async () => {
    open = await connect(transport, { events: 3 });
    // A cursor whose token the vendor did not issue (another environment's, say): the server says 400.
    const filters = { startTimestamp: STREAM_START };
    const binding = { provider: 'socotra' as const, query: queryFingerprint({ tenantLocator: TENANT, filters }), kind: 'token' as const };
    const cursor = encodeCursor(binding, { t: 'bm90LWEtdG9rZW4', d: [] });
    const error = await rejection(open.client().events.list().byPage({ cursor })[Symbol.asyncIterator]().next());
    expect(isHttpError(error) && [error.status, error.vendorMessage]).toEqual([400, 'Invalid pagingToken']);
    expect(listRequests(open.emulator)).toHaveLength(1);
  });

  it('never shows the token to hooks', async () => {
    open = await connect(transport, { events: 6 });
    const seen: unknown[] = [];
    const record = (info: unknown) => void seen.push(info);
    const hooks = { onRequest: record, onResponse: record, onRetry: record, onRateLimit: record };
    open.emulator.faults.add({ kind: 'status', status: 503, schedule: { once: true } });
    await open.client({ hooks, retry: { retries: 2, minDelay: 1 } }).events.list({ pageSize: 4 }).toArray();
    await open.client({ hooks, token: 'wrong-token-value' }).events.get('01A').catch(() => undefined);
    expect(seen.length).toBeGreaterThan(4);
    const dump = JSON.stringify(seen, (_key, value: unknown) => (value instanceof Error ? String(value) : value));
    expect(dump).not.toContain(TOKEN);
    expect(dump).not.toContain('wrong-token-value');
  });

  it('keeps a plain-text error body as the vendor message', async () => {
    open = await connect(transport, { events: 1, errorFormat: 'text' });
    const error = await rejection(open.client().events.get('01JD3W5X8V0000000000000000'));
    expect(isNotFoundError(error) && error.vendorMessage).toBe('Event 01JD3W5X8V0000000000000000 not found');
  });

  it('retries reads and deletes on 503 and 429, and a resume only when refused unread', async () => {
    open = await connect(transport, { events: 5, failedJobs: 3 });
    const { emulator } = open;
    const client = open.client({ retry: { retries: 3, minDelay: 10, maxDelay: 100 } });
    emulator.faults.add({ kind: 'status', status: 503, schedule: { once: true } });
    emulator.faults.add({ kind: 'rate-limit', retryAfter: 2, schedule: { once: true, after: 1 } });
    expect(await client.events.list().toArray()).toHaveLength(5);
    emulator.faults.clear();
    const [job] = emulator.store.failedJobs(() => true, 0, 1);
    emulator.faults.add({ kind: 'status', status: 503, schedule: { once: true }, match: { method: 'DELETE' } });
    await client.schedules.failed.delete({ triggerName: job!.triggerName, triggerGroup: job!.triggerGroup });
    // A 502 may come after the job was resumed: sending it again could resume it twice.
    let before = emulator.requests.length;
    emulator.faults.add({ kind: 'status', status: 502, match: { method: 'POST' }, schedule: { once: true } });
    const [next] = emulator.store.failedJobs(() => true, 0, 1);
    const key = { triggerName: next!.triggerName, triggerGroup: next!.triggerGroup };
    const error = await rejection(client.schedules.failed.resume(key));
    expect(isHttpError(error) && error.status).toBe(502);
    expect(emulator.requests.length - before).toBe(1);
    // A 429 or a 503 refused it unread: it is sent again, and applied once.
    for (const fault of [{ kind: 'rate-limit', retryAfter: 0 }, { kind: 'status', status: 503 }] as const) {
      const [job] = emulator.store.failedJobs(() => true, 0, 1);
      before = emulator.requests.length;
      emulator.faults.add({ ...fault, match: { method: 'POST' }, schedule: { once: true } });
      await client.schedules.failed.resume({ triggerName: job!.triggerName, triggerGroup: job!.triggerGroup });
      expect(emulator.requests.length - before).toBe(2);
      expect(emulator.store.failedJobs((candidate) => candidate.triggerName === job!.triggerName, 0, 1)).toEqual([]);
    }
  });

  it('resolves a delete whose retry is answered 404 after the lost answer of an applied attempt', async () => {
    open = await connect(transport, { events: 0, failedJobs: 3 });
    const { emulator } = open;
    let lost = 0;
    // The vendor deletes the job, then a proxy loses its answer.
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const response = await globalThis.fetch(input, init);
      if (init?.method !== 'DELETE' || lost++ > 0) return response;
      return new Response('<html><h1>502 Bad Gateway</h1></html>', { status: 502, headers: { 'content-type': 'text/html' } });
    };
    const client = open.client({ fetch, retry: { retries: 2, minDelay: 1 } });
    const [job] = emulator.store.failedJobs(() => true, 0, 1);
    await client.schedules.failed.delete({ triggerName: job!.triggerName, triggerGroup: job!.triggerGroup });
    expect(emulator.store.failedJobs(() => true, 0, 10)).toHaveLength(2);
    const deletes = () => emulator.requests.filter((r) => r.method === 'DELETE').length;
    expect(deletes()).toBe(2);
    // A 404 to the first attempt: there was no such job.
    const missing = await rejection(client.schedules.failed.delete({ triggerName: job!.triggerName, triggerGroup: job!.triggerGroup }));
    expect(isNotFoundError(missing) && missing.operation).toBe('schedules.failed.delete');
    expect(deletes()).toBe(3);
  });

  it('surfaces a 429 that outlasts the retries as a RateLimitError with retryAfterMs', async () => {
    open = await connect(transport, { events: 5 });
    open.emulator.faults.add({ kind: 'rate-limit', retryAfter: 3 });
    const error = await rejection(open.client({ retry: false }).events.list().toArray());
    expect(isRateLimitError(error) && error.retryAfterMs).toBe(3000);
  });

});

describe('socotra client and unusable responses', () => {
  it('fails with a ResponseValidationError naming pagingToken and keeping the raw page', async () => {
    open = await connect('server', { events: 2 });
    const page = { events: [] };
    const fetch: typeof globalThis.fetch = async () => Response.json(page);
    const error = await rejection(open.client({ fetch }).events.list().toArray());
    expect(isResponseValidationError(error)).toBe(true);
    if (!isResponseValidationError(error)) return;
    expect(error.issues.join()).toMatch(/pagingToken/);
    expect(error.raw).toEqual(page);
  });

  it('fails with a ResponseValidationError naming the event field that is unusable', async () => {
    open = await connect('server', { events: 2 });
    const event = { locator: '01A', type: 'policy.issue', timestamp: 'not a time', data: {} };
    const fetch: typeof globalThis.fetch = async () => Response.json(event);
    const error = await rejection(open.client({ fetch }).events.get('01A'));
    expect(isResponseValidationError(error) && error.issues.join()).toMatch(/timestamp/);
  });

  it('delivers an event whose type is missing, null, a list or not text, keeping what came in raw', async () => {
    // It failed its page, and every retry and resumption of it, for good.
    open = await connect('server', { events: 2 });
    const event = { locator: '01A', type: 'policy.issue', timestamp: '2026-11-23T10:00:00Z', data: {} };
    const read = (drifted: Record<string, unknown>) => open!.client({ fetch: async () => Response.json(drifted) }).events.get('01A');
    const { type: _type, ...untyped } = event;
    expect((await read(untyped)).type).toBe('socotra.unknown');
    expect((await read({ ...event, type: null })).type).toBe('socotra.unknown');
    expect((await read({ ...event, type: '' })).type).toBe('socotra.unknown');
    expect((await read({ ...event, type: 42 })).type).toBe('socotra.unknown');
    expect((await read({ ...event, type: { name: 'policy.issue' } })).type).toBe('socotra.unknown');
    const listed = await read({ ...event, type: ['policy.issue', 'x'] });
    expect(listed.type).toBe('policy.issue');
    expect(listed.raw.type).toEqual(['policy.issue', 'x']);
  });
});
