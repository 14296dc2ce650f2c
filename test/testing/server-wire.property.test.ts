/**
 * The real server of `tributary/testing` (`listen()`, `tributary emulate`) as any HTTP/1.1 client
 * meets it (curl, Python's requests, undici, axios), over raw sockets:
 * - one connection carries several requests, one after another or pipelined, bodies framed by length
 *   or in chunks and written in pieces, HEAD among them, some asking `Expect: 100-continue`; each
 *   answer, in order, is the one the in-process `fetch` adapter gives the same request (status, reason
 *   phrase, headers but the framing, body), and an unknown method is a 405 with `Allow` there too;
 * - hostile connections at once (malformed request lines and headers, too long URLs and headers,
 *   bodies longer than declared, clients that leave mid-request or mid-answer, methods fetch cannot
 *   send) are answered 4xx or dropped, never with a 5xx, a crash or a logged error, and the server
 *   serves the next client;
 * - `close()` with connections open in every state settles and leaves no socket behind.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Clock } from '../../src/core/clock.js';
import type { ProviderName } from '../../src/core/errors.js';
import {
  createEmulator,
  DEFAULT_FUJITSU_TENANT,
  DEFAULT_FUJITSU_TOKEN,
  DEFAULT_FUJITSU_USER,
  DEFAULT_ILLUMIO_CREDENTIAL,
  DEFAULT_INFORMATICA_USER,
  DEFAULT_TINES_CREDENTIAL,
  SOCOTRA_EMULATOR_TENANT,
  SOCOTRA_EMULATOR_TOKEN,
  type Emulator,
} from '../../src/testing/index.js';
import { openWire, requestBytes, type Wire, type WireAnswer } from '../support/http1-client.js';
import { PROPERTY_TIMEOUT } from '../support/property-timeout.js';

const T0 = Date.parse('2026-11-23T10:00:00.000Z');
/** How the socket frames an answer, which an answer in process does not have. */
const FRAMING = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length']);

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

interface Route {
  method: string;
  target: string;
  body?: unknown;
}

interface Vendor {
  provider: ProviderName;
  auth: readonly [string, string];
  /** Answered 200 with a body. */
  ok: Route;
  /** Takes a JSON body. */
  withBody: Route;
  /** A path the vendor has, for a method it does not take there. */
  known: string;
}

const VENDORS: readonly Vendor[] = [
  {
    provider: 'socotra',
    auth: ['Authorization', `Bearer ${SOCOTRA_EMULATOR_TOKEN}`],
    ok: { method: 'GET', target: `/event/${SOCOTRA_EMULATOR_TENANT}/events/list?pageSize=3` },
    withBody: { method: 'POST', target: `/event/${SOCOTRA_EMULATOR_TENANT}/events/schedules/failed/resume`, body: { triggerName: 'none', triggerGroup: 'tenant' } },
    known: `/event/${SOCOTRA_EMULATOR_TENANT}/events/list`,
  },
  {
    provider: 'tines',
    auth: ['Authorization', `Bearer ${DEFAULT_TINES_CREDENTIAL.key}`],
    ok: { method: 'GET', target: '/api/v1/events?per_page=3' },
    withBody: { method: 'POST', target: '/api/v1/events/1/reemit', body: {} },
    known: '/api/v1/events',
  },
  {
    provider: 'fujitsu',
    auth: ['X-Auth-Token', DEFAULT_FUJITSU_TOKEN],
    ok: { method: 'GET', target: `/v1.0/${DEFAULT_FUJITSU_TENANT}/events?limit=20` },
    withBody: {
      method: 'POST',
      target: '/v3/auth/tokens',
      body: { auth: { identity: { methods: ['password'], password: { user: { name: DEFAULT_FUJITSU_USER.userName, password: DEFAULT_FUJITSU_USER.password, domain: { name: DEFAULT_FUJITSU_USER.domainName } } } } } },
    },
    known: '/v3/auth/tokens',
  },
  {
    provider: 'illumio',
    auth: ['Authorization', basic(DEFAULT_ILLUMIO_CREDENTIAL.apiKey, DEFAULT_ILLUMIO_CREDENTIAL.apiSecret)],
    ok: { method: 'GET', target: '/api/v2/orgs/1/events?max_results=3' },
    withBody: { method: 'POST', target: '/api/v2/orgs/1/events', body: { a: 1 } },
    known: '/api/v2/orgs/1/events',
  },
  {
    provider: 'informatica',
    auth: ['Authorization', basic(DEFAULT_INFORMATICA_USER.user, DEFAULT_INFORMATICA_USER.password)],
    ok: { method: 'POST', target: '/dih-console/api/v1/events', body: { maxResults: 3 } },
    withBody: { method: 'POST', target: '/dih-console/api/v1/events', body: { eventStatus: 'ALL', maxResults: 2 } },
    known: '/dih-console/api/v1/events',
  },
];

/** A clock that stands still: the answers of both emulators are dated alike, latency takes no time. */
const still: Clock = { now: () => T0, scale: 1, sleep: async () => {} };

function emulatorOf(vendor: Vendor, seed: number): Emulator {
  return createEmulator(vendor.provider, { seed, clock: still, events: 20, rateLimit: false } as never) as Emulator;
}

// ---------------------------------------------------------------------------------------------------
// One connection, many requests

type Kind = 'ok' | 'body' | 'head' | 'missing' | 'not-allowed' | 'unknown-method';

interface Step {
  kind: Kind;
  framing: 'length' | 'chunked';
  chunks: number[];
  expectContinue: boolean;
  /** Where the request's bytes are cut into separate writes, as fractions of its length. */
  cuts: number[];
}

const stepArb: fc.Arbitrary<Step> = fc.record({
  kind: fc.constantFrom<Kind>('ok', 'body', 'head', 'missing', 'not-allowed', 'unknown-method'),
  framing: fc.constantFrom('length', 'chunked'),
  chunks: fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 4 }),
  expectContinue: fc.boolean(),
  cuts: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 3 }),
});

interface Built {
  method: string;
  target: string;
  headers: Array<[string, string]>;
  body?: Buffer;
}

function build(vendor: Vendor, step: Step, host: string): Built {
  const headers: Array<[string, string]> = [['Host', host], [...vendor.auth]];
  const route: Route =
    step.kind === 'ok'
      ? vendor.ok
      : step.kind === 'body'
        ? vendor.withBody
        : step.kind === 'head'
          ? { method: 'HEAD', target: vendor.ok.method === 'GET' ? vendor.ok.target : vendor.known }
          : step.kind === 'missing'
            ? { method: 'GET', target: '/no/such/resource' }
            : step.kind === 'not-allowed'
              ? { method: 'PUT', target: vendor.known }
              : // Framed by its length: node's parser, spent on the method, reads no chunks.
                { method: 'FROB', target: vendor.known, ...(step.framing === 'length' ? { body: { frob: true } } : {}) };
  if (route.body === undefined) return { method: route.method, target: route.target, headers };
  headers.push(['Content-Type', 'application/json']);
  return { method: route.method, target: route.target, headers, body: Buffer.from(JSON.stringify(route.body)) };
}

/** The answer the in-process adapter gives, in the shape the wire's is read in. */
async function inProcess(emulator: Emulator, origin: string, built: Built): Promise<unknown> {
  const headers = built.headers.filter(([name]) => name !== 'Host');
  const response = await emulator.fetch(origin + built.target, {
    method: built.method,
    headers,
    redirect: 'manual',
    ...(built.body === undefined ? {} : { body: new Uint8Array(built.body) }),
  });
  const answered: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    answered[name] = value;
  });
  return comparable({
    status: response.status,
    reason: response.statusText,
    headers: answered,
    body: Buffer.from(await response.arrayBuffer()),
    interim: [],
  });
}

function comparable(answer: WireAnswer): unknown {
  const headers = Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !FRAMING.has(name)));
  return { status: answer.status, reason: answer.reason, headers, body: answer.body.toString('latin1') };
}

function cutInto(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const at = [...new Set(cuts.map((cut) => Math.floor(cut * bytes.length)))].filter((n) => n > 0 && n < bytes.length).sort((a, b) => a - b);
  return [0, ...at].map((start, i) => bytes.subarray(start, at[i] ?? bytes.length));
}

async function sendStep(wire: Wire, built: Built, step: Step, waitForContinue: boolean): Promise<void> {
  const body = built.body === undefined ? undefined : { bytes: built.body, framing: step.framing, chunks: step.chunks };
  // Node's parser, which does not know the method, sends no 100 Continue for it.
  const expecting = step.expectContinue && body !== undefined && step.kind !== 'unknown-method';
  const headers: Array<[string, string]> = expecting ? [...built.headers, ['Expect', '100-continue']] : built.headers;
  const bytes = requestBytes(built.method, built.target, headers, body);
  if (expecting && waitForContinue) {
    // The head alone, then the body once the server says to go on, as curl does.
    const split = bytes.indexOf('\r\n\r\n') + 4;
    await wire.write(bytes.subarray(0, split));
    await wire.waitForBytes('HTTP/1.1 100 Continue\r\n\r\n'.length);
    for (const piece of cutInto(bytes.subarray(split), step.cuts)) await wire.write(piece);
    return;
  }
  for (const piece of cutInto(bytes, step.cuts)) await wire.write(piece);
}

/** Catches what must never happen while a server runs: an uncaught error, a rejection nobody handles, a logged error. */
function watchForTrouble() {
  const trouble: unknown[] = [];
  const onError = (error: unknown) => trouble.push(error);
  process.on('uncaughtException', onError);
  process.on('unhandledRejection', onError);
  const logged = [vi.spyOn(console, 'error'), vi.spyOn(console, 'warn')];
  return {
    check() {
      for (const spy of logged) trouble.push(...spy.mock.calls);
      expect(trouble).toEqual([]);
    },
    stop() {
      process.off('uncaughtException', onError);
      process.off('unhandledRejection', onError);
      for (const spy of logged) spy.mockRestore();
    },
  };
}

/** Sockets and servers of the process, by kind: the same after `close()` as before `listen()`. */
const handles = () => process.getActiveResourcesInfo().filter((kind) => kind.startsWith('TCP')).sort();

/**
 * The sockets and servers open once those `close()` destroyed are released: a destroyed socket's handle
 * is freed a turn of the event loop after its server reports it gone.
 */
async function handlesSettled(): Promise<string[]> {
  for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
  return handles();
}

let watch: ReturnType<typeof watchForTrouble>;
beforeEach(() => {
  watch = watchForTrouble();
});
afterEach(() => watch.stop());

describe('one connection of the real server answers as the in-process adapter (property)', PROPERTY_TIMEOUT, () => {
  it('keeps alive, answers pipelined requests in order, HEAD without a body, bodies by length or chunks, Expect: 100-continue', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...VENDORS),
        fc.integer({ min: 1, max: 1_000 }),
        fc.array(stepArb, { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        async (vendor, seed, steps, pipelined) => {
          const before = await handlesSettled();
          const reference = emulatorOf(vendor, seed);
          const server = await emulatorOf(vendor, seed).listen();
          const host = new URL(server.url).host;
          const wire = await openWire(server.port);
          try {
            // A method node's parser does not know ends the connection: it is the last one sent.
            const last = steps.findIndex((step) => step.kind === 'unknown-method');
            const sent = last < 0 ? steps : steps.slice(0, last + 1);
            const built = sent.map((step) => build(vendor, step, host));
            const expected = [];
            for (const request of built) expected.push(await inProcess(reference, server.url, request));
            const got: unknown[] = [];
            if (pipelined) {
              for (const [i, step] of sent.entries()) await sendStep(wire, built[i] as Built, step, false);
              for (const request of built) got.push(await answerOf(wire, request));
            } else {
              for (const [i, step] of sent.entries()) {
                await sendStep(wire, built[i] as Built, step, true);
                got.push(await answerOf(wire, built[i] as Built));
              }
            }
            expect(got).toEqual(expected);
            for (const [i, step] of sent.entries()) {
              if (step.kind === 'missing') expect(got[i]).toMatchObject({ status: vendor.provider === 'socotra' ? 404 : expect.any(Number) });
              if (step.kind === 'not-allowed' || step.kind === 'unknown-method') {
                expect(got[i]).toMatchObject({ status: 405, headers: { allow: expect.any(String) } });
              }
            }
            if (last >= 0) await wire.closed();
          } finally {
            await wire.destroy();
            await server.close();
          }
          expect(await handlesSettled()).toEqual(before);
          watch.check();
        },
      ),
      { numRuns: 100 },
    );
  });
});

async function answerOf(wire: Wire, request: Built): Promise<unknown> {
  const answer = await wire.answer(request.method === 'HEAD');
  if (answer === undefined) return 'closed';
  return comparable(answer);
}

// ---------------------------------------------------------------------------------------------------
// Hostile clients, all at once

type Hostile =
  | { kind: 'good' }
  | { kind: 'malformed-line'; line: string }
  | { kind: 'malformed-header'; header: string }
  | { kind: 'long-url'; length: number }
  | { kind: 'long-header'; length: number }
  | { kind: 'longer-body'; extra: string }
  | { kind: 'leave-mid-request'; cut: number }
  | { kind: 'leave-mid-answer' }
  | { kind: 'method'; method: 'TRACE' | 'CONNECT' | 'FROB-chunked' | 'FROB-long-head' | 'FROB-huge-body' };

const hostileArb: fc.Arbitrary<Hostile> = fc.oneof(
  fc.constant({ kind: 'good' as const }),
  fc.record({
    kind: fc.constant('malformed-line' as const),
    line: fc.oneof(
      fc.constantFrom('GARBAGE', 'GET', 'GET /', 'GET / HTTP/9.9', 'GET / HTTP/1.1 extra', ' GET / HTTP/1.1', 'GET  / HTTP/1.1', 'G\u00e9T / HTTP/1.1', '\u0016\u0003\u0001\u0002\u0000', 'PRI * HTTP/2.0'),
      fc.string({ minLength: 1, maxLength: 30 }).map((text) => text.replace(/\r|\n/g, ' ')),
    ),
  }),
  fc.record({
    kind: fc.constant('malformed-header' as const),
    header: fc.constantFrom('No-Colon', 'Space Before : x', ': no-name', 'X-Nul: a\u0000b', 'X-Bad\u0001: x', 'Content-Length: 12ab', 'Content-Length: -1', 'Transfer-Encoding: gzip'),
  }),
  fc.record({ kind: fc.constant('long-url' as const), length: fc.integer({ min: 17_000, max: 80_000 }) }),
  fc.record({ kind: fc.constant('long-header' as const), length: fc.integer({ min: 17_000, max: 80_000 }) }),
  fc.record({ kind: fc.constant('longer-body' as const), extra: fc.string({ minLength: 1, maxLength: 40 }).map((text) => text.replace(/\r|\n/g, ' ')) }),
  fc.record({ kind: fc.constant('leave-mid-request' as const), cut: fc.double({ min: 0.01, max: 0.99, noNaN: true }) }),
  fc.constant({ kind: 'leave-mid-answer' as const }),
  fc.record({ kind: fc.constant('method' as const), method: fc.constantFrom('TRACE' as const, 'CONNECT' as const, 'FROB-chunked' as const, 'FROB-long-head' as const, 'FROB-huge-body' as const) }),
);

/** What one hostile client saw: `true` when the server's part was right. */
async function play(port: number, vendor: Vendor, hostile: Hostile): Promise<string | undefined> {
  const host: [string, string] = ['Host', `127.0.0.1:${port}`];
  const good = build(vendor, { kind: 'ok', framing: 'length', chunks: [], expectContinue: false, cuts: [] }, host[1]);
  const goodBytes = requestBytes(good.method, good.target, good.headers, good.body === undefined ? undefined : { bytes: good.body, framing: 'length' });
  const wire = await openWire(port);
  try {
    const refused = async (statuses: number[]): Promise<string | undefined> => {
      const answer = await wire.answer();
      const rest = await wire.closed();
      if (answer === undefined || !statuses.includes(answer.status)) return `answered ${answer?.status ?? 'nothing'}, not ${statuses.join(' or ')}`;
      return rest.length === 0 ? undefined : `sent ${rest.length} more bytes after its ${answer.status}`;
    };
    switch (hostile.kind) {
      case 'good': {
        await wire.write(goodBytes);
        const answer = await wire.answer();
        return answer?.status === 200 ? undefined : `answered ${answer?.status ?? 'nothing'} to a good request`;
      }
      case 'malformed-line': {
        await wire.write(`${hostile.line}\r\nHost: x\r\n\r\n`);
        const answer = await wire.answer().catch(() => undefined);
        // A line node reads after all (a bare `GET /` is HTTP/0.9) may reach the emulator: no 5xx, though.
        return answer !== undefined && answer.status >= 500 ? `answered ${answer.status}` : undefined;
      }
      case 'malformed-header':
        await wire.write(`GET ${vendor.known} HTTP/1.1\r\nHost: x\r\n${hostile.header}\r\n\r\n`);
        return await refused([400]);
      case 'long-url':
        await wire.write(`GET /${'a'.repeat(hostile.length)} HTTP/1.1\r\nHost: x\r\n\r\n`);
        return await refused([400, 414, 431]);
      case 'long-header':
        await wire.write(`GET ${vendor.known} HTTP/1.1\r\nHost: x\r\nX-Filler: ${'a'.repeat(hostile.length)}\r\n\r\n`);
        return await refused([400, 431]);
      case 'longer-body': {
        // The bytes past the declared length are the start of another request, which is not one.
        const bytes = requestBytes('POST', vendor.known, [host], { bytes: Buffer.from('{}'), framing: 'length' });
        await wire.write(Buffer.concat([bytes, Buffer.from(`${hostile.extra}\r\n\r\n`)]));
        const first = await wire.answer();
        if (first === undefined || first.status >= 500) return `answered ${first?.status ?? 'nothing'} to the request`;
        const second = await wire.answer().catch(() => undefined);
        return second !== undefined && second.status >= 500 ? `answered ${second.status} to the bytes after it` : undefined;
      }
      case 'leave-mid-request':
        await wire.write(goodBytes.subarray(0, Math.max(1, Math.floor(hostile.cut * goodBytes.length))));
        return undefined;
      case 'leave-mid-answer':
        await wire.write(goodBytes);
        await wire.waitForBytes(1);
        return undefined;
      case 'method':
        if (hostile.method === 'CONNECT') {
          await wire.write(`CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n`);
          return await refused([400]);
        }
        if (hostile.method === 'FROB-long-head') {
          await wire.write(`FROB ${vendor.known} HTTP/1.1\r\nHost: x\r\nX-Filler: ${'a'.repeat(20_000)}`);
          return await refused([400, 431]);
        }
        if (hostile.method === 'FROB-huge-body') {
          // Announced, never sent: not held waiting for 2 GB.
          await wire.write(`FROB ${vendor.known} HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000000\r\n\r\n{}`);
          return await refused([400, 413]);
        }
        if (hostile.method === 'FROB-chunked') {
          await wire.write(requestBytes('FROB', vendor.known, [host], { bytes: Buffer.from('{}'), framing: 'chunked' }));
          return await refused([400]);
        }
        await wire.write(requestBytes('TRACE', vendor.known, [host, [...vendor.auth]]));
        {
          const answer = await wire.answer();
          return answer?.status === 405 && answer.headers['allow'] !== undefined ? undefined : `answered ${answer?.status ?? 'nothing'} to TRACE`;
        }
    }
  } finally {
    await wire.destroy();
  }
}

describe('the real server meets hostile clients (property)', PROPERTY_TIMEOUT, () => {
  it('answers 4xx or drops the connection, never a 5xx, a crash or a logged error, and serves the next client', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...VENDORS), fc.array(hostileArb, { minLength: 1, maxLength: 8 }), async (vendor, hostiles) => {
        const before = await handlesSettled();
        const server = await emulatorOf(vendor, 1).listen();
        try {
          const seen = await Promise.all(hostiles.map((hostile) => play(server.port, vendor, hostile)));
          expect(seen.map((problem, i) => problem && `${hostiles[i]?.kind}: ${problem}`).filter(Boolean)).toEqual([]);
          expect(await play(server.port, vendor, { kind: 'good' })).toBeUndefined();
        } finally {
          await server.close();
        }
        expect(await handlesSettled()).toEqual(before);
        watch.check();
      }),
      { numRuns: 60 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------
// close() with connections open

type Open = 'idle' | 'mid-head' | 'mid-body' | 'in-flight' | 'expecting' | 'unknown-method-part';

describe('close() of the real server (property)', PROPERTY_TIMEOUT, () => {
  it('settles with connections open in every state, each of them closed, no socket left', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...VENDORS),
        fc.array(fc.constantFrom<Open>('idle', 'mid-head', 'mid-body', 'in-flight', 'expecting', 'unknown-method-part'), { minLength: 1, maxLength: 6 }),
        async (vendor, states) => {
          const before = await handlesSettled();
          // A latency fault's wait that only the request's abort ends: the answer is in the emulator's hands at close().
          const waiting: Clock = { now: () => T0, scale: 1, sleep: (_ms, signal) => new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(signal.reason))) };
          const emulator = createEmulator(vendor.provider, { seed: 1, clock: waiting, events: 20, rateLimit: false } as never) as Emulator;
          emulator.faults.add({ kind: 'latency', ms: 60_000, schedule: { every: 1 }, match: { method: 'DELETE' } });
          const server = await emulator.listen();
          const host: [string, string] = ['Host', `127.0.0.1:${server.port}`];
          const wires: Wire[] = [];
          for (const state of states) {
            const wire = await openWire(server.port);
            wires.push(wire);
            if (state === 'idle') {
              const good = build(vendor, { kind: 'missing', framing: 'length', chunks: [], expectContinue: false, cuts: [] }, host[1]);
              await wire.write(requestBytes(good.method, good.target, good.headers));
              await wire.answer();
            }
            if (state === 'mid-head') await wire.write(`GET ${vendor.known} HTTP/1.1\r\nHost: x\r\nX-Half`);
            if (state === 'mid-body') await wire.write(`POST ${vendor.known} HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"a":`);
            if (state === 'in-flight') {
              await wire.write(requestBytes('DELETE', vendor.known, [host, [...vendor.auth]]));
              // Recorded: the request reached the emulator, which waits.
              while (!emulator.requests.some((request) => request.method === 'DELETE')) await new Promise((resolve) => setImmediate(resolve));
            }
            if (state === 'expecting') {
              await wire.write(`POST ${vendor.known} HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 10\r\n\r\n`);
              await wire.waitForBytes(1);
            }
            if (state === 'unknown-method-part') await wire.write(`FROB ${vendor.known} HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n{"a"`);
          }
          await server.close();
          // Every connection is closed by the server, none by the client.
          await Promise.all(wires.map((wire) => wire.closed()));
          expect(await handlesSettled()).toEqual(before);
          watch.check();
        },
      ),
      { numRuns: 40 },
    );
  });
});
