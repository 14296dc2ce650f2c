/**
 * IICS puts its request id in the error body (`{ "error": { "code", "message", "requestId" } }`), not in
 * a header: the typed error carries it as `requestId`, as the other providers' errors carry theirs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { isHttpError, isPermissionError, type HttpError } from '../../../src/core/errors.js';
import { DEFAULT_INFORMATICA_USER, informaticaEmulator } from '../../../src/providers/informatica/emulator.js';
import { informaticaRequestId } from '../../../src/providers/informatica/errors.js';
import { informatica } from '../../../src/providers/informatica/index.js';
import { json, startServer, type TestServer } from '../../core/helpers/server.js';
import { connect, failure, TRANSPORTS, type Connected } from './connect.js';

describe('informaticaRequestId', () => {
  it('reads the IICS v3 body, and nothing from bodies without one', () => {
    expect(informaticaRequestId({ error: { code: 'AUTH_01', message: 'Invalid credentials', requestId: '2b5nZyH3JfLbhk' } })).toBe(
      '2b5nZyH3JfLbhk',
    );
    expect(informaticaRequestId({ error: { message: 'x', requestId: '  ' } })).toBeUndefined();
    expect(informaticaRequestId({ error: { message: 'x', requestId: { id: 1 } } })).toBeUndefined();
    expect(informaticaRequestId({ code: 'CIH_400', description: 'Bad range' })).toBeUndefined();
    expect(informaticaRequestId('requestId: abc')).toBeUndefined();
    expect(informaticaRequestId(null)).toBeUndefined();
  });
});

describe('an IICS error body over HTTP', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const client = (baseUrl: string) =>
    informatica({
      baseUrl,
      username: DEFAULT_INFORMATICA_USER.user,
      password: DEFAULT_INFORMATICA_USER.password,
      allowInsecureHttp: true,
      rateLimit: false,
      retry: false,
    });

  it('gives its requestId to the typed error when no header carries one', async () => {
    server = await startServer((_req, res) =>
      json(res, 403, { error: { code: 'AUTH_03', message: 'Access denied', requestId: '7kXqZ2pLmN4vB8cR1tY6wE' } }),
    );
    const error = await failure(client(server.url).events.get(1));
    expect(isPermissionError(error)).toBe(true);
    expect(error).toMatchObject({ status: 403, requestId: '7kXqZ2pLmN4vB8cR1tY6wE', vendorMessage: 'AUTH_03: Access denied' });
  });

  it("prefers the body's id to a gateway's request id header", async () => {
    server = await startServer((_req, res) =>
      json(res, 500, { error: { code: 'SYS_1', message: 'Internal error', requestId: 'iics-id' } }, { 'x-request-id': 'gateway-id' }),
    );
    const error = (await failure(client(server.url).events.get(1))) as HttpError;
    expect(error.requestId).toBe('iics-id');
  });

  it("keeps a gateway's request id header when the body has none", async () => {
    server = await startServer((_req, res) => json(res, 502, { message: 'Bad gateway' }, { 'x-request-id': 'gateway-id' }));
    const error = (await failure(client(server.url).events.get(1))) as HttpError;
    expect(error.requestId).toBe('gateway-id');
  });
});

describe.each(TRANSPORTS)('the Cloud Integration Hub emulator through %s', (transport) => {
  let open: Connected | undefined;
  afterEach(async () => {
    await open?.close();
    open = undefined;
  });

  it('answers every error with a requestId in its body, which reaches the typed error', async () => {
    open = await connect(transport);
    const { client, emulator } = open;
    const refused = (await failure(client({ username: 'viewer@MyCompany.com', password: 'ViewerPass' }).events.get(1))) as HttpError;
    emulator.faults.add({ kind: 'status', status: 400, schedule: { once: true } });
    const faulted = (await failure(client().events.list().toArray())) as HttpError;
    for (const error of [refused, faulted]) {
      expect(isHttpError(error)).toBe(true);
      expect(error.requestId).toMatch(/^[0-9A-Za-z]{22}$/);
      expect(error.bodyExcerpt).toContain(`"requestId":"${error.requestId ?? ''}"`);
    }
    expect(refused.requestId).not.toBe(faulted.requestId);
  });
});

describe('the Cloud Integration Hub emulator', () => {
  it('draws the requestId of its error bodies from its seed: two runs of one seed answer with the same ids', async () => {
    const run = async () => {
      const emulator = informaticaEmulator.create({ seed: 4, events: 3 });
      emulator.faults.add({ kind: 'status', status: 503, schedule: { every: 2 } });
      const authorization = `Basic ${Buffer.from(`${DEFAULT_INFORMATICA_USER.user}:wrong-password`).toString('base64')}`;
      const bodies: string[] = [];
      for (let i = 0; i < 4; i++) {
        const answer = await emulator.handle(new Request('https://cih-pod1.dm-us.informaticacloud.com/dih-console/api/v1/event/1', { headers: { authorization } }));
        bodies.push(`${answer.status} ${await answer.text()}`);
      }
      return bodies;
    };
    const first = await run();
    expect(first.some((body) => body.startsWith('503 '))).toBe(true);
    expect(first.every((body) => /"requestId":"[0-9A-Za-z]{22}"/.test(body))).toBe(true);
    expect(await run()).toEqual(first);
  });
});
