/**
 * A PCE (or a proxy) whose `Retry-After` on an export job asks for a wait beyond `jobTimeout` (ten
 * years, a date years ahead): the export gives up at once, as it must, but said that the job had not
 * finished within `jobTimeout`, which it had not waited. It says that the PCE asked for a longer wait.
 */
import { describe, expect, it } from 'vitest';
import { isTimeoutError } from '../../../src/core/errors.js';
import { illumio } from '../../../src/providers/illumio/index.js';
import { DEFAULT_ILLUMIO_CREDENTIAL, illumioEmulator } from '../../../src/providers/illumio/emulator.js';
import { fastClock, PCE } from './connect.js';

const TEN_YEARS_S = 10 * 365 * 86_400;

function exportWith(retryAfter: (status: number, url: string) => string | undefined) {
  const clock = fastClock();
  const emulator = illumioEmulator.create({ seed: 3, events: 50, clock, async: { pollsBeforeDone: 3 } });
  const polls = { count: 0 };
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    if (request.url.includes('/jobs/') && ++polls.count > 20) throw new Error('more polls than the test allows');
    const answer = await emulator.fetch(request);
    const asked = retryAfter(answer.status, request.url);
    if (asked === undefined) return answer;
    const headers = new Headers(answer.headers);
    headers.set('retry-after', asked);
    return new Response(answer.status === 202 ? null : await answer.text(), { status: answer.status, headers });
  };
  const pce = illumio({ baseUrl: PCE, orgId: 1, ...DEFAULT_ILLUMIO_CREDENTIAL, fetch, clock, jobTimeout: 120_000 });
  return { failure: pce.events.list({ mode: 'async' }).toArray().then(() => undefined, (error: unknown) => error), polls };
}

describe('an export job whose Retry-After asks for more than jobTimeout', () => {
  it.each([
    ['the 202, in seconds', (status: number) => (status === 202 ? String(TEN_YEARS_S) : undefined), 0],
    ['a poll, as a date years ahead', (_status: number, url: string) => (url.includes('/jobs/') ? new Date(Date.now() + 5 * 365 * 86_400_000).toUTCString() : undefined), 1],
  ])('on %s: a TimeoutError at once saying the PCE asked for a longer wait', async (_where, retryAfter, polled) => {
    const { failure, polls } = exportWith(retryAfter);
    const error = await failure;
    expect(isTimeoutError(error)).toBe(true);
    expect((error as Error).message).toMatch(/the PCE asked to wait \d+ s before polling the export job \S+ again, beyond jobTimeout \(120000 ms\)/);
    expect((error as Error).message).not.toMatch(/did not finish/);
    expect(polls.count).toBe(polled);
  });
});
