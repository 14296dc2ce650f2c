/**
 * The fields a listing pages on, where a page's envelope carries them (Socotra's `pagingToken`, the
 * list that holds the events), missing or of the wrong type on one page of a listing: the listing
 * fails there with a `ResponseValidationError` naming the field and keeping the value as received,
 * after the pages before it, and once the vendor sends that page right again, resuming from the last
 * cursor delivered brings the rest of the events as an undisturbed listing does. (The fields of each
 * event a listing pages on, its id and time, are broken the same way in `normalize.property.test.ts`.)
 */
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/core/clock.js';
import { isResponseValidationError } from '../../src/core/errors.js';
import type { TributaryEvent } from '../../src/core/event.js';
import type { Paginated } from '../../src/core/paginate/types.js';
import { DEFAULT_FUJITSU_TENANT, DEFAULT_FUJITSU_TOKEN, fujitsuEmulator } from '../../src/providers/fujitsu/emulator.js';
import { fujitsu } from '../../src/providers/fujitsu/index.js';
import { DEFAULT_ILLUMIO_CREDENTIAL, illumioEmulator } from '../../src/providers/illumio/emulator.js';
import { illumio } from '../../src/providers/illumio/index.js';
import { DEFAULT_INFORMATICA_USER, informaticaEmulator } from '../../src/providers/informatica/emulator.js';
import { informatica } from '../../src/providers/informatica/index.js';
import { SOCOTRA_EMULATOR_TENANT, SOCOTRA_EMULATOR_TOKEN, socotraEmulator } from '../../src/providers/socotra/emulator.js';
import { socotra } from '../../src/providers/socotra/index.js';
import { DEFAULT_TINES_CREDENTIAL, tinesEmulator } from '../../src/providers/tines/emulator.js';
import { tines } from '../../src/providers/tines/index.js';

type Json = Record<string, unknown>;
type Fetch = typeof globalThis.fetch;

const ANCHOR = Date.parse('2026-11-23T10:00:00.000Z');
const clock: Clock = { now: () => ANCHOR, scale: 1, sleep: async (_ms, signal) => signal?.throwIfAborted() };

interface Case {
  vendor: string;
  /** The field the issue names (`(root)`: the body), how it is broken, and the body of the second list response broken so. */
  field: string;
  what: string;
  breaks: (body: unknown) => unknown;
  setup(): { fetch: Fetch; list(fetch: Fetch): Paginated<TributaryEvent>; isList(request: Request): boolean };
}

const socotraSetup = () => {
  const emulator = socotraEmulator.create({ seed: 3, events: 20, clock, start: ANCHOR - 3_600_000 });
  return {
    fetch: emulator.fetch,
    list: (fetch: Fetch) => socotra({ baseUrl: 'https://api-ec-sandbox.socotra.com', tenantLocator: SOCOTRA_EMULATOR_TENANT, token: SOCOTRA_EMULATOR_TOKEN, fetch, clock }).events.list({ pageSize: 5 }),
    isList: (request: Request) => new URL(request.url).pathname.endsWith('/events/list'),
  };
};
const tinesSetup = () => {
  const emulator = tinesEmulator.create({ seed: 3, events: 20, clock, api: 'current', order: 'oldest-first' });
  return {
    fetch: emulator.fetch,
    list: (fetch: Fetch) => tines({ baseUrl: 'https://tenant-1234.tines.com', token: DEFAULT_TINES_CREDENTIAL.key, fetch, clock, rateLimit: false }).events.list({ pageSize: 5 }),
    isList: (request: Request) => new URL(request.url).pathname === '/api/v1/events',
  };
};
const fujitsuSetup = () => {
  const emulator = fujitsuEmulator.create({ seed: 3, events: 70, clock });
  return {
    fetch: emulator.fetch,
    list: (fetch: Fetch) =>
      fujitsu({ baseUrl: 'https://database.uk-1.cloud.global.fujitsu.com', tenantId: DEFAULT_FUJITSU_TENANT, token: DEFAULT_FUJITSU_TOKEN, fetch, clock, rateLimit: false }).events.list({ pageSize: 20 }),
    isList: (request: Request) => new URL(request.url).pathname.endsWith('/events'),
  };
};
const illumioSetup = () => {
  const emulator = illumioEmulator.create({ seed: 3, events: 20, clock, newest: ANCHOR, rateLimit: false });
  return {
    fetch: emulator.fetch,
    list: (fetch: Fetch) => illumio({ baseUrl: 'https://pce.example.com:8443', orgId: 1, ...DEFAULT_ILLUMIO_CREDENTIAL, fetch, clock, rateLimit: false }).events.list({ pageSize: 5, mode: 'sync' }),
    isList: (request: Request) => /\/orgs\/1\/events$/.test(new URL(request.url).pathname),
  };
};
const informaticaSetup = () => {
  const emulator = informaticaEmulator.create({ seed: 3, events: 20, clock, rateLimit: false });
  return {
    fetch: emulator.fetch,
    list: (fetch: Fetch) =>
      informatica({ baseUrl: 'https://cih-pod1.dm-us.informaticacloud.com', username: DEFAULT_INFORMATICA_USER.user, password: DEFAULT_INFORMATICA_USER.password, fetch, clock, rateLimit: false }).events.list({ pageSize: 5 }),
    isList: (request: Request) => request.method === 'POST' && new URL(request.url).pathname === '/dih-console/api/v1/events',
  };
};

const without = (key: string) => (body: unknown): unknown => {
  const { [key]: _gone, ...rest } = body as Json;
  return rest;
};
const replace = (key: string, value: unknown) => (body: unknown): unknown => ({ ...(body as Json), [key]: value });

const CASES: Case[] = [
  { vendor: 'socotra', field: 'pagingToken', what: 'missing', breaks: without('pagingToken'), setup: socotraSetup },
  { vendor: 'socotra', field: 'pagingToken', what: 'null', breaks: replace('pagingToken', null), setup: socotraSetup },
  { vendor: 'socotra', field: 'pagingToken', what: 'a number', breaks: replace('pagingToken', 1_732_356_000), setup: socotraSetup },
  { vendor: 'socotra', field: 'pagingToken', what: 'empty', breaks: replace('pagingToken', ''), setup: socotraSetup },
  { vendor: 'socotra', field: 'pagingToken', what: 'an array', breaks: (body) => ({ ...(body as Json), pagingToken: [(body as Json)['pagingToken']] }), setup: socotraSetup },
  { vendor: 'socotra', field: 'events', what: 'an object', breaks: (body) => ({ ...(body as Json), events: { items: (body as Json)['events'] } }), setup: socotraSetup },
  { vendor: 'tines', field: 'events', what: 'a string', breaks: replace('events', 'none'), setup: tinesSetup },
  { vendor: 'tines', field: 'events', what: 'an object', breaks: (body) => ({ ...(body as Json), events: { items: (body as Json)['events'] } }), setup: tinesSetup },
  { vendor: 'fujitsu', field: 'events', what: 'missing', breaks: without('events'), setup: fujitsuSetup },
  { vendor: 'fujitsu', field: 'events', what: 'an object', breaks: replace('events', { count: 20 }), setup: fujitsuSetup },
  { vendor: 'illumio', field: '(root)', what: 'an object, not a list', breaks: (body) => ({ items: body }), setup: illumioSetup },
  { vendor: 'informatica', field: '(root)', what: 'a string', breaks: () => 'no events', setup: informaticaSetup },
];

async function pagesOf(listing: Paginated<TributaryEvent>, cursor?: string): Promise<{ ids: string[]; cursor: string | undefined; error?: unknown }> {
  const ids: string[] = [];
  let last = cursor;
  try {
    for await (const page of listing.byPage(cursor === undefined ? {} : { cursor })) {
      ids.push(...page.items.map((event) => event.id));
      last = page.cursor;
    }
  } catch (error) {
    return { ids, cursor: last, error };
  }
  return { ids, cursor: last };
}

describe('a paging field missing or of the wrong type fails the listing clearly, and it resumes', () => {
  it.each(CASES.map((c) => [`${c.vendor} ${c.field} ${c.what}`, c] as const))('%s', async (_name, c) => {
    const { fetch, list, isList } = c.setup();
    const reference = await pagesOf(list(fetch));
    expect(reference.error).toBeUndefined();

    let lists = 0;
    let broken = true;
    let sent: unknown;
    const breaking: Fetch = async (input, init) => {
      const request = new Request(input, init);
      const response = await fetch(request);
      if (!broken || response.status !== 200 || !isList(request) || (lists += 1) !== 2) return response;
      sent = c.breaks(JSON.parse(await response.text()) as unknown);
      return new Response(JSON.stringify(sent), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const failed = await pagesOf(list(breaking));
    expect(isResponseValidationError(failed.error), String(failed.error)).toBe(true);
    const error = failed.error as { issues: readonly string[]; raw: unknown };
    expect(error.issues.some((issue) => issue.startsWith(`${c.field}:`)), error.issues.join('\n')).toBe(true);
    expect(error.raw).toEqual(sent);
    expect(failed.ids).toEqual(reference.ids.slice(0, failed.ids.length));
    expect(failed.ids.length).toBeGreaterThan(0);

    broken = false;
    const resumed = await pagesOf(list(breaking), failed.cursor);
    expect(resumed.error).toBeUndefined();
    expect([...failed.ids, ...resumed.ids]).toEqual(reference.ids);
  });
});
