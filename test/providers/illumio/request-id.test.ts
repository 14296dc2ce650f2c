/**
 * The PCE returns a unique request id in a header of every answer, for support tickets ("Response Header
 * Request-ID", REST API guide, HTTP Requests and Responses): the emulator sends it as `X-Request-Id` on
 * every answer, and the client's typed error carries it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { isAuthenticationError, isNotFoundError, isRateLimitError, type HttpError } from '../../../src/core/errors.js';
import { DEFAULT_ILLUMIO_CREDENTIAL, illumioEmulator } from '../../../src/providers/illumio/emulator.js';
import { connect, TRANSPORTS, type Connected } from './connect.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const basic = (key = DEFAULT_ILLUMIO_CREDENTIAL.apiKey, secret = DEFAULT_ILLUMIO_CREDENTIAL.apiSecret) =>
  `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;

describe('the PCE emulator', () => {
  it('sends an X-Request-Id of its own on every answer: listings, errors, an export and its job, faults', async () => {
    const emulator = illumioEmulator.create({ seed: 3, events: 20, async: { pollsBeforeDone: 0, location: 'path' } });
    const get = (path: string, headers: Record<string, string> = {}) =>
      emulator.handle(new Request(new URL(path, 'http://127.0.0.1:8443'), { headers: { authorization: basic(), ...headers } }));
    const accepted = await get('/api/v2/orgs/1/events', { prefer: 'respond-async' });
    const job = await get(accepted.headers.get('location')!);
    const answers = [
      await get('/api/v2/orgs/1/events'),
      await get('/api/v2/orgs/1/events', { authorization: basic(DEFAULT_ILLUMIO_CREDENTIAL.apiKey, 'wrong') }),
      await get('/api/v2/orgs/2/events'),
      await get('/api/v2/orgs/1/events/does-not-exist'),
      await get('/api/v2/nothing/here'),
      accepted,
      job,
    ];
    emulator.faults.add({ kind: 'status', status: 503, schedule: { once: true } });
    answers.push(await get('/api/v2/orgs/1/events'));
    emulator.faults.add({ kind: 'rate-limit', schedule: { once: true } });
    answers.push(await get('/api/v2/orgs/1/events'));
    expect(answers.map((answer) => answer.status)).toEqual([200, 401, 403, 404, 404, 202, 200, 503, 429]);
    const ids = answers.map((answer) => answer.headers.get('x-request-id'));
    for (const id of ids) expect(id).toMatch(UUID);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('draws the request ids of faults from its seed too: two runs of one seed answer with the same ids', async () => {
    const run = async () => {
      const emulator = illumioEmulator.create({ seed: 9, events: 5 });
      emulator.faults.add({ kind: 'status', status: 503, schedule: { every: 2 } });
      emulator.faults.add({ kind: 'rate-limit', schedule: { once: true, after: 2 } });
      const ids: Array<string | null> = [];
      for (let i = 0; i < 5; i++) {
        const answer = await emulator.handle(new Request('http://127.0.0.1:8443/api/v2/orgs/1/events', { headers: { authorization: basic() } }));
        ids.push(`${answer.status} ${answer.headers.get('x-request-id') ?? ''}`);
      }
      return ids;
    };
    const first = await run();
    expect(first.some((entry) => entry?.startsWith('503 '))).toBe(true);
    expect(await run()).toEqual(first);
  });
});

describe.each(TRANSPORTS)('illumio request ids via %s', (transport) => {
  let connected: Connected | undefined;
  afterEach(async () => {
    await connected?.close();
    connected = undefined;
  });

  it("puts the PCE's X-Request-Id on the typed error", async () => {
    connected = await connect(transport, { events: 5 });
    const { client, emulator } = connected;
    const refused = (await client({ apiSecret: 'not-the-secret' }).events.list().toArray().catch((e: unknown) => e)) as HttpError;
    expect(isAuthenticationError(refused)).toBe(true);
    expect(refused.requestId).toMatch(UUID);
    const missing = (await client().events.get('00000000-0000-4000-8000-000000000000').catch((e: unknown) => e)) as HttpError;
    expect(isNotFoundError(missing)).toBe(true);
    expect(missing.requestId).toMatch(UUID);
    expect(missing.requestId).not.toBe(refused.requestId);
    emulator.faults.add({ kind: 'rate-limit', retryAfter: 1 });
    const limited = (await client({ retry: false }).events.list().toArray().catch((e: unknown) => e)) as HttpError;
    expect(isRateLimitError(limited)).toBe(true);
    expect(limited.requestId).toMatch(UUID);
  });
});
