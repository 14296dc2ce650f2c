/**
 * The security promise of DESIGN.md ("Errors"), held at random: no error, hook argument, cursor or CLI
 * output holds a credential, and no credential is sent to another origin.
 *
 * Each scenario draws a vendor's credentials (`leak-vendors.ts`: escaped characters, base64, Latin-1,
 * Unicode, one to three characters, one inside another), an emulator that accepts them or others (a
 * 401 for every request), and a vendor in front of it (`hostile-fetch.ts`) that fails at random with
 * the request echoed back: error bodies in the escapes servers write, request ids, `fetch` rejecting
 * with the header value, bodies of the wrong shape or broken off, stalls to the timeout, redirects to
 * another origin and to the same one with the credential in the query. A client lists pages, resumes
 * from their cursors, and is aborted now and then; some scenarios give a bad option instead, the
 * credential among the options where a factory echoes a bad value.
 *
 * Checked (`leak-scan.ts`): every error and each cause down its chain, in every view and field; every
 * hook argument; every cursor; every request sent to another origin (there must be none). A few runs
 * go over the network through the real `fetch` and the CLI, observed at the receiving servers.
 *
 * A credential of one or two characters is looked for where it stands alone, as redaction removes it
 * (redact.ts: inside a word it is most words). The events a listing delivers are the vendor's data and
 * are not searched. `LEAK_RUNS=2000` runs more scenarios a vendor; `LEAK_SEED=n` runs the one a failure
 * names first.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scaledClock } from '../../src/core/clock.js';
import type { CommonOptions } from '../../src/core/options.js';
import { createRng, type Rng } from '../../src/testing/rng.js';
import { VENDOR_NAMES, type VendorName } from '../support/emulated-vendors.js';
import { hostileFetch, THIEF_ORIGIN } from '../support/hostile-fetch.js';
import { cursorViews, errorViews, findLeak, hookViews, type Views } from '../support/leak-scan.js';
import { leakSetup } from '../support/leak-vendors.js';
import { cliInProcess as cli } from '../support/cli-in-process.js';

const seeds = fc.integer({ min: 1, max: 2 ** 30 });
const RUNS = Number(process.env.LEAK_RUNS ?? 250);
/** A scenario's seed to run first (`LEAK_SEED=123`), as a failure names it. */
const EXAMPLES: Array<[number]> = process.env.LEAK_SEED === undefined ? [] : [[Number(process.env.LEAK_SEED)]];

/** The common options of a scenario: short timeouts and back-offs, some retries, every hook recorded. */
function commonOptions(rng: Rng, hookArgs: Array<Record<string, unknown>>, signal: AbortSignal): Omit<CommonOptions, 'baseUrl'> {
  const record = (info: object) => void hookArgs.push(info as Record<string, unknown>);
  return {
    clock: scaledClock(0.001),
    timeout: rng.int(20, 60),
    retry: rng.chance(0.2) ? false : { retries: rng.int(0, 2), minDelay: 1, maxDelay: 4, maxRetryAfter: 2_000 },
    rateLimit: false,
    hooks: { onRequest: record, onResponse: record, onRetry: record, onRateLimit: record },
    signal,
  };
}

/** A bad option beside the credential, or the credential given to another option by mistake. */
function badOptions(rng: Rng, options: Record<string, unknown>, secret: string, misplaced: readonly string[]): Record<string, unknown> {
  const out = { ...options };
  switch (rng.int(0, 5)) {
    case 0:
      out[misplaced.length > 0 ? rng.pick(misplaced) : 'timeout'] = secret;
      break;
    case 1:
      out.baseUrl = rng.pick([`https://user:${encodeURIComponent(secret)}@example.com`, `ftp://${encodeURIComponent(secret)}@example.com`, `https://example.com/?token=${encodeURIComponent(secret)}&x`, secret]);
      break;
    case 2:
      out.retry = rng.pick([{ retries: secret }, { limit: 3 }, secret]);
      break;
    case 3:
      out.timeout = rng.pick([-1, secret, { secret }]);
      break;
    case 4:
      out[rng.pick(['tokne', 'pasword', 'apiSecert', secret])] = secret;
      break;
    default:
      out.userAgent = rng.pick(['a\nb', 7, secret]);
  }
  return out;
}

function leakMessage(vendor: string, seed: number, leak: { form: string; view: string }, log: readonly string[]): string {
  return `${vendor} seed ${seed}: ${JSON.stringify(leak.form)} found in ${JSON.stringify(leak.view.slice(0, 2_000))}\nrequests: ${log.join('; ')}`;
}

async function scenario(vendor: VendorName, seed: number): Promise<void> {
  const rng = createRng(seed);
  const hookArgs: Array<Record<string, unknown>> = [];
  const controller = new AbortController();
  const common = commonOptions(rng, hookArgs, controller.signal);
  const setup = leakSetup(vendor, rng, scaledClock(0.001), common, rng.chance(0.2));
  const hostile = hostileFetch(setup.emulatorFetch, rng.fork(), rng.pick([0.2, 0.5, 0.9]));
  const errors: unknown[] = [];
  const cursors: string[] = [];
  const options = setup.options(setup.baseUrl, hostile.fetch);
  const construction = rng.chance(0.15);
  if (construction) {
    try {
      setup.client(badOptions(rng, options, rng.pick(setup.given), setup.misplaced));
    } catch (error) {
      errors.push(error);
    }
  } else {
    const client = setup.client(options);
    // Aborted during a request now and then: the abort is the caller's, its reason what it gave.
    if (rng.chance(0.1)) setTimeout(() => controller.abort(), rng.int(0, 20));
    for (let pass = rng.int(1, 3); pass > 0; pass--) {
      const cursor = cursors.length > 0 && rng.chance(0.5) ? rng.pick(cursors) : undefined;
      try {
        let pages = rng.int(1, 3);
        for await (const page of client.events.list(setup.query as never).byPage({ ...(cursor ? { cursor } : {}), pageSize: rng.pick([20, 50]) })) {
          cursors.push(page.cursor);
          if (--pages === 0) break;
        }
      } catch (error) {
        errors.push(error);
      }
      if (rng.chance(0.3)) {
        try {
          await client.events.list(setup.query as never).toArray({ maxItems: 5 });
        } catch (error) {
          errors.push(error);
        }
      }
    }
  }
  const secrets = [...setup.secrets, ...hostile.issued];
  const views: Views = { texts: [], dumps: [] };
  for (const error of errors) errorViews(error, views);
  for (const info of hookArgs) hookViews(info, views);
  for (const cursor of cursors) cursorViews(cursor, views);
  const leak = findLeak(views, secrets, construction);
  expect(leak, leak && leakMessage(vendor, seed, leak, hostile.log)).toBeUndefined();
  expect(hostile.foreign, `${vendor} seed ${seed}: sent to ${THIEF_ORIGIN}`).toEqual([]);
}

describe('no credential in any error, hook, cursor, or request to another origin', () => {
  for (const vendor of VENDOR_NAMES) {
    it(`${vendor}: random credentials through random failures`, async () => {
      await fc.assert(
        fc.asyncProperty(seeds, (seed) => scenario(vendor, seed)),
        { numRuns: RUNS, examples: EXAMPLES },
      );
    }, 60_000);
  }
});

/** What a server on 127.0.0.1 received: each request's URL, headers and body. */
interface Received {
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => Promise<void> | void;

async function listen(handler: Handler): Promise<{ server: Server; url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ url: request.url ?? '', headers: request.headers, body });
      // A `fetch` that rejects or a body that breaks off: the connection is cut.
      void Promise.resolve(handler(request, body, response)).catch(() => response.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, close };
}

/** Answers `response` with what `fetch` answered: a stalled answer is given up when the client leaves. */
async function relay(answer: Response, response: ServerResponse): Promise<void> {
  const headers: Record<string, string> = {};
  answer.headers.forEach((value, name) => void (name === 'content-encoding' || name === 'content-length' || (headers[name] = value)));
  const body = Buffer.from(await answer.arrayBuffer());
  response.writeHead(answer.status, headers).end(body);
}

describe('over the network, through the real fetch and the CLI', () => {
  for (const vendor of VENDOR_NAMES) {
    it(`${vendor}: a redirect to another origin takes no credential there, and the CLI writes none`, async () => {
      for (const seed of [11, 12, 13]) {
        const rng = createRng(seed * 7919 + VENDOR_NAMES.indexOf(vendor));
        const thief = await listen((_request, _body, response) => void response.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
        const setup = leakSetup(vendor, rng, scaledClock(0.001), {}, rng.chance(0.2));
        const hostile = hostileFetch(setup.emulatorFetch, rng.fork(), 0.5);
        // The hostile vendor on 127.0.0.1; a request in four is redirected to the thief, or to the same
        // server under another origin (`localhost` for `127.0.0.1`), which must not be followed either.
        let alias = '';
        const front = await listen(async (request, body, response) => {
          const host = request.headers.host ?? '';
          if (host.startsWith('localhost')) return void response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
          if (rng.chance(0.25)) {
            const to = rng.chance(0.5) ? thief.url : alias;
            return void response.writeHead(rng.pick([301, 302, 303, 307, 308]), { location: `${to}${request.url ?? '/'}` }).end();
          }
          const headers = Object.fromEntries(
            Object.entries(request.headers)
              .filter(([name]) => name !== 'host' && name !== 'content-length' && name !== 'connection')
              .map(([name, value]) => [name, String(value)]),
          );
          const stop = new AbortController();
          response.on('close', () => stop.abort());
          await relay(await hostile.fetch(`http://${host}${request.url ?? '/'}`, { method: request.method ?? 'GET', headers, signal: stop.signal, ...(body === '' ? {} : { body }) }), response);
        });
        alias = front.url.replace('127.0.0.1', 'localhost');
        try {
          const hookArgs: Array<Record<string, unknown>> = [];
          const common = { ...commonOptions(rng, hookArgs, new AbortController().signal), timeout: 500 };
          const errors: unknown[] = [];
          try {
            await setup.client({ ...setup.options(front.url, undefined), ...common }).events.list(setup.query as never).toArray({ maxItems: 200 });
          } catch (error) {
            errors.push(error);
          }
          const prefix = `TRIBUTARY_${vendor.toUpperCase()}_`;
          const { stdout, stderr } = await cli(['pull', vendor, '--page-size', '20'], { ...setup.env(front.url), [`${prefix}RETRY__RETRIES`]: '1', [`${prefix}TIMEOUT`]: '500' });

          // A cursor on stderr is base64 text a short credential may be part of by chance: it is read as the JSON it packs.
          const views: Views = { texts: [], dumps: [stdout] };
          views.texts.push(stderr.replace(/(cursor) (\S+)/g, (_, word: string, cursor: string) => (cursorViews(cursor, views), word)));
          for (const error of errors) errorViews(error, views);
          for (const info of hookArgs) hookViews(info, views);
          const secrets = [...setup.secrets, ...hostile.issued];
          const leak = findLeak(views, secrets);
          expect(leak, leak && leakMessage(vendor, seed, leak, hostile.log)).toBeUndefined();
          // The other origins saw no request at all; had one come, it would hold no credential.
          const away = [...thief.received, ...front.received.filter((request) => String(request.headers.host).startsWith('localhost'))];
          const carried = findLeak({ texts: away.map((request) => JSON.stringify(request)), dumps: [] }, secrets);
          expect(carried, carried && `${vendor}: sent to another origin: ${carried.view}`).toBeUndefined();
          expect(away).toEqual([]);
        } finally {
          await Promise.all([thief.close(), front.close()]);
        }
      }
    }, 60_000);
  }
});
