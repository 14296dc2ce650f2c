/**
 * A client's credentials stay registered for redaction as long as the client can send them, and are
 * released once it is garbage-collected, unless another live client holds the same value.
 */
import { inspect } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import type { HttpError } from '../../src/core/errors.js';
import type { Auth } from '../../src/core/request.js';
import { redact, secretCount } from '../../src/core/redact.js';
import { fujitsu } from '../../src/providers/fujitsu/index.js';
import { illumio } from '../../src/providers/illumio/index.js';
import { informatica } from '../../src/providers/informatica/index.js';
import { socotra } from '../../src/providers/socotra/index.js';
import { tines } from '../../src/providers/tines/index.js';
import { client, json, startServer, type TestServer } from './helpers/server.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Collects garbage until `done` (finalizers run as tasks of their own after a collection). */
async function collectUntil(done: () => boolean): Promise<void> {
  for (let round = 0; round < 100 && !done(); round++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const registered = (value: string): boolean => redact(`x ${value} y`) === 'x [REDACTED] y';
const noFetch = (): Promise<Response> => Promise.reject(new Error('not sent'));
const TENANT = '6a3e0b52-8f1d-4c3b-9e7a-2d5f4c1b8a90';

describe('the secrets of a garbage-collected client', () => {
  it.each<[string, string, (secret: string) => unknown]>([
    ['tines', 'tines-lifetime-key-1f0c', (token) => tines({ baseUrl: 'https://t.tines.com', token, fetch: noFetch })],
    ['socotra', 'socotra-lifetime-token-2a9d', (token) => socotra({ baseUrl: 'https://s.example.com', tenantLocator: TENANT, token, fetch: noFetch })],
    ['fujitsu (token)', 'gAAAAA-lifetime-token-3b7e', (token) => fujitsu({ baseUrl: 'https://k5.example.com', tenantId: 'a'.repeat(32), token, fetch: noFetch })],
    [
      'fujitsu (identity)',
      'k5-lifetime-password-4c6f',
      (password) =>
        fujitsu({
          baseUrl: 'https://k5.example.com',
          tenantId: 'a'.repeat(32),
          identity: { url: 'https://id.example.com', userName: 'u', password, domainName: 'd' },
          fetch: noFetch,
        }),
    ],
    ['illumio', 'illumio-lifetime-secret-5d5a', (apiSecret) => illumio({ baseUrl: 'https://pce.example.com:8443', orgId: 1, apiKey: 'api_1', apiSecret, fetch: noFetch })],
    ['illumio (refused)', 'illumio-refused-secret-6e4b', (apiSecret) => illumio({ baseUrl: 'https://pce.example.com:8443', orgId: 0, apiKey: 'api_1', apiSecret })],
    ['informatica', 'informatica-lifetime-pass-7f3c', (password) => informatica({ baseUrl: 'https://cih.example.com', username: 'u', password, fetch: noFetch })],
  ])('%s: are released once it is collected', async (_name, secret, build) => {
    const before = secretCount();
    (() => {
      try {
        build(secret);
      } catch {
        // A refused construction registered the secret before it could fail.
      }
    })();
    expect(registered(secret)).toBe(true);
    await collectUntil(() => secretCount() === before);
    expect(registered(secret)).toBe(false);
    expect(secretCount()).toBe(before);
  });

  it('are released, while a live client with the same credential keeps it redacted, and errors made before stay redacted', async () => {
    const shared = 'tines-shared-key-8a2b91';
    const own = 'tines-own-key-9b3c02';
    const before = secretCount();
    // The server echoes the key it was sent.
    const echo = (_input: unknown, init?: RequestInit): Promise<Response> => {
      const sent = new Headers(init?.headers).get('authorization') ?? '';
      return Promise.resolve(Response.json({ message: `key ${sent.slice('Bearer '.length)} refused (${sent})` }, { status: 401 }));
    };
    const live = tines({ baseUrl: 'https://t.tines.com', token: shared, fetch: echo, retry: false });
    const failures = async (token: string): Promise<unknown> =>
      tines({ baseUrl: 'https://t.tines.com', token, fetch: echo, retry: false })
        .events.list()
        .toArray()
        .catch((error: unknown) => error);
    const errors = [await failures(own), await failures(shared), await live.events.list().toArray().catch((error: unknown) => error)];
    // A stack not read yet holds the functions of its frames, the client's among them: reading it (V8
    // formats it from the message, redacted when the error was built) lets the client go.
    for (const error of errors) expect((error as Error).stack).toContain('[REDACTED]');
    // Not read before the release: what they show was fixed when the errors were built.
    const views = () => errors.flatMap((error) => [(error as Error).message, (error as Error).stack, JSON.stringify(error), inspect(error)]);

    // The two dropped clients go; the live one registered `shared` and `Bearer shared`, and the base64 of each.
    await collectUntil(() => !registered(own));
    expect(registered(own)).toBe(false);
    expect(registered(`Bearer ${own}`)).toBe(false);
    expect(registered(shared)).toBe(true);
    expect(registered(`Bearer ${shared}`)).toBe(true);
    expect(secretCount()).toBe(before + 4);
    // Errors are redacted when they are built: releasing later exposes nothing.
    for (const view of views()) {
      expect(view).toContain('[REDACTED]');
      expect(view).not.toMatch(/tines-(own|shared)-key/);
    }
    expect(live).toBeDefined();
  });
});

describe('a credential header that changes (a renewed token)', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('keeps a value older than the last two registered until the requests that sent it are over', async () => {
    // The first request's answer waits until two more values have been sent, then echoes its own.
    let answerFirst = (): void => {};
    const firstHeld = new Promise<void>((resolve) => (answerFirst = resolve));
    server = await startServer(async (req, res, _arrival, index) => {
      if (index === 0) await firstHeld;
      json(res, index === 0 ? 400 : 200, { message: `token ${req.headers['x-auth-token']} refused` });
    });
    const tokens = ['renewed-token-0-a81c', 'renewed-token-1-b92d', 'renewed-token-2-c03e'];
    let current = 0;
    const rotating: Auth = { key: `rotating-${Math.random()}`, headers: () => ({ 'x-auth-token': tokens[current] as string }) };
    const c = client(server.url, { retry: false }, rotating);
    const get = { operation: 'events.list', method: 'GET' as const, path: '/x' };

    const first = c.http.request(get).catch((error: unknown) => error);
    await expect.poll(() => server?.arrivals.length).toBe(1);
    for (current = 1; current < tokens.length; current += 1) await c.http.request(get);
    expect(registered(tokens[0]!)).toBe(true);
    answerFirst();
    const error = (await first) as Error;
    expect(error.message).toContain('token [REDACTED] refused');
    expect(JSON.stringify(error)).not.toContain(tokens[0]);
    // Over, and older than the last two: released.
    expect(registered(tokens[0]!)).toBe(false);
    expect(registered(tokens[1]!)).toBe(true);
    expect(registered(tokens[2]!)).toBe(true);
  });

  it('keeps a value two requests sent until both are over, then releases it once renewed twice', async () => {
    // The first two requests send one token and wait; their answers echo it after two renewals.
    let answerFirst = (): void => {};
    let answerSecond = (): void => {};
    const held = [new Promise<void>((resolve) => (answerFirst = resolve)), new Promise<void>((resolve) => (answerSecond = resolve))];
    server = await startServer(async (req, res, _arrival, index) => {
      if (index < 2) await held[index];
      json(res, index < 2 ? 400 : 200, { message: `token ${req.headers['x-auth-token']} refused` });
    });
    const tokens = ['shared-token-0-d14f', 'shared-token-1-e25a', 'shared-token-2-f36b'];
    let current = 0;
    const rotating: Auth = { key: `rotating-${Math.random()}`, headers: () => ({ 'x-auth-token': tokens[current] as string }) };
    const c = client(server.url, { retry: false }, rotating);
    const get = { operation: 'events.list', method: 'GET' as const, path: '/x' };

    const first = c.http.request(get).catch((error: unknown) => error);
    const second = c.http.request(get).catch((error: unknown) => error);
    await expect.poll(() => server?.arrivals.length).toBe(2);
    for (current = 1; current < tokens.length; current += 1) await c.http.request(get);
    answerFirst();
    expect(((await first) as Error).message).toContain('token [REDACTED] refused');
    // The second request still uses it.
    expect(registered(tokens[0]!)).toBe(true);
    answerSecond();
    const error = (await second) as Error;
    expect(error.message).toContain('token [REDACTED] refused');
    expect(JSON.stringify(error)).not.toContain(tokens[0]);
    expect(registered(tokens[0]!)).toBe(false);
    expect(registered(tokens[1]!)).toBe(true);
    expect(registered(tokens[2]!)).toBe(true);
  });
});

describe('a credential header value with white space around it', () => {
  it('is redacted as fetch sends it, trimmed', async () => {
    const server = await startServer((req, res) => json(res, 401, { message: 'refused', token: req.headers['x-auth-token'] }));
    const token = 'padded-token-7c2e-91ab';
    const padded: Auth = { key: `padded-${Math.random()}`, headers: () => ({ 'x-auth-token': `  ${token}\t` }) };
    const c = client(server.url, { retry: false }, padded);
    const error = (await c.http.request({ operation: 'events.list', method: 'GET', path: '/x' }).catch((caught: unknown) => caught)) as HttpError;
    expect(error.bodyExcerpt).toBe('{"message":"refused","token":"[REDACTED]"}');
    expect(JSON.stringify(error)).not.toContain(token);
    expect(inspect(error)).not.toContain(token);
    await server.close();
  });
});
