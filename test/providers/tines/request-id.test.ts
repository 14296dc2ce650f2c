/**
 * Tines documents no request id header (seed 001, VENDORS.md); its tenants are Rails applications, whose
 * default middleware answers every request with an `X-Request-Id` (a UUID). The emulator sends that one,
 * as the Socotra and PCE emulators send theirs, and the client's typed error names it in its message.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { isAuthenticationError, isNotFoundError, isRateLimitError, type HttpError } from '../../../src/core/errors.js';
import { DEFAULT_TINES_CREDENTIAL, READ_ONLY_TINES_CREDENTIAL, tinesEmulator } from '../../../src/providers/tines/emulator.js';
import { connect, TENANT, TRANSPORTS, type Connected } from './connect.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const bearer = (key: string = DEFAULT_TINES_CREDENTIAL.key) => ({ authorization: `Bearer ${key}` });

describe('the Tines emulator', () => {
  it('sends an X-Request-Id of its own on every answer: listings, errors, a re-emit, faults', async () => {
    const emulator = tinesEmulator.create({ seed: 3, events: 20 });
    const call = (path: string, headers: Record<string, string> = bearer(), method = 'GET') =>
      emulator.handle(new Request(new URL(path, TENANT), { method, headers }));
    const first = emulator.store.events[0]!.id;
    const answers = [
      await call('/api/v1/events'),
      await call(`/api/v1/events/${first}`),
      await call('/api/v1/events', bearer('tines-wrong-key-123456')),
      await call('/api/v1/events?team_id=2', bearer(READ_ONLY_TINES_CREDENTIAL.key)),
      await call('/api/v1/events/123'),
      await call('/api/v1/nothing/here'),
      await call(`/api/v1/events/${first}/reemit`, bearer(), 'POST'),
    ];
    emulator.faults.add({ kind: 'status', status: 503, schedule: { once: true } });
    answers.push(await call('/api/v1/events'));
    emulator.faults.add({ kind: 'rate-limit', schedule: { once: true } });
    answers.push(await call('/api/v1/events'));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 401, 403, 404, 404, 204, 503, 429]);
    const ids = answers.map((answer) => answer.headers.get('x-request-id'));
    for (const id of ids) expect(id).toMatch(UUID);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('draws its request ids from its seed: two runs of one seed answer with the same ids', async () => {
    const run = async () => {
      const emulator = tinesEmulator.create({ seed: 9, events: 5 });
      emulator.faults.add({ kind: 'status', status: 503, schedule: { every: 2 } });
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) {
        const answer = await emulator.handle(new Request(new URL('/api/v1/events', TENANT), { headers: bearer() }));
        ids.push(`${answer.status} ${answer.headers.get('x-request-id') ?? ''}`);
      }
      return ids;
    };
    const first = await run();
    expect(first.some((entry) => entry.startsWith('503 '))).toBe(true);
    expect(await run()).toEqual(first);
  });
});

describe.each(TRANSPORTS)('tines request ids via %s', (transport) => {
  let connected: Connected | undefined;
  afterEach(async () => {
    await connected?.close();
    connected = undefined;
  });

  it("names the tenant's X-Request-Id in the typed error and its message", async () => {
    connected = await connect(transport, { events: 5 });
    const { client, emulator } = connected;
    const refused = (await client({ token: 'tines-wrong-key-123456' }).events.list().toArray().catch((e: unknown) => e)) as HttpError;
    expect(isAuthenticationError(refused)).toBe(true);
    expect(refused.requestId).toMatch(UUID);
    expect(refused.message).toContain(`401 Unauthorized (request id ${refused.requestId})`);
    const missing = (await client().events.get(123).catch((e: unknown) => e)) as HttpError;
    expect(isNotFoundError(missing)).toBe(true);
    expect(missing.requestId).toMatch(UUID);
    expect(missing.requestId).not.toBe(refused.requestId);
    expect(missing.message).toContain(`(request id ${missing.requestId})`);
    emulator.faults.add({ kind: 'rate-limit', retryAfter: 1 });
    const limited = (await client({ retry: false }).events.list().toArray().catch((e: unknown) => e)) as HttpError;
    expect(isRateLimitError(limited)).toBe(true);
    expect(limited.requestId).toMatch(UUID);
    expect(limited.message).toContain(`(request id ${limited.requestId})`);
  });
});
