/**
 * Every error status the PCE answers, mapped to the typed errors with the vendor's message kept, and
 * credentials never shown: through msw and the real server.
 */
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import {
  isAuthenticationError,
  isHttpError,
  isNetworkError,
  isNotFoundError,
  isPermissionError,
  isRateLimitError,
  isResponseValidationError,
  TimeoutError,
} from '../../../src/core/errors.js';
import { READ_ONLY_ILLUMIO_CREDENTIAL } from '../../../src/providers/illumio/emulator.js';
import { illumioErrorMessage } from '../../../src/providers/illumio/errors.js';
import { IllumioJobError, illumio, isIllumioJobError } from '../../../src/providers/illumio/index.js';
import { connect, TRANSPORTS, type Connected } from './connect.js';

const SECRET = 'wrong-secret-that-must-not-leak-5e1f';

function expectNoSecret(error: unknown, ...secrets: string[]): void {
  const shown = [String(error), JSON.stringify(error), inspect(error, { depth: 5 })].join('\n');
  for (const secret of secrets) expect(shown).not.toContain(secret);
  expect(shown).not.toMatch(/Basic [A-Za-z0-9+/=]{8,}/);
}

describe('illumioErrorMessage', () => {
  it('reads the PCE list, proxies objects and plain text', () => {
    expect(illumioErrorMessage([{ token: 'input_validation_error', message: 'Invalid severity' }])).toBe('Invalid severity');
    expect(illumioErrorMessage([{ token: 'a', message: 'one' }, { token: 'b', message: 'two' }])).toBe('one; two');
    expect(illumioErrorMessage([{ token: 'not_found' }])).toBe('not_found');
    expect(illumioErrorMessage({ error: 'Authentication required' })).toBe('Authentication required');
    expect(illumioErrorMessage('Bad gateway\n')).toBe('Bad gateway');
    expect(illumioErrorMessage(null)).toBeUndefined();
    expect(illumioErrorMessage([])).toBeUndefined();
  });

  it('prefers the message to the error word of a Spring-style proxy body', () => {
    expect(illumioErrorMessage({ status: 401, error: 'Unauthorized', message: 'API key expired' })).toBe('API key expired');
    expect(illumioErrorMessage([{ token: 'rbac_error', error: 'Forbidden', message: 'Insufficient privileges' }])).toBe('Insufficient privileges');
  });
});

describe('isIllumioJobError', () => {
  it('tells an export job error from the other typed errors', () => {
    const job = new IllumioJobError('events.list: the export job /orgs/1/jobs/9 failed', { provider: 'illumio', operation: 'events.list', job: '/orgs/1/jobs/9', status: 'failed' });
    expect(isIllumioJobError(job)).toBe(true);
    expect(isIllumioJobError(new TimeoutError('events.list: timed out', { provider: 'illumio', operation: 'events.list', timeoutMs: 1 }))).toBe(false);
    expect(isIllumioJobError(new Error('failed'))).toBe(false);
  });
});

describe.each(TRANSPORTS)('illumio errors via %s', (transport) => {
  let connected: Connected | undefined;
  const open = async (options: Parameters<typeof connect>[1] = {}) => {
    connected = await connect(transport, { events: 20, ...options });
    return connected;
  };
  afterEach(async () => {
    await connected?.close();
    connected = undefined;
  });

  it('401: a wrong secret is an AuthenticationError, never retried, without the secret anywhere', async () => {
    const { emulator, client } = await open();
    const error = await client({ apiSecret: SECRET }).events.list().toArray().catch((e: unknown) => e);
    expect(isAuthenticationError(error)).toBe(true);
    expect(error).toMatchObject({ status: 401, provider: 'illumio', operation: 'events.list', vendorMessage: 'Invalid credentials' });
    expect((error as { requestId?: string }).requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(emulator.requests).toHaveLength(1);
    expectNoSecret(error, SECRET);
  });

  it('403: another organization, or a key whose role may not read events, is a PermissionError', async () => {
    const { client } = await open();
    const otherOrg = await client({ orgId: 2 }).events.list().toArray().catch((e: unknown) => e);
    expect(isPermissionError(otherOrg)).toBe(true);
    expect((otherOrg as { vendorMessage: string }).vendorMessage).toBe('Access to organization 2 is not permitted');
    const readOnly = await client({ apiKey: READ_ONLY_ILLUMIO_CREDENTIAL.apiKey, apiSecret: READ_ONLY_ILLUMIO_CREDENTIAL.apiSecret })
      .events.get('abc')
      .catch((e: unknown) => e);
    expect(isPermissionError(readOnly)).toBe(true);
    expect((readOnly as Error).message).toContain('does not have permission to view events');
    expectNoSecret(readOnly, READ_ONLY_ILLUMIO_CREDENTIAL.apiSecret);
  });

  it('404: an unknown event is a NotFoundError with the PCE message', async () => {
    const { client } = await open();
    const error = await client().events.get('00000000-0000-4000-8000-000000000000').catch((e: unknown) => e);
    expect(isNotFoundError(error)).toBe(true);
    expect((error as { vendorMessage: string }).vendorMessage).toContain('not found');
    expect((error as { bodyExcerpt: string }).bodyExcerpt).toContain('00000000-0000-4000-8000-000000000000 not found');
  });

  it('400: an invalid parameter is an HttpError with the PCE message, not retried', async () => {
    const { emulator, client } = await open();
    emulator.faults.add({ kind: 'status', status: 400, schedule: { once: true } });
    const error = await client().events.list().toArray().catch((e: unknown) => e);
    expect(isHttpError(error)).toBe(true);
    expect(error).toMatchObject({ status: 400, method: 'GET' });
    expect(emulator.requests).toHaveLength(1);
  });

  it('429 and 5xx are retried; a 429 that persists is a RateLimitError with retryAfterMs', async () => {
    const { emulator, client } = await open();
    emulator.faults.add({ kind: 'rate-limit', retryAfter: 3, schedule: { once: true } });
    emulator.faults.add({ kind: 'status', status: 503, schedule: { once: true, after: 1 } });
    expect(await client().events.list().toArray()).toHaveLength(20);
    expect(emulator.requests).toHaveLength(3);
    emulator.faults.clear();
    emulator.faults.add({ kind: 'rate-limit', retryAfter: 7 });
    const error = await client({ retry: { retries: 1 } }).events.list().toArray().catch((e: unknown) => e);
    expect(isRateLimitError(error)).toBe(true);
    expect((error as { retryAfterMs: number }).retryAfterMs).toBe(7_000);
  });

  it('a proxy page or a body that is not the documented shape is a ResponseValidationError keeping the raw value', async () => {
    const { emulator, client } = await open();
    emulator.faults.add({ kind: 'malformed-json', schedule: { every: 1 } });
    const malformed = await client({ retry: false }).events.list().toArray().catch((e: unknown) => e);
    expect(isResponseValidationError(malformed)).toBe(true);
    emulator.faults.clear();
    emulator.store.add([{ href: '/orgs/1/events/broken', timestamp: 'not a time', event_type: 'x' }]);
    const badTime = await client().events.get('/orgs/1/events/broken').catch((e: unknown) => e);
    expect(isResponseValidationError(badTime)).toBe(true);
    expect((badTime as { issues: string[] }).issues[0]).toContain('timestamp');
    expect((badTime as { raw: { href: string } }).raw.href).toBe('/orgs/1/events/broken');
  });

  it('a connection reset on every attempt ends as a NetworkError', async () => {
    const { emulator, client } = await open();
    emulator.faults.add({ kind: 'reset' });
    const error = await client({ retry: { retries: 1 } }).events.get('abc').catch((e: unknown) => e);
    expect(isNetworkError(error)).toBe(true);
    expect(emulator.requests).toHaveLength(2);
  });
});

describe('an event whose timestamp cannot be read', () => {
  it('fails events.list naming the event and the field, keeping it, as events.get does', async () => {
    const good = { href: '/orgs/1/events/e1', timestamp: '2026-11-23T10:00:00.000Z', event_type: 'user.login' };
    const bad = { href: '/orgs/1/events/e2', timestamp: 'garbage', event_type: 'user.login' };
    const fetch: typeof globalThis.fetch = async () => new Response(JSON.stringify([good, bad]), { headers: { 'content-type': 'application/json', 'x-total-count': '2' } });
    const pce = illumio({ baseUrl: 'https://pce.example.com', orgId: 1, apiKey: 'api_1', apiSecret: 'secret-1234', fetch, retry: false });
    const error = await pce.events.list({ since: '2026-11-01' }).toArray().catch((e: unknown) => e);
    expect(isResponseValidationError(error)).toBe(true);
    expect(error).toMatchObject({ provider: 'illumio', operation: 'events.list', raw: bad });
    expect((error as Error).message).toContain('/orgs/1/events/e2 has an unusable timestamp: "garbage"');
  });
});
