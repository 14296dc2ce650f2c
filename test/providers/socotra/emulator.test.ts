import { describe, expect, it } from 'vitest';
import { isConfigurationError } from '../../../src/core/errors.js';
import {
  SOCOTRA_EMULATOR_READ_ONLY_TOKEN,
  SOCOTRA_EMULATOR_TENANT,
  SOCOTRA_EMULATOR_TOKEN,
  socotraEmulator,
} from '../../../src/providers/socotra/emulator.js';
import { inTimeZone } from '../../testing/time-zone.js';

const BASE = `https://api-ec-sandbox.socotra.com/event/${SOCOTRA_EMULATOR_TENANT}/events`;

function call(
  emulator: ReturnType<typeof socotraEmulator.create>,
  path: string,
  init: { method?: string; token?: string | null; body?: unknown } = {},
): Promise<Response> {
  const headers: Record<string, string> = {};
  const token = init.token === undefined ? SOCOTRA_EMULATOR_TOKEN : init.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const url = path.startsWith('http') ? path : `${BASE}${path}`;
  return emulator.handle(
    new Request(url, { method: init.method ?? 'GET', headers, ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }) }),
  );
}

async function body<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

interface StreamPage {
  pagingToken: string;
  events: Array<{ locator: string; timestamp: string }>;
}

describe('socotra emulator', () => {
  it('pages the stream in completion order, ends on an empty page with a token, and never expires the token', async () => {
    const emulator = socotraEmulator.create({ events: 7 });
    const seen: string[] = [];
    let page = await body<StreamPage>(await call(emulator, '/list?startTimestamp=1970-01-01T00:00:00Z&pageSize=3'));
    while (page.events.length > 0) {
      seen.push(...page.events.map((e) => e.locator));
      page = await body<StreamPage>(await call(emulator, `/list?pagingToken=${page.pagingToken}`));
    }
    expect(seen).toHaveLength(7);
    expect(page.pagingToken).toMatch(/\S/);
    const late = emulator.store.addEvent({ timestamp: '2020-01-01T00:00:00Z' });
    const next = await body<StreamPage>(await call(emulator, `/list?pagingToken=${page.pagingToken}`));
    expect(next.events.map((e) => e.locator)).toEqual([late.locator]);
  });

  it('serves a first request without a filter from the start of the stream (every parameter is optional)', async () => {
    const emulator = socotraEmulator.create({ events: 3 });
    const bare = await call(emulator, '/list');
    expect(bare.status).toBe(200);
    expect((await body<StreamPage>(bare)).events.map((event) => event.locator)).toEqual(emulator.store.page(0, {}, 50).events.map((event) => event.locator));
    expect(emulator.store.length).toBe(3);
  });

  it('reads a zone-less time as UTC whatever the machine zone, and keeps both bounds inclusive', () =>
    inTimeZone('America/New_York', async () => {
      const emulator = socotraEmulator.create({ events: 0 });
      const at = emulator.store.addEvent({ timestamp: '2026-11-01T10:00:00' });
      const listed = async (query: string) => (await body<StreamPage>(await call(emulator, `/list?${query}`))).events.map((event) => event.locator);
      expect(await listed('startTimestamp=2026-11-01T09:30:00Z&endTimestamp=2026-11-01T10:30:00Z')).toEqual([at.locator]);
      expect(await listed('startTimestamp=2026-11-01T10:00:01Z')).toEqual([]);
      // Exactly at either bound: returned (VENDORS.md, "inclusive time bounds return boundary events again").
      expect(await listed('startTimestamp=2026-11-01T10:00:00Z&endTimestamp=2026-11-01T10:00:00Z')).toEqual([at.locator]);
      expect(await listed('endTimestamp=2026-11-01T10:00:00')).toEqual([at.locator]);
    }));

  it('adds events whose data values are objects and refuses any other value, naming it (seed 000: map<string,object>)', () => {
    const { store } = socotraEmulator.create({ events: 0 });
    const cut = { invoices: { listCompleted: false, items: ['a', 'b'] } };
    expect(store.addEvent({ data: cut }).data).toEqual(cut);
    // @ts-expect-error the values of data are objects, as `{ listCompleted, items }` above
    expect(() => store.addEvent({ data: { listCompleted: false, items: ['a'] } })).toThrow(
      new TypeError('data.listCompleted must be an object (seed 000: data is map<string,object>), got false'),
    );
    for (const value of [['a'], null, 'text', new Date(0)]) {
      expect(() => store.addEvent({ data: { invoices: value } as never })).toThrow(/^data\.invoices must be an object/);
    }
    expect(() => store.addEvent({ data: [] as never })).toThrow(/^data must be an object/);
    expect(store.length).toBe(1);
  });

  it('answers 400 for a token with a filter, a bad token or a bad value', async () => {
    const emulator = socotraEmulator.create({ events: 3 });
    const first = await body<StreamPage>(await call(emulator, '/list?pageSize=2'));
    for (const query of [
      `pagingToken=${first.pagingToken}&pageSize=2`,
      `pagingToken=${first.pagingToken}&type=policy.issue`,
      'pagingToken=not-a-token',
      'pageSize=0',
      'pageSize=abc',
      'startTimestamp=yesterday',
    ]) {
      const response = await call(emulator, `/list?${query}`);
      expect(response.status, query).toBe(400);
      expect((await body<{ message: string }>(response)).message).toMatch(/\S/);
    }
    expect((await call(emulator, '/schedules/failed/paused/list')).status).toBe(400);
    // A malformed escape in the tenant part of the path is the client's mistake, not the emulator's.
    const malformed = await call(emulator, 'https://api-ec-sandbox.socotra.com/event/%E0%A4%A/events/list');
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('x-request-id')).toBeTruthy();
    expect((await call(emulator, '/schedules/failed/resume', { method: 'POST', body: { triggerName: 'x' } })).status).toBe(400);
  });

  it('checks the bearer token (401), the tenant and the write permission (403)', async () => {
    const emulator = socotraEmulator.create({ events: 1 });
    expect((await call(emulator, '/list?pageSize=1', { token: null })).status).toBe(401);
    expect((await call(emulator, '/list?pageSize=1', { token: 'wrong' })).status).toBe(401);
    const other = `https://api-ec-sandbox.socotra.com/event/00000000-0000-4000-8000-000000000000/events/list?pageSize=1`;
    expect((await call(emulator, other)).status).toBe(403);
    const [job] = emulator.store.failedJobs(() => true, 0, 1);
    const key = { triggerName: job!.triggerName, triggerGroup: job!.triggerGroup };
    const readOnly = { method: 'POST', token: SOCOTRA_EMULATOR_READ_ONLY_TOKEN, body: key };
    expect((await call(emulator, '/schedules/failed/resume', readOnly)).status).toBe(403);
    expect((await call(emulator, '/list?pageSize=1', { token: SOCOTRA_EMULATOR_READ_ONLY_TOKEN })).status).toBe(200);
  });

  it('answers 404 for an unknown event or failed job, 405 for a wrong method', async () => {
    const emulator = socotraEmulator.create({ events: 1 });
    expect((await call(emulator, '/01JD3W5X8V0000000000000000')).status).toBe(404);
    const missing = { method: 'DELETE', body: { triggerName: 'nope', triggerGroup: 'nope' } };
    expect((await call(emulator, '/schedules/failed', missing)).status).toBe(404);
    expect((await call(emulator, '/schedules/failed/resume')).status).toBe(405);
  });

  it('lists failed jobs by offset/count through the four listings, and resume/delete remove one', async () => {
    const emulator = socotraEmulator.create({ events: 0, failedJobs: 12 });
    const all = emulator.store.failedJobs(() => true, 0, 100);
    const page = await body<unknown[]>(await call(emulator, '/schedules/failed/list?offset=10&count=5'));
    expect(page).toHaveLength(2);
    const queued = await body<Array<{ failedJobState: string }>>(await call(emulator, '/schedules/failed/queued/list?count=100'));
    expect(queued.every((job) => job.failedJobState === 'queued')).toBe(true);
    const tenantJobs = await body<unknown[]>(await call(emulator, '/schedules/tenant/failed/list?count=100'));
    const policy = all.find((job) => job.policyLocator !== undefined)!.policyLocator!;
    const policyJobs = await body<unknown[]>(await call(emulator, `/schedules/policy/${policy}/failed/list?count=100`));
    expect(tenantJobs.length + all.filter((j) => j.policyLocator !== undefined).length).toBe(all.length);
    expect(policyJobs.length).toBe(all.filter((j) => j.policyLocator === policy).length);
    const [first] = all;
    const key = { triggerName: first!.triggerName, triggerGroup: first!.triggerGroup };
    expect((await call(emulator, '/schedules/failed/resume', { method: 'POST', body: key })).status).toBe(204);
    expect((await call(emulator, '/schedules/failed', { method: 'DELETE', body: key })).status).toBe(404);
  });

  it('answers with a text error body when errorFormat is text, and rate-limits per token when asked', async () => {
    const text = socotraEmulator.create({ events: 0, errorFormat: 'text' });
    const response = await call(text, '/01JD3W5X8V0000000000000000');
    expect(response.headers.get('content-type')).toMatch(/text\/plain/);
    expect(await response.text()).toMatch(/not found/);
    const limited = socotraEmulator.create({ events: 0, rateLimit: { requests: 2, interval: 60_000 } });
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await call(limited, '/list?pageSize=1')).status);
    expect(statuses).toEqual([200, 200, 429]);
  });

  it("dates an error body by the emulator's clock, so one seed answers alike in every run, faults included", async () => {
    const clock = { now: () => Date.parse('2026-11-23T10:00:00.000Z'), scale: 1, sleep: async () => {} };
    const emulator = socotraEmulator.create({ seed: 3, events: 2, clock });
    emulator.faults.add({ kind: 'status', status: 503, schedule: { once: true } });
    const fault = await body<{ timestamp: string }>(await call(emulator, '/list'));
    const refused = await body<{ timestamp: string }>(await call(emulator, '/list', { token: 'wrong' }));
    expect([fault.timestamp, refused.timestamp]).toEqual(['2026-11-23T10:00:00.000Z', '2026-11-23T10:00:00.000Z']);
  });

  it('refuses bad options with a ConfigurationError naming them', () => {
    for (const [option, options] of [
      ['tenantLocator', { tenantLocator: 'acme' }],
      ['failedJobs', { failedJobs: -1 }],
      ['start', { start: 'soon' }],
      ['rateLimit', { rateLimit: { requests: 0, interval: 1 } }],
      ['errorFormat', { errorFormat: 'xml' }],
      ['token', { token: 'has space' }],
    ] as const) {
      let caught: unknown;
      try {
        socotraEmulator.create(options as never);
      } catch (error) {
        caught = error;
      }
      expect(isConfigurationError(caught) && caught.option).toBe(option);
    }
  });
});
