/**
 * The asynchronous collection export, through msw and the real server: every `Location` style, with
 * and without `Retry-After`, both status words, failed and endless jobs, and `mode: 'auto'`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/core/clock.js';
import { isResponseValidationError, isTimeoutError } from '../../../src/core/errors.js';
import { DEFAULT_ILLUMIO_CREDENTIAL, illumioEmulator } from '../../../src/providers/illumio/emulator.js';
import { illumio, isIllumioJobError } from '../../../src/providers/illumio/index.js';
import { apiPath } from '../../../src/providers/illumio/export.js';
import type { IllumioEvent } from '../../../src/providers/illumio/schemas.js';
import {
  connect,
  fastClock,
  listIds,
  PCE,
  storeIds,
  TRANSPORTS,
  type Connected,
  type IllumioTestEmulator,
} from './connect.js';

describe('apiPath', () => {
  it('reads absolute, /api and href references', () => {
    expect(apiPath('https://pce.example.com:8443/api/v2/orgs/1/jobs/9')).toBe('https://pce.example.com:8443/api/v2/orgs/1/jobs/9');
    expect(apiPath('/api/v2/orgs/1/jobs/9')).toBe('/api/v2/orgs/1/jobs/9');
    expect(apiPath('/orgs/1/jobs/9')).toBe('/api/v2/orgs/1/jobs/9');
    expect(apiPath('orgs/1/datafiles/9')).toBe('/api/v2/orgs/1/datafiles/9');
  });
});

describe.each(TRANSPORTS)('illumio async export via %s', (transport) => {
  let connected: Connected | undefined;
  const open = async (options: Parameters<typeof connect>[1]) => {
    connected = await connect(transport, options);
    return connected;
  };
  afterEach(async () => {
    await connected?.close();
    connected = undefined;
  });

  const cases = [
    { location: 'absolute', retryAfter: 2, doneStatus: 'done' },
    { location: 'href', retryAfter: null, doneStatus: 'completed' },
    { location: 'path', retryAfter: 1, doneStatus: 'completed' },
    { location: 'href', retryAfter: 0, doneStatus: 'done' },
  ] as const;
  for (const async of cases) {
    it(`exports every match in one page (Location ${async.location}, Retry-After ${String(async.retryAfter)}, ${async.doneStatus})`, async () => {
      const { emulator, client } = await open({ events: 260, async: { ...async, pollsBeforeDone: 2 } });
      const pages = [];
      for await (const page of client().events.list({ mode: 'async', pageSize: 10 }).byPage()) pages.push(page);
      expect(pages).toHaveLength(1);
      expect(pages[0]?.hasMore).toBe(false);
      expect(pages[0]?.items.map((e) => e.id)).toEqual(storeIds(emulator));
      const paths = emulator.requests.map((r) => r.path);
      expect(paths).toEqual([
        '/api/v2/orgs/1/events',
        '/api/v2/orgs/1/jobs/job-00000001',
        '/api/v2/orgs/1/jobs/job-00000001',
        '/api/v2/orgs/1/jobs/job-00000001',
        '/api/v2/orgs/1/datafiles/job-00000001',
      ]);
      expect(emulator.requests[0]?.headers.get('prefer')).toBe('respond-async');
      // Waits between polls are the PCE's Retry-After, or the client's interval: measured on the emulator clock.
      const times = emulator.requests.map((r) => r.time);
      const expectedWait = (async.retryAfter || 1) * 1_000 * 0.001;
      for (let i = 1; i <= 3; i++) expect((times[i] as number) - (times[i - 1] as number)).toBeGreaterThanOrEqual(expectedWait - 1);
    });
  }

  it('resumes the tail of an export with only newer events', async () => {
    const { emulator, client } = await open({ events: 40, async: { pollsBeforeDone: 0 } });
    let tail = '';
    for await (const page of client().events.list({ mode: 'async' }).byPage()) tail = page.cursor;
    const newer = emulator.store.record(5).map((e) => e.href);
    const later = [];
    for await (const page of client().events.list({ mode: 'async' }).byPage({ cursor: tail })) later.push(...page.items);
    expect(later.map((e) => e.id).sort()).toEqual(newer.sort());
    const exportRequest = emulator.requests.filter((r) => r.headers.get('prefer') === 'respond-async').at(-1);
    expect(exportRequest?.query.get('timestamp[gte]')).not.toBeNull();
  });

  it('fails a failed job with a typed error naming the job', async () => {
    const { client } = await open({ events: 5, async: { fail: true, pollsBeforeDone: 1 } });
    const failure = await client().events.list({ mode: 'async' }).toArray().catch((error: unknown) => error);
    expect(isIllumioJobError(failure)).toBe(true);
    expect(failure).toMatchObject({ provider: 'illumio', operation: 'events.list', job: '/orgs/1/jobs/job-00000001', status: 'failed' });
    expect((failure as Error).message).toContain('datafile could not be written');
  });

  it('gives up on a job that does not finish within jobTimeout', async () => {
    const { emulator, client } = await open({ events: 5, async: { pollsBeforeDone: 1_000, retryAfter: 5 } });
    const failure = await client({ jobTimeout: 12_000 }).events.list({ mode: 'async' }).toArray().catch((error: unknown) => error);
    expect(isTimeoutError(failure)).toBe(true);
    expect((failure as { timeoutMs: number }).timeoutMs).toBe(12_000);
    // 5 s + 5 s fit in 12 s, a third wait would not.
    expect(emulator.requests.filter((r) => r.path.includes('/jobs/'))).toHaveLength(2);
  });

  it('auto: no export for a window whose page held every match, however many; sync by default', async () => {
    const { emulator, client } = await open({ events: 20, async: { pollsBeforeDone: 0 } });
    expect(await listIds(client(), { mode: 'auto', pageSize: 30, asyncThreshold: 5 })).toEqual(storeIds(emulator));
    expect(emulator.requests.map((r) => r.path)).toEqual(['/api/v2/orgs/1/events']);
    emulator.reset();
    expect(await listIds(client(), { pageSize: 10 })).toEqual(storeIds(emulator));
    expect(emulator.requests.some((r) => r.headers.get('prefer') !== null)).toBe(false);
  });

  it('auto: plain requests for small windows, the export once a window holds more than asyncThreshold', async () => {
    const { emulator, client } = await open({ events: 90, async: { pollsBeforeDone: 0 } });
    expect(await listIds(client(), { mode: 'auto', pageSize: 30 })).toEqual(storeIds(emulator));
    expect(emulator.requests.some((r) => r.headers.get('prefer') !== null)).toBe(false);
    emulator.reset();
    const ids = await listIds(client(), { mode: 'auto', pageSize: 30, asyncThreshold: 50 });
    expect(ids).toEqual(storeIds(emulator));
    expect(emulator.requests.map((r) => r.path)).toEqual([
      '/api/v2/orgs/1/events',
      '/api/v2/orgs/1/events',
      '/api/v2/orgs/1/jobs/job-00000001',
      '/api/v2/orgs/1/datafiles/job-00000001',
    ]);
  });
});

describe('illumio export jobTimeout', () => {
  it('counts the time the polls take, not only the waits between them', async () => {
    // A clock whose time moves by the waits and by the 20 s each poll of a loaded PCE takes to answer.
    let now = Date.parse('2026-11-23T12:00:00Z');
    const clock: Clock = {
      now: () => now,
      scale: 1,
      sleep: async (ms) => {
        now += ms;
        await new Promise((resolve) => setImmediate(resolve));
      },
    };
    const emulator = illumioEmulator.create({ seed: 3, events: 5, clock, rateLimit: false, async: { retryAfter: 5, pollsBeforeDone: 1_000 } });
    let polls = 0;
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const request = new Request(input, init);
      if (request.url.includes('/jobs/')) {
        polls += 1;
        now += 20_000;
      }
      return emulator.fetch(request);
    };
    const pce = illumio({ baseUrl: PCE, orgId: 1, ...DEFAULT_ILLUMIO_CREDENTIAL, fetch, clock, rateLimit: false, jobTimeout: 60_000 });
    const started = now;
    const failure = await pce.events.list({ mode: 'async' }).toArray().catch((error: unknown) => error);
    expect(isTimeoutError(failure)).toBe(true);
    // 5 s and a 20 s poll, three times, is 75 s: a fourth wait would start past the minute. The waits
    // alone (12 of 5 s) took 12 polls and 300 s.
    expect(polls).toBe(3);
    expect(now - started).toBe(75_000);
  });
});

describe('illumio export holding fewer events than the count said', () => {
  it('auto: splits on below the export, as after a cut page, and loses none of the window', async () => {
    const clock = fastClock();
    const emulator = illumioEmulator.create({ seed: 3, events: 30, clock, rateLimit: false, async: { pollsBeforeDone: 0 } });
    // A datafile short of its oldest event: written while the event was, say, still being recorded.
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const answer = await emulator.fetch(input, init);
      if (!new Request(input, init).url.includes('/datafiles/')) return answer;
      const events = (await answer.json()) as IllumioEvent[];
      return Response.json(events.slice(0, -1), { status: answer.status, headers: answer.headers });
    };
    const pce = illumio({ baseUrl: PCE, orgId: 1, ...DEFAULT_ILLUMIO_CREDENTIAL, fetch, clock, rateLimit: false });
    expect(await listIds(pce, { mode: 'auto', pageSize: 10, asyncThreshold: 20 })).toEqual(storeIds(emulator));
  });
});

// Ten thousand events in one millisecond: run once, over the real server, to keep the suite fast.
describe('illumio async export past the cap', () => {
  let connected: Connected | undefined;
  afterEach(async () => {
    await connected?.close();
    connected = undefined;
  });

  it('auto: exports past more events in one millisecond than the PCE cap, where sync paging cannot', async () => {
    connected = await connect('server', { events: 3, async: { pollsBeforeDone: 0 } });
    const { emulator, client } = connected;
    const at = Date.parse((emulator.store.events[1] as IllumioEvent).timestamp);
    emulator.store.record(10_001, at);
    const sync = await listIds(client(), { pageSize: 10_000 }).catch((error: unknown) => error);
    expect(sync).toMatchObject({ name: 'ResponseValidationError' });
    expect((sync as Error).message).toContain('share that instant');
    const ids = await listIds(client(), { mode: 'auto', pageSize: 10_000 });
    expect(ids).toHaveLength(10_004);
    expect(new Set(ids).size).toBe(10_004);
  });
});

describe('illumio traps of other PCE versions and proxies', () => {
  /** A client whose requests pass through `rewrite` on their way to an in-process emulator. */
  function through(rewrite: (request: Request, emulator: IllumioTestEmulator) => Promise<Response>, events = 50) {
    const clock = fastClock();
    const emulator = illumioEmulator.create({ seed: 3, events, clock, async: { pollsBeforeDone: 0 } });
    const fetch: typeof globalThis.fetch = (input, init) => rewrite(new Request(input, init), emulator);
    const pce = illumio({ baseUrl: PCE, orgId: 1, ...DEFAULT_ILLUMIO_CREDENTIAL, fetch, clock });
    return { emulator, pce };
  }

  it('reads a 200 from a PCE that ignores Prefer: respond-async as an ordinary page', async () => {
    const { emulator, pce } = through(async (request, emu) => {
      const headers = new Headers(request.headers);
      headers.delete('prefer');
      return emu.fetch(request.url, { headers });
    }, 150);
    const ids = await listIds(pce, { mode: 'async', pageSize: 40 });
    expect(ids).toEqual(storeIds(emulator));
  });

  it.each(['async', 'auto'] as const)(
    '%s: reads a 200 without X-Total-Count to an export request as a plain page that may be cut, then pages as sync does',
    async (mode) => {
      const { emulator, pce } = through(async (request, emu) => {
        const headers = new Headers(request.headers);
        headers.delete('prefer');
        const response = await emu.fetch(request.url, { headers });
        const answer = new Headers(response.headers);
        answer.delete('x-total-count');
        return new Response(await response.text(), { status: response.status, headers: answer });
      }, 700);
      expect(await listIds(pce, mode === 'auto' ? { mode, pageSize: 250, asyncThreshold: 10 } : { mode, pageSize: 250 })).toEqual(storeIds(emulator));
      // One export request (it sends no `max_results`) answered 200; every other one is a plain request.
      const limits = emulator.requests.map((r) => r.query.get('max_results'));
      expect(limits.filter((limit) => limit === null)).toHaveLength(1);
      expect(limits.filter((limit) => limit === '250').length).toBe(limits.length - 1);
    },
  );

  it('splits on without X-Total-Count until a page comes back short', async () => {
    const { emulator, pce } = through(async (request, emu) => {
      const response = await emu.fetch(request);
      const headers = new Headers(response.headers);
      headers.delete('x-total-count');
      return new Response(await response.text(), { status: response.status, headers });
    }, 70);
    expect(await listIds(pce, { pageSize: 25 })).toEqual(storeIds(emulator));
  });

  it('refuses a job Location on another origin, so the credential is not sent there', async () => {
    const sent: string[] = [];
    const { pce } = through(async (request) => {
      sent.push(request.url);
      return new Response(null, { status: 202, headers: { location: 'https://elsewhere.example.net/api/v2/orgs/1/jobs/1' } });
    });
    const error = await pce.events.list({ mode: 'async' }).toArray().catch((e: unknown) => e);
    expect(isResponseValidationError(error)).toBe(true);
    expect(sent).toHaveLength(1);
  });

  it.each(['cancelled', 'expired', 'aborted'])('ends a job the PCE reports %s at its first poll, with an IllumioJobError naming the word', async (word) => {
    const polls: string[] = [];
    const { pce } = through(async (request, emu) => {
      if (!request.url.includes('/jobs/')) return emu.fetch(request);
      polls.push(request.url);
      const job = { href: '/orgs/1/jobs/job-00000001', status: word, result: null };
      return new Response(JSON.stringify(job), { headers: { 'content-type': 'application/json', 'retry-after': '1' } });
    });
    const failure = await pce.events.list({ mode: 'async' }).toArray().catch((error: unknown) => error);
    expect(isIllumioJobError(failure)).toBe(true);
    expect(failure).toMatchObject({ job: '/orgs/1/jobs/job-00000001', status: word });
    expect((failure as Error).message).toContain(`ended with status "${word}"`);
    expect(polls).toHaveLength(1);
  });

  it('reads the status words written capitalized (Pending, Running, Done)', async () => {
    let polls = 0;
    const { emulator, pce } = through(async (request, emu) => {
      const response = await emu.fetch(request);
      if (!request.url.includes('/jobs/')) return response;
      const job = (await response.json()) as { status: string };
      polls += 1;
      const status = ['Pending', 'Running'][polls - 1] ?? 'Done';
      return new Response(JSON.stringify({ ...job, status }), { headers: { 'content-type': 'application/json' } });
    });
    expect(await listIds(pce, { mode: 'async' })).toEqual(storeIds(emulator));
    expect(polls).toBe(3);
  });

  it.each([200, 204])('fails an export request answered %i without a body, rather than list nothing', async (status) => {
    const { pce } = through(async (request, emu) => (request.headers.get('prefer') ? new Response(null, { status }) : emu.fetch(request)));
    const failure = await pce.events.list({ mode: 'async' }).toArray().catch((error: unknown) => error);
    expect(isResponseValidationError(failure)).toBe(true);
    expect((failure as { issues: string[] }).issues).toEqual(['(root): expected an array of events, received an empty body']);
    expect((failure as Error).message).toContain(`the ${status} answer to an export request has no body`);
  });

  it('fails clearly on a 202 without Location and on a finished job without a result', async () => {
    const noLocation = through(async () => new Response(null, { status: 202 }));
    const first = await noLocation.pce.events.list({ mode: 'async' }).toArray().catch((e: unknown) => e);
    expect((first as { issues: string[] }).issues).toEqual(['headers.location: missing']);
    const noResult = through(async (request, emu) => {
      if (!request.url.includes('/jobs/')) return emu.fetch(request);
      return new Response(JSON.stringify({ status: 'done', result: {} }), { headers: { 'content-type': 'application/json' } });
    });
    const second = await noResult.pce.events.list({ mode: 'async' }).toArray().catch((e: unknown) => e);
    expect(isResponseValidationError(second)).toBe(true);
    expect((second as { issues: string[] }).issues).toEqual(['result.href: missing']);
  });
});
