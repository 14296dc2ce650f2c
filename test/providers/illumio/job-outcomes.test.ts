/**
 * The emulator's `async.outcome` and `async.retryAfterForm`, through the Illumio client over msw and the
 * real server: jobs ended with a word VENDORS.md does not list, jobs and datafiles gone, and
 * `Retry-After` written as an HTTP-date, each giving the error (or the waits) the README promises.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { isConfigurationError, isNotFoundError } from '../../../src/core/errors.js';
import { DEFAULT_ILLUMIO_CREDENTIAL, illumioEmulator } from '../../../src/providers/illumio/emulator.js';
import { illumio, isIllumioJobError } from '../../../src/providers/illumio/index.js';
import { sleepsOnlyClock } from '../../support/stepped-clock.js';
import { connect, listIds, storeIds, TRANSPORTS, type Connected } from './connect.js';

const basic = `Basic ${Buffer.from(`${DEFAULT_ILLUMIO_CREDENTIAL.apiKey}:${DEFAULT_ILLUMIO_CREDENTIAL.apiSecret}`).toString('base64')}`;
const HTTP_DATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

describe.each(TRANSPORTS)('illumio emulator job outcomes via %s', (transport) => {
  let connected: Connected | undefined;
  const open = async (options: Parameters<typeof connect>[1]) => {
    connected = await connect(transport, { events: 30, ...options });
    return connected;
  };
  afterEach(async () => {
    await connected?.close();
    connected = undefined;
  });
  const failure = (c: Connected) =>
    c
      .client({ rateLimit: false })
      .events.list({ mode: 'async' })
      .toArray()
      .catch((error: unknown) => error);
  const jobPolls = (c: Connected) => c.emulator.requests.filter((r) => r.path.includes('/jobs/')).length;

  it.each(['cancelled', 'expired', 'Aborted'])('ends a job %s after its polls: an IllumioJobError naming the word', async (word) => {
    const c = await open({ async: { outcome: { status: word, polls: 2 } } });
    const error = await failure(c);
    expect(isIllumioJobError(error)).toBe(true);
    expect(error).toMatchObject({ job: '/orgs/1/jobs/job-00000001', status: word });
    expect((error as Error).message).toBe(`events.list: the export job /orgs/1/jobs/job-00000001 ended with status "${word}"`);
    expect(jobPolls(c)).toBe(3);
  });

  it('sends the error_message asked for, which the IllumioJobError quotes', async () => {
    const c = await open({ async: { outcome: { status: 'expired', errorMessage: 'Job expired before it ran' } } });
    const error = await failure(c);
    expect((error as Error).message).toBe('events.list: the export job /orgs/1/jobs/job-00000001 ended with status "expired": Job expired before it ran');
  });

  it('quotes an error_message on one line, its terminal controls escaped, cut as a status error\'s message is', async () => {
    const errorMessage = `Export\u001b[2J failed\n\u001b]52;c;ZXZpbA==\u0007 ${'x'.repeat(400)}`;
    const c = await open({ async: { outcome: { status: 'failed', errorMessage } } });
    const message = ((await failure(c)) as Error).message;
    expect(message).toMatch(/: Export\\u001b\[2J failed \\u001b\]52;c;ZXZpbA==\\u0007 x+…$/);
    expect(message).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(message.length).toBeLessThan(450);
  });

  it('redacts the client\'s secret in an error_message before cutting it, so a cut leaves none of it', async () => {
    const { apiSecret } = DEFAULT_ILLUMIO_CREDENTIAL;
    // The secret straddles the 300th character, where the message is cut.
    const errorMessage = `${'x'.repeat(295)} ${apiSecret} rejected`;
    const c = await open({ async: { outcome: { status: 'failed', errorMessage } } });
    const message = ((await failure(c)) as Error).message;
    expect(message).toMatch(/ x+ \[RED…$/);
    expect(message).not.toContain(apiSecret.slice(0, 4));
  });

  it('a job gone mid-poll: 404 from then on, a NotFoundError naming the job, not retried', async () => {
    const c = await open({ async: { outcome: { polls: 2, gone: 'job' } } });
    const error = await failure(c);
    expect(isNotFoundError(error)).toBe(true);
    expect(error).toMatchObject({ status: 404, vendorMessage: 'Job job-00000001 not found' });
    expect((error as Error).message).toContain('/jobs/job-00000001');
    expect(jobPolls(c)).toBe(3);
  });

  it('a result gone when fetched: the job finishes, its datafile answers 404, a NotFoundError naming it', async () => {
    const c = await open({ async: { outcome: { gone: 'result' }, doneStatus: 'completed' } });
    const error = await failure(c);
    expect(isNotFoundError(error)).toBe(true);
    expect(error).toMatchObject({ status: 404, vendorMessage: 'Datafile job-00000001 not found' });
    expect(c.emulator.requests.map((r) => r.path).at(-1)).toBe('/api/v2/orgs/1/datafiles/job-00000001');
  });

  it('a list scripts job after job, and jobs past its end take the defaults', async () => {
    const c = await open({ async: { outcome: [{ status: 'cancelled' }, { gone: 'job' }] } });
    expect(isIllumioJobError(await failure(c))).toBe(true);
    expect(isNotFoundError(await failure(c))).toBe(true);
    expect(await listIds(c.client({ rateLimit: false }), { mode: 'async' })).toEqual(storeIds(c.emulator));
  });

  it('a function decides each job from its index, id and export request', async () => {
    const seen: unknown[] = [];
    const c = await open({
      async: {
        outcome: (job) => {
          seen.push(job);
          return job.description.includes('severity=err') ? { status: 'failed' } : {};
        },
      },
    });
    const pce = c.client({ rateLimit: false });
    expect(await listIds(pce, { mode: 'async', severity: 'info' })).not.toHaveLength(0);
    const error = await pce.events.list({ mode: 'async', severity: 'err' }).toArray().catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 'failed', job: '/orgs/1/jobs/job-00000002' });
    expect((error as Error).message).toContain('Export failed: datafile could not be written');
    expect(seen).toEqual([
      { index: 0, id: 'job-00000001', description: 'GET /api/v2/orgs/1/events?severity=info' },
      { index: 1, id: 'job-00000002', description: 'GET /api/v2/orgs/1/events?severity=err' },
    ]);
  });

  it.each(['seconds', 'date'] as const)('Retry-After as %s: each poll comes as long after the answer before it as asked', async (form) => {
    // Off a whole second: an HTTP-date has none of the milliseconds, the wait stays whole.
    const start = Date.parse('2026-11-23T12:00:00.700Z');
    const c = await open({ clock: sleepsOnlyClock(start), async: { retryAfter: 5, retryAfterForm: form, pollsBeforeDone: 2 } });
    expect(await listIds(c.client({ rateLimit: false, jobPollInterval: 60_000 }), { mode: 'async' })).toEqual(storeIds(c.emulator));
    expect(c.emulator.requests.map((r) => r.time - start)).toEqual([0, 5_000, 10_000, 15_000, 15_000]);
  });
});

describe('illumio export job answers read by the client', () => {
  it('Retry-After: 0 asks for no wait: the polls come jobPollInterval apart, not at once', async () => {
    const start = Date.parse('2026-11-23T12:00:00.000Z');
    const clock = sleepsOnlyClock(start);
    const emulator = illumioEmulator.create({ events: 3, clock, rateLimit: false, async: { retryAfter: 0, pollsBeforeDone: 2 } });
    const pce = illumio({ baseUrl: 'https://pce.example.com:8443', orgId: 1, ...DEFAULT_ILLUMIO_CREDENTIAL, fetch: emulator.fetch, clock, rateLimit: false, jobPollInterval: 4_000 });
    expect(await pce.events.list({ mode: 'async' }).toArray()).toHaveLength(3);
    expect(emulator.requests.map((r) => r.time - start)).toEqual([0, 4_000, 8_000, 12_000, 12_000]);
  });

  it('quotes the reason of a failed job that gives it as message rather than error_message', async () => {
    const emulator = illumioEmulator.create({ events: 3, rateLimit: false, async: { outcome: { status: 'failed', errorMessage: 'Disk full', polls: 0 } } });
    // A PCE version that names the field `message`.
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const answer = await emulator.fetch(input, init);
      if (!new Request(input, init).url.includes('/jobs/')) return answer;
      const { error_message: message, ...job } = (await answer.json()) as Record<string, unknown>;
      return Response.json({ ...job, message }, { status: answer.status, headers: answer.headers });
    };
    const pce = illumio({ baseUrl: 'https://pce.example.com:8443', orgId: 1, ...DEFAULT_ILLUMIO_CREDENTIAL, fetch, clock: sleepsOnlyClock(0), rateLimit: false });
    const error = await pce.events.list({ mode: 'async' }).toArray().catch((e: unknown) => e);
    expect(isIllumioJobError(error)).toBe(true);
    expect((error as Error).message).toBe('events.list: the export job /orgs/1/jobs/job-00000001 failed: Disk full');
  });
});

describe('illumio emulator job outcomes on the wire', () => {
  const get = async (emulator: ReturnType<typeof illumioEmulator.create>, path: string, headers: Record<string, string> = {}) =>
    emulator.fetch(`https://pce.example.com:8443${path}`, { headers: { authorization: basic, ...headers } });

  it('a job ended with another word has the failed job body: result null, terminated_at, no error_message unless asked', async () => {
    const emulator = illumioEmulator.create({ events: 3, async: { outcome: { status: 'cancelled', polls: 0 }, location: 'path' } });
    const accepted = await get(emulator, '/api/v2/orgs/1/events', { prefer: 'respond-async' });
    const job = (await (await get(emulator, accepted.headers.get('location')!)).json()) as Record<string, unknown>;
    expect(job).toMatchObject({ href: '/orgs/1/jobs/job-00000001', job_type: 'async_export_collection', status: 'cancelled', result: null });
    expect(typeof job['terminated_at']).toBe('string');
    expect(job).not.toHaveProperty('error_message');
  });

  it('a gone job answers 404 with the PCE error body, as an unknown job does', async () => {
    const emulator = illumioEmulator.create({ events: 3, async: { outcome: { gone: 'job', polls: 0 }, location: 'path' } });
    const accepted = await get(emulator, '/api/v2/orgs/1/events', { prefer: 'respond-async' });
    for (let poll = 0; poll < 2; poll++) {
      const answer = await get(emulator, accepted.headers.get('location')!);
      expect(answer.status).toBe(404);
      expect(await answer.json()).toEqual([{ token: 'not_found', message: 'Job job-00000001 not found' }]);
    }
  });

  it("a date Retry-After is retryAfter seconds after the answer's own Date", async () => {
    const emulator = illumioEmulator.create({ events: 3, async: { retryAfter: 3, retryAfterForm: 'date', location: 'path' } });
    const accepted = await get(emulator, '/api/v2/orgs/1/events', { prefer: 'respond-async' });
    const poll = await get(emulator, accepted.headers.get('location')!);
    for (const answer of [accepted, poll]) {
      const [date, retryAfter] = [answer.headers.get('date')!, answer.headers.get('retry-after')!];
      expect(retryAfter).toMatch(HTTP_DATE);
      expect(Date.parse(retryAfter) - Date.parse(date)).toBe(3_000);
    }
  });

  it('a function that returns a bad outcome fails the export request with a ConfigurationError naming it', async () => {
    const emulator = illumioEmulator.create({ events: 3, async: { outcome: () => ({ status: 'running' }) } });
    const error = await get(emulator, '/api/v2/orgs/1/events', { prefer: 'respond-async' }).catch((e: unknown) => e);
    expect(isConfigurationError(error)).toBe(true);
    expect((error as { option: string }).option).toBe('async.outcome.status');
  });
});
